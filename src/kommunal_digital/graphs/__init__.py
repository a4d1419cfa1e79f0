"""Graphs over the model (networkx): measure dependencies and the critical path."""
