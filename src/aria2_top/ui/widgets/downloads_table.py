"""The downloads table: a Line-API widget that renders only what changed.

Textual's DataTable invalidates its whole render cache on every cell update, so
with a few active downloads every visible row is re-rendered each tick. This
table keeps one rendered :class:`Strip` per row, keyed by what the row shows;
a tick re-renders only the rows whose text, status, tag or cursor changed, and
skips unchanged downloads by identity (the poller reuses them).

Rows are keyed by :class:`DownloadKey` (daemon, GID); the cursor stays on the same
download across refreshes and re-sorts. Text from aria2 is placed in segments as
plain text: it is never parsed as markup, and control characters are replaced
before it gets here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from aria2_top.model import format as fmt
from aria2_top.model.columns import (
    COLUMN_INDEX,
    DEFAULT_LAYOUT,
    Column,
    RowText,
    chosen_widths,
    fit_columns,
    position_width,
    row_texts,
)
from aria2_top.model.downloads import Download, DownloadKey, Status
from aria2_top.model.query import View
from aria2_top.ui.keys import table_bindings
from aria2_top.ui.table_text import PADDING, fit, header_label, padded
from aria2_top.ui.tones import tone

STATUS_TONE: dict[Status, str] = {
    Status.ACTIVE: "good",
    Status.SEEDING: "note",
    Status.METADATA: "odd",
    Status.CHECKING: "note italic",
    Status.WAITING: "",
    Status.PAUSED: "warn",
    Status.COMPLETE: "done",
    Status.ERROR: "bad bold",
    Status.REMOVED: "dim",
    Status.UNKNOWN: "odd italic",
}
"""How a row of each status looks, in tones of the theme (see ui/palette.py)."""
TAGGED_TONE = "warn bold"


def status_styles() -> tuple[dict[Status, Style], Style]:
    """(each status's style, the tagged rows' style) in the theme in force."""
    styles = {status: Style.parse(tone(spec) or "none") for status, spec in STATUS_TONE.items()}
    return styles, Style.parse(tone(TAGGED_TONE))


STALE_STYLE = Style(dim=True)
HOST_WIDTH = 16
"""The host column's cells at most (the longest daemon name, else)."""
TAG_MARK = "●"


@dataclass(frozen=True, slots=True)
class _Row:
    """What one row shows; equal rows render to equal strips."""

    texts: RowText
    status: Status
    tagged: bool
    stale: bool = False
    """Its daemon has not answered lately: the row is dimmed."""


class DownloadsTable(ScrollView, can_focus=True):
    """Every download shown, one row each, keyed by (daemon, GID)."""

    COMPONENT_CLASSES = {
        "downloads-table--header",
        "downloads-table--cursor",
        "downloads-table--cursor-blurred",
    }
    DEFAULT_CSS = """
    DownloadsTable {
        background: $surface;
        scrollbar-gutter: stable;
    }
    DownloadsTable > .downloads-table--header {
        background: $panel;
        text-style: bold;
    }
    DownloadsTable > .downloads-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    DownloadsTable > .downloads-table--cursor-blurred {
        background: $block-cursor-blurred-background;
    }
    """
    BINDINGS = [
        *table_bindings(),
        Binding("up", "cursor_up", "Up", show=False, id="aria2-top.table.up"),
        Binding("down", "cursor_down", "Down", show=False, id="aria2-top.table.down"),
        Binding("home", "first", "First", show=False, id="aria2-top.table.first"),
        Binding("end", "last", "Last", show=False, id="aria2-top.table.last"),
    ]

    class CursorMoved(Message):
        """The cursor is on another download now (``key`` None: the table is empty)."""

        def __init__(self, key: DownloadKey | None) -> None:
            super().__init__()
            self.key = key

    class HeaderSelected(Message):
        """The user clicked the header of column ``column_key``."""

        def __init__(self, column_key: str) -> None:
            super().__init__()
            self.column_key = column_key

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._order: list[DownloadKey] = []
        self._index_kept: dict[DownloadKey, int] | None = {}
        """Each row's place by download: made when first asked after the order changed."""
        self._rows: dict[DownloadKey, _Row] = {}
        self._downloads: dict[DownloadKey, Download] = {}
        self._strips: dict[DownloadKey, tuple[_Row, bool, Strip]] = {}
        self._shown: list[Column] = []
        self._widths: list[int] = []
        self._header: Strip | None = None
        self._sort: tuple[str, bool] = ("pos", False)
        self._cursor = 0
        self._empty_text = "No downloads."
        self._pos_width = position_width(None)
        self._view = View.ALL
        self._covered_rows = 0
        self._fleet = False
        self._host_width = 10
        self._shown_tagged: set[DownloadKey] = set()
        self._unpainted: list[DownloadKey] = []
        """Downloads :meth:`know` found changed: repainted at the next show."""
        self._shown_stale: frozenset[str] = frozenset()
        self._status_notes: dict[DownloadKey, str] = {}
        self._layout: tuple[str, ...] = DEFAULT_LAYOUT
        self._status_styles, self._tagged_style = status_styles()
        self._chosen_widths: dict[str, int] = {}
        self.moves = 0
        """How often the cursor was moved on purpose (a key, a click, a jump): a
        refresh that shifts the rows under it is not a move."""

    # -- columns -------------------------------------------------------------------------

    @property
    def total_width(self) -> int:
        """Cells the columns take, padding included."""
        return sum(width + 2 * PADDING for width in self._widths)

    def on_mount(self) -> None:
        # The rows are drawn once and kept: a new theme must draw them again.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._new_theme())

    def _new_theme(self) -> None:
        self._status_styles, self._tagged_style = status_styles()
        self._forget_renders()

    def on_resize(self) -> None:
        self._fit_columns()

    def _fit_columns(self) -> None:
        width = self.scrollable_content_region.width or self.size.width
        own = {"pos": self._pos_width, "host": self._host_width, **self._chosen_widths}
        fitted = fit_columns(
            width, PADDING, own, self._view, fleet=self._fleet, layout=self._layout
        )
        shown = [column for column, _ in fitted]
        widths = [cells for _, cells in fitted]
        if shown != self._shown or widths != self._widths:
            self._shown, self._widths = shown, widths
            self._forget_renders()

    @property
    def shown_columns(self) -> list[Column]:
        """The columns on screen now, in order."""
        return list(self._shown)

    def set_layout(self, layout: Sequence[str], widths: dict[str, int]) -> None:
        """Show the columns of ``layout`` (keys, in order), ``widths`` overriding some
        columns' own widths (the name takes the rest of the line and the ``#`` column
        grows with the queue, whatever is asked)."""
        layout = tuple(layout)
        widths = chosen_widths(widths.items())
        if layout != self._layout or widths != self._chosen_widths:
            self._layout, self._chosen_widths = layout, widths
            self._fit_columns()

    def set_view(self, view: View) -> None:
        """Show the columns of ``view`` (the Errors view has an Error column)."""
        if view is not self._view:
            self._view = view
            self._fit_columns()

    def set_fleet(self, fleet: bool, names: Sequence[str] = ()) -> None:
        """Show the host column (several daemons, ``names``: theirs) or not."""
        width = min(HOST_WIDTH, max((cell_len(fmt.safe_text(n)) for n in names), default=4))
        if fleet is not self._fleet or width != self._host_width:
            self._fleet, self._host_width = fleet, max(4, width)
            self._fit_columns()

    def set_sort(self, column: str, reverse: bool) -> None:
        """Mark the sort column in the header."""
        if (column, reverse) != self._sort:
            self._sort = (column, reverse)
            self._header = None
            self.refresh_line(0)

    def _forget_renders(self) -> None:
        self._strips.clear()
        self._header = None
        self.refresh()

    def on_focus(self) -> None:
        self._forget_cursor_render()

    def on_blur(self) -> None:
        self._forget_cursor_render()

    def _forget_cursor_render(self) -> None:
        key = self.focused_key
        if key is not None:
            self._strips.pop(key, None)
            self._refresh_row(self._cursor)

    @property
    def empty_text(self) -> str:
        """What an empty table says (the app sets it by view and filter)."""
        return self._empty_text

    @empty_text.setter
    def empty_text(self, text: str) -> None:
        if text != self._empty_text:
            self._empty_text = fmt.safe_text(text)
            if not self._order:
                self.refresh()

    # -- rows ----------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._order)

    @property
    def order(self) -> list[str]:
        """GIDs in the order shown."""
        return [key.gid for key in self._order]

    @property
    def keys(self) -> list[DownloadKey]:
        """The rows' downloads in the order shown."""
        return list(self._order)

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def focused_key(self) -> DownloadKey | None:
        """The download of the row under the cursor, if any."""
        return self._order[self._cursor] if 0 <= self._cursor < len(self._order) else None

    @property
    def focused_gid(self) -> str | None:
        """The GID of the row under the cursor, if any."""
        key = self.focused_key
        return None if key is None else key.gid

    def know(self, downloads: Sequence[Download], *, queued: int = 0) -> None:
        """Hand the table every download there is, in every view (after the lists
        were fetched): rows of any view are then made from these, and a view switch
        costs the rows' order only. Downloads no longer there are forgotten.
        ``queued``: how many downloads aria2 says wait (while only the first rows of
        a long queue are here, the ``#`` column is as wide as the whole queue needs)."""
        self._unpainted += self._take(downloads)
        if len(self._downloads) != len(downloads):
            present = {download.key for download in downloads}
            for key in self._downloads.keys() - present:
                del self._downloads[key]
                self._rows.pop(key, None)
                self._strips.pop(key, None)
        highest = max(
            (d.queue_position for d in downloads if d.queue_position is not None), default=-1
        )
        highest = max(highest, queued - 1)
        if position_width(highest) != self._pos_width:  # the queue passed 999, 9,999…
            self._pos_width = position_width(highest)
            self._fit_columns()

    def show(
        self,
        downloads: Sequence[Download],
        tagged: set[DownloadKey],
        *,
        follow: bool = True,
        stale: frozenset[str] = frozenset(),
        fresh: Sequence[Download] | None = None,
        same_order: bool = False,
        known: bool = False,
    ) -> None:
        """Make the table show exactly ``downloads``, in this order.

        ``follow``: the cursor stays on its download wherever it moves; else (htop
        style, for what a refresh changes on its own) on the same line, on whatever
        download takes that place. ``stale``: the daemons whose rows are dimmed.
        ``fresh``: when given, every other download is the very object the table
        was given before (by :meth:`know` or an earlier call): only these are looked
        at, so a tick costs what changed, not the 10,000 rows. ``same_order`` (with
        ``fresh``): the rows are the last call's, in its order. ``known`` (with
        ``fresh``): every other download was handed to :meth:`know` before, so they
        are not looked up one by one (100,000 keys hashed on a new sort).
        """
        keep = self.focused_key
        if same_order and fresh is not None and len(downloads) == len(self._order):
            order = self._order
        else:
            order = [download.key for download in downloads]
        same = order is self._order or order == self._order
        marked = self._new_marks(tagged, stale)
        changed, self._unpainted = self._unpainted, []
        if fresh is not None and (same or known or all(map(self._downloads.__contains__, order))):
            changed += self._take(fresh)
        else:  # every row looked at (its text is made only when it is drawn)
            changed += self._take(downloads)
        if not same:
            self._order = order
            self._index_kept = None
            self.virtual_size = Size(0, len(order) + 1 + self._covered_rows)
            if follow and keep is not None:
                self._cursor = _place(order, keep, self._cursor)
            self._cursor = max(0, min(self._cursor, len(order) - 1))
            self._scroll_to_cursor()
            self.refresh()
            if self.focused_key != keep:
                self.post_message(self.CursorMoved(self.focused_key))
        elif marked:
            self.refresh()  # the rows on screen: each is drawn again only if it changed
        else:
            self._refresh_on_screen(changed)  # same order: repaint just what changed

    def _refresh_on_screen(self, changed: list[DownloadKey]) -> None:
        """Repaint the rows of ``changed`` that are on screen. The others are made
        again when they scroll into view (a drawn row is kept with what it showed),
        so tagging 10,000 rows costs the screenful, not 10,000 repaints."""
        if not changed:
            return
        keys = set(changed)
        top = round(self.scroll_y)
        for row in range(top, min(len(self._order), top + self.scrollable_content_region.height)):
            if self._order[row] in keys:
                self._refresh_row(row)

    @property
    def _index(self) -> dict[DownloadKey, int]:
        """Each row's place by download (made once per order: 100,000 keys hashed)."""
        if self._index_kept is None:
            self._index_kept = dict(zip(self._order, range(len(self._order)), strict=True))
        return self._index_kept

    def _take(self, downloads: Iterable[Download]) -> list[DownloadKey]:
        """Note the downloads that are not the very objects shown before (the poller
        reuses unchanged ones); their rows are made again when next drawn."""
        changed: list[DownloadKey] = []
        shown = self._downloads
        for download in downloads:
            key = download.key
            if shown.get(key) is not download:
                shown[key] = download
                self._rows.pop(key, None)
                changed.append(key)
        return changed

    def _new_marks(self, tagged: set[DownloadKey], stale: frozenset[str]) -> bool:
        """Note the tags and the dimmed daemons; whether either changed. A row reads
        them when it is drawn (:meth:`_row`): tagging all 100,000 rows costs the rows
        on screen, not 100,000 rows made again."""
        changed = False
        if stale != self._shown_stale:
            self._shown_stale, changed = stale, True
        if tagged != self._shown_tagged:
            self._shown_tagged, changed = set(tagged), True
        return changed

    def set_status_notes(self, notes: dict[DownloadKey, str]) -> None:
        """Words shown in these rows' status cells instead of aria2's status (a file
        selection that waits: see model/selection_wait.py)."""
        if notes == self._status_notes:
            return
        for key in set(notes) | set(self._status_notes):
            self._rows.pop(key, None)
        self._status_notes = dict(notes)
        self.refresh()

    def _row(self, key: DownloadKey) -> _Row:
        """The row of ``key`` as drawn: made on first need, kept until it changes."""
        row = self._rows.get(key)
        tagged = key in self._shown_tagged
        stale = bool(self._shown_stale) and key.daemon in self._shown_stale
        if row is None:
            download = self._downloads[key]
            texts = row_texts(download)
            note = self._status_notes.get(key) if self._status_notes else None
            if note is not None:
                place = COLUMN_INDEX["status"]
                texts = (*texts[:place], note, *texts[place + 1 :])
            row = self._rows[key] = _Row(texts, download.status, tagged, stale)
        elif row.tagged is not tagged or row.stale is not stale:
            row = self._rows[key] = _Row(row.texts, row.status, tagged, stale)
        return row

    def focus_key(self, key: DownloadKey) -> bool:
        """Put the cursor on ``key``'s row; False when it is not shown."""
        row = self._index.get(key)
        if row is None:
            return False
        self.move_cursor(row)
        return True

    def move_cursor(self, row: int) -> None:
        """Move the cursor to ``row`` (clamped) and scroll it into view."""
        row = max(0, min(row, len(self._order) - 1))
        if row == self._cursor:
            return
        self.moves += 1
        old, self._cursor = self._cursor, row
        self._refresh_row(old)
        self._refresh_row(row)
        self._scroll_to_cursor()
        self.post_message(self.CursorMoved(self.focused_key))

    def _visible_rows(self) -> int:
        """Rows on screen below the header, less the line a prompt covers."""
        return max(1, self.scrollable_content_region.height - 1 - self.covered_rows)

    @property
    def covered_rows(self) -> int:
        """Lines at the bottom hidden by the search/filter prompt: the cursor is kept
        above them (the table can scroll that much further)."""
        return self._covered_rows

    @covered_rows.setter
    def covered_rows(self, rows: int) -> None:
        self._covered_rows = rows
        self.virtual_size = Size(0, len(self._order) + 1 + rows)
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False)
        elif self._cursor >= top + self._visible_rows():
            self.scroll_to(y=self._cursor - self._visible_rows() + 1, animate=False)

    def _refresh_row(self, row: int) -> None:
        self.refresh_line(row + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self._cursor + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self._cursor - self._visible_rows())

    def action_page_down(self) -> None:
        self.move_cursor(self._cursor + self._visible_rows())

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self._order) - 1)

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = 0
            for column, width in zip(self._shown, self._widths, strict=True):
                x += width + 2 * PADDING
                if event.x < x:
                    self.post_message(self.HeaderSelected(column.key))
                    return
            return
        self.move_cursor(round(self.scroll_y) + event.y - 1)

    # -- rendering -----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            if self._header is None:
                self._header = self._render_header(base)
            return self._header.crop_extend(0, width, base)
        row = round(self.scroll_y) + y - 1
        if not self._order and y == 2:
            return Strip([Segment(f"  {self.empty_text}", base + Style(dim=True))]).crop_extend(
                0, width, base
            )
        if not 0 <= row < len(self._order):
            return Strip.blank(width, base)
        key = self._order[row]
        state = self._row(key)
        is_cursor = row == self._cursor
        cached = self._strips.get(key)
        if cached is not None and cached[0] == state and cached[1] == is_cursor:
            return cached[2]
        strip = self._render_row(state, is_cursor, base).crop_extend(0, width, base)
        self._strips[key] = (state, is_cursor, strip)
        return strip

    def _render_header(self, base: Style) -> Strip:
        style = base + self.get_component_rich_style("downloads-table--header")
        segments = [
            Segment(padded(fit(header_label(column, self._sort), width, column.right)), style)
            for column, width in zip(self._shown, self._widths, strict=True)
        ]
        return Strip(segments)

    def _render_row(self, state: _Row, is_cursor: bool, base: Style) -> Strip:
        if is_cursor:
            name = (
                "downloads-table--cursor" if self.has_focus else "downloads-table--cursor-blurred"
            )
            cursor = self.get_component_rich_style(name)
        row_style = self._tagged_style if state.tagged else self._status_styles[state.status]
        if state.stale:
            base += STALE_STYLE
        segments = []
        for column, width in zip(self._shown, self._widths, strict=True):
            text = state.texts[COLUMN_INDEX[column.key]]
            if column.key == "pos" and state.tagged:
                text = TAG_MARK + text
            style = base if column.key == "name" and not state.tagged else base + row_style
            if is_cursor:
                style += cursor
            segments.append(Segment(padded(fit(text, width, column.right)), style))
        return Strip(segments)


def _place(order: list[DownloadKey], key: DownloadKey, default: int) -> int:
    """Where ``key`` is in ``order`` (``default`` when it is not there): one scan,
    cheaper than hashing every key into an index when the order changed."""
    try:
        return order.index(key)
    except ValueError:
        return default
