"""Ranking measures: pluggable rules with explainable scores."""
