"""Maturity checks (Digicheck): questionnaires, scoring, phase guides, OZG services, radar."""
