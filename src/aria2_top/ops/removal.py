"""Removing downloads with their data, on a daemon whose files are on this machine.

First the plan, shown to the user before anything happens: each download's files as
aria2 names them (selected or not), its ``.aria2`` control file and the ``.torrent``
aria2 saved for it, resolved against its own folder, and of those only the ones it
owns (see :mod:`ownership`: written by it, held by no other download of any daemon
here; :mod:`saved_metadata`: no other download of the same torrent); the others are
named with why they stay. Then, once confirmed: aria2 stops and removes the
downloads (so it no longer writes to the files), each owned file that is still the
one looked at goes, then the folders left empty, and the results are forgotten.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from aria2_top.live.listing import every_download
from aria2_top.model.downloads import STOPPED, Download
from aria2_top.model.format import safe_text
from aria2_top.model.ownership import STATUS_KEYS, claims_of, holders
from aria2_top.model.saved_metadata import Holding, hash_holders
from aria2_top.ops.local_files import Deleted, DeletionPlan, delete, plan_deletion, with_saved
from aria2_top.rpc.client import Aria2Client, RpcCall
from aria2_top.rpc.errors import Aria2RpcError

STOP_DEADLINE = 15.0
"""Seconds to wait for aria2 to let go of the files of the downloads it removes."""
HOLDER_KEYS = ["gid", "status", "files", "infoHash"]


class CannotTell(Exception):
    """Whether another download holds these files cannot be told (in words)."""


async def held_paths(client: Aria2Client, names: Mapping[str, str], exclude: set[str]) -> Holding:
    """Which of the daemon's downloads (but those of ``exclude``) hold each path (see
    :func:`ownership.holders`) and are of each torrent (:func:`hash_holders`: they
    use the metadata aria2 saved for it); ``names``: GID to name, for the words.
    Raises :class:`CannotTell` when the daemon lists too many to read them all."""
    listing = await every_download(client, HOLDER_KEYS)
    if listing.cut_short:
        raise CannotTell("the daemon lists more downloads than can be checked")

    def holding() -> Holding:
        everything = listing.everything
        return Holding(
            holders(everything, dict(names), exclude),
            hash_holders(everything, names, exclude),
        )

    return await asyncio.to_thread(holding)


async def plan_removal(
    client: Aria2Client, targets: Sequence[Download], held: Holding
) -> dict[str, DeletionPlan | None]:
    """Each target's deletion plan, by GID (one multicall; the files are looked at in
    a thread), the metadata aria2 saved for a torrent among them when no other
    download uses it. ``held``: what the other downloads hold (:func:`held_paths`, of
    every daemon whose files are here)."""
    replies = await client.multicall(
        [RpcCall("aria2.tellStatus", [d.gid, STATUS_KEYS]) for d in targets]
    )

    def plans() -> list[DeletionPlan | None]:
        found: list[DeletionPlan | None] = []
        taken: set[Path] = set()
        for reply in replies:
            claims = None if isinstance(reply, Aria2RpcError) else claims_of(reply)
            if claims is None:
                found.append(None)
                continue
            plan = plan_deletion(claims, held.paths)
            found.append(with_saved(plan, claims, held, taken))
        return found

    found = await asyncio.to_thread(plans)
    return {d.gid: plan for d, plan in zip(targets, found, strict=True)}


@dataclass(slots=True)
class RemovedWithData:
    """What removing with data did."""

    removed: list[str] = field(default_factory=list)
    files: int = 0
    size: int = 0
    errors: list[str] = field(default_factory=list)
    deleted: dict[str, Deleted] = field(default_factory=dict)
    """What was deleted of each download, by GID."""


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
        outcome.deleted[download.gid] = result
        outcome.files += result.files
        outcome.size += result.size
        outcome.errors += [
            f"{safe_text(download.name)}: {safe_text(error)}" for error in result.errors
        ]
    if done:
        replies = await client.multicall(
            [RpcCall("aria2.removeDownloadResult", [d.gid]) for d in done]
        )
        refused = []
        for download, reply in zip(done, replies, strict=True):
            if isinstance(reply, Aria2RpcError):
                refused.append(download.gid)
            else:
                outcome.removed.append(download.gid)
        # A queued download that never ran leaves no result to forget: it is gone.
        outcome.removed += await forgotten(client, refused)
    return outcome


async def forgotten(client: Aria2Client, gids: list[str]) -> list[str]:
    """Those of ``gids`` aria2 no longer knows at all."""
    if not gids:
        return []
    replies = await client.multicall([RpcCall("aria2.tellStatus", [gid, ["gid"]]) for gid in gids])
    return [
        gid for gid, reply in zip(gids, replies, strict=True) if isinstance(reply, Aria2RpcError)
    ]
