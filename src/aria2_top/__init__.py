"""aria2-top: the htop of downloads, a live terminal dashboard for aria2c."""

import logging

__version__ = "0.2.0"

# Silent unless --debug adds a file (see aria2_top.diagnostics.debug_log): never Python's
# last-resort handler, whose stderr would land on the dashboard.
logging.getLogger(__name__).addHandler(logging.NullHandler())
