"""A DataTable whose rows of plain text are drawn directly, in the very segments
Textual draws them.

Textual's DataTable keys every cache on a count of changes: once its rows change,
each visible line is made again through Rich (a Padding and a Styled per cell) and
each line asks the DOM for its style (a walk up the ancestors), about half a
millisecond a line. History's rows change with every key of its search:
:class:`PlainRowsTable` draws a row cell by cell with
:func:`~aria2_top.ui.widgets.plain_cell.plain_cell` and asks for the table's style
once per frame. Everything else (the header, keys, mouse, scrolling, the cursor and
its messages) is the DataTable's own. ``tests/app/test_plain_rows_table.py`` holds
every line to what the DataTable draws.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from aria2_top.ui.widgets.plain_cell import plain_cell

Lines = list[list[Segment]]


class PlainRowsTable(DataTable[Text]):
    """A DataTable of rows one line high, cursor on rows, no fixed rows or columns
    and no row labels; drawn as the DataTable draws it, only faster."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._frame_style: Style | None = None
        """The table's style, asked once per frame (:meth:`render_lines`)."""
        self._metas: dict[tuple[int, int, bool], Style] = {}

    def _meta(self, row: int, column: int, out_of_bounds: bool = False) -> Style:
        """The meta of a cell (where a click lands), as the DataTable gives it."""
        key = (row, column, out_of_bounds)
        meta = self._metas.get(key)
        if meta is None:
            if len(self._metas) > 20_000:
                self._metas.clear()
            where: dict[str, object] = {"row": row, "column": column}
            if out_of_bounds:
                where["out_of_bounds"] = True
            meta = self._metas[key] = Style.from_meta(where)
        return meta

    @property
    def _plain(self) -> bool:
        """Whether this table is as :class:`PlainRowsTable` draws it."""
        return not (
            self.fixed_rows
            or self.fixed_columns
            or (self._labelled_row_exists and self.show_row_labels)
            or self.cursor_type != "row"
        )

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame_style = None
        try:
            return super().render_lines(crop)
        finally:
            self._frame_style = None

    def render_line(self, y: int) -> Strip:
        if self.fixed_rows:
            return super().render_line(y)
        if self._frame_style is None:
            self._frame_style = self.rich_style
        scroll_x, scroll_y = self.scroll_offset
        if y >= (self.header_height if self.show_header else 0):
            y += scroll_y
        return self._render_line(y, scroll_x, scroll_x + self.size.width, self._frame_style)

    def _render_line_in_row(
        self,
        row_key: RowKey,
        line_no: int,
        base_style: Style,
        cursor_location: Coordinate,
        hover_location: Coordinate,
    ) -> tuple[Lines, Lines]:
        row = self.rows.get(row_key)
        if row is None or row.height != 1 or line_no or not self._plain:
            return super()._render_line_in_row(
                row_key, line_no, base_style, cursor_location, hover_location
            )
        cache_key = (
            row_key,
            line_no,
            base_style,
            cursor_location,
            hover_location,
            self.cursor_type,
            self.show_cursor,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cached = self._row_render_cache.get(cache_key)
        if cached is not None:
            return cached
        index = self._row_locations.get(row_key)
        row_index = -1 if index is None else index
        cursor = row_index == cursor_location.row
        hover = row_index == hover_location.row
        component, post = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        row_style = self._get_row_style(row_index, base_style)
        cells = self._get_row_renderables(row_index).cells
        console = self.app.console
        line: Lines = []
        table_width = self._row_label_column_width
        for column_index, column in enumerate(self.ordered_columns):
            width = column.get_render_width(self)
            table_width += width
            pre = row_style + self._meta(row_index, column_index) + component
            cell = cells[column_index] if column_index < len(cells) else None
            segments = plain_cell(console, cell, width, self.cell_padding, pre, post)
            if segments is None:
                segments = self._render_cell(
                    row_index, column_index, row_style, width, cursor=cursor, hover=hover
                )[line_no]
            line.append(segments)
        extend, _ = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover_location.row == (row_index or 0),
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            False,
            False,
        )
        extend = row_style + extend + self._meta(row_index, 0, out_of_bounds=True)
        line.append([Segment(" " * max(0, self.size.width - table_width), extend)])
        drawn: tuple[Lines, Lines] = ([], line)
        self._row_render_cache[cache_key] = drawn
        return drawn
