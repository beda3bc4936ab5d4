"""The table's columns, each one declaration: header, width, alignment, the text of
its cell, how it sorts, and which views and layouts show it. Pure functions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from aria2_top.core import format as fmt
from aria2_top.core.aria2_codes import describe_error
from aria2_top.core.model import Download, Status
from aria2_top.core.query import View

SortKey = Callable[[Download], tuple[int, float | str]]
Cell = Callable[[Download], str]
BAR_WIDTH = 8
"""Cells of the bar in the progress column."""
MIN_NAME_WIDTH = 20


def _number(getter: Callable[[Download], float | int | None]) -> SortKey:
    def key(download: Download) -> tuple[int, float | str]:
        value = getter(download)
        # Rows with no value (e.g. no ETA) sort after every row that has one.
        return (1, 0.0) if value is None else (0, float(value))

    return key


def _text(getter: Callable[[Download], str]) -> SortKey:
    return lambda download: (0, getter(download).casefold())


_STATUS_ORDER = {status: index for index, status in enumerate(Status)}
_MOVING = frozenset(View) - {View.DONE, View.ERRORS}
"""Views whose rows can move: speeds, ETA and connections mean something there."""


def error_cell(download: Download) -> str:
    """``3: Resource not found`` (aria2's words when it gave some, else ours)."""
    if download.error_message and download.error_code:
        return f"{download.error_code}: {download.error_message}"
    return describe_error(download.error_code, download.error_message)


def _position(download: Download) -> str:
    return "" if download.queue_position is None else str(download.queue_position + 1)


def _connections(download: Download) -> str:
    if download.is_torrent and (download.connections or download.seeders):
        return f"{fmt.count(download.seeders)}/{fmt.count(download.connections)}"
    return "" if download.connections == 0 else fmt.count(download.connections)


@dataclass(frozen=True, slots=True)
class Column:
    """A table column.

    ``width`` 0 takes the rest of the line; ``priority``: lower stays longer when
    the terminal is narrow; ``largest_first``: sorting by it starts with the largest
    values (top-style: speeds, sizes); ``fleet``: shown only with several daemons.
    ``cell`` gives the plain text of a row's cell (made safe to show).
    """

    key: str
    label: str
    width: int
    priority: int
    cell: Cell
    sort_key: SortKey | None
    largest_first: bool = False
    views: frozenset[View] = frozenset(View)
    """The views that show it (the Errors view shows the error instead of speeds)."""
    right: bool = False
    """Right-aligned (numbers)."""
    fleet: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("pos", "#", 4, 1, _position, None, right=True),
    Column("host", "Host", 10, 1, lambda d: fmt.safe_text(d.daemon), _text(lambda d: d.daemon),
           fleet=True),
    Column("name", "Name", 0, 0, lambda d: fmt.safe_text(d.name),
           lambda d: (0, d.folded_name)),
    Column("status", "Status", 8, 2, lambda d: str(d.status),
           _number(lambda d: _STATUS_ORDER[d.status])),
    Column("error", "Error", 40, 1, lambda d: fmt.safe_text(error_cell(d)),
           _text(lambda d: d.error_message), views=frozenset({View.ERRORS})),
    Column("progress", "Progress", 13, 3, lambda d: fmt.progress_cell(d.progress, BAR_WIDTH),
           _number(lambda d: d.progress), True),
    Column("size", "Size", 7, 5, lambda d: "" if d.total == 0 else fmt.size(d.total),
           _number(lambda d: d.total), True, right=True),
    Column("done", "Done", 7, 9, lambda d: "" if d.completed == 0 else fmt.size(d.completed),
           _number(lambda d: d.completed), True, right=True),
    Column("down", "↓ Speed", 9, 3, lambda d: fmt.speed(d.down_speed),
           _number(lambda d: d.down_speed), True, _MOVING, right=True),
    Column("up", "↑ Speed", 9, 7, lambda d: fmt.speed(d.up_speed),
           _number(lambda d: d.up_speed), True, _MOVING, right=True),
    Column("eta", "ETA", 6, 4, lambda d: fmt.duration(d.eta), _number(lambda d: d.eta),
           views=_MOVING, right=True),
    Column("conn", "Conn", 7, 8, _connections, _number(lambda d: d.connections), True, _MOVING,
           right=True),
    Column("ratio", "Ratio", 5, 10, lambda d: fmt.ratio(d.ratio), _number(lambda d: d.ratio),
           True, frozenset(View) - {View.ERRORS}, right=True),
    Column("gid", "GID", 6, 11, lambda d: fmt.short_gid(d.gid), _text(lambda d: d.gid)),
)  # fmt: skip
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
COLUMN_INDEX = {column.key: index for index, column in enumerate(COLUMNS)}
_CELLS = tuple(column.cell for column in COLUMNS)

RowText = tuple[str, ...]


def row_texts(download: Download) -> RowText:
    """The plain text of every cell of ``download``'s row, in :data:`COLUMNS` order."""
    return tuple(cell(download) for cell in _CELLS)


def sortable(view: View, fleet: bool) -> list[Column]:
    """The columns a user can sort ``view`` by (the host only with several daemons)."""
    return [c for c in COLUMNS if view in c.views and (fleet or not c.fleet)]


def position_width(highest: int | None) -> int:
    """Cells of the ``#`` column for queue positions up to ``highest`` (0-based), with
    one for the tag mark: never fewer than the column's own width."""
    digits = len(str(highest + 1)) if highest is not None else 0
    return max(COLUMN_BY_KEY["pos"].width, digits + 1)


def columns_for_width(
    width: int,
    padding: int = 1,
    widths: dict[str, int] | None = None,
    view: View = View.ALL,
    *,
    fleet: bool = False,
) -> list[Column]:
    """The columns of ``view`` that fit ``width`` cells, by priority, in display order.

    The name column always stays and gets at least :data:`MIN_NAME_WIDTH` cells;
    ``widths`` overrides some columns' widths (the ``#`` column grows with the queue);
    ``fleet``: several daemons are shown (the host column is wanted).
    """
    widths = widths or {}
    chosen = {"name"}
    used = MIN_NAME_WIDTH + 2 * padding
    for column in sorted(COLUMNS, key=lambda c: c.priority):
        if column.key == "name" or view not in column.views or (column.fleet and not fleet):
            continue
        need = widths.get(column.key, column.width) + 2 * padding
        if used + need <= width:
            chosen.add(column.key)
            used += need
    return [column for column in COLUMNS if column.key in chosen]


def tie_key(download: Download) -> tuple[bool, int, str, str, str]:
    """How rows equal in the sorted column are ordered: queue position, name, then
    daemon and GID, so that no two rows ever tie (the order is the same whatever
    order the rows came in: see :mod:`aria2_top.core.rows`)."""
    position = download.queue_position
    name = download.folded_name
    return (position is None, position or 0, name, download.daemon, download.gid)


def sort_key_of(column: str) -> SortKey | None:
    """How ``column`` sorts; None for aria2's own order (``pos``, or unknown)."""
    return COLUMN_BY_KEY[column].sort_key if column in COLUMN_BY_KEY else None


def sort_downloads(downloads: Sequence[Download], column: str, reverse: bool) -> list[Download]:
    """Sort by ``column``; ``pos`` (or unknown) keeps aria2's own order.

    Ties are broken by :func:`tie_key`, ascending in both directions (Python's sort
    is stable, with ``reverse=True`` too), so equal rows never swap between ticks.
    """
    sort_key = sort_key_of(column)
    if sort_key is None:
        return list(reversed(downloads)) if reverse else list(downloads)
    if column == "host":  # each daemon's downloads stay in aria2's own order
        return sorted(downloads, key=sort_key, reverse=reverse)
    return sorted(sorted(downloads, key=tie_key), key=sort_key, reverse=reverse)


def first_direction(column: str) -> bool:
    """Whether sorting by ``column`` starts reversed (largest first)."""
    return column in COLUMN_BY_KEY and COLUMN_BY_KEY[column].largest_first
