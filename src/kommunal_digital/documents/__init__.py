"""Producing documents: render contexts, German formatting, Word rendering."""
