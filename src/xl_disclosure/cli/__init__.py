"""The command line: one thin module per command group over :mod:`xl_disclosure.api`."""

from xl_disclosure.cli.main import main

__all__ = ["main"]
