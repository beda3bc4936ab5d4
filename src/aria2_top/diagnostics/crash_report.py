"""When something unexpected goes wrong: a short report in a file, never on screen.

The report holds the traceback *without* local variables (they hold the RPC secret
and the downloads' URIs), with every known secret, ``token:…`` and ``user:pass@``
replaced, so it can be attached to a bug report as it is.
"""

from __future__ import annotations

import datetime as dt
import platform
import traceback
from collections.abc import Iterable
from pathlib import Path

from aria2_top import __version__
from aria2_top.model.masking import for_file, redact
from aria2_top.storage.private_files import write_private_file

__all__ = ["redact", "report_text", "write_crash_report"]


def report_text(error: BaseException, secrets: Iterable[str | None] = ()) -> str:
    """The report: versions, time, and the traceback (chained causes included; for
    an error wrapped by Textual's worker, the error itself with its frames)."""
    inner = getattr(error, "error", None)
    shown = inner if isinstance(inner, BaseException) else error
    lines = [
        f"aria2-top {__version__} crash report",
        f"time: {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}",
        f"python: {platform.python_version()} on {platform.platform()}",
        "",
        *([f"in a worker ({type(error).__name__}):"] if shown is not error else []),
        *traceback.format_exception(shown),
    ]
    text = "\n".join(line.rstrip("\n") for line in lines)
    return for_file(text, secrets, keep_newlines=True) + "\n"


def write_crash_report(
    error: BaseException, folder: Path, secrets: Iterable[str | None] = ()
) -> Path | None:
    """Write the report of ``error`` to a new 0600 file in ``folder``; its path, or None
    when it could not be written (the caller still says what happened)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"crash-{stamp}.txt"
    try:
        write_private_file(path, report_text(error, secrets))
    except OSError:
        return None
    return path
