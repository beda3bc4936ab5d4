"""The downloads table's words, cell by cell: what the table draws and what the first
rows (:mod:`aria2_top.ui.first_rows`) write before the app is loaded. No Textual here:
the first rows must not wait for it."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

from aria2_top.model.columns import Column

PADDING = 1
"""Blank cells on each side of a column."""


def fit(text: str, width: int, right: bool) -> str:
    """``text`` in exactly ``width`` cells: cut with ``…`` when too long, else padded."""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else set_cell_size(text, width)
    pad = " " * (width - length)
    return pad + text if right else text + pad


def header_label(column: Column, sort: tuple[str, bool]) -> str:
    """A column's header: its label, with ▲ or ▼ on the column the rows are sorted by."""
    key, reverse = sort
    return column.label + ((" ▼" if reverse else " ▲") if column.key == key else "")


def padded(text: str) -> str:
    """A fitted cell with the column's padding on both sides."""
    return " " * PADDING + text + " " * PADDING
