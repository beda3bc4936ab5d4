"""The history of downloads: what each daemon had, when it was added, started,
finished or failed, kept in one SQLite file (0600, in the data folder) that outlives
aria2's own memory (a purge, a restart of aria2c).

The poller hands every download it parses (a new one, or one that changed) to
:meth:`DownloadHistory.stamp`, which notes what is new and gives the download its
times; :meth:`DownloadHistory.commit` writes the tick's changes in one transaction.
Downloads that came, went or ended while aria2-top was not running are recorded when
it first sees them again, with that time (the best the next poll can tell).

A history that cannot be written (a full disk, a locked or broken file) stops
recording and says why once (:attr:`DownloadHistory.problem`); the app goes on.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

from aria2_top.model.downloads import RUNNING, Download, DownloadKey, Status, with_times
from aria2_top.model.format import full_moment
from aria2_top.model.masking import for_file, mask_uri_secrets
from aria2_top.storage.private_files import ensure_private_dir, open_private

FILE_NAME = "history.sqlite3"
ENDED = frozenset({Status.COMPLETE, Status.ERROR, Status.SEEDING})
"""Statuses that end a download: done (a torrent that seeds is done) or failed."""

_SCHEMA = """
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
    PRIMARY KEY (daemon, gid)
)
"""
DEFAULT_LIMIT = 1_000_000
PRUNE_SLACK = 100
"""Records past the limit before the oldest are let go (one delete for many)."""
_DELETE = "DELETE FROM downloads WHERE daemon = ? AND gid = ?"
_ADD_NOTE = "ALTER TABLE downloads ADD COLUMN note TEXT NOT NULL DEFAULT ''"
"""A file written before the note existed gains it."""


class Record(NamedTuple):
    """One download as the history knows it (times: Unix seconds, None: not seen). A
    tuple: it goes to SQLite as it is."""

    daemon: str
    gid: str
    name: str
    status: str
    size: int | None
    added: float | None
    started: float | None
    ended: float | None
    error: str
    source: str
    folder: str
    note: str = ""
    """What aria2-top did to it beyond aria2's own record (the files it deleted)."""

    @property
    def key(self) -> DownloadKey:
        return DownloadKey(self.daemon, self.gid)


COLUMNS = Record._fields
_UPSERT = (
    f"INSERT INTO downloads ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))}) "
    "ON CONFLICT (daemon, gid) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in COLUMNS[2:])
)


def _updated(record: Record | None, download: Download, now: float) -> Record:
    """``record`` (None: a new download) after seeing ``download`` at ``now``; the
    very same record when nothing it holds changed (most downloads, at every start)."""
    status = download.status
    if record is None:
        record = Record(download.daemon, download.gid, "", "", None, now, None, None, "", "", "")
    # When it last finished or failed, and why it failed, stay when it goes back to
    # the queue (aria2c restarted brings failed downloads back paused): the history
    # remembers; a new end replaces them.
    ended = record.ended
    if status in ENDED and record.status not in _ENDED_NAMES:
        ended = now
    if status is Status.ERROR:
        code = download.error_code
        error = download.error_message or (f"error {code}" if code else "")
    elif status in ENDED:
        error = ""
    else:
        error = record.error
    name = download.name if download.name != "?" or not record.name else record.name
    updated = Record(
        record.daemon,
        record.gid,
        name,
        status.value,
        download.total or record.size,
        record.added,
        record.started or (now if status in RUNNING else None),
        ended,
        mask_uri_secrets(error),
        mask_uri_secrets(download.source) or record.source,
        download.folder or record.folder,
        record.note,
    )
    return record if updated == record else updated


_ENDED_NAMES = frozenset(status.value for status in ENDED)
SHOWN_ENDED = ENDED | {Status.REMOVED}
"""Downloads whose row shows when they ended (one back in the queue shows none)."""


class DownloadHistory:
    """The history file of one data folder, shared by every daemon's poller.

    The file is read and written by a thread of its own, so neither a history of
    100,000 downloads nor a slow disk holds up the screen: the records are read while
    the first poll is on its way (the first :meth:`stamp` waits for them), and each
    tick's changes are written after it.
    """

    def __init__(self, path: Path | None, limit: int = DEFAULT_LIMIT) -> None:
        """``path`` None: kept in memory only (nothing is written); ``limit``: the
        downloads kept at most (past it, the oldest added go: see :meth:`commit`)."""
        self.path = path
        self.limit = max(1, limit)
        self.pruned = 0
        """Records let go since the start, to keep within :attr:`limit`."""
        self.problem: str | None = None
        """Why the history is not recorded (None: it is)."""
        self._records: dict[DownloadKey, Record] = {}
        self._pending: dict[DownloadKey, Record] = {}
        self._db: sqlite3.Connection | None = None
        """Used by the writer thread only."""
        self._writer: ThreadPoolExecutor | None = None
        self._loading: Future[list[Record]] | None = None
        if path is not None:
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="history")
            self._loading = self._writer.submit(self._open, path)

    # -- the writer thread ---------------------------------------------------------------

    def _open(self, path: Path) -> list[Record]:
        try:
            ensure_private_dir(path.parent)
            os.close(open_private(path, os.O_RDWR | os.O_CREAT))  # 0600 from the start
            self._db = sqlite3.connect(path, timeout=2.0, isolation_level=None)
            self._db.execute(_SCHEMA)
            known = {row[1] for row in self._db.execute("PRAGMA table_info(downloads)")}
            if "note" not in known:
                self._db.execute(_ADD_NOTE)
            rows = self._db.execute(f"SELECT {', '.join(COLUMNS)} FROM downloads").fetchall()
            records = [record for record in map(_valid_record, rows) if record is not None]
            self._mask_in_file(rows, records)
        except (OSError, sqlite3.Error) as exc:
            self._fail(exc)
            return []
        return records

    def _mask_in_file(self, rows: list[tuple[object, ...]], records: list[Record]) -> None:
        """Write back masked the records a file kept with credentials in their source
        or error (written before the history masked them)."""
        raw = {(row[0], row[1]): (row[8], row[9]) for row in rows}
        changed = [
            record
            for record in records
            if raw.get((record.daemon, record.gid)) != (record.error, record.source)
        ]
        if changed and self._db is not None:
            with _transaction(self._db):
                self._db.executemany(_UPSERT, changed)

    def _write(self, records: list[Record], gone: list[DownloadKey] | None = None) -> None:
        if self._db is None:
            return
        try:
            with _transaction(self._db):
                self._db.executemany(_UPSERT, records)
                if gone:
                    self._db.executemany(_DELETE, gone)
        except sqlite3.Error as exc:
            self._fail(exc)

    def _close_db(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def _fail(self, error: BaseException) -> None:
        self.problem = f"history of downloads not recorded ({self.path}): {error}"
        self._close_db()

    # -- the app's side ------------------------------------------------------------------

    def _loaded(self) -> dict[DownloadKey, Record]:
        if self._loading is not None:
            loading, self._loading = self._loading, None
            known = {record.key: record for record in loading.result()}
            known.update(self._records)
            self._records = known
        return self._records

    def stamp(self, download: Download) -> Download:
        """Note ``download`` (just parsed: new, or changed) and give it its times."""
        records = self._loaded()
        key = download.key
        record = records.get(key)
        updated = _updated(record, download, time.time())
        if updated is not record:
            records[key] = self._pending[key] = updated
        ended = updated.ended if download.status in SHOWN_ENDED else None
        return with_times(download, updated.added, ended)

    def note(self, key: DownloadKey, text: str, status: str) -> None:
        """Keep ``text`` with the download's record, and give it ``status`` (the files
        removed with it: aria2 forgets such a download at once)."""
        records = self._loaded()
        record = records.get(key)
        if record is None:
            return
        note = f"{record.note}; {text}" if record.note else text
        records[key] = self._pending[key] = record._replace(
            note=note, status=status, ended=record.ended or time.time()
        )

    def _prune(self) -> list[DownloadKey]:
        """Let the oldest added records go once there are a slack's worth more than the
        limit (a daemon that makes new downloads all the time never fills the disk)."""
        records = self._loaded()
        if len(records) <= self.limit + max(PRUNE_SLACK, self.limit // 100):
            return []
        oldest = sorted(records.values(), key=lambda r: (r.added or 0.0, r.gid))
        gone = [r.key for r in oldest[: len(records) - self.limit]]
        for key in gone:
            del records[key]
            self._pending.pop(key, None)
        self.pruned += len(gone)
        return gone

    def commit(self) -> None:
        """Write what changed since the last commit, in one transaction (in the
        writer thread)."""
        gone = self._prune()
        if not self._pending and not gone:
            return
        pending, self._pending = self._pending, {}
        if self._writer is not None and self.problem is None:
            self._writer.submit(self._write, list(pending.values()), gone)

    @property
    def state(self) -> str:
        """The file and what it holds, in words (for the debug screen)."""
        if self.path is None:
            return "off (history = false)"
        if self.problem:
            return self.problem
        pruned = f"; {self.pruned:,} oldest let go" if self.pruned else ""
        return (
            f"{self.path} ({len(self._records):,} downloads known, at most "
            f"{self.limit:,}: history_max{pruned})"
        )

    def records(self) -> list[Record]:
        """Everything recorded, most recently added first."""
        return sorted(self._loaded().values(), key=lambda r: r.added or 0.0, reverse=True)

    def close(self) -> None:
        """Write what is left and close the file (waits for the writer)."""
        self.commit()
        if self._writer is not None:
            self._writer.submit(self._close_db)
            self._writer.shutdown(wait=True)
            self._writer = None


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _valid_record(row: tuple[object, ...]) -> Record | None:
    """A row of the file as a Record, or None when it is not one (the file is the
    user's: it may have been edited)."""
    if len(row) != len(COLUMNS):
        return None
    daemon, gid, name, status, size, added, started, ended, error, source, folder, note = row
    texts = (daemon, gid, name, status, error, source, folder, note)
    if not all(isinstance(text, str) for text in texts):
        return None
    return Record(
        str(daemon),
        str(gid),
        str(name),
        str(status),
        size if isinstance(size, int) and not isinstance(size, bool) else None,
        _time(added),
        _time(started),
        _time(ended),
        mask_uri_secrets(str(error)),  # a file written before URIs were kept masked
        mask_uri_secrets(str(source)),
        str(folder),
        str(note),
    )


def _time(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def history_path(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def read_history(path: Path) -> list[Record]:
    """The records of the history file at ``path`` (read only; empty when missing)."""
    if not path.exists():
        return []
    history = DownloadHistory(path)
    try:
        if history.problem:
            raise OSError(history.problem)
        return history.records()
    finally:
        history.close()


CSV_HEADER = (
    "daemon",
    "gid",
    "name",
    "status",
    "size",
    "added",
    "started",
    "finished",
    "error",
    "source",
    "folder",
    "note",
)


def _cell(text: str) -> str:
    """Text from aria2 made safe for a terminal and for a spreadsheet (credentials
    masked, control characters escaped; a cell that starts with = + - @ would be read
    as a formula: a ' goes first)."""
    text = for_file(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def csv_text(records: Iterable[Record]) -> str:
    """The records as CSV (local times, ``YYYY-MM-DD HH:MM:SS``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for r in records:
        writer.writerow(
            (
                _cell(r.daemon),
                _cell(r.gid),
                _cell(r.name),
                r.status,
                "" if r.size is None else r.size,
                full_moment(r.added),
                full_moment(r.started),
                full_moment(r.ended),
                _cell(r.error),
                _cell(r.source),
                _cell(r.folder),
                _cell(r.note),
            )
        )
    return out.getvalue()
