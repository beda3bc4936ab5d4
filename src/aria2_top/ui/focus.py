"""Keys in bursts (a paste, a key macro, a laggy SSH link) must land where the user
meant them.

Textual hands each key to the focused widget's own queue, and a key binding of the
app only runs once the key has bubbled back up, in that widget's time: the next
keys of the burst are handed to the old focus before a binding has moved it. So
``\\pq`` opened the filter, then paused a download and quit.

So the app's keys (and the details pane's) are *priority* bindings, run by the app
in order, one key at a time, and they step aside (:func:`typing`) when a text field
has the focus; :func:`focus_now` moves the focus before the next key is handled
(``Widget.focus()`` only queues the change).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from textual.app import App
from textual.dom import DOMNode, NoScreen
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, TextArea


def focus_now(widget: Widget) -> None:
    """Give ``widget`` the focus now, not after the keys already queued."""
    try:
        screen = widget.screen
    except NoScreen:  # not on a screen yet: the usual way
        widget.focus()
        return
    screen.set_focus(widget)


def after_typed(screen: Screen[Any], then: Callable[[], object]) -> None:
    """Run ``then`` once the keys typed before it are in the focused field: a pasted
    line and Ctrl+S arrive in one burst, and the field's own queue goes first."""
    focused = screen.focused
    if focused is None:
        then()
    else:
        focused.call_later(then)


def typing(app: App[Any]) -> bool:
    """True when a text field has the focus: every printable key is its own."""
    return isinstance(app.focused, Input | TextArea)


def owned_below(app: App[Any], key: str, keymap: Mapping[str, str]) -> bool:
    """True when the focused widget, or a container of it below the screen, binds
    ``key`` itself (the Files tree's Space, the pane's Esc, a list's Enter), with the
    keys the user moved in ``keymap``."""
    focused = app.focused
    if focused is None:
        return False
    for node in focused.ancestors_with_self:
        if node is app or node is app.screen:
            return False
        if binds(node, key, keymap):
            return True
    return False


def binds(node: DOMNode, key: str, keymap: Mapping[str, str]) -> bool:
    """Whether ``node`` binds ``key`` itself, after the ``[keymap]`` moved keys."""
    for bound, bindings in node._bindings.key_to_bindings.items():
        for binding in bindings:
            moved = keymap.get(binding.id) if binding.id else None
            if key in (moved.split(",") if moved is not None else (bound,)):
                return True
    return False


class StepsAsideForText:
    """For a container whose keys are priority bindings (run in order by the app):
    they step aside while a text field inside it has the focus."""

    app: App[Any]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not typing(self.app)
