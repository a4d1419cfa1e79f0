"""Maturity checks (Digicheck): questionnaires and, later, their scoring."""
