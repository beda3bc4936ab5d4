"""One download as the history of downloads keeps it (:class:`Record`), and a row of
the file read back without trust (the file is the user's: it may have been edited)."""

from __future__ import annotations

from typing import NamedTuple

from aria2_top.model.downloads import DownloadKey
from aria2_top.model.masking import mask_uri_secrets


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
    uploaded: int | None = None
    """A torrent's upload total as last seen (its earlier GIDs' included)."""
    carried: int = 0
    """Bytes its earlier GIDs uploaded: it was added again (V, M, r) as this GID, and
    aria2 counts from 0 (see ``model/lineage.py``)."""

    @property
    def key(self) -> DownloadKey:
        return DownloadKey(self.daemon, self.gid)


COLUMNS = Record._fields
SELECTED = ", ".join(COLUMNS)
"""The columns of a record, in order, for a SELECT."""


def valid_record(row: tuple[object, ...]) -> Record | None:
    """A row of the file as a Record, or None when it is not one."""
    if len(row) != len(COLUMNS):
        return None
    daemon, gid, name, status, size, added, started, ended, error, source, folder, note = row[:12]
    uploaded, carried = row[12:]
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
        _count(uploaded),
        _count(carried) or 0,
    )


def valid_records(rows: list[tuple[object, ...]]) -> list[Record]:
    return [record for record in map(valid_record, rows) if record is not None]


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _time(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
