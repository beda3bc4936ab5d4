"""Moving the focus before the next key is handled.

``Widget.focus()`` only queues the change: keys typed in the same burst (a paste, a
key macro, a laggy SSH link) are still handled by the old focus, so ``\\pq`` opened
the filter, then paused a download and quit. :func:`focus_now` moves it at once.
"""

from __future__ import annotations

from textual.dom import NoScreen
from textual.widget import Widget


def focus_now(widget: Widget) -> None:
    """Give ``widget`` the focus now, not after the keys already queued."""
    try:
        screen = widget.screen
    except NoScreen:  # not on a screen yet: the usual way
        widget.focus()
        return
    screen.set_focus(widget)
