"""Batch runs: the documents of many municipalities, built in parallel."""
