"""The version of kommunal-digital: the one place it is written (the build reads it here)."""

#: The version of this release, e.g. ``"0.1.0"``; packs declare the versions they support.
__version__ = "0.1.0"
