"""Removing downloads with their data, on a daemon whose files are on this machine.

First the plan, shown to the user before anything happens: each download's files as
aria2 names them (selected or not), its ``.aria2`` control file, resolved against its
own folder (see :mod:`local_files`). Then, once confirmed: aria2 stops and removes
the downloads (so it no longer writes to the files), the files and the folders left
empty go, and the results are forgotten.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from aria2_top.core import fields
from aria2_top.core.actions import raise_auth_error
from aria2_top.core.format import safe_text
from aria2_top.core.local_files import DeletionPlan, control_file, delete, plan_deletion
from aria2_top.core.model import STOPPED, Download
from aria2_top.rpc.client import Aria2Client, RpcCall
from aria2_top.rpc.errors import Aria2RpcError

FILE_KEYS = ["gid", "status", "dir", "files", "bittorrent"]
STOP_DEADLINE = 15.0
"""Seconds to wait for aria2 to let go of the files of the downloads it removes."""


def _plan_of(struct: object) -> DeletionPlan | None:
    """The deletion plan of one tellStatus reply (None: it names no folder)."""
    status = fields.struct(struct)
    if status is None:
        return None
    folder = fields.text(status.get("dir"))
    if not folder:
        return None
    paths = [fields.text(f.get("path")) or "" for f in fields.structs(status.get("files"))]
    paths = [p for p in paths if p and not p.startswith("[METADATA]")]
    info = fields.struct((fields.struct(status.get("bittorrent")) or {}).get("info"))
    torrent = fields.text(info.get("name")) if info else None
    multi = (fields.struct(status.get("bittorrent")) or {}).get("mode") == "multi"
    return plan_deletion(folder, paths, control_file(folder, paths, torrent if multi else None))


async def plan_removal(
    client: Aria2Client, targets: Sequence[Download]
) -> dict[str, DeletionPlan | None]:
    """Each target's deletion plan, by GID (one multicall; the files are looked at in
    a thread)."""
    replies = await client.multicall(
        [RpcCall("aria2.tellStatus", [d.gid, FILE_KEYS]) for d in targets]
    )
    for reply in replies:
        raise_auth_error(reply)
    plans = await asyncio.to_thread(
        lambda: [None if isinstance(r, Aria2RpcError) else _plan_of(r) for r in replies]
    )
    return {d.gid: plan for d, plan in zip(targets, plans, strict=True)}


@dataclass(slots=True)
class RemovedWithData:
    """What removing with data did."""

    removed: list[str] = field(default_factory=list)
    files: int = 0
    size: int = 0
    errors: list[str] = field(default_factory=list)


async def wait_stopped(
    client: Aria2Client,
    gids: list[str],
    statuses: tuple[str, ...] = ("removed", "complete", "error"),
) -> list[str]:
    """Wait until each of ``gids`` is in one of ``statuses`` (by default: stopped;
    aria2 has closed its files then); returns those that did not get there in time."""
    deadline = time.monotonic() + STOP_DEADLINE
    waiting = list(gids)
    while waiting:
        replies = await client.multicall(
            [RpcCall("aria2.tellStatus", [gid, ["status"]]) for gid in waiting]
        )
        waiting = [
            gid
            for gid, reply in zip(waiting, replies, strict=True)
            if isinstance(reply, dict) and reply.get("status") not in statuses
        ]
        if not waiting or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)
    return waiting


async def remove_with_data(
    client: Aria2Client, targets: Sequence[Download], plans: dict[str, DeletionPlan | None]
) -> RemovedWithData:
    """Stop and remove ``targets``, delete the files of their ``plans``, forget them.
    Only for a daemon whose files are on this machine (the caller checks)."""
    outcome = RemovedWithData()
    kept: set[str] = set()
    """Downloads aria2 would not stop, or not in time: their files stay."""
    running = [d for d in targets if d.status not in STOPPED]
    if running:
        replies = await client.multicall([RpcCall("aria2.forceRemove", [d.gid]) for d in running])
        for download, reply in zip(running, replies, strict=True):
            raise_auth_error(reply)
            if isinstance(reply, Aria2RpcError):
                kept.add(download.gid)
                outcome.errors.append(
                    f"cannot remove {safe_text(download.name)}: {safe_text(reply.message)}"
                )
        late = await wait_stopped(client, [d.gid for d in running if d.gid not in kept])
        for gid in late:
            kept.add(gid)
            outcome.errors.append(f"aria2 did not stop {gid} in time: its files stay")
    done = [d for d in targets if d.gid not in kept]
    for download in done:
        plan = plans.get(download.gid)
        if plan is None:
            continue
        result = await asyncio.to_thread(delete, plan)
        outcome.files += result.files
        outcome.size += result.size
        outcome.errors += [safe_text(error) for error in result.errors]
    if done:
        replies = await client.multicall(
            [RpcCall("aria2.removeDownloadResult", [d.gid]) for d in done]
        )
        for download, reply in zip(done, replies, strict=True):
            raise_auth_error(reply)
            if not isinstance(reply, Aria2RpcError):
                outcome.removed.append(download.gid)
    return outcome
