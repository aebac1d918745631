"""Allow ``python -m complaints_cli``."""

from complaints_cli.cli import main

main()
