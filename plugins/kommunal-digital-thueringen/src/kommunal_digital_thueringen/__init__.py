"""kommunal-digital plugin for Thüringen: the pack and a check of the core-team model."""
