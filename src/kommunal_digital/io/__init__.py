"""Reading and writing strategies and other files (YAML, JSON)."""
