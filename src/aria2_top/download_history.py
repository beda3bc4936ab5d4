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
from dataclasses import astuple, dataclass, fields, replace
from pathlib import Path

from aria2_top.core.format import full_moment, safe_text
from aria2_top.core.model import RUNNING, Download, DownloadKey, Status
from aria2_top.private_files import ensure_private_dir, open_private

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
    PRIMARY KEY (daemon, gid)
)
"""


@dataclass(frozen=True, slots=True)
class Record:
    """One download as the history knows it (times: Unix seconds, None: not seen)."""

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

    @property
    def key(self) -> DownloadKey:
        return DownloadKey(self.daemon, self.gid)


COLUMNS = tuple(field.name for field in fields(Record))
_UPSERT = (
    f"INSERT INTO downloads ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))}) "
    "ON CONFLICT (daemon, gid) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in COLUMNS[2:])
)


def _updated(record: Record | None, download: Download, now: float) -> Record:
    """``record`` (None: a new download) after seeing ``download`` at ``now``."""
    status = download.status
    if record is None:
        record = Record(download.daemon, download.gid, "", "", None, now, None, None, "", "", "")
    was_ended = record.status in ENDED
    ended = record.ended
    if status in ENDED and not was_ended:
        ended = now
    elif status not in ENDED and status is not Status.REMOVED:
        ended = None  # in the queue or running again
    error = ""
    if status is Status.ERROR:
        error = download.error_message or (
            f"error {download.error_code}" if download.error_code else ""
        )
    return replace(
        record,
        name=download.name if download.name != "?" or not record.name else record.name,
        status=str(status),
        size=download.total if download.total else record.size,
        started=record.started or (now if status in RUNNING else None),
        ended=ended,
        error=error or (record.error if status is Status.REMOVED else ""),
        source=download.source or record.source,
        folder=download.folder or record.folder,
    )


class DownloadHistory:
    """The history file of one data folder, shared by every daemon's poller."""

    def __init__(self, path: Path | None) -> None:
        """``path`` None: kept in memory only (nothing is written)."""
        self.path = path
        self.problem: str | None = None
        """Why the history is not recorded (None: it is)."""
        self._records: dict[DownloadKey, Record] = {}
        self._pending: dict[DownloadKey, Record] = {}
        self._db: sqlite3.Connection | None = None
        if path is not None:
            self._open(path)

    def _open(self, path: Path) -> None:
        try:
            ensure_private_dir(path.parent)
            os.close(open_private(path, os.O_RDWR | os.O_CREAT))  # 0600 from the start
            self._db = sqlite3.connect(path, timeout=2.0, isolation_level=None)
            self._db.execute(_SCHEMA)
            rows = self._db.execute(f"SELECT {', '.join(COLUMNS)} FROM downloads").fetchall()
        except (OSError, sqlite3.Error) as exc:
            self._fail(exc)
            return
        for row in rows:
            record = _valid_record(row)
            if record is not None:
                self._records[record.key] = record

    def _fail(self, error: BaseException) -> None:
        self.problem = f"history of downloads not recorded ({self.path}): {error}"
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None

    def stamp(self, download: Download) -> Download:
        """Note ``download`` (just parsed: new, or changed) and give it its times."""
        key = download.key
        record = self._records.get(key)
        updated = _updated(record, download, time.time())
        if updated != record:
            self._records[key] = self._pending[key] = updated
        return replace(download, added=updated.added, ended=updated.ended)

    def commit(self) -> None:
        """Write what changed since the last commit, in one transaction."""
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        if self._db is None:
            return
        try:
            with _transaction(self._db):
                self._db.executemany(_UPSERT, [astuple(r) for r in pending.values()])
        except sqlite3.Error as exc:
            self._fail(exc)

    def records(self) -> list[Record]:
        """Everything recorded, most recently added first."""
        return sorted(self._records.values(), key=lambda r: r.added or 0.0, reverse=True)

    def close(self) -> None:
        self.commit()
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None


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
    daemon, gid, name, status, size, added, started, ended, error, source, folder = row
    texts = (daemon, gid, name, status, error, source, folder)
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
        str(error),
        str(source),
        str(folder),
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
)


def _cell(text: str) -> str:
    """Text from aria2 made safe for a terminal and for a spreadsheet (a cell that
    starts with = + - @ would be read as a formula: a ' goes first)."""
    text = safe_text(text)
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
            )
        )
    return out.getvalue()
