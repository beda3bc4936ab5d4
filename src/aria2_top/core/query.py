"""Which downloads the table shows and in what order: pure functions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from aria2_top.core.model import RUNNING, Download, Status


class View(Enum):
    """The status views cycled with Tab / 1-6."""

    ALL = ("All", frozenset(Status))
    ACTIVE = ("Active", RUNNING)
    WAITING = ("Waiting", frozenset({Status.WAITING}))
    PAUSED = ("Paused", frozenset({Status.PAUSED}))
    DONE = ("Done", frozenset({Status.COMPLETE, Status.REMOVED}))
    ERRORS = ("Errors", frozenset({Status.ERROR}))

    def __init__(self, label: str, statuses: frozenset[Status]) -> None:
        self.label = label
        self.statuses = statuses

    def next(self, step: int = 1) -> View:
        views = list(View)
        return views[(views.index(self) + step) % len(views)]


def matches(download: Download, needle: str) -> bool:
    """Case-insensitive match of ``needle`` in the name or the GID."""
    needle = needle.casefold()
    return needle in download.name.casefold() or download.gid.startswith(needle)


def visible(downloads: Iterable[Download], view: View, text: str = "") -> list[Download]:
    """The downloads of ``view`` whose name or GID matches the filter ``text``."""
    text = text.strip()
    return [d for d in downloads if d.status in view.statuses and (not text or matches(d, text))]


SortKey = Callable[[Download], tuple[int, float | str]]


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


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: key, header, width (0: takes the rest), how it sorts, and
    its priority (lower stays longer when the terminal is narrow). ``largest_first``:
    sorting by it starts with the largest values (top-style: speeds, sizes)."""

    key: str
    label: str
    width: int
    priority: int
    sort_key: SortKey | None
    largest_first: bool = False
    views: frozenset[View] = frozenset(View)
    """The views that show it (the Errors view shows the error instead of speeds)."""


COLUMNS: tuple[Column, ...] = (
    Column("pos", "#", 4, 1, None),
    Column("name", "Name", 0, 0, _text(lambda d: d.name)),
    Column("status", "Status", 8, 2, _number(lambda d: _STATUS_ORDER[d.status])),
    Column(
        "error",
        "Error",
        40,
        1,
        _text(lambda d: d.error_message),
        views=frozenset({View.ERRORS}),
    ),
    Column("progress", "Progress", 13, 3, _number(lambda d: d.progress), True),
    Column("size", "Size", 7, 5, _number(lambda d: d.total), True),
    Column("done", "Done", 7, 9, _number(lambda d: d.completed), True),
    Column("down", "↓ Speed", 9, 3, _number(lambda d: d.down_speed), True, _MOVING),
    Column("up", "↑ Speed", 9, 7, _number(lambda d: d.up_speed), True, _MOVING),
    Column("eta", "ETA", 6, 4, _number(lambda d: d.eta), views=_MOVING),
    Column("conn", "Conn", 7, 8, _number(lambda d: d.connections), True, _MOVING),
    Column(
        "ratio", "Ratio", 5, 10, _number(lambda d: d.ratio), True, frozenset(View) - {View.ERRORS}
    ),
    Column("gid", "GID", 6, 11, _text(lambda d: d.gid)),
)
MIN_NAME_WIDTH = 20


def position_width(highest: int | None) -> int:
    """Cells of the ``#`` column for queue positions up to ``highest`` (0-based), with
    one for the tag mark: never fewer than the column's own width."""
    digits = len(str(highest + 1)) if highest is not None else 0
    return max(COLUMN_BY_KEY["pos"].width, digits + 1)


def columns_for_width(
    width: int, padding: int = 1, widths: dict[str, int] | None = None, view: View = View.ALL
) -> list[Column]:
    """The columns of ``view`` that fit ``width`` cells, by priority, in display order.

    The name column always stays and gets at least :data:`MIN_NAME_WIDTH` cells;
    ``widths`` overrides some columns' widths (the ``#`` column grows with the queue).
    """
    widths = widths or {}
    chosen = {"name"}
    used = MIN_NAME_WIDTH + 2 * padding
    for column in sorted(COLUMNS, key=lambda c: c.priority):
        if column.key == "name" or view not in column.views:
            continue
        need = widths.get(column.key, column.width) + 2 * padding
        if used + need <= width:
            chosen.add(column.key)
            used += need
    return [column for column in COLUMNS if column.key in chosen]


COLUMN_BY_KEY = {column.key: column for column in COLUMNS}


def _tie_key(download: Download) -> tuple[bool, int, str]:
    position = download.queue_position
    return (position is None, position or 0, download.name.casefold())


def sort_downloads(downloads: Sequence[Download], column: str, reverse: bool) -> list[Download]:
    """Sort by ``column``; ``pos`` (or unknown) keeps aria2's own order.

    Ties are broken by queue position, then name, in both directions (Python's sort
    is stable, with ``reverse=True`` too), so equal rows never swap between ticks.
    """
    sort_key = COLUMN_BY_KEY[column].sort_key if column in COLUMN_BY_KEY else None
    if sort_key is None:
        return list(reversed(downloads)) if reverse else list(downloads)
    return sorted(sorted(downloads, key=_tie_key), key=sort_key, reverse=reverse)


def first_direction(column: str) -> bool:
    """Whether sorting by ``column`` starts reversed (largest first)."""
    return column in COLUMN_BY_KEY and COLUMN_BY_KEY[column].largest_first
