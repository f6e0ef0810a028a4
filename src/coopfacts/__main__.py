"""``python -m coopfacts`` runs the command-line interface."""
from coopfacts.cli.app import main

main()
