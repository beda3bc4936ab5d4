"""Downloads as data for machines: the one documented shape ``aria2-top ls --json``,
``show --json`` and ``--csv`` write (README, "From the shell").

Keys are snake_case and stable: new keys may be added, none renamed or removed
within a major version. A number aria2 sent unusable is ``null``. Names, paths and
messages from aria2 are data: JSON escapes every control character (see
:func:`json_text`), CSV cells are escaped as in the history.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from aria2_top.model.downloads import Download
from aria2_top.model.file_tree import FileEntry
from aria2_top.model.masking import escaped, mask_uri_secrets

Record = dict[str, Any]

FIELDS: tuple[str, ...] = (
    "daemon",
    "gid",
    "name",
    "status",
    "aria2_status",
    "total_length",
    "completed_length",
    "upload_length",
    "download_speed",
    "upload_speed",
    "progress",
    "connections",
    "num_seeders",
    "is_torrent",
    "queue_position",
    "dir",
    "source",
    "error_code",
    "error_message",
)
"""The keys of every record, in this order (the CSV's columns)."""


def download_record(download: Download) -> Record:
    """The record of one download (``show`` adds ``files``)."""
    progress = download.progress
    failed = download.error_code not in ("", "0")  # aria2 says 0 of a download that did well
    return {
        "daemon": download.daemon,
        "gid": download.gid,
        "name": download.name,
        "status": download.status.value,
        "aria2_status": download.aria2_status,
        "total_length": download.total,
        "completed_length": download.completed,
        "upload_length": download.uploaded,
        "download_speed": download.down_speed,
        "upload_speed": download.up_speed,
        "progress": None if progress is None else round(progress, 4),
        "connections": download.connections,
        "num_seeders": download.seeders,
        "is_torrent": download.is_torrent,
        "queue_position": download.queue_position,
        "dir": download.folder,
        "source": mask_uri_secrets(download.source),
        "error_code": (failed and download.error_code) or None,
        "error_message": (failed and download.error_message) or None,
    }


def file_record(entry: FileEntry) -> Record:
    """One file of a download: aria2's 1-based index, its path below the download's
    folder, its size and how much of it is here, whether it is selected."""
    return {
        "index": entry.index,
        "path": entry.path,
        "length": entry.length,
        "completed_length": entry.completed,
        "selected": entry.selected,
    }


def show_record(download: Download, files: Sequence[FileEntry]) -> Record:
    return download_record(download) | {"files": [file_record(f) for f in files]}


# Characters JSON may carry raw but a terminal acts on: C1 controls (ESC's 8-bit
# twin among them), DEL, bidi controls, line and paragraph separators.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_text(value: object, *, indent: int | None = None) -> str:
    """``value`` as JSON that is safe on a terminal: non-ASCII text stays readable,
    every control character is a ``\\u`` escape (the JSON means the same)."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def csv_text(records: Iterable[Mapping[str, Any]]) -> str:
    """The records as CSV with a header row; cells escaped (no control characters)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for record in records:
        writer.writerow(_cell(record.get(key)) for key in FIELDS)
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return escaped(str(value))
