"""The command line: Typer commands that parse options, call the layers below, and print.

No SQL and no rules live here. :mod:`complaints_cli.cli.app` is the entry point and the one
place a :class:`~complaints_cli.errors.ComplaintsError` becomes a message and an exit status.
"""
