"""What the dialogs and the empty table say, as plain text: the screens only style it.

Every name from aria2 is made safe to show here (see :func:`format.safe_text`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aria2_top.live.poll_state import PollState, PollStatus
from aria2_top.model import format as fmt
from aria2_top.model.downloads import Download
from aria2_top.model.format import plural, safe_text
from aria2_top.ops.actions import CANNOT_RESUME
from aria2_top.ops.local_files import DeletionPlan
from aria2_top.ops.removal import RemovedWithData

MAX_NAMES = 8
"""Downloads named one by one in a dialog; the rest are counted."""
FILES_KEPT = "Files on disk are kept."

LIMIT_HINT = "0 or empty: no limit; units K, M, G (e.g. 500K, 2.5M)"
"""Said under a field that takes a speed limit."""


@dataclass(frozen=True, slots=True)
class Listed:
    """Downloads named in a dialog: one line each (name, and a note in brackets or
    nothing), and how many more were left unnamed."""

    lines: tuple[tuple[str, str], ...]
    more: int

    @property
    def more_line(self) -> str:
        return f"… and {self.more} more" if self.more else ""


def listed(downloads: Sequence[Download], *, with_status: bool, fleet: bool) -> Listed:
    """The first :data:`MAX_NAMES` downloads by name; ``with_status``: each with its
    status (and its daemon, with several)."""
    lines = []
    for download in downloads[:MAX_NAMES]:
        note = ""
        if with_status:
            host = f" on {safe_text(download.daemon)}" if fleet else ""
            note = f"({download.status}{host})"
        lines.append((safe_text(download.name), note))
    return Listed(tuple(lines), max(0, len(downloads) - MAX_NAMES))


def remove_question(count: int) -> str:
    return f"Remove {plural(count, 'download')}?"


def retry_heading(count: int) -> str:
    return f"Retry {plural(count, 'failed download')}:"


def restart_warning(failed: Sequence[Download]) -> str:
    """What retrying does to those that failed because the server cannot resume
    (empty when none did)."""
    restart = sum(1 for d in failed if d.error_code == CANNOT_RESUME)
    if not restart:
        return ""
    return (
        f"{plural(restart, 'of them', 'of them')} failed because the server cannot resume: "
        "restarted from zero (always-resume=false)."
    )


PURGE_NOTE = f"Forget results from the list. {FILES_KEPT}"


def purge_choices(
    stopped: int, in_view: int, view_label: str, filter_text: str
) -> list[tuple[str, str]]:
    """The choices of ``c``: the results shown here (when they are not all of them),
    then all."""
    choices = [("all", f"All {plural(stopped, 'result')} (finished, failed, removed)")]
    if in_view and in_view != stopped:
        where = view_label + (f", filter {safe_text(filter_text)!r}" if filter_text else "")
        choices.insert(0, ("view", f"The {in_view} shown here ({where})"))
    return choices


AUTH_FAILED = (
    "Authentication failed: aria2 wants another RPC secret (--secret, ARIA2_RPC_SECRET "
    "or secret in the config file)."
)
NO_DOWNLOADS = "No downloads yet: press a to add one (URIs, magnet links, .torrent files)."


def empty_table(
    statuses: Sequence[PollStatus],
    *,
    answered: bool,
    has_downloads: bool,
    view_label: str,
    filter_text: str,
) -> str:
    """What an empty table says, why, and what to do. ``statuses``: each daemon's
    link; ``answered``: some daemon has sent a snapshot."""
    if not answered:
        if statuses and all(s.state is PollState.AUTH_FAILED for s in statuses):
            return AUTH_FAILED
        failing = [s for s in statuses if s.state in (PollState.RECONNECTING, PollState.BAD_REPLY)]
        if failing and len(failing) == len(statuses):
            if len(statuses) > 1:
                return "No downloads to show yet: no daemon answers (D: each one's error)."
            error = safe_text(failing[0].error or "aria2 does not answer")
            return f"No downloads to show yet: {error}"
        return "Connecting…"
    if has_downloads:
        return f"No downloads match this view ({view_label})" + (
            f" and filter {filter_text!r}." if filter_text else "."
        )
    return NO_DOWNLOADS


NOTHING_TO_DELETE = "No files of theirs are on disk: Remove forgets them."
SHOWN_PATHS = 5


def not_here(daemons: Sequence[str], what: str, instead: str = "") -> str:
    """Why a file action (``what``) is not offered: the daemons keep their files on
    another machine (``instead``: what to do then, if anything)."""
    names = ", ".join(safe_text(d) for d in daemons)
    verb = "is" if len(daemons) == 1 else "are"
    why = f"{what} is offered only for a daemon on this machine: {names} {verb} not."
    return f"{why} {instead}" if instead else why


def deletion_summary(plans: Sequence[DeletionPlan]) -> tuple[str, list[str], str]:
    """(``d deletes 14 files, 1.2G:``, the first paths, what is left alone); the
    files' sizes, as the table counts them, and what they take on disk beside when
    that reads otherwise (``176.0K (196.0K on disk)``: blocks, a sparse file)."""
    files = sum(len(p.files) for p in plans)
    length = fmt.size(sum(p.length for p in plans))
    on_disk = fmt.size(sum(p.size for p in plans))
    paths = [safe_text(path) for p in plans for path in p.shown_paths(SHOWN_PATHS)]
    more = files - min(files, SHOWN_PATHS)
    shown = paths[:SHOWN_PATHS] + ([f"… and {more} more"] if more > 0 else [])
    refused = sum(len(p.refused) for p in plans)
    left = f"{plural(refused, 'path')} outside the download's folder: left alone" if refused else ""
    size = length if on_disk == length else f"{length} ({on_disk} on disk)"
    return f"d deletes {plural(files, 'file')}, {size}:", shown, left


def kept_lines(plans: Sequence[DeletionPlan]) -> list[str]:
    """The files on disk that deleting leaves alone, each with why (the first few):
    ``keeps precious.txt: aria2 never wrote it: …``."""
    kept = [k for p in plans for k in p.kept]
    lines = [f"keeps {safe_text(k.path)}: {safe_text(k.reason)}" for k in kept[:SHOWN_PATHS]]
    if len(kept) > SHOWN_PATHS:
        lines.append(f"… and keeps {plural(len(kept) - SHOWN_PATHS, 'more file')}")
    return lines


NOTHING_OWNED = "d deletes nothing: no file on disk was written by these downloads alone."


def deleted_event(name: str, deleted: Sequence[str], size: int) -> str:
    """What the event log and the history keep of a removal with data:
    ``deleted 2 files (1.2M): a.iso, a.iso.aria2``."""
    shown = ", ".join(safe_text(path) for path in deleted[:SHOWN_PATHS])
    more = f" and {len(deleted) - SHOWN_PATHS} more" if len(deleted) > SHOWN_PATHS else ""
    return f"deleted {plural(len(deleted), 'file')} ({fmt.size(size)}): {shown}{more}"


def removed_with_data(outcome: RemovedWithData) -> str:
    return (
        f"removed {plural(len(outcome.removed), 'download')} and deleted "
        f"{plural(outcome.files, 'file')} ({fmt.size(outcome.size)})"
    )


NO_SAVED_TORRENT = (
    "no .torrent of it is saved: aria2 keeps one in the download's folder for a torrent "
    "added by RPC (rpc-save-upload-metadata) and for a magnet with bt-save-metadata"
)
