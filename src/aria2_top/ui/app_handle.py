"""The one typed way to the app from a screen or widget of ours.

Textual types ``node.app`` as a plain :class:`~textual.app.App`; every screen of
aria2-top runs in :class:`~aria2_top.ui.app.Aria2TopApp`, whose attributes (the key
being handled, the idle collector, the history, the unfinished re-adds, the report
of an unexpected error) the screens use. This says so once, checked by mypy, instead
of ``getattr(self.app, "...")`` with a name in a string.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from aria2_top.ui.app import Aria2TopApp


def app_of(node: MessagePump) -> Aria2TopApp:
    """The app ``node`` runs in (imported for the type only: ui/app.py imports the
    screens)."""
    return cast("Aria2TopApp", node.app)
