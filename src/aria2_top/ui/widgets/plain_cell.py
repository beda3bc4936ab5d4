"""A table cell of plain text drawn without Rich's renderer, in the very segments it
would draw.

Textual's DataTable draws each cell as ``Styled(Padding(text))`` through Rich's
console (about 100 µs a cell): a History key that changes the rows draws every cell
on screen again, 25 to 45 ms. A cell of one line of text with one style (no spans,
no tabs, no line breaks) is only its text cut or padded to its width, in two styles:
:func:`plain_cell` makes those segments directly (a few µs). Anything else is left
to Rich (None). ``tests/unit/test_plain_cell.py`` holds it to Rich's own rendering.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

_CUT = {"fold", "crop", "ellipsis"}


def plain_cell(
    console: Console, cell: object, width: int, padding: int, pre: Style, post: Style
) -> list[Segment] | None:
    """The one line of ``cell`` in ``width`` cells (``padding`` of them on each side),
    as Rich renders ``Styled(Padding(cell, (0, padding)), pre, post)`` with
    ``no_wrap`` and a height of one; None when it is not that simple."""
    if not isinstance(cell, Text) or cell.spans:
        return None
    plain = cell.plain
    inner = width - 2 * padding
    justify = cell.justify or "default"
    overflow = cell.overflow or "fold"
    if inner < 1 or justify not in ("default", "left", "right") or overflow not in _CUT:
        return None
    if "\n" in plain or "\t" in plain or "\r" in plain:
        return None
    if justify == "right":
        plain = plain.rstrip()
    length = cell_len(plain)
    if length > inner:
        cut = inner - 1 if overflow == "ellipsis" else inner
        plain = set_cell_size(plain, cut) + ("…" if overflow == "ellipsis" else "")
        length = cell_len(plain)
    if justify == "right":
        plain = " " * (inner - length) + plain
        length = inner
    elif justify == "left" and length < inner:
        plain += " " * (inner - length)
        length = inner
    text_style = console.get_style(cell.style) if cell.style else None
    styled = pre + text_style if text_style else pre
    if post:
        styled = styled + post
        pre = pre + post
    segments = [Segment(" " * padding, pre)] if padding else []
    if plain:
        segments.append(Segment(plain, styled))
    rest = inner - length + padding
    if rest:
        segments.append(Segment(" " * rest, pre))
    return segments
