"""Removing a torrent to add it again, as a transaction that never loses it.

aria2 hashes a download's data only as it is added with ``check-integrity=true``, and
points a download at another folder only as it is added: ``V`` (verify) and ``M``
(move a seeding torrent) remove the download and add it again. In that order:

1. **Gather** everything adding it back needs, before anything is removed: the
   ``.torrent`` aria2 saved for it (checked: its info hash is the download's), its
   options (file selection, limits, folder), its place in the queue, its state.
   When something is missing, nothing is removed and the reason is said.
2. **Remove** it: stop it (a queued one that never ran is gone at once), wait until
   aria2 has let go of its files, forget its result.
3. **Between**: what needs it gone (moving its files), if anything.
4. **Add** it again with the change asked for. A reply that is no GID, a stall or a
   dropped link leaves it unknown whether aria2 took it: aria2 is asked whether it
   now holds a download of that info hash.
5. **Add it back as it was, paused**, when step 4 failed (a complete one is checked
   as it comes back, so it seeds again on resume). Should that fail too, the
   ``.torrent`` and options are written to the data folder (``rescued/``) and the
   sentence says where.

Every outcome is one sentence in words: what happened and in which state the
download is now. aria2's own error is only given as the reason, never instead of it.

Once aria2 holds it again (step 4 or 5), ``follow`` is told its new GID: the app then
knows it for the same download (see ``model/lineage.py``).
"""

from __future__ import annotations

import asyncio
import base64
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from aria2_top.live.listing import every_download
from aria2_top.model import fields
from aria2_top.model.availability import Action, reason
from aria2_top.model.bencode import BencodeError, info_hash
from aria2_top.model.downloads import QUEUED, RUNNING, STOPPED, Download, Status
from aria2_top.model.format import safe_text
from aria2_top.model.pieces import pieces_present, valid_bitfield
from aria2_top.ops.actions import NOT_COPIED_ON_RETRY
from aria2_top.ops.saved_torrents import find_torrent
from aria2_top.rpc.client import Aria2Client, RpcCall, kind_of
from aria2_top.rpc.errors import Aria2AuthError, Aria2Error, Aria2ProtocolError, Aria2RpcError
from aria2_top.storage.private_files import ensure_private_dir, open_private, write_private_file

STATUS_KEYS = ["gid", "status", "dir", "infoHash", "numPieces", "bitfield", "bittorrent"]
STOP_DEADLINE = 15.0
"""Seconds to wait for aria2 to let go of the download's files."""
ADD_BACK_DEADLINE = 30.0
"""Seconds to keep trying to add the download back (aria2 stalled, the link down)."""
RETRY_GAP = 0.5
UNANSWERED_REMOVAL = 3.0
"""Seconds a download aria2 did not answer the removal of may take to stop (a
removal that reached aria2 stops it within moments)."""
RESCUE_FOLDER = "rescued"


@dataclass(frozen=True, slots=True)
class Held:
    """Everything adding a download back needs, gathered before it is removed."""

    gid: str
    name: str
    metadata: bytes
    info_hash: str
    options: dict[str, str]
    """Its own options as aria2 reported them (the folder, the file selection…)."""
    position: int | None
    """Where it goes back in the queue: its place (waiting or paused), the front
    (running: it takes its slot again), or the end (None: stopped)."""
    status: Status
    folder: str
    pieces: int
    present: int
    """Pieces it had (from its bitfield)."""

    @property
    def finished(self) -> bool:
        return self.status in (Status.COMPLETE, Status.SEEDING)


@dataclass(slots=True)
class ReAdded:
    """How the transaction ended."""

    held: Held
    gid: str | None = None
    """The download as aria2 holds it now (None: aria2 holds none)."""
    done: bool = False
    """The change asked for was made."""
    said: str = ""
    """One sentence: what happened, and the state the download is in now."""
    problems: list[str] = field(default_factory=list)


def running_place(download: Download) -> int | None:
    """A running download comes back at the front of the queue; a stopped one at the
    end (None)."""
    return 0 if download.status in RUNNING else None


def _label(download: Download) -> str:
    return safe_text(download.name)[:80]


async def gather(client: Aria2Client, download: Download, what: str) -> Held | str:
    """Step 1 (see the module docstring); the reason in words when it cannot be done
    (``what``: the action, for the words: ``verify``)."""
    name = _label(download)
    declined = reason(Action.VERIFY, download)
    if declined:
        return f"cannot {what} {name}: {declined}"
    try:
        status, options = await client.multicall(
            [
                RpcCall("aria2.tellStatus", [download.gid, STATUS_KEYS]),
                RpcCall("aria2.getOption", [download.gid]),
            ]
        )
    except Aria2RpcError:
        raise
    except Aria2Error as exc:
        return f"cannot {what} {name}: {_no_answer(exc)}; nothing changed"
    for reply in (status, options):
        if isinstance(reply, Aria2RpcError):
            why = safe_text(reply.message)[:120]
            return f"cannot {what} {name}: aria2 would not describe it ({why}); nothing changed"
    if not isinstance(status, dict) or not isinstance(options, dict):
        return f"cannot {what} {name}: aria2 described it wrongly; nothing changed"
    hash_ = (fields.text(status.get("infoHash"), 64) or "").lower()
    if not hash_:
        return (
            f"cannot {what} {name}: only a torrent can be checked again (aria2 checks "
            "other downloads only as they are added)"
        )
    folder = fields.text(status.get("dir")) or ""
    data = await asyncio.to_thread(find_torrent, folder, hash_) if folder else None
    if data is None:
        return (
            f"cannot {what} {name}: no saved .torrent of it in its folder (aria2 saves "
            "one when a torrent is added by RPC: rpc-save-upload-metadata)"
        )
    kept = {
        k: v
        for k, v in options.items()
        if isinstance(k, str) and isinstance(v, str) and k not in NOT_COPIED_ON_RETRY
    }
    return Held(
        gid=download.gid,
        name=name,
        metadata=data,
        info_hash=hash_,
        options=kept,
        # A running one goes back in front of the queue: it takes its slot again.
        position=download.queue_position if download.status in QUEUED else running_place(download),
        status=download.status,
        folder=folder,
        pieces=fields.count(status.get("numPieces")) or 0,
        present=pieces_present(valid_bitfield(status.get("bitfield"))),
    )


async def take_out(client: Aria2Client, held: Held) -> str | None:
    """Step 2: None once aria2 was told to remove the download (and has, or will),
    else why not (nothing was removed then: aria2 refused to stop it). Once aria2
    took the removal, the transaction goes on whatever follows: the download goes."""
    if held.status not in STOPPED:
        try:
            reply = await client.call("aria2.forceRemove", held.gid)
            if reply != held.gid:  # aria2 answers the GID: it may not have taken this
                raise Aria2ProtocolError(f"aria2 answered {kind_of(reply)} to the removal")
        except Aria2AuthError:
            raise
        except Aria2RpcError as exc:
            if await _holds(client, held.gid):
                return f"aria2 refused to stop it ({safe_text(exc.message)})"
        await _let_go(client, held.gid, STOP_DEADLINE + ADD_BACK_DEADLINE)
    try:
        await client.remove_download_result(held.gid)
    except Aria2AuthError:
        raise
    except Aria2RpcError:
        pass  # gone already (a queued one that never ran)
    return None


async def _holds(client: Aria2Client, gid: str) -> bool:
    """Whether aria2 still knows ``gid`` in any state."""
    try:
        await client.tell_status(gid, ["gid"])
    except Aria2AuthError:
        raise
    except Aria2RpcError:
        return False
    return True


async def _let_go(client: Aria2Client, gid: str, seconds: float = STOP_DEADLINE) -> bool:
    """Wait until ``gid`` is stopped, or gone (a queued download that never ran goes
    at once); False when it is neither within ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            status = await client.tell_status(gid, ["status"])
        except Aria2AuthError:
            raise
        except Aria2RpcError:
            return True  # gone
        if status.get("status") in ("removed", "complete", "error"):
            return True
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.1)


async def put_in(
    client: Aria2Client, held: Held, options: dict[str, str], position: int | None
) -> str:
    """Add the held torrent with ``options``; its GID. When the reply leaves it unknown
    whether aria2 took it (no GID, a stall, a dropped link), aria2 is asked whether it
    holds a download of that info hash now; raises :class:`Aria2Error` when not."""
    encoded = base64.b64encode(held.metadata).decode()
    place = [] if position is None else [position]
    try:
        gid = await client.call("aria2.addTorrent", encoded, [], options, *place)
    except Aria2RpcError:
        raise  # refused: it did not take it
    except Aria2Error:
        found = await holding(client, held.info_hash)
        if found is None:
            raise
        return found
    if fields.is_gid(gid):
        return gid
    found = await holding(client, held.info_hash)
    if found is None:
        raise Aria2Error(f"aria2 answered {safe_text(repr(gid))[:40]}, not a GID")
    return found


async def holding(client: Aria2Client, hash_: str) -> str | None:
    """The GID of the running or queued download of info hash ``hash_``, if any."""
    listing = await every_download(client, ["gid", "infoHash", "status"])
    for entry in [*listing.active, *listing.waiting]:
        if str(entry.get("infoHash", "")).lower() == hash_ and fields.is_gid(entry.get("gid")):
            return str(entry["gid"])
    return None


def as_it_was(held: Held) -> dict[str, str]:
    """The options to add ``held`` back as it was, paused; a finished torrent is
    checked as it comes back, so that it seeds again once resumed."""
    options = {**held.options, "pause": "true"}
    if held.finished:
        options["check-integrity"] = "true"
    return options


async def add_back(client: Aria2Client, held: Held, options: dict[str, str]) -> str | None:
    """Step 5: add ``held`` back with ``options``, trying again while aria2 stalls or
    the link is down (for :data:`ADD_BACK_DEADLINE`); its GID, or None."""
    deadline = time.monotonic() + ADD_BACK_DEADLINE
    while True:
        try:
            return await put_in(client, held, options, held.position)
        except Aria2Error:
            if time.monotonic() > deadline:
                return None
        await asyncio.sleep(RETRY_GAP)


def rescue(held: Held, data_dir: Path) -> Path | None:
    """Write the held ``.torrent`` (and its options beside it) to the data folder;
    where, or None when that failed too."""
    folder = data_dir / RESCUE_FOLDER
    stem = f"{held.info_hash[:12]}-{held.gid}"
    try:
        ensure_private_dir(folder)
        path = folder / f"{stem}.torrent"
        with os.fdopen(open_private(path), "wb") as handle:
            handle.write(held.metadata)
        lines = [f" {key}={value}" for key, value in sorted(held.options.items())]
        write_private_file(folder / f"{stem}.options", "\n".join([str(path), *lines]) + "\n")
    except OSError:
        return None
    return path


Between = Callable[[str], Awaitable[str | None]]
"""Work done while the download is out (given its folder): a problem in words, or None."""
Follow = Callable[[Download, str], None]
"""Told the download as it was and the GID aria2 holds it by again."""


async def re_add(
    client: Aria2Client,
    download: Download,
    changes: dict[str, str],
    *,
    what: str,
    data_dir: Path,
    between: Between | None = None,
    moved_to: str | None = None,
    paused: bool = False,
    follow: Follow | None = None,
) -> ReAdded | str:
    """The whole transaction (see the module docstring): the reason in words when it
    was not begun (nothing removed), else how it ended. ``changes``: the options
    changed on the new download; ``moved_to``: its new folder, once ``between``
    went well; ``paused``: add it paused (else running, or queued at its place);
    ``follow``: told the new GID once aria2 holds it again."""
    held = await gather(client, download, what)
    if isinstance(held, str):
        return held
    if not _whole_torrent(held):
        return f"cannot {what} {held.name}: its saved .torrent is not of this download"
    try:
        problem = await take_out(client, held)
    except Aria2RpcError:
        raise
    except Aria2Error as exc:  # no answer: did aria2 remove it?
        problem = await _after_no_answer(client, held, safe_text(str(exc))[:120])
    if problem is not None:
        return f"cannot {what} {held.name}: {problem}; it stays as it was"
    outcome = ReAdded(held)
    moved = None
    if between is not None:
        moved = await between(held.folder)
        if moved is not None:
            outcome.problems.append(moved)
    options = {**held.options, **changes, **({"pause": "true"} if paused else {})}
    if moved_to is not None and moved is None:
        options["dir"] = moved_to
    try:
        outcome.gid = await put_in(client, held, options, held.position)
        outcome.done = True
        if follow is not None:
            follow(download, outcome.gid)
        return outcome
    except Aria2Error as exc:
        reason = safe_text(str(exc))[:120]
    back = as_it_was(held)
    if moved_to is not None and moved is None:
        back["dir"] = moved_to  # the files are there now
    outcome.gid = await add_back(client, held, back)
    if outcome.gid is not None:
        if follow is not None:
            follow(download, outcome.gid)
        outcome.said = (
            f"{held.name}: aria2 did not take it back to {what} ({reason}), so it was "
            "added back as it was, paused"
        )
        return outcome
    saved = rescue(held, data_dir)
    where = f"its .torrent and options are in {saved}" if saved else "nothing could be saved"
    outcome.said = (
        f"{held.name} was removed to {what} and aria2 took it back neither way ({reason}): "
        f"{where} (aria2-top add adds it)"
    )
    return outcome


async def _after_no_answer(client: Aria2Client, held: Held, reason: str) -> str | None:
    """aria2 gave no answer (or a wrong one) to the removal: None once the download
    is known gone (it is then added back as the transaction goes on), else why it
    stays (aria2 still holds it as it was, or does not answer at all for
    :data:`ADD_BACK_DEADLINE`)."""
    deadline = time.monotonic() + ADD_BACK_DEADLINE
    while True:
        try:
            if not await _holds(client, held.gid):
                return None
            if await _let_go(client, held.gid, UNANSWERED_REMOVAL):
                await client.remove_download_result(held.gid)
                return None
            return f"aria2 did not take the removal ({reason})"
        except Aria2RpcError:
            return None  # forgotten between the two calls
        except Aria2Error:
            if time.monotonic() > deadline:
                return f"aria2 does not answer ({reason})"
        await asyncio.sleep(RETRY_GAP)


def _no_answer(error: Aria2Error) -> str:
    return f"aria2 did not answer ({safe_text(str(error))[:120]})"


def _whole_torrent(held: Held) -> bool:
    """The saved metadata is the download's own (the finder checked it; a file
    changed since is caught here)."""
    try:
        return info_hash(held.metadata) == held.info_hash
    except BencodeError:
        return False
