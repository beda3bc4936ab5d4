"""What the keys do to aria2: each action is one multicall over the target downloads.

An action never raises for a download aria2 refuses (say, unpausing a finished
one): it returns an :class:`ActionResult` whose ``errors`` say what failed, in
words, so the app can show them and keep running.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from aria2_top.model import fields
from aria2_top.model.availability import Action, refusal
from aria2_top.model.copying import distinct_uris
from aria2_top.model.downloads import QUEUED, RUNNING, STOPPED, Download, Snapshot, Status
from aria2_top.model.format import safe_text
from aria2_top.model.magnets import magnet_of
from aria2_top.ops.saved_torrents import find_torrent
from aria2_top.rpc.client import Aria2Client, PositionHow, RpcCall
from aria2_top.rpc.errors import Aria2RpcError

# Options aria2 reports for a download that must not be copied onto its retry.
NOT_COPIED_ON_RETRY = frozenset({"gid", "pause", "pause-metadata"})

CANNOT_RESUME = "8"
"""aria2's error code for a server that cannot resume: retried from zero."""


@dataclass(slots=True)
class ActionResult:
    """What an action did: GIDs it changed and errors in words."""

    done: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    new_gids: list[str] = field(default_factory=list)
    readded: list[tuple[Download, str]] = field(default_factory=list)
    """Downloads added again (retried), each with its new GID."""
    paused: list[str] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)


def _label(download: Download) -> str:
    return safe_text(download.name)[:60]


async def run_calls(
    client: Aria2Client, planned: Sequence[tuple[Download, RpcCall]], verb: str
) -> ActionResult:
    """Send one call per download in one multicall: which were done, which refused."""
    result = ActionResult()
    if not planned:
        return result
    replies = await client.multicall([call for _, call in planned])
    for (download, _), reply in zip(planned, replies, strict=True):
        if isinstance(reply, Aria2RpcError):
            result.errors.append(f"cannot {verb} {_label(download)}: {safe_text(reply.message)}")
        else:
            result.done.append(download.gid)
    return result


async def toggle_pause(client: Aria2Client, targets: Sequence[Download]) -> ActionResult:
    """Pause what runs or waits; resume what is paused. Finished ones are refused."""
    return await set_paused(client, targets, None)


async def pause(client: Aria2Client, targets: Sequence[Download]) -> ActionResult:
    """Pause what runs or waits (``aria2-top pause``); others are said, not touched."""
    return await set_paused(client, targets, True)


async def resume(client: Aria2Client, targets: Sequence[Download]) -> ActionResult:
    """Resume what is paused (``aria2-top resume``); others are said, not touched."""
    return await set_paused(client, targets, False)


def _pause_call(download: Download, wanted: bool | None) -> RpcCall | str:
    """The call that pauses (``wanted`` True), resumes (False) or toggles (None)
    ``download``; else why not, in words."""
    pausable = download.status in RUNNING or download.status is Status.WAITING
    if download.status is Status.PAUSED and wanted is not True:
        return RpcCall("aria2.unpause", [download.gid])
    if pausable and wanted is not False:
        return RpcCall("aria2.pause", [download.gid])
    if download.status is Status.PAUSED:
        return f"{_label(download)} is already paused"
    if pausable:
        return f"{_label(download)} is not paused"
    return refusal(Action.PAUSE, download) or f"cannot pause {_label(download)}"


async def set_paused(
    client: Aria2Client, targets: Sequence[Download], wanted: bool | None
) -> ActionResult:
    """Pause (``wanted`` True), resume (False) or toggle each (None) of ``targets``.

    aria2 pauses a running download a moment later, and puts each in front of the
    queue in an order of its own: several running ones paused together are put
    back in their order once they are all in the queue.
    """
    planned: list[tuple[Download, RpcCall]] = []
    refused: list[str] = []
    for download in targets:
        call = _pause_call(download, wanted)
        if isinstance(call, str):
            refused.append(call)
        else:
            planned.append((download, call))
    result = await run_calls(client, planned, "pause or resume")
    result.errors[:0] = refused
    pausing = {d.gid for d, call in planned if call.method == "aria2.pause"}
    result.paused = [gid for gid in result.done if gid in pausing]
    result.resumed = [gid for gid in result.done if gid not in pausing]
    running = [d.gid for d, _ in planned if d.status in RUNNING and d.gid in pausing]
    paused_running = [gid for gid in running if gid in result.done]
    if len(paused_running) > 1:
        await _put_back_in_order(client, paused_running)
    return result


PAUSE_SETTLES = 3.0
"""Seconds to wait for aria2 to move paused running downloads into its queue."""


async def _put_back_in_order(client: Aria2Client, gids: list[str]) -> None:
    """Once ``gids`` are all in the queue (in front, in aria2's order), give them
    the first places in the order of ``gids``."""
    deadline = time.monotonic() + PAUSE_SETTLES
    wanted = set(gids)
    while time.monotonic() < deadline:
        front = await client.tell_waiting(0, len(gids), ["gid"])
        if {entry.get("gid") for entry in front} == wanted:
            break
        await asyncio.sleep(0.05)
    else:
        return  # not settled: leave aria2's order rather than guess
    # Best effort: one gone meanwhile is no error to report.
    await client.multicall(
        [RpcCall("aria2.changePosition", [gid, place, "POS_SET"]) for place, gid in enumerate(gids)]
    )


async def toggle_pause_all(client: Aria2Client, downloads: Sequence[Download]) -> str:
    """Pause everything if anything runs or waits; else resume everything. Returns the verb."""
    if any(d.status in RUNNING or d.status is Status.WAITING for d in downloads):
        await client.pause_all()
        return "paused all"
    await client.unpause_all()
    return "resumed all"


async def remove(client: Aria2Client, targets: Sequence[Download]) -> ActionResult:
    """Stop running/queued downloads; forget the results of stopped ones. Files stay."""
    planned = [
        (
            download,
            RpcCall(
                "aria2.removeDownloadResult" if download.status in STOPPED else "aria2.remove",
                [download.gid],
            ),
        )
        for download in targets
    ]
    return await run_calls(client, planned, "remove")


async def purge(client: Aria2Client) -> None:
    """Forget every finished, failed and removed download (files stay)."""
    await client.purge_download_result()


async def move(client: Aria2Client, targets: Sequence[Download], how: str) -> ActionResult:
    """Move queued downloads: ``up``/``down`` by one, to the ``top``/``bottom``, or to
    place ``N`` of the queue (0 is the top).

    Several tagged downloads keep their relative order. Only waiting and paused
    downloads have a queue position; others are reported, not moved.
    """
    queued = sorted(
        (d for d in targets if d.status in QUEUED and d.queue_position is not None),
        key=lambda d: d.queue_position or 0,
    )
    result = ActionResult(
        errors=[refusal(Action.QUEUE, d) or "" for d in targets if d not in queued]
    )
    plan: dict[str, tuple[list[Download], int, PositionHow]] = {
        "up": (queued, -1, "POS_CUR"),
        "down": (queued[::-1], 1, "POS_CUR"),
        "top": (queued[::-1], 0, "POS_SET"),
        "bottom": (queued, 0, "POS_END"),
    }
    if how.isdigit():  # to place N (0: the top), the later ones after it in order
        moved = await run_calls(
            client,
            [
                (d, RpcCall("aria2.changePosition", [d.gid, int(how) + i, "POS_SET"]))
                for i, d in enumerate(queued)
            ],
            "move",
        )
        result.done, result.errors = moved.done, result.errors + moved.errors
        return result
    order, pos, how_ = plan[how]
    moved = await run_calls(
        client, [(d, RpcCall("aria2.changePosition", [d.gid, pos, how_])) for d in order], "move"
    )
    result.done, result.errors = moved.done, result.errors + moved.errors
    return result


async def retry(
    client: Aria2Client,
    targets: Sequence[Download],
    *,
    top: bool = False,
    files_here: bool = False,
    new_uris: Mapping[str, Sequence[str]] | None = None,
) -> ActionResult:
    """Re-add each failed download with its options (at the top of the queue with
    ``top``, in their order), then drop the failed result: a URI download from its
    URIs, a torrent from the .torrent aria2 saved in its folder (when ``files_here``:
    the daemon's files are on this machine), else from a magnet link rebuilt from its
    info hash and trackers. One that failed because the server cannot resume
    restarts from zero (``always-resume=false``).

    ``new_uris`` (by GID): URIs to add it again from instead of its own (a dead link
    replaced); a removed download can be retried so too. It keeps its folder and file
    name, so aria2 goes on from the data and control file already there."""
    result = ActionResult()
    new_uris = new_uris or {}
    failed = [
        d
        for d in targets
        if d.status is Status.ERROR or (d.status is Status.REMOVED and d.gid in new_uris)
    ]
    result.errors += [
        f"cannot retry {_label(d)}: it has not failed" for d in targets if d not in failed
    ]
    if not failed:
        return result
    lookups: list[RpcCall] = []
    for download in failed:
        lookups += [
            RpcCall("aria2.getFiles", [download.gid]),
            RpcCall("aria2.getOption", [download.gid]),
            RpcCall("aria2.tellStatus", [download.gid, ["dir", "infoHash", "bittorrent"]]),
        ]
    replies = await client.multicall(lookups)
    adds: list[tuple[Download, RpcCall]] = []
    for index, download in enumerate(failed):
        files, options, status = replies[3 * index : 3 * index + 3]
        if not isinstance(files, list) or not isinstance(options, dict):
            result.errors.append(f"cannot retry {_label(download)}: it is gone")
            continue
        kept = {
            k: v
            for k, v in options.items()
            if isinstance(k, str) and isinstance(v, str) and k not in NOT_COPIED_ON_RETRY
        }
        if download.error_code == CANNOT_RESUME:
            kept["always-resume"] = "false"
        status = status if isinstance(status, dict) else {}
        if download.is_torrent:
            folder = fields.text(status.get("dir")) or ""
            hash_ = fields.text(status.get("infoHash"), 64) or ""
            here = files_here and folder
            data = await asyncio.to_thread(find_torrent, folder, hash_) if here else None
            magnet = magnet_of(status)
            if data is not None:
                encoded = base64.b64encode(data).decode()
                adds.append((download, RpcCall("aria2.addTorrent", [encoded, [], kept])))
            elif magnet is not None:
                adds.append((download, RpcCall("aria2.addUri", [[magnet], kept])))
            else:
                result.errors.append(f"cannot retry {_label(download)}: no .torrent, no hash")
            continue
        uris = list(new_uris.get(download.gid, ())) or distinct_uris(files)
        if download.gid in new_uris and "out" not in kept:
            kept |= same_file_name(files, status)
        if not uris:
            result.errors.append(f"cannot retry {_label(download)}: it has no URI to add again")
            continue
        adds.append((download, RpcCall("aria2.addUri", [uris, kept])))
    if top:  # each goes to position 0: add the last first, so they keep their order
        adds = [(d, RpcCall(c.method, [*c.params, 0])) for d, c in reversed(adds)]
    if not adds:
        return result
    added = await client.multicall([call for _, call in adds])
    cleanup: list[tuple[Download, RpcCall]] = []
    for (download, _), reply in zip(adds, added, strict=True):
        if isinstance(reply, Aria2RpcError):
            result.errors.append(f"cannot retry {_label(download)}: {safe_text(reply.message)}")
            continue
        if fields.is_gid(reply):
            result.new_gids.append(reply)
            result.readded.append((download, reply))
        cleanup.append((download, RpcCall("aria2.removeDownloadResult", [download.gid])))
    if top:
        result.new_gids.reverse()
    removed = await run_calls(client, cleanup, "clear the failed result of")
    result.done += removed.done
    result.errors += removed.errors
    return result


def same_file_name(files: object, status: Mapping[str, object]) -> dict[str, str]:
    """``{"out": NAME}``: the file's path below the download's folder, so that a retry
    from other URIs writes (and goes on with) the same file; empty when unknown."""
    folder = fields.text(status.get("dir")) or ""
    paths = [fields.text(f.get("path")) or "" for f in fields.structs(files)]
    if len(paths) != 1 or not paths[0] or not folder:
        return {}
    path, root = PurePosixPath(paths[0]), PurePosixPath(folder)
    if not path.is_relative_to(root) or path == root:
        return {}
    return {"out": str(path.relative_to(root))}


def late_outcome(what: str, targets: Sequence[Download], snapshot: Snapshot) -> str:
    """What the table shows now of an action aria2 answered late: ``after pause/resume:
    a.iso is paused, b.iso is gone``."""
    if not targets:
        return f"aria2 answers again: the table shows the outcome of {what}"
    now = {d.gid: d for d in snapshot.downloads}
    states = [
        f"{_label(d)} is {now[d.gid].status if d.gid in now else 'gone'}" for d in targets[:3]
    ]
    more = f" and {len(targets) - 3} more" if len(targets) > 3 else ""
    return f"aria2 answers again; after {what}: " + ", ".join(states) + more
