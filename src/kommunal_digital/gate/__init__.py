"""The completeness gate: checks a strategy must pass before the council decides."""
