"""A notice's words in lines that break between phrases, not inside one.

A toast wraps its text word by word wherever the line ends, so ``failed on b:
missing-0.bin (3 (resource not found): …)`` could break after ``(3``. The app breaks
the lines itself, at the toast's width, at the strongest pause that comes late
enough in the line: `` · ``, then ``: `` and ``; ``, then ``, ``, then before ``(``,
then any space; a word longer than a line is left for the toast to fold.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual.notifications import Notification

TOAST_WIDTH = 60
"""Textual's toast: 60 cells wide, at most half the screen (``Toast`` in its CSS)."""
TOAST_FRAME = 3
"""Cells of the toast's padding (one each side) and its coloured left edge."""
BREAKS = (" · ", ": ", "; ", ", ", " (", " ")
"""Where a line may end, the preferred first; the line ends after the separator
(before the parenthesis, for `` (``)."""
EARLIEST = 0.6
"""A break earlier in the line than this share of it is passed over for a weaker,
later one (else a line would hold a word or two)."""


@dataclass
class Notice(Notification):
    """A notification whose ``message`` is broken into lines to fit the toast;
    ``words``: the message as it was said, on its own lines only."""

    words: str = ""


def notice_width(screen_width: int) -> int:
    """Cells of a toast's text on a screen ``screen_width`` cells wide."""
    return min(TOAST_WIDTH, screen_width // 2) - TOAST_FRAME


def _fitting(text: str, width: int) -> int:
    """How many characters of ``text`` fit ``width`` cells."""
    used = 0
    for index, char in enumerate(text):
        used += cell_len(char)
        if used > width:
            return index
    return len(text)


def _break(text: str, width: int) -> int:
    """Where the first line of ``text`` (longer than ``width`` cells) ends."""
    fits = _fitting(text, width)
    window = text[: fits + 1]  # a space just past the end is a break too
    for separator in BREAKS:
        at = window.rfind(separator)
        end = at + (1 if separator == " (" else len(separator.rstrip()))
        if at > 0 and end <= fits and end >= EARLIEST * fits:
            return end
    space = window.rfind(" ")
    return space if space > 0 else -1


def wrap_notice(message: str, width: int) -> str:
    """``message`` with its lines broken to ``width`` cells between phrases (its own
    line breaks kept); as it is when ``width`` is too small to mean anything."""
    if width < 20:
        return message
    lines: list[str] = []
    for paragraph in message.split("\n"):
        while cell_len(paragraph) > width:
            end = _break(paragraph, width)
            if end < 0:
                break  # a word longer than the line: the toast folds it
            lines.append(paragraph[:end].rstrip())
            paragraph = paragraph[end:].lstrip()
        lines.append(paragraph)
    return "\n".join(lines)
