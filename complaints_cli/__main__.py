"""Allow ``python -m complaints_cli``."""

from complaints_cli.cli.app import run

run()
