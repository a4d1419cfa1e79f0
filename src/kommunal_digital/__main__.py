"""``python -m kommunal_digital`` runs the command line."""

from kommunal_digital.cli.main import main

main()
