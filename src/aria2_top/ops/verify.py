"""V: check a torrent's data against its piece hashes, the way aria2 allows it.

aria2 hashes a download's data only as it is added with ``check-integrity=true``.
So the download is removed (its files stay) and added again from the ``.torrent``
aria2 saved when it was added by RPC (``rpc-save-upload-metadata``,
``<dir>/<sha1>.torrent``), with its options and position, as a transaction that
never loses it (see :mod:`readd`); it shows as *checking*, and what the check found
is the pieces it had before and has after. A paused download is checked at once and
paused again once checked (:attr:`Verifying.pause_after`).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from aria2_top.model import fields
from aria2_top.model.downloads import Download, Status
from aria2_top.model.format import plural
from aria2_top.model.pieces import pieces_present, valid_bitfield
from aria2_top.ops.readd import Between, Follow, ReAdded, re_add
from aria2_top.rpc.client import Aria2Client

CHECK = {"check-integrity": "true"}
PAUSE_SETTLES = 5.0
"""Seconds to wait for aria2 to pause a checked download before it is moved back."""


@dataclass(frozen=True, slots=True)
class Verifying:
    """A download added again to be checked: its new GID, and what it had before."""

    gid: str
    name: str
    pieces: int
    before: int
    pause_after: bool = False
    """It was paused: it is paused again once checked (at ``position``)."""
    position: int | None = None
    problems: tuple[str, ...] = ()
    """What went wrong on the way (a move that failed), in words."""


async def start_verify(
    client: Aria2Client,
    download: Download,
    *,
    data_dir: Path,
    between: Between | None = None,
    new_dir: str | None = None,
    follow: Follow | None = None,
) -> Verifying | str:
    """Re-add ``download`` to have aria2 check it; one sentence in words when that was
    not done (nothing removed, or the download added back as it was).

    ``between`` runs once aria2 has let go of the download (given its folder; it
    returns a problem in words, or None), and ``new_dir`` is where it is added again
    (when ``between`` went well): a seeding torrent is moved so. ``follow`` is told
    the new GID (see :func:`re_add`)."""
    outcome = await re_add(
        client,
        download,
        CHECK,
        what="verify",
        data_dir=data_dir,
        between=between,
        moved_to=new_dir,
        follow=follow,
    )
    if isinstance(outcome, str):
        return outcome
    return verifying(outcome, paused=download.status is Status.PAUSED)


def verifying(outcome: ReAdded, *, paused: bool) -> Verifying | str:
    """What a re-add for a check ended in: the check under way, or the sentence."""
    held = outcome.held
    if not outcome.done or outcome.gid is None:
        return outcome.said
    return Verifying(
        outcome.gid,
        held.name,
        held.pieces,
        held.present,
        paused,
        held.position,
        tuple(outcome.problems),
    )


class Verdict(NamedTuple):
    """What a check found, in words; ``bad``: pieces failed it (aria2 gets them again)."""

    words: str
    bad: bool = False


def verdict(check: Verifying, bitfield: object, pieces: object) -> Verdict:
    """What the check found: ``3 of 512 pieces bad: downloading them again``."""
    count = fields.count(pieces) or check.pieces
    after = pieces_present(valid_bitfield(bitfield))
    bad = max(0, check.before - after)
    if bad:
        return Verdict(f"{check.name}: {bad} of {count} pieces bad: downloading them again", True)
    if after == 0:
        return Verdict(f"{check.name}: none of its {plural(count, 'piece')} is here yet")
    if after < count:
        return Verdict(
            f"{check.name}: the {plural(after, 'piece')} it has are good ({count} in all)"
        )
    return Verdict(f"{check.name}: verified, all {plural(count, 'piece')} good")


async def pause_again(client: Aria2Client, gid: str, position: int | None) -> None:
    """Pause a download checked while it had been paused, and put it back at its
    ``position`` in the queue (aria2 puts a paused download in front)."""
    await client.pause(gid)
    if position is None:
        return
    deadline = time.monotonic() + PAUSE_SETTLES
    while (await client.tell_status(gid, ["status"])).get("status") != "paused":
        if time.monotonic() > deadline:
            return
        await asyncio.sleep(0.05)
    await client.change_position(gid, position, "POS_SET")
