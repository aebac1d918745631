"""Groups of CLI commands, each registered on the app by its module's ``register(app)``.

Every module here must stay light at import time (it is imported on every run, ``--help``
included): heavy imports go inside the command functions.
"""
