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
import json
import os
import sqlite3
import time
from collections.abc import Collection, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path
from urllib.request import pathname2url

from aria2_top.model.downloads import RUNNING, Download, DownloadKey, Status, with_times
from aria2_top.model.format import full_moment
from aria2_top.model.lineage import Lineage, carried, upload_to_record
from aria2_top.model.masking import for_file, mask_uri_secrets
from aria2_top.storage.history_records import COLUMNS, SELECTED, Record, valid_records
from aria2_top.storage.history_search import FileView, HistoryView, MemoryView, prepare
from aria2_top.storage.private_files import ensure_private_dir, open_private

__all__ = ["COLUMNS", "DownloadHistory", "Record", "csv_text", "history_path", "read_history"]

FILE_NAME = "history.sqlite3"
ENDED = frozenset({Status.COMPLETE, Status.ERROR, Status.SEEDING})
"""Statuses that end a download: done (a torrent that seeds is done) or failed."""

DEFAULT_LIMIT = 1_000_000
PRUNE_SLACK = 100
"""Records past the limit before the oldest are let go (one delete for many)."""
_DELETE = "DELETE FROM downloads WHERE daemon = ? AND gid = ?"
_RENAME = "UPDATE downloads SET gid = ? WHERE daemon = ? AND gid = ?"
_UPSERT = (
    f"INSERT INTO downloads ({SELECTED}) VALUES ({', '.join('?' * len(COLUMNS))}) "
    "ON CONFLICT (daemon, gid) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in COLUMNS[2:])
)
_BY_KEY = (
    f"SELECT {SELECTED} FROM downloads WHERE daemon = ? AND gid IN (SELECT value FROM json_each(?))"
)
_PRUNE = (
    "DELETE FROM downloads WHERE rowid IN "
    "(SELECT rowid FROM downloads ORDER BY coalesce(added, 0.0), gid LIMIT ?)"
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
    seen = download.uploaded if download.is_torrent else None
    uploaded = upload_to_record(record.uploaded, seen, status.value != record.status)
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
        uploaded,
        record.carried,
    )
    return record if updated == record else updated


_ENDED_NAMES = frozenset(status.value for status in ENDED)
SHOWN_ENDED = ENDED | {Status.REMOVED}
"""Downloads whose row shows when they ended (one back in the queue shows none)."""


class DownloadHistory:
    """The history file of one data folder, shared by every daemon's poller.

    The file is read and written by a thread of its own, and never read whole: the
    poller asks for the records of the downloads aria2 holds (:meth:`recall`, by
    key, in one query), History reads a page at a time (:meth:`browse`). Neither a
    history of 1,000,000 downloads nor a slow disk holds up the start or the screen.
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
        """The records of the downloads seen since the start (and those recalled)."""
        self._asked: set[DownloadKey] = set()
        """The keys looked up in the file (found or not)."""
        self._recalling: list[Future[list[Record]]] = []
        self._pending: dict[DownloadKey, Record] = {}
        self._renamed: list[tuple[str, str, str]] = []
        """(daemon, old GID, new GID) of records that followed a download added again,
        for the next write."""
        self.lineage = Lineage()
        """Which downloads the app added again, and as which GID (while it runs)."""
        self._uploads: dict[DownloadKey, int] = {}
        """Each torrent's upload total as last seen (the record keeps it in steps)."""
        self._db: sqlite3.Connection | None = None
        """Used by the writer thread only."""
        self._reader: sqlite3.Connection | None = None
        """History's own connection (read only)."""
        self._searchable = False
        self._total = 0
        """The records in the file (as of the last write)."""
        self._writer: ThreadPoolExecutor | None = None
        if path is not None:
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="history")
            self._writer.submit(self._open, path)

    # -- the writer thread ---------------------------------------------------------------

    def _open(self, path: Path) -> None:
        try:
            ensure_private_dir(path.parent)
            os.close(open_private(path, os.O_RDWR | os.O_CREAT))  # 0600 from the start
            self._db = sqlite3.connect(path, timeout=2.0, isolation_level=None)
            with _transaction(self._db):
                self._searchable = prepare(self._db)
            self._count()
        except (OSError, sqlite3.Error) as exc:
            self._fail(exc)

    def _count(self) -> None:
        if self._db is not None:
            self._total = int(self._db.execute("SELECT count(*) FROM downloads").fetchone()[0])

    def _read_keys(self, daemon: str, gids: list[str]) -> list[Record]:
        if self._db is None:
            return []
        try:
            rows = self._db.execute(_BY_KEY, (daemon, json.dumps(gids))).fetchall()
        except sqlite3.Error as exc:
            self._fail(exc)
            return []
        return valid_records(rows)

    def _read_all(self) -> list[Record]:
        """Every record, most recently added first (credentials found in the file are
        masked in it too: a file written before the history masked them)."""
        if self._db is None:
            return []
        try:
            rows = self._db.execute(
                f"SELECT {SELECTED} FROM downloads ORDER BY added DESC, rowid DESC"
            ).fetchall()
            records = valid_records(rows)
            self._mask_in_file(rows, records)
        except sqlite3.Error as exc:
            self._fail(exc)
            return []
        return records

    def _mask_in_file(self, rows: list[tuple[object, ...]], records: list[Record]) -> None:
        raw = {(row[0], row[1]): (row[8], row[9]) for row in rows}
        changed = [
            record
            for record in records
            if raw.get((record.daemon, record.gid)) != (record.error, record.source)
        ]
        if changed and self._db is not None:
            with _transaction(self._db):
                self._db.executemany(_UPSERT, changed)

    def _write(self, records: list[Record], renamed: list[tuple[str, str, str]]) -> None:
        if self._db is None:
            return
        try:
            with _transaction(self._db):
                for daemon, old, new in renamed:
                    # A record the poller made of the new GID first gives way.
                    self._db.execute(_DELETE, (daemon, new))
                    self._db.execute(_RENAME, (new, daemon, old))
                self._db.executemany(_UPSERT, records)
                self._count()
                self._prune()
        except sqlite3.Error as exc:
            self._fail(exc)

    def _prune(self) -> None:
        """Let the oldest added records go once there are a slack's worth more than the
        limit (a daemon that makes new downloads all the time never fills the disk)."""
        if self._db is None or self._total <= self.limit + max(PRUNE_SLACK, self.limit // 100):
            return
        extra = self._total - self.limit
        self._db.execute(_PRUNE, (extra,))
        self.pruned += extra
        self._total -= extra

    def _close_db(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def _fail(self, error: BaseException) -> None:
        self.problem = f"history of downloads not recorded ({self.path}): {error}"
        self._close_db()

    # -- the app's side ------------------------------------------------------------------

    def recall(self, daemon: str, gids: Collection[str]) -> None:
        """Look up the records of these downloads of ``daemon`` (new to the poller) in
        one query, before they are stamped; the writer thread reads while the poller
        goes on."""
        if self._writer is None:
            return
        wanted = [gid for gid in gids if DownloadKey(daemon, gid) not in self._records]
        self._asked.update(DownloadKey(daemon, gid) for gid in wanted)
        if wanted:
            self._recalling.append(self._writer.submit(self._read_keys, daemon, wanted))

    def _settle(self) -> None:
        """Take in the records recalled so far (waits for the writer thread)."""
        recalling, self._recalling = self._recalling, []
        for future in recalling:
            for record in future.result():
                self._records.setdefault(record.key, record)

    def _record_of(self, key: DownloadKey) -> Record | None:
        record = self._records.get(key)
        if record is None and self._writer is not None:
            self._settle()
            record = self._records.get(key)
            if record is None and key not in self._asked:
                self.recall(key.daemon, [key.gid])
                self._settle()
                record = self._records.get(key)
        return record

    def stamp(self, download: Download) -> Download:
        """Note ``download`` (just parsed: new, or changed) and give it its times."""
        key = download.key
        record = self._record_of(key)
        if download.is_torrent:
            download = self._upload_of(download, record)
        if len(self.lineage):
            self.lineage.saw(download)
        updated = _updated(record, download, time.time())
        if record is not None and updated.ended != record.ended and self.lineage.refinished(key):
            updated = updated._replace(ended=record.ended)  # the same end: no news
        if updated is not record:
            self._records[key] = self._pending[key] = updated
        ended = updated.ended if download.status in SHOWN_ENDED else None
        return with_times(download, updated.added, ended)

    def note(self, key: DownloadKey, text: str, status: str) -> None:
        """Keep ``text`` with the download's record, and give it ``status`` (the files
        removed with it: aria2 forgets such a download at once)."""
        record = self._record_of(key)
        if record is None:
            return
        note = f"{record.note}; {text}" if record.note else text
        self._records[key] = self._pending[key] = record._replace(
            note=note, status=status, ended=record.ended or time.time()
        )

    def _upload_of(self, download: Download, record: Record | None) -> Download:
        """``download`` with what its earlier GIDs uploaded, and its total kept while
        it is paused (see :func:`carried`)."""
        key = download.key
        last = self._uploads.get(key) or (None if record is None else record.uploaded)
        download = carried(download, 0 if record is None else record.carried, last)
        if download.uploaded:
            self._uploads[key] = download.uploaded
        return download

    def follow(self, old: Download, new_gid: str, what: str) -> None:
        """``old`` was added again as ``new_gid`` (``what``: the action, in a word):
        its record follows it (one record, the old GID in its note), with the upload
        total it had so far; see :mod:`aria2_top.model.lineage`."""
        new = DownloadKey(old.daemon, new_gid)
        if new == old.key:
            return
        self.lineage.follow(old, new_gid)
        record = self._record_of(old.key)
        if record is None:
            return
        present = self._record_of(new)  # the poller may have seen the new GID first
        seen = self._uploads.pop(old.key, 0)
        total = max(old.uploaded or 0, seen, record.uploaded or 0, record.carried)
        note = f"{what}: added again, was GID {old.gid}"
        self._records.pop(old.key, None)
        self._pending.pop(old.key, None)
        self._asked.add(new)
        self._renamed.append((old.daemon, old.gid, new_gid))
        self._records[new] = self._pending[new] = record._replace(
            gid=new_gid,
            status=present.status if present is not None else record.status,
            note=f"{record.note}; {note}" if record.note else note,
            uploaded=total or record.uploaded,
            carried=total,
        )

    def carried_upload(self, key: DownloadKey) -> int:
        """Bytes the earlier GIDs of download ``key`` uploaded (0: none known)."""
        record = self._records.get(key)
        return 0 if record is None else record.carried

    def commit(self) -> None:
        """Write what changed since the last commit, in one transaction (in the
        writer thread)."""
        if not self._pending and not self._renamed:
            return
        pending, self._pending = self._pending, {}
        renamed, self._renamed = self._renamed, []
        if self._writer is not None and self.problem is None:
            self._writer.submit(self._write, list(pending.values()), renamed)

    def flush(self) -> None:
        """Commit, and wait until the file holds it."""
        self.commit()
        if self._writer is not None:
            self._writer.submit(_nothing).result()

    @property
    def state(self) -> str:
        """The file and what it holds, in words (for the debug screen)."""
        if self.path is None:
            return "off (history = false)"
        if self.problem:
            return self.problem
        pruned = f"; {self.pruned:,} oldest let go" if self.pruned else ""
        return (
            f"{self.path} ({self._total:,} downloads known, at most "
            f"{self.limit:,}: history_max{pruned})"
        )

    def _in_memory(self) -> bool:
        return self._writer is None or self.problem is not None

    def records(self) -> list[Record]:
        """Everything recorded, most recently added first (reads the whole file: for
        ``aria2-top history`` and tests; History reads pages, see :meth:`browse`)."""
        self.flush()
        if self._in_memory() or self._writer is None:
            return sorted(self._records.values(), key=lambda r: r.added or 0.0, reverse=True)
        return self._writer.submit(self._read_all).result()

    def browse(self) -> HistoryView:
        """What History reads: the file (what is noted written first), or the records
        in memory when no file is kept."""
        self.flush()
        if not self._in_memory() and self.path is not None:
            try:
                if self._reader is None:
                    self._reader = _read_only(self.path)
                return FileView(self._reader, self._searchable, partial(_read_only, self.path))
            except sqlite3.Error as exc:
                said = f"history of downloads not read ({self.path}): {exc}"
                return MemoryView(self._records.values, said)
        return MemoryView(self._records.values)

    def close(self) -> None:
        """Write what is left and close the file (waits for the writer)."""
        self.commit()
        if self._reader is not None:
            with contextlib.suppress(sqlite3.Error):
                self._reader.close()
            self._reader = None
        if self._writer is not None:
            self._writer.submit(self._close_db)
            self._writer.shutdown(wait=True)
            self._writer = None


def _read_only(path: Path) -> sqlite3.Connection:
    """A connection that only reads ``path`` (History's; its counts in a thread)."""
    uri = f"file:{pathname2url(str(path))}?mode=ro"
    return sqlite3.connect(
        uri, uri=True, timeout=2.0, isolation_level=None, check_same_thread=False
    )


def _nothing() -> None:
    """A task for the writer thread: done once everything before it is."""


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def history_path(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def read_history(path: Path) -> list[Record]:
    """The records of the history file at ``path`` (read only; empty when missing)."""
    if not path.exists():
        return []
    history = DownloadHistory(path)
    try:
        records = history.records()
        if history.problem:
            raise OSError(history.problem)
        return records
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
    "uploaded",
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
                "" if r.uploaded is None else r.uploaded,
            )
        )
    return out.getvalue()
