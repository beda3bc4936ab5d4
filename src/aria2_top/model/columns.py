"""The table's columns, each one declaration: header, width, alignment, the text of
its cell, how it sorts, and which views and layouts show it. Pure functions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from aria2_top.model import format as fmt
from aria2_top.model.aria2_codes import describe_error
from aria2_top.model.downloads import STOPPED, Download, Status
from aria2_top.model.query import View

SortKey = Callable[[Download], tuple[int, float | str]]
Cell = Callable[[Download], str]
BAR_WIDTH = 8
"""Cells of the bar in the progress column."""
MIN_NAME_WIDTH = 20


def number_key(value: float | None) -> tuple[int, float | str]:
    """How a number sorts: rows with no value (e.g. no ETA) after every row that has
    one (the table and the history's screen)."""
    return (1, 0.0) if value is None else (0, float(value))


def _number(getter: Callable[[Download], float | int | None]) -> SortKey:
    return lambda download: number_key(getter(download))


def _text(getter: Callable[[Download], str]) -> SortKey:
    return lambda download: (0, getter(download).casefold())


_STATUS_ORDER = {status: index for index, status in enumerate(Status)}
_MOVING = frozenset(View) - {View.DONE, View.ERRORS}
"""Views whose rows can move: speeds, ETA, connections and limits mean something
there."""


def error_cell(download: Download) -> str:
    """``3: Resource not found`` (aria2's words when it gave some, else ours)."""
    if download.error_message and download.error_code:
        return f"{download.error_code}: {download.error_message}"
    return describe_error(download.error_code, download.error_message, torrent=download.is_torrent)


def _position(download: Download) -> str:
    return "" if download.queue_position is None else str(download.queue_position + 1)


def _connections(download: Download) -> str:
    if download.is_torrent and (download.connections or download.seeders):
        return f"{fmt.count(download.seeders)}/{fmt.count(download.connections)}"
    return "" if download.connections == 0 else fmt.count(download.connections)


LIMIT_COLUMNS = frozenset({"down-limit", "up-limit"})
"""Columns that need each download's options looked up (see live/limit_lookup.py)."""


def _limit_value(download: Download, which: int) -> int | None:
    return None if download.limits is None else download.limits[which]


def _limit(download: Download, which: int) -> str:
    if download.limits is None or download.status in STOPPED:
        return ""  # not asked, or a limit that no longer means anything
    value = download.limits[which]
    if value is None:
        return fmt.UNKNOWN
    return "∞" if value == 0 else fmt.size(value)


def _pieces(download: Download) -> str:
    done = download.pieces_done
    if done is None:
        return ""
    return f"{fmt.count(done)}/{fmt.count(download.num_pieces)}"


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
    default: bool = True
    """In the table unless the user's ``[table] columns`` say otherwise."""
    about: str = ""
    """What it shows, in a few words (the setup screen says it)."""


_ALL = frozenset(View)

COLUMNS: tuple[Column, ...] = (
    Column("pos", "#", 4, 1, _position, None, right=True, about="queue position; ● tagged"),
    Column("host", "Host", 10, 1, lambda d: fmt.safe_text(d.daemon), _text(lambda d: d.daemon),
           fleet=True, about="the daemon (with several)"),
    Column("name", "Name", 0, 0, lambda d: fmt.safe_text(d.name),
           lambda d: (0, d.folded_name), about="takes the rest of the line"),
    Column("status", "Status", 8, 2, lambda d: str(d.status),
           _number(lambda d: _STATUS_ORDER[d.status])),
    Column("error", "Error", 40, 1, lambda d: fmt.safe_text(error_cell(d)),
           _text(lambda d: d.error_message), default=False,
           about="aria2's error (always in the Errors view)"),
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
           right=True, about="connections (seeders/all for torrents)"),
    Column("ratio", "Ratio", 5, 10, lambda d: fmt.ratio(d.ratio), _number(lambda d: d.ratio),
           True, _ALL - {View.ERRORS}, right=True, about="uploaded / downloaded"),
    Column("gid", "GID", 6, 11, lambda d: fmt.short_gid(d.gid), _text(lambda d: d.gid),
           about="aria2's id, shortened"),
    Column("added", "Added", 6, 6, lambda d: fmt.moment(d.added), _number(lambda d: d.added),
           True, right=True, default=False, about="when first seen (history)"),
    Column("ended", "Finished", 8, 6, lambda d: fmt.moment(d.ended), _number(lambda d: d.ended),
           True, right=True, default=False, about="when it finished or failed (history)"),
    Column("folder", "Folder", 24, 7, lambda d: fmt.safe_text(d.folder),
           _text(lambda d: d.folder), default=False, about="where its files go"),
    Column("full-gid", "Full GID", 16, 11, lambda d: fmt.safe_text(d.gid), _text(lambda d: d.gid),
           default=False, about="aria2's id, whole"),
    Column("seeds", "Seeds", 5, 8, lambda d: fmt.count(d.seeders) if d.is_torrent else "",
           _number(lambda d: d.seeders if d.is_torrent else None), True, _MOVING, right=True,
           default=False, about="seeders connected (torrents)"),
    Column("pieces", "Pieces", 11, 9, _pieces, _number(lambda d: d.num_pieces), True,
           right=True, default=False, about="pieces here / all"),
    Column("uploaded", "Uploaded", 8, 9,
           lambda d: "" if not d.uploaded else fmt.size(d.uploaded),
           _number(lambda d: d.uploaded), True, right=True, default=False,
           about="bytes sent to peers"),
    Column("down-limit", "↓ Limit", 7, 8, lambda d: _limit(d, 0),
           _number(lambda d: _limit_value(d, 0)), True, _MOVING, right=True, default=False,
           about="its own ↓ limit (∞: none)"),
    Column("up-limit", "↑ Limit", 7, 8, lambda d: _limit(d, 1),
           _number(lambda d: _limit_value(d, 1)), True, _MOVING, right=True, default=False,
           about="its own ↑ limit (∞: none)"),
    Column("source", "Source", 30, 10, lambda d: fmt.safe_text(d.source),
           _text(lambda d: d.source), default=False, about="first URI or magnet link"),
)  # fmt: skip
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
COLUMN_INDEX = {column.key: index for index, column in enumerate(COLUMNS)}
_CELLS = tuple(column.cell for column in COLUMNS)

RowText = tuple[str, ...]


def row_texts(download: Download) -> RowText:
    """The plain text of every cell of ``download``'s row, in :data:`COLUMNS` order."""
    return tuple(cell(download) for cell in _CELLS)


def sortable(view: View, fleet: bool, layout: Sequence[str] | None = None) -> list[Column]:
    """The columns a user can sort ``view`` by: those of ``layout`` (default: the
    table's own) it shows, queue order first (the host only with several daemons)."""
    columns = [c for c in layout_for(view, layout or DEFAULT_LAYOUT) if fleet or not c.fleet]
    if not any(c.key == "pos" for c in columns):
        columns.insert(0, COLUMN_BY_KEY["pos"])
    return columns


def position_width(highest: int | None) -> int:
    """Cells of the ``#`` column for queue positions up to ``highest`` (0-based), with
    one for the tag mark: never fewer than the column's own width."""
    digits = len(str(highest + 1)) if highest is not None else 0
    return max(COLUMN_BY_KEY["pos"].width, digits + 1)


DEFAULT_LAYOUT: tuple[str, ...] = tuple(c.key for c in COLUMNS if c.default)
"""The table's columns, in order, unless the user chose others."""


def checked_layout(keys: Sequence[str]) -> tuple[tuple[str, ...], list[str]]:
    """(the known columns of ``keys``, each once, the name among them; the unknown
    ones): a layout from the config file, made usable."""
    known: list[str] = []
    unknown: list[str] = []
    for key in keys:
        if key not in COLUMN_BY_KEY:
            unknown.append(key)
        elif key not in known:
            known.append(key)
    if "name" not in known:
        known.insert(min(1, len(known)), "name")
    return tuple(known), unknown


def layout_for(view: View, layout: Sequence[str]) -> list[Column]:
    """The columns of ``layout`` that ``view`` shows, in its order; the Errors view
    always shows the error (after the status, when it is not in the layout)."""
    columns = [COLUMN_BY_KEY[key] for key in layout if view in COLUMN_BY_KEY[key].views]
    if view is View.ERRORS and "error" not in layout:
        keys = [c.key for c in columns]
        after = keys.index("status") + 1 if "status" in keys else keys.index("name") + 1
        columns.insert(after, COLUMN_BY_KEY["error"])
    return columns


SORT_MARK = 2
"""Cells of the sort marker after a header (`` ▲``): every column has room for it."""


def name_floor(width: int) -> int:
    """Cells the name keeps before another column is let in: a third of the line (at
    least :data:`MIN_NAME_WIDTH`), so a wider terminal shows more of the names too."""
    return max(MIN_NAME_WIDTH, width // 3)


SIZED_BY_THE_TABLE = frozenset({"name", "pos"})
"""Columns whose width no one chooses: the name takes the rest of the line, and ``#``
grows with the queue."""


def chosen_widths(widths: Iterable[tuple[str, int]]) -> dict[str, int]:
    """The widths of ``widths`` (column, cells) a user may choose: every column's but
    those of :data:`SIZED_BY_THE_TABLE`."""
    return {key: cells for key, cells in widths if key not in SIZED_BY_THE_TABLE}


def column_width(column: Column, widths: Mapping[str, int]) -> int:
    """Cells of a column other than the name: its own width (or the one in
    ``widths``), never less than its label with the sort marker."""
    return max(widths.get(column.key, column.width), len(column.label) + SORT_MARK)


def _chosen(
    width: int, padding: int, widths: Mapping[str, int], wanted: list[Column], own: bool
) -> tuple[list[Column], int]:
    """(the columns of ``wanted`` that fit ``width`` with the name keeping
    :func:`name_floor`; the cells left for the name)."""
    chosen = {"name"}
    used = name_floor(width) + 2 * padding
    for column in wanted if own else sorted(wanted, key=lambda c: c.priority):
        if column.key == "name":
            continue
        need = column_width(column, widths) + 2 * padding
        if used + need > width:
            break  # the next ones wait for a wider line: a wider one never drops one
        chosen.add(column.key)
        used += need
    columns = [column for column in wanted if column.key in chosen]
    fixed = sum(column_width(c, widths) + 2 * padding for c in columns if c.key != "name")
    return columns, width - fixed - 2 * padding


@cache
def _fit(
    width: int,
    padding: int,
    widths: tuple[tuple[str, int], ...],
    view: View,
    fleet: bool,
    layout: tuple[str, ...],
) -> tuple[tuple[Column, int], ...]:
    own_widths = dict(widths)
    wanted = [c for c in layout_for(view, layout) if fleet or not c.fleet]
    own = layout != DEFAULT_LAYOUT
    columns, name = _chosen(width, padding, own_widths, wanted, own)
    # Never more than at any wider width: a wider terminal never narrows the name.
    wider = width + 1
    while name_floor(wider) < name:
        name = min(name, _chosen(wider, padding, own_widths, wanted, own)[1])
        wider += 1
    name = max(name, MIN_NAME_WIDTH)
    others = [c for c in columns if c.key != "name"]
    spare = max(0, width - 2 * padding * len(columns) - name)
    spare -= sum(column_width(c, own_widths) for c in others)
    fitted = []
    for column in columns:
        if column.key == "name":
            fitted.append((column, name))
            continue
        # What the name does not take is shared among the others, the last ones first.
        rank = len(others) - others.index(column) - 1
        extra = spare // len(others) + (rank < spare % len(others))
        fitted.append((column, column_width(column, own_widths) + extra))
    return tuple(fitted)


def fit_columns(
    width: int,
    padding: int = 1,
    widths: Mapping[str, int] | None = None,
    view: View = View.ALL,
    *,
    fleet: bool = False,
    layout: Sequence[str] = DEFAULT_LAYOUT,
) -> list[tuple[Column, int]]:
    """The columns of ``layout`` that ``view`` shows and that fit ``width`` cells, in
    the layout's order, each with its cells (padding left out). Which stay: in the
    default layout, by priority (speeds before sizes); in a layout of the user's, the
    first ones (what does not fit goes from the right end, as in htop: the user
    orders by what matters). Either way a wider line keeps every column a narrower
    one shows.

    The name always stays and takes the room left, but never more than it gets at
    any wider width: it never narrows as the terminal grows (another column comes in
    only while the name keeps :func:`name_floor`). What it does not take is shared
    among the other columns. ``widths`` overrides some columns' widths (the ``#``
    column grows with the queue); ``fleet``: several daemons are shown (the host
    column is wanted). Every header has room for the sort marker.
    """
    own = tuple(sorted((widths or {}).items()))
    return list(_fit(width, padding, own, view, fleet, tuple(layout)))


def columns_for_width(
    width: int,
    padding: int = 1,
    widths: Mapping[str, int] | None = None,
    view: View = View.ALL,
    *,
    fleet: bool = False,
    layout: Sequence[str] = DEFAULT_LAYOUT,
) -> list[Column]:
    """The columns :func:`fit_columns` shows, without their widths."""
    fitted = fit_columns(width, padding, widths, view, fleet=fleet, layout=layout)
    return [column for column, _ in fitted]


def tie_key(download: Download) -> tuple[bool, int, str, str, str]:
    """How rows equal in the sorted column are ordered: queue position, name, then
    daemon and GID, so that no two rows ever tie (the order is the same whatever
    order the rows came in: see :mod:`aria2_top.model.rows`)."""
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
