"""kommunal-digital plugin for NRW: the Digitale-Agenda pack and a legal-driver ranking."""
