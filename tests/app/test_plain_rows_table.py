"""History's table draws its rows of plain text itself (PlainRowsTable): every line
it draws is the line Textual's DataTable draws for the same rows, whatever the
focus, the cursor, the mouse and the scroll; cells that are not plain text are
still drawn by the DataTable."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from rich.text import Text
from textual.app import App, ComposeResult
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.widgets import DataTable

from aria2_top.ui.widgets import plain_rows_table
from aria2_top.ui.widgets.plain_cell import plain_cell
from aria2_top.ui.widgets.plain_rows_table import PlainRowsTable

WIDTHS = (11, 7, 24, 9)


def _rows() -> list[list[Text | str]]:
    spanned = Text("half red")
    spanned.stylize("red", 0, 4)
    rows: list[list[Text | str]] = [
        [Text("11-30 16:00", style="dim"), Text("error", style="red"), Text("a"), Text("")],
        [Text("x" * 40, style="bold"), Text("9.1 GiB", justify="right"), spanned, Text("z")],
        ["[b]markup[/b] string", Text("日本語のファイル"), Text("n" * 50, overflow="ellipsis"), ""],
        [Text("  lead"), Text("trail   ", justify="right"), Text("👍🏽 ok"), Text("e\u0301")],
    ]
    return [rows[n % len(rows)] for n in range(40)]


class Tables(App[None]):
    CSS = "DataTable { height: 14; width: 64; }"

    def compose(self) -> ComposeResult:
        yield DataTable(id="textual", cursor_type="row")
        yield PlainRowsTable(id="plain", cursor_type="row")


def _drawn(table: DataTable[object]) -> list[list[Segment]]:
    """The lines the table hands the screen, as they look (empty segments dropped,
    neighbours of one style joined)."""
    table.refresh()
    strips = table.render_lines(Region(0, 0, table.size.width, table.size.height))
    return [list(Segment.simplify(s for s in strip if s.text)) for strip in strips]


async def test_plain_rows_are_drawn_as_the_datatable_draws_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[object] = []
    direct = plain_cell

    def counted(*args: object) -> object:
        line = direct(*args)  # type: ignore[arg-type]
        made.append(line)
        return line

    monkeypatch.setattr(plain_rows_table, "plain_cell", counted)
    app = Tables()
    async with app.run_test(size=(80, 40)) as pilot:
        textual = app.query_one("#textual", DataTable)
        plain = app.query_one("#plain", PlainRowsTable)
        tables: list[DataTable[object]] = [textual, plain]  # type: ignore[list-item]
        for table in tables:
            for number, width in enumerate(WIDTHS):
                table.add_column(f"C{number}", width=width, key=str(number))
            table.add_rows(_rows())
        await pilot.pause()
        states = 0
        for cursor in (0, 2, 25, 39):
            for focused in (False, True):
                for hover in (None, Coordinate(1, 2), Coordinate(cursor, 0)):
                    lines = []
                    for table in tables:
                        app.set_focus(table if focused else None)
                        await pilot.pause()
                        table.move_cursor(row=cursor, animate=False)
                        table._set_hover_cursor(hover is not None)
                        if hover is not None:
                            table.hover_coordinate = hover
                        await pilot.pause()
                        lines.append(_drawn(table))
                    assert lines[0] == lines[1], (cursor, focused, hover)
                    assert len(lines[0]) == 14 and any(lines[0])
                    states += 1
        assert states == 24
        assert any(line is None for line in made), "a cell that is not plain: the DataTable's"
        assert sum(line is not None for line in made) > 100, "plain cells drawn directly"
