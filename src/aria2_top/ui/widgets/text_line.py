"""A one-line widget whose text is set from outside, repainted only on change.

``Static.update`` asks for a new layout of the whole screen each time; a bar of
fixed height that changes every second must not, so this widget only repaints.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class TextLine(Widget):
    """Shows one ``Text``; setting the same text again costs nothing."""

    DEFAULT_CSS = """
    TextLine {
        height: 1;
        width: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()

    @property
    def text(self) -> Text:
        return self._text

    def set_text(self, text: Text) -> None:
        """Show ``text``; repaint (no relayout) only if it differs from what is shown."""
        if text != self._text:
            self._text = text
            self.refresh()

    def render(self) -> Text:
        return self._text
