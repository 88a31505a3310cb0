"""``python -m tocsin.cli``."""

from tocsin.cli.main import main

main()
