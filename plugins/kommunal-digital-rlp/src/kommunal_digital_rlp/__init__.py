"""kommunal-digital plugin for Rheinland-Pfalz (the pack itself ships with the core)."""
