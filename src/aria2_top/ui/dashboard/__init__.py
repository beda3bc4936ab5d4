"""The dashboard screen, in parts (see :mod:`.screen`)."""

from aria2_top.ui.dashboard.messages import EventsLive, PollStatusChanged, SnapshotArrived
from aria2_top.ui.dashboard.screen import DashboardScreen

__all__ = ["DashboardScreen", "EventsLive", "PollStatusChanged", "SnapshotArrived"]
