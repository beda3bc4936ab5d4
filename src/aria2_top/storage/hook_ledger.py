"""Which hooks already ran, by daemon, download and hook (its end and command): so
that a hook never runs twice for the same end, whoever runs it (``aria2-top listen``,
the dashboard, one of each, a restart of either or of aria2c). One SQLite file, 0600,
in the data folder; a run is *claimed* (one INSERT) before it starts, so two runners
never both run it.

A hook seen on a daemon for the first time is *primed*: the ends the daemon already
had are noted as run, without running anything (a first ``listen`` does not fire for
every download that finished last year). Rows older than :data:`KEEP_DAYS` go.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from aria2_top.storage.private_files import ensure_private_dir, open_private

FILE_NAME = "hooks.sqlite3"
KEEP_DAYS = 180
_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS ran (
        daemon TEXT NOT NULL, gid TEXT NOT NULL, hook TEXT NOT NULL, at REAL NOT NULL,
        PRIMARY KEY (daemon, gid, hook))""",
    """CREATE TABLE IF NOT EXISTS primed (
        daemon TEXT NOT NULL, hook TEXT NOT NULL, at REAL NOT NULL,
        PRIMARY KEY (daemon, hook))""",
)


def ledger_path(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


class HookLedger:
    """The runs of every hook, shared by every runner of this user."""

    def __init__(self, path: Path | None) -> None:
        """``path`` None: kept in memory, for this process only."""
        if path is not None:
            ensure_private_dir(path.parent)
            os.close(open_private(path, os.O_RDWR | os.O_CREAT))  # 0600 from the start
        where = ":memory:" if path is None else str(path)
        self._db = sqlite3.connect(where, timeout=5.0, isolation_level=None)
        for statement in _SCHEMA:
            self._db.execute(statement)
        self._db.execute("DELETE FROM ran WHERE at < ?", (time.time() - KEEP_DAYS * 86400,))
        self._known: set[tuple[str, str, str]] = set()
        """Runs claimed or read by this process: asked of the file only once."""
        self._loaded: set[tuple[str, str]] = set()

    def close(self) -> None:
        self._db.close()

    def primed(self, daemon: str, hook: str) -> bool:
        """Whether ``hook`` was seen on ``daemon`` before; its runs are then read in, in
        one query (a restart meets thousands of ends already run)."""
        row = self._db.execute(
            "SELECT 1 FROM primed WHERE daemon = ? AND hook = ?", (daemon, hook)
        ).fetchone()
        if row is not None and (daemon, hook) not in self._loaded:
            self._loaded.add((daemon, hook))
            rows = self._db.execute(
                "SELECT gid FROM ran WHERE daemon = ? AND hook = ?", (daemon, hook)
            )
            self._known |= {(daemon, gid, hook) for (gid,) in rows}
        return row is not None

    def prime(self, daemon: str, hook: str, gids: Iterable[str]) -> None:
        """Note ``hook`` as run for ``gids`` (nothing runs), and as known on ``daemon``."""
        now = time.time()
        gids = list(gids)
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR IGNORE INTO ran VALUES (?, ?, ?, ?)",
                [(daemon, gid, hook, now) for gid in gids],
            )
            self._db.execute("INSERT OR IGNORE INTO primed VALUES (?, ?, ?)", (daemon, hook, now))
        self._known |= {(daemon, gid, hook) for gid in gids}

    def claim(self, daemon: str, gid: str, hook: str) -> bool:
        """True (once, for one runner) when ``hook`` is to run now for ``gid``."""
        key = (daemon, gid, hook)
        if key in self._known:
            return False
        self._known.add(key)
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO ran VALUES (?, ?, ?, ?)", (daemon, gid, hook, time.time())
        )
        return cursor.rowcount == 1
