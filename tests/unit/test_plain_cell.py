"""A table cell of plain text drawn directly (History's rows) is drawn exactly as
Rich draws it through Textual's DataTable; anything not that simple is left to Rich."""

from __future__ import annotations

import itertools

import pytest
from rich.console import Console
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.renderables.styled import Styled

from aria2_top.ui.widgets.plain_cell import plain_cell

PLAINS = [
    "",
    "a",
    "ubuntu-24.04-desktop-amd64.iso",
    "x" * 60,
    "日本語のファイル名前" * 3,
    "a日本b",
    "trailing   ",
    "   leading",
    "e\u0301te\u0301",
    "👍🏽 ok",
    "[b]not markup[/b]",
]
STYLES: list[str | Style] = ["", "dim", "bold #ff0000", Style(italic=True), "none"]
JUSTIFY = [None, "left", "right"]
OVERFLOW = [None, "ellipsis", "crop", "fold"]
WIDTHS = [3, 4, 9, 14, 50]


def _rich(
    console: Console, cell: Text, width: int, padding: int, pre: Style, post: Style
) -> list[Segment]:
    """What DataTable draws: ``Styled(Padding(cell))``, no wrap, one line."""
    options = console.options.update_dimensions(width, 1).update(no_wrap=True)
    styled = Styled(Padding(cell, (0, padding)), pre_style=pre, post_style=post)
    return console.render_lines(styled, options)[0]


def _seen(segments: list[Segment]) -> list[Segment]:
    """What reaches the screen: empty segments dropped, neighbours of one style joined."""
    return list(Segment.simplify(s for s in segments if s.text))


@pytest.mark.parametrize("post", [Style.null(), Style(bgcolor="blue", color="white")])
def test_a_plain_cell_is_drawn_as_rich_draws_it(post: Style) -> None:
    console = Console(width=200, color_system="truecolor")
    pre = Style(bgcolor="#202020") + Style.from_meta({"row": 3, "column": 1})
    cases = itertools.product(PLAINS, STYLES, JUSTIFY, OVERFLOW, WIDTHS, (0, 1))
    checked = 0
    for plain, style, justify, overflow, width, padding in cases:
        if width - 2 * padding < 1:
            continue
        cell = Text(plain, style=style, justify=justify, overflow=overflow, no_wrap=True)  # type: ignore[arg-type]
        mine = plain_cell(console, cell, width, padding, pre, post)
        assert mine is not None, (plain, style, justify, overflow, width)
        expected = _rich(console, cell, width, padding, pre, post)
        assert _seen(mine) == _seen(expected), (plain, style, justify, overflow, width, padding)
        assert sum(len(s.text) for s in mine) >= 1
        checked += 1
    assert checked > 1000


def test_what_is_not_plain_is_left_to_rich() -> None:
    console = Console(width=80)
    pre = Style(bold=True)
    spanned = Text("a b")
    spanned.stylize("red", 0, 1)
    for cell in (
        spanned,
        Text("two\nlines"),
        Text("a\ttab"),
        Text("centre", justify="center"),
        Text("full", justify="full"),
        Text("x", overflow="ignore"),
        "a string",
    ):
        assert plain_cell(console, cell, 20, 1, pre, Style.null()) is None, cell
    assert plain_cell(console, Text("narrow"), 2, 1, pre, Style.null()) is None
