"""``python -m coopfacts`` runs the command-line interface."""
from .cli import main

main()
