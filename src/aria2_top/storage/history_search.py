"""The history file's shape, and finding records in it without reading it whole.

The file holds the ``downloads`` table, an index on when each was added (the order
History opens in), and ``downloads_search``: an SQLite FTS5 table (the trigram
tokenizer: any run of three characters or more is looked up in its index) kept by
triggers, so whatever writes ``downloads`` keeps the search in step, an older
aria2-top too. :func:`prepare` brings any file to this shape when it opens (adds
what is missing, fills the search once; never drops a record).

History asks a :class:`HistoryView` for one page of rows at a time, and for the
count of the rows that match: :class:`FileView` on the file, :class:`MemoryView`
when no file is kept (``history = false``, or a file that cannot be used).
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

from aria2_top.model.masking import mask_uri_secrets
from aria2_top.storage.history_records import SELECTED, Record, valid_records

VERSION = 1
"""``PRAGMA user_version`` of a file in this shape (0: written before it)."""
TABLE = """
CREATE TABLE IF NOT EXISTS downloads (
    daemon TEXT NOT NULL,
    gid TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    size INTEGER,
    added REAL,
    started REAL,
    ended REAL,
    error TEXT NOT NULL,
    source TEXT NOT NULL,
    folder TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    uploaded INTEGER,
    carried INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (daemon, gid)
)
"""
_ADD_NOTE = "ALTER TABLE downloads ADD COLUMN note TEXT NOT NULL DEFAULT ''"
"""A file written before the note existed gains it."""
_ADD_UPLOADS = (
    "ALTER TABLE downloads ADD COLUMN uploaded INTEGER",
    "ALTER TABLE downloads ADD COLUMN carried INTEGER NOT NULL DEFAULT 0",
)
"""A file written before the upload totals were kept gains them (the record that
follows a download added again carries them: see ``model/lineage.py``)."""
_ADDED_INDEX = "CREATE INDEX IF NOT EXISTS downloads_added ON downloads (added)"
SEARCHED = ("name", "source", "error", "folder", "daemon", "gid", "note")
"""What a search looks in."""


def _text(row: str) -> str:
    """The searched text of a row (``new``, ``old`` or ``downloads``) as SQL."""
    return " || ' ' || ".join(f"{row}.{column}" for column in SEARCHED)


_SEARCH = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS downloads_search USING fts5(text, tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS downloads_search_insert AFTER INSERT ON downloads BEGIN "
    f"INSERT INTO downloads_search (rowid, text) VALUES (new.rowid, {_text('new')}); END",
    "CREATE TRIGGER IF NOT EXISTS downloads_search_delete AFTER DELETE ON downloads BEGIN "
    "DELETE FROM downloads_search WHERE rowid = old.rowid; END",
    "CREATE TRIGGER IF NOT EXISTS downloads_search_update AFTER UPDATE ON downloads "
    f"WHEN {_text('old')} IS NOT {_text('new')} BEGIN "
    "DELETE FROM downloads_search WHERE rowid = old.rowid; "
    f"INSERT INTO downloads_search (rowid, text) VALUES (new.rowid, {_text('new')}); END",
)
_FILL = (
    f"INSERT INTO downloads_search (rowid, text) SELECT rowid, {_text('downloads')} FROM downloads"
)


Cell = str | bytes | int | float | None


def _masked(value: Cell) -> Cell:
    return mask_uri_secrets(value) if isinstance(value, str) else value


def prepare(db: sqlite3.Connection) -> bool:
    """Bring the file to this version's shape (in one transaction: all or nothing);
    whether it can be searched with FTS5 (an SQLite without it: a search reads every
    row)."""
    db.execute(TABLE)
    known = {row[1] for row in db.execute("PRAGMA table_info(downloads)")}
    if "note" not in known:
        db.execute(_ADD_NOTE)
    if "uploaded" not in known:
        for statement in _ADD_UPLOADS:
            db.execute(statement)
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version < VERSION:
        # Written by aria2-top 0.1.0, which kept credentials in sources and errors.
        db.create_function("aria2_top_mask", 1, _masked, deterministic=True)
        db.execute(
            "UPDATE downloads SET source = aria2_top_mask(source), error = aria2_top_mask(error) "
            "WHERE source IS NOT aria2_top_mask(source) OR error IS NOT aria2_top_mask(error)"
        )
    db.execute(_ADDED_INDEX)
    for statement in _ORDER_INDEXES:
        db.execute(statement)
    searchable = _prepare_search(db)
    if version < VERSION:
        db.execute(f"PRAGMA user_version = {VERSION}")
    return searchable


def _prepare_search(db: sqlite3.Connection) -> bool:
    exists = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'downloads_search'"
    ).fetchone()
    try:
        for statement in _SEARCH:
            db.execute(statement)
    except sqlite3.OperationalError:  # no FTS5, or no trigram tokenizer (SQLite < 3.34)
        if exists:
            raise  # the file's triggers need it: it cannot be written here
        return False
    if not exists:
        db.execute(_FILL)
    return True


# -- finding records ---------------------------------------------------------------------

NUMBERS = frozenset({"added", "ended", "size"})
_SQL_ORDER = {
    "added": "added",
    "ended": "ended",
    "size": "size",
    "status": "status",
    "name": "name COLLATE NOCASE",
    "daemon": "daemon COLLATE NOCASE",
    "source": "source",
}
_ORDER_INDEXES = tuple(
    f"CREATE INDEX IF NOT EXISTS downloads_{name} ON downloads ({columns})"
    for sort, column in _SQL_ORDER.items()
    for name, columns in (
        (sort, column),  # largest first, or text both ways: read backwards or forwards
        *(((f"{sort}_nulls_last", f"{column} IS NULL, {column}"),) if sort in NUMBERS else ()),
    )
)
"""An index for each order of :func:`order_by`: a sort of History reads its first
page in order, not every record (at 100,000 records 0.3 ms instead of 10 to 100 ms)."""
_INDEXED = "added"
"""The order an index gives (largest first) without sorting the matches."""
NEAR_ROWS = 2000
"""Rows read in that order to find a page of 100 matches of words too short for the
search's index, before every row is read (about 3 ms on this kind of machine)."""
_WALK_COST = 0.5
"""A row read in order and matched with LIKE, against a match read from the search
index and sorted (about 1 to 2 on this kind of machine)."""


def order_by(sort: str, reverse: bool) -> str:
    """SQL for the rows in ``sort``'s order; rows with no value last, both ways."""
    column = _SQL_ORDER[sort]
    if sort in NUMBERS and not reverse:
        return f"{column} IS NULL, {column}, rowid"
    way = "DESC" if reverse else "ASC"
    return f"{column} {way}, rowid {way}"


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(words: list[str], text: str, fts: bool) -> tuple[list[str], list[str]]:
    """WHERE terms (and their values) for rows whose ``text`` holds every word: words
    of 3 characters or more through the search's index, shorter ones read."""
    terms: list[str] = []
    values: list[str] = []
    long = [word for word in words if len(word) >= 3] if fts else []
    if long:
        terms.append("downloads_search MATCH ?")
        values.append(" AND ".join('"' + word.replace('"', '""') + '"' for word in long))
    for word in words:
        if word not in long:
            # LIKE ignores the case of ASCII letters only: Ü is asked as ü and as Ü.
            cases = sorted({"".join(p) for p in itertools.product(*map(_cases, word))})
            terms.append("(" + " OR ".join([f"{text} LIKE ? ESCAPE '\\'"] * len(cases)) + ")")
            values += map(_like, cases)
    return terms, values


def _where(words: list[str], *, fts: bool) -> tuple[str, list[str]]:
    """The WHERE clause (and its values) of the records that hold every word: through
    the search's index (``fts``), else read one by one; none without words."""
    if not words:
        return "", []
    if fts:
        terms, values = _conditions(words, "text", fts=True)
        return (
            f"WHERE rowid IN (SELECT rowid FROM downloads_search WHERE {' AND '.join(terms)})",
            values,
        )
    terms, values = _conditions(words, f"({_text('downloads')})", fts=False)
    return "WHERE " + " AND ".join(terms), values


def _cases(char: str) -> set[str]:
    if char.isascii() or len(char.upper()) != 1:
        return {char}
    return {char, char.lower(), char.upper()}


class HistoryView(Protocol):
    """The history as History reads it: counts, and pages of rows."""

    problem: str | None
    """Why the last read failed (None: it did not)."""

    def total(self) -> int: ...

    def count(self, needle: str) -> int:
        """The records that hold every word of ``needle`` (any case)."""
        ...

    def quick_count(self, needle: str) -> int | None:
        """:meth:`count` when an index gives it at once; None when counting reads
        every record (no word of 3 characters or more): ask :meth:`count_aside`."""
        ...

    def count_aside(self, needle: str) -> int:
        """:meth:`count`, safe in another thread while pages are read."""
        ...

    def page(self, needle: str, sort: str, reverse: bool, offset: int, limit: int) -> list[Record]:
        """``limit`` of those records from ``offset``, in ``sort``'s order."""
        ...

    def first_page(
        self, needle: str, sort: str, reverse: bool, limit: int
    ) -> tuple[list[Record], bool]:
        """The first :meth:`page` without reading every record, and whether it is
        whole. Not whole (words of one or two characters, found on few of the
        newest records): the matches among the newest, the first of the page; the
        page and the count are then read aside (:meth:`search_aside`)."""
        ...

    def search_aside(
        self, needle: str, sort: str, reverse: bool, limit: int
    ) -> tuple[list[Record], int]:
        """The first :meth:`page` and the :meth:`count`, read at once, safe in another
        thread while pages are read."""
        ...

    def stop_aside(self) -> None:
        """Its answer is no longer wanted: the read aside under way, if any, ends at
        once (with nothing found) and leaves the machine to what is wanted now."""
        ...


class _Stopped(Exception):
    """A read aside was stopped (:meth:`FileView.stop_aside`)."""


class FileView:
    """The history file, read through a connection of its own."""

    def __init__(
        self,
        db: sqlite3.Connection,
        searchable: bool,
        connect: Callable[[], sqlite3.Connection] | None = None,
    ) -> None:
        """``connect``: another connection to the file, for each :meth:`count_aside`
        and :meth:`search_aside` (made, used and closed in its thread); None: they
        read ``db``, in ``db``'s thread only."""
        self.db = db
        self.searchable = searchable
        self.connect = connect
        self.problem: str | None = None
        self._counted: tuple[str | None, int] = (None, 0)
        """The last needle counted, and its count (what :meth:`page` weighs)."""
        self._counting = threading.Lock()
        """Held while a read aside is made (one at a time)."""
        self._aside_db: sqlite3.Connection | None = None
        """The connection of the read aside under way."""

    def _read(
        self, sql: str, values: Iterable[object], db: sqlite3.Connection | None = None
    ) -> list[tuple[object, ...]]:
        try:
            rows = (db or self.db).execute(sql, tuple(values)).fetchall()
        except sqlite3.Error as exc:
            if db is not None and db is self._aside_db and _interrupted(exc):
                raise _Stopped from exc
            self.problem = f"history not read: {exc}"
            return []
        self.problem = None
        return rows

    def total(self) -> int:
        return self.count("")

    def count(self, needle: str) -> int:
        return self._count(needle, self.db)

    def quick_count(self, needle: str) -> int | None:
        return self.count(needle) if self._indexed(needle.split()) else None

    def count_aside(self, needle: str) -> int:
        if self.connect is None:
            return self.count(needle)
        try:
            with self._own_connection() as db:
                return 0 if db is None else self._count(needle, db)
        except _Stopped:
            return 0

    @contextlib.contextmanager
    def _own_connection(self) -> Iterator[sqlite3.Connection | None]:
        """A connection of its own for a read aside (None: it cannot be opened), one
        at a time; a read that :meth:`stop_aside` stops raises :class:`_Stopped`."""
        assert self.connect is not None
        with self._counting:
            try:
                db = self.connect()
            except sqlite3.Error as exc:
                self.problem = f"history not read: {exc}"
                yield None
                return
            self._aside_db = db
            try:
                yield db
            finally:
                self._aside_db = None
                db.close()

    def stop_aside(self) -> None:
        db = self._aside_db
        if db is not None:
            with contextlib.suppress(sqlite3.Error):  # (closed meanwhile: ended)
                db.interrupt()

    def search_aside(
        self, needle: str, sort: str, reverse: bool, limit: int
    ) -> tuple[list[Record], int]:
        if self.connect is None:
            return self.page(needle, sort, reverse, 0, limit), self.count(needle)
        where, values = _where(needle.split(), fts=self.searchable)
        # One read of every record: the matches, counted, and the first in order.
        sql = (
            f"SELECT {SELECTED}, count(*) OVER () FROM downloads {where} "
            f"ORDER BY {order_by(sort, reverse)} LIMIT ?"
        )
        try:
            with self._own_connection() as db:
                rows = [] if db is None else self._read(sql, [*values, max(0, limit)], db)
        except _Stopped:
            return [], 0
        found = int(rows[0][-1]) if rows else 0  # type: ignore[call-overload]
        self._counted = (needle, found)
        return valid_records([row[:-1] for row in rows]), found

    def _indexed(self, words: list[str]) -> bool:
        """Whether the search's index finds the records of ``words`` (else: a scan)."""
        return not words or (self.searchable and any(len(word) >= 3 for word in words))

    def _count(self, needle: str, db: sqlite3.Connection) -> int:
        words = needle.split()
        values: list[str] = []
        if not words:
            sql = "SELECT count(*) FROM downloads"
        elif self.searchable:
            terms, values = _conditions(words, "text", fts=True)
            sql = f"SELECT count(*) FROM downloads_search WHERE {' AND '.join(terms)}"
        else:
            terms, values = _conditions(words, f"({_text('downloads')})", fts=False)
            sql = f"SELECT count(*) FROM downloads WHERE {' AND '.join(terms)}"
        rows = self._read(sql, values, db)
        found = int(rows[0][0]) if rows else 0  # type: ignore[call-overload]
        if words:
            self._counted = (needle, found)
        return found

    def page(self, needle: str, sort: str, reverse: bool, offset: int, limit: int) -> list[Record]:
        words = needle.split()
        order = order_by(sort, reverse)
        where, values = "", list[str]()
        if words:
            walk = self._walk_cheaper(needle, sort, reverse, offset + limit)
            if self.searchable and walk is None:
                near = self._near(words, order, offset, limit)
                if near is not None:
                    return near
            # (walk: most rows match: read them in order until the page is full)
            where, values = _where(words, fts=self.searchable and not walk)
        sql = f"SELECT {SELECTED} FROM downloads {where} ORDER BY {order} LIMIT ? OFFSET ?"
        return valid_records(self._read(sql, [*values, max(0, limit), max(0, offset)]))

    def _walk_cheaper(self, needle: str, sort: str, reverse: bool, wanted: int) -> bool | None:
        """Whether reading rows in the index's order until ``wanted`` match costs less
        than reading every match and sorting them (None: not known without a count
        that reads every row)."""
        if sort != _INDEXED or not reverse or not needle.isascii():
            return False  # (LIKE ignores the case of ASCII letters only)
        counted, found = self._counted
        if counted != needle:
            if not self._indexed(needle.split()):
                return None
            found = self.count(needle)
        if not found:
            return False
        return wanted * self.total() / found * _WALK_COST < found

    def first_page(
        self, needle: str, sort: str, reverse: bool, limit: int
    ) -> tuple[list[Record], bool]:
        words = needle.split()
        short = words and not self._indexed(words) and needle.isascii()
        if short and self.searchable and sort == _INDEXED and reverse:
            near = self._near_rows(words, order_by(sort, reverse), 0, limit)
            return near, len(near) >= limit or self.total() <= _window(0, limit)
        return self.page(needle, sort, reverse, 0, limit), True

    def _near(self, words: list[str], order: str, offset: int, limit: int) -> list[Record] | None:
        """The page, when the first rows in ``order`` hold it (:data:`NEAR_ROWS` per
        100 rows wanted): a short word found on many rows is found at once there; for
        a rare one (None) every row is read."""
        rows = self._near_rows(words, order, offset, limit)
        return rows if len(rows) >= limit else None

    def _near_rows(self, words: list[str], order: str, offset: int, limit: int) -> list[Record]:
        """The matches among the first rows in ``order`` (:data:`NEAR_ROWS` per 100
        rows wanted): the first of the page, whole when there are ``limit``."""
        terms, values = _conditions(words, f"({_text('downloads')})", fts=False)
        sql = (
            f"SELECT {SELECTED} FROM downloads WHERE rowid IN (SELECT rowid FROM downloads "
            f"ORDER BY {order} LIMIT ?) AND {' AND '.join(terms)} ORDER BY {order} LIMIT ? OFFSET ?"
        )
        window = _window(offset, limit)
        return valid_records(self._read(sql, [window, *values, max(0, limit), max(0, offset)]))


def _interrupted(error: sqlite3.Error) -> bool:
    return getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_INTERRUPT


def _window(offset: int, limit: int) -> int:
    """The first rows in order looked at for rows ``offset`` to ``offset + limit``."""
    return max(NEAR_ROWS, NEAR_ROWS // 100 * (offset + limit))


class MemoryView:
    """The records in memory (no file kept): searched and sorted as the file is."""

    def __init__(self, records: Callable[[], Iterable[Record]], problem: str | None = None) -> None:
        """``problem``: why the file is not read (said on the screen)."""
        self.records = records
        self.problem = problem

    def total(self) -> int:
        return sum(1 for _ in self.records())

    def _found(self, needle: str) -> list[Record]:
        words = needle.casefold().split()
        return [
            record
            for record in self.records()
            if all(
                word in " ".join(getattr(record, c) for c in SEARCHED).casefold() for word in words
            )
        ]

    def count(self, needle: str) -> int:
        return len(self._found(needle))

    def quick_count(self, needle: str) -> int:
        return self.count(needle)

    def count_aside(self, needle: str) -> int:
        """:meth:`count` (never asked: :meth:`quick_count` always counts)."""
        return self.count(needle)

    def first_page(
        self, needle: str, sort: str, reverse: bool, limit: int
    ) -> tuple[list[Record], bool]:
        return self.page(needle, sort, reverse, 0, limit), True

    def search_aside(
        self, needle: str, sort: str, reverse: bool, limit: int
    ) -> tuple[list[Record], int]:
        """(never asked: :meth:`first_page` is always whole)"""
        return self.page(needle, sort, reverse, 0, limit), self.count(needle)

    def stop_aside(self) -> None:
        """(nothing is read aside)"""

    def page(self, needle: str, sort: str, reverse: bool, offset: int, limit: int) -> list[Record]:
        found = self._found(needle)
        found.sort(key=lambda r: r.gid, reverse=reverse)
        found.sort(key=lambda r: r.daemon, reverse=reverse)
        if sort in NUMBERS:
            valued = [r for r in found if getattr(r, sort) is not None]
            valued.sort(key=lambda r: getattr(r, sort), reverse=reverse)
            found = valued + [r for r in found if getattr(r, sort) is None]
        else:
            nocase = sort in ("name", "daemon")
            found.sort(
                key=lambda r: getattr(r, sort).casefold() if nocase else getattr(r, sort),
                reverse=reverse,
            )
        return found[max(0, offset) : max(0, offset) + max(0, limit)]
