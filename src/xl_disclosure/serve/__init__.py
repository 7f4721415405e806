"""``xl-disclosure serve``: the collection service the compiling office runs on one intranet machine.

Clerks upload their filled workbook on their agency's personal page and see at
once every finding (the same as ``xl-disclosure validate``); the office watches
a live dashboard and compiles the counted submissions with the same engine as
``xl-disclosure compile``.  A layer above :mod:`xl_disclosure.api`; needs the
``[serve]`` extra.  See docs/serve.md.
"""

from xl_disclosure.serve.app import create_app
from xl_disclosure.serve.service import ServeConfig, Service

__all__ = ["ServeConfig", "Service", "create_app"]
