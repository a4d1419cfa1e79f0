"""Funding: the cash plan of a strategy and checks of its funding programmes."""
