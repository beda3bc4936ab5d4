"""The dashboard: the stats bar, the view line, the downloads of every daemon in one
table, the details pane and the prompt; the keys and what they do.

It never waits on the network: each daemon's session polls and listens in the
background and posts what it learns here; every action runs as a worker, one
multicall per daemon, and says what happened in words. The parts:

- :mod:`.base`: state, layout, snapshots in, the link, whom an action is for;
- :mod:`.routing`: actions per daemon, in workers, reported in words;
- :mod:`.downloads`, :mod:`.files`, :mod:`.view`, :mod:`.details`, :mod:`.settings`:
  the keys.
"""

from __future__ import annotations

from aria2_top.ui.dashboard.downloads import DownloadActions
from aria2_top.ui.dashboard.files import FileActions
from aria2_top.ui.dashboard.settings import SettingsActions
from aria2_top.ui.dashboard.view import ViewActions
from aria2_top.ui.keys import bindings


class DashboardScreen(DownloadActions, FileActions, ViewActions, SettingsActions):
    """The main screen: every daemon's downloads, and the keys that act on them."""

    BINDINGS = [*bindings()]
