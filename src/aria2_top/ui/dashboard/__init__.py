"""The dashboard screen and the parts it owns (see :mod:`.screen`).

Imports the ui's widgets, screens and helpers and every layer below ``ui``; the rest
of ``ui`` imports only what this exports (the screen and its messages).
"""

from aria2_top.ui.dashboard.messages import EventsLive, PollStatusChanged, SnapshotArrived
from aria2_top.ui.dashboard.screen import DashboardScreen

__all__ = ["DashboardScreen", "EventsLive", "PollStatusChanged", "SnapshotArrived"]
