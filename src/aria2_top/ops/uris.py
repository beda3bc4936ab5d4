"""Editing a download's URIs (``u``): what aria2 holds for each file, the dead ones
marked; the text the dialog edits (one URI per line, the mirrors of each file); and
the change: through ``aria2.changeUri`` on a running or queued download (every byte
already here is kept), or a retry from the new URIs, into the same folder and file
name, for a failed or removed one (aria2 goes on from the data and ``.aria2`` control
file already there).

aria2 keeps no error per URI: a URI it used on a download that failed carries the
download's error; on a running one, a URI it used and no longer connects to is
marked as given up on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from aria2_top.model import fields
from aria2_top.model.downloads import Download, Status
from aria2_top.model.format import safe_text
from aria2_top.ops.actions import ActionResult, retry
from aria2_top.rpc.client import Aria2Client, RpcCall
from aria2_top.rpc.errors import Aria2RpcError

SCHEMES = ("http://", "https://", "ftp://", "sftp://")
"""The URIs aria2 fetches a file from (a magnet or a torrent is not a mirror)."""
_HEADER = re.compile(r"^\[(\d+)\]")
EDITABLE = frozenset({Status.ACTIVE, Status.WAITING, Status.PAUSED})
"""Changed in place, by changeUri."""
RETRIED = frozenset({Status.ERROR, Status.REMOVED})
"""Added again from the new URIs."""


@dataclass(frozen=True, slots=True)
class UriEntry:
    uri: str
    dead: str = ""
    """Why aria2 gave up on it ("" while it is in use or not tried yet)."""


@dataclass(frozen=True, slots=True)
class FileUris:
    index: int
    """aria2's 1-based file index."""
    path: str
    uris: tuple[UriEntry, ...]
    counts: tuple[tuple[str, int], ...] = ()
    """How many times aria2 lists each URI (a URI used by several connections is
    listed once per connection): what it takes to delete it."""


@dataclass(frozen=True, slots=True)
class HeldUris:
    """The URIs of one download as aria2 holds them now."""

    download: Download
    files: tuple[FileUris, ...]

    @property
    def count(self) -> int:
        return sum(len(f.uris) for f in self.files)


def _label(download: Download) -> str:
    return safe_text(download.name)[:60]


def uris_refusal(download: Download) -> str | None:
    """Why the URIs of ``download`` cannot be edited (None: they can)."""
    if download.is_torrent or download.status in (Status.SEEDING, Status.METADATA):
        return f"cannot edit the URIs of {_label(download)}: a torrent gets its data from peers"
    if download.status is Status.COMPLETE:
        return f"cannot edit the URIs of {_label(download)}: it is complete, nothing to fetch"
    if download.status is Status.CHECKING:
        return f"cannot edit the URIs of {_label(download)}: it is being checked"
    if download.status not in EDITABLE | RETRIED:
        return f"cannot edit the URIs of {_label(download)}: aria2 says it is {download.status}"
    return None


async def read_uris(client: Aria2Client, download: Download) -> HeldUris:
    """The URIs of each file of ``download``, the dead ones marked."""
    calls = [
        RpcCall("aria2.getFiles", [download.gid]),
        RpcCall("aria2.tellStatus", [download.gid, ["status", "errorMessage"]]),
    ]
    if download.status is Status.ACTIVE:
        calls.append(RpcCall("aria2.getServers", [download.gid]))
    replies = await client.multicall(calls)
    if isinstance(replies[0], Aria2RpcError):
        raise replies[0]
    status = replies[1] if isinstance(replies[1], dict) else {}
    failed = fields.text(status.get("status")) in ("error", "removed")
    error = safe_text(fields.text(status.get("errorMessage")) or "")
    serving = _serving(replies[2]) if len(replies) > 2 else None
    files = []
    for entry in fields.structs(replies[0]):
        index = fields.count(entry.get("index"))
        if index is None:
            continue
        listed = [
            (fields.text(u.get("uri")) or "", fields.text(u.get("status")) or "")
            for u in fields.structs(entry.get("uris"))
        ]
        counts: dict[str, int] = {}
        used: set[str] = set()
        for uri, how in listed:
            if uri:
                counts[uri] = counts.get(uri, 0) + 1
                used |= {uri} if how == "used" else set()
        uris = tuple(
            UriEntry(uri, _dead(uri in used, failed, error, serving, uri)) for uri in counts
        )
        path = fields.text(entry.get("path")) or ""
        files.append(FileUris(index, path, uris, tuple(counts.items())))
    return HeldUris(download, tuple(files))


def _serving(servers: object) -> set[str] | None:
    """The URIs aria2 is connected to now (None: it did not say)."""
    if not isinstance(servers, list):
        return None
    return {
        fields.text(server.get(key)) or ""
        for entry in fields.structs(servers)
        for server in fields.structs(entry.get("servers"))
        for key in ("uri", "currentUri")
    }


def _dead(used: bool, failed: bool, error: str, serving: set[str] | None, uri: str) -> str:
    if not used:
        return ""
    if failed:
        return error or "aria2 gave up on it"
    if serving is not None and uri not in serving:
        return "aria2 gave up on it (no connection to it now)"
    return ""


def uri_text(held: HeldUris) -> str:
    """The text the dialog edits: one URI per line; a dead one followed by ``# dead:``
    and why; with several files, each file's URIs under ``[N] path``."""
    lines = []
    several = len(held.files) > 1
    for file in held.files:
        if several:
            lines.append(f"[{file.index}] {safe_text(file.path)}")
        for entry in file.uris:
            note = f"    # dead: {safe_text(entry.dead)}" if entry.dead else ""
            lines.append(safe_text(entry.uri) + note)
    return "\n".join(lines) + "\n"


def parse_uri_text(text: str, held: HeldUris) -> tuple[dict[int, list[str]], list[str]]:
    """The URIs wanted for each file of ``held`` from the edited text, and the
    problems (``line 3: …``); nothing is to be sent while there is one."""
    known = [f.index for f in held.files] or [1]
    current = known[0]
    wanted: dict[int, list[str]] = {index: [] for index in known}
    problems = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = _HEADER.match(line)
        if header:
            current = int(header.group(1))
            if current not in wanted:
                problems.append(f"line {number}: there is no file [{current}]")
            continue
        uri, _, rest = line.partition(" ")
        if rest.strip() and not rest.strip().startswith("#"):
            problems.append(f"line {number}: one URI per line (a space in a URI is %20)")
        elif not uri.lower().startswith(SCHEMES) or len(uri) <= len("ftp://"):
            problems.append(
                f"line {number}: {safe_text(uri)[:40]!r} is not a URI aria2 fetches a file "
                "from (http, https, ftp, sftp)"
            )
        elif uri.count("://") > 1:
            problems.append(f"line {number}: two URIs run together: one per line")
        elif current in wanted and uri not in wanted[current]:
            wanted[current].append(uri)
    for index, uris in wanted.items():
        if not uris and not problems:
            name = "the file" if len(wanted) == 1 else f"file [{index}]"
            problems.append(f"{name} would have no URI left: give at least one")
    return wanted, problems


def replaced(held: HeldUris, old: str, new: str) -> dict[int, list[str]]:
    """Each file's URIs with ``old`` replaced by ``new`` (a host moved), in order."""
    wanted: dict[int, list[str]] = {}
    for file in held.files:
        uris: list[str] = []
        for entry in file.uris:
            uri = entry.uri.replace(old, new) if old else entry.uri
            if uri not in uris:
                uris.append(uri)
        wanted[file.index] = uris
    return wanted


@dataclass(slots=True)
class UriChange:
    """What changing the URIs of one download did."""

    gid: str
    """The download that now has them (a retried one has a new GID)."""
    words: str
    error: str = ""


async def change_uris(
    client: Aria2Client,
    held: HeldUris,
    wanted: Mapping[int, Sequence[str]],
    *,
    top: bool = False,
    files_here: bool = False,
) -> UriChange:
    """Give ``held``'s download the ``wanted`` URIs: in place while it runs or waits,
    else by a retry from them (at the top of the queue with ``top``)."""
    download = held.download
    refused = uris_refusal(download)
    if refused:
        return UriChange(download.gid, "", refused)
    if download.status in RETRIED:
        uris = [u for index in sorted(wanted) for u in wanted[index]]
        done: ActionResult = await retry(
            client, [download], top=top, files_here=files_here, new_uris={download.gid: uris}
        )
        if done.errors or not done.new_gids:
            return UriChange(download.gid, "", "; ".join(done.errors) or "aria2 added nothing")
        where = "at the top" if top else "at the bottom"
        return UriChange(done.new_gids[0], f"added {_label(download)} again {where}")
    calls, deleted, added = [], 0, 0
    for file in held.files:
        new = list(wanted.get(file.index, ()))
        counts = dict(file.counts)
        gone = [uri for uri, times in counts.items() if uri not in new for _ in range(times)]
        fresh = [uri for uri in new if uri not in counts]
        if gone or fresh:
            calls.append(RpcCall("aria2.changeUri", [download.gid, file.index, gone, fresh]))
            deleted, added = deleted + len({*gone}), added + len(fresh)
    if not calls:
        return UriChange(download.gid, f"{_label(download)}: no change")
    replies = await client.multicall(calls)
    errors = [safe_text(r.message) for r in replies if isinstance(r, Aria2RpcError)]
    if errors:
        return UriChange(download.gid, "", f"aria2 refused: {errors[0]}")
    return UriChange(
        download.gid, f"{_label(download)}: {added} URI(s) added, {deleted} removed, bytes kept"
    )
