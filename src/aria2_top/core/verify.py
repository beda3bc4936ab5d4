"""V: check a torrent's data against its piece hashes, the way aria2 allows it.

aria2 hashes a download's data only as it is added with ``check-integrity=true``.
So a download is stopped and removed (its files stay), then added again from the
``.torrent`` aria2 saved when it was added by RPC (``rpc-save-upload-metadata``,
``<dir>/<sha1>.torrent``), with its options and position; it shows as *checking*,
and what the check found is the pieces it had before and has after.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aria2_top.core import fields
from aria2_top.core.actions import NOT_COPIED_ON_RETRY, raise_auth_error
from aria2_top.core.format import plural, safe_text
from aria2_top.core.model import STOPPED, Download
from aria2_top.core.pieces import pieces_present, valid_bitfield
from aria2_top.core.removal import wait_stopped
from aria2_top.core.saved_torrents import find_torrent
from aria2_top.rpc.client import Aria2Client, RpcCall
from aria2_top.rpc.errors import Aria2Error

STATUS_KEYS = ["gid", "status", "dir", "infoHash", "numPieces", "bitfield", "bittorrent"]


@dataclass(frozen=True, slots=True)
class Verifying:
    """A download added again to be checked: its new GID, and what it had before."""

    gid: str
    name: str
    pieces: int
    before: int


async def start_verify(
    client: Aria2Client,
    download: Download,
    *,
    between: Callable[[str], Awaitable[str | None]] | None = None,
    new_dir: str | None = None,
) -> Verifying | str:
    """Re-add ``download`` to have aria2 check it; the reason in words when it cannot.

    ``between`` runs once aria2 has let go of the download (given its folder; it
    returns a problem in words, or None), and ``new_dir`` is where it is added again
    (when ``between`` went well): a seeding torrent is moved so."""
    name = safe_text(download.name)
    status, options = await client.multicall(
        [
            RpcCall("aria2.tellStatus", [download.gid, STATUS_KEYS]),
            RpcCall("aria2.getOption", [download.gid]),
        ]
    )
    raise_auth_error(status)
    raise_auth_error(options)
    if not isinstance(status, dict) or not isinstance(options, dict):
        return f"cannot verify {name}: aria2 no longer knows it"
    hash_ = fields.text(status.get("infoHash"), 64) or ""
    if not hash_:
        return (
            f"cannot verify {name}: only a torrent can be checked again (aria2 checks other "
            "downloads only as they are added)"
        )
    folder = fields.text(status.get("dir")) or ""
    data = await asyncio.to_thread(find_torrent, folder, hash_) if folder else None
    if data is None:
        return (
            f"cannot verify {name}: no saved .torrent of it in its folder (aria2 saves one "
            "when a torrent is added by RPC: rpc-save-upload-metadata)"
        )
    pieces = fields.count(status.get("numPieces")) or 0
    before = pieces_present(valid_bitfield(status.get("bitfield")))
    kept = {
        k: v
        for k, v in options.items()
        if isinstance(k, str) and isinstance(v, str) and k not in NOT_COPIED_ON_RETRY
    }
    kept["check-integrity"] = "true"
    if download.status not in STOPPED:
        await client.force_remove(download.gid)
        if await wait_stopped(client, [download.gid]):
            return f"cannot verify {name}: aria2 did not stop it in time"
    await client.remove_download_result(download.gid)
    problem = await between(folder) if between is not None else None
    if new_dir is not None and problem is None:
        kept["dir"] = new_dir
    position = [download.queue_position] if download.queue_position is not None else []
    try:
        encoded = base64.b64encode(data).decode()
        gid = await client.call("aria2.addTorrent", encoded, [], kept, *position)
    except Aria2Error as exc:
        return f"{name} was removed but not added again ({exc}): add its .torrent again"
    if not fields.is_gid(gid):
        return f"cannot verify {name}: aria2 answered {fields.text(gid, 40)!r}"
    if problem is not None:
        return f"{name}: {problem}; it stays where it was"
    return Verifying(gid, name, pieces, before)


def verdict(check: Verifying, bitfield: object, pieces: object) -> str:
    """What the check found: ``3 of 512 pieces bad: downloading them again``."""
    count = fields.count(pieces) or check.pieces
    after = pieces_present(valid_bitfield(bitfield))
    bad = max(0, check.before - after)
    if bad:
        return f"{check.name}: {bad} of {count} pieces bad: downloading them again"
    if after < count:
        return f"{check.name}: the {plural(after, 'piece')} it has are good ({count} in all)"
    return f"{check.name}: verified, all {plural(count, 'piece')} good"
