"""Units every layer counts in: whole months from a start date, and euros in cents."""
