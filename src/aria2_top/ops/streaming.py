"""S: watch while it downloads. Streaming asks aria2 for a file's head and tail first
(``bt-prioritize-piece`` for torrents) and pieces in order (``stream-piece-selector``
for HTTP/FTP); aria2 takes these options only on a paused download. What is
*playable* is the part of the chosen file (the largest selected one) that is here
without a gap from its start."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from aria2_top.model import fields
from aria2_top.model import format as fmt
from aria2_top.model.availability import Action, refusal
from aria2_top.model.downloads import RUNNING, Download
from aria2_top.model.fields import Struct
from aria2_top.model.pieces import piece_bits, valid_bitfield
from aria2_top.ops.removal import wait_stopped
from aria2_top.rpc.client import Aria2Client
from aria2_top.rpc.errors import Aria2RpcError

HEAD_TAIL = "head=8M,tail=8M"
STREAM_ON = {"bt-prioritize-piece": HEAD_TAIL, "stream-piece-selector": "inorder"}
STREAM_OFF = {"bt-prioritize-piece": "", "stream-piece-selector": "default"}
STATUS_KEYS = ["gid", "status", "files", "bitfield", "pieceLength", "numPieces", "dir"]
OPEN_AT = 4 * 2**20
"""Playable bytes from the start needed before ``o`` opens an unfinished file."""


def is_streaming(options: Struct) -> bool:
    """Whether a download's options (getOption) ask for streaming."""
    return options.get("stream-piece-selector") == "inorder" or bool(
        options.get("bt-prioritize-piece")
    )


@dataclass(frozen=True, slots=True)
class Playable:
    """How much of the chosen file can be played from its start."""

    path: str
    length: int
    playable: int

    @property
    def fraction(self) -> float:
        return self.playable / self.length if self.length else 0.0

    @property
    def complete(self) -> bool:
        return self.length > 0 and self.playable >= self.length


def playable(status: Struct) -> Playable | None:
    """The playable part of the largest selected file of a download (tellStatus with
    ``files``, ``bitfield``, ``pieceLength``); None when it has no such file yet."""
    files = fields.structs(status.get("files"))
    piece_length = fields.count(status.get("pieceLength")) or 0
    offsets: list[tuple[int, int, Struct]] = []
    offset = 0
    for file in files:
        length = fields.count(file.get("length")) or 0
        offsets.append((offset, length, file))
        offset += length
    chosen = [
        (start, length, file)
        for start, length, file in offsets
        if file.get("selected") != "false" and length > 0
    ]
    if not chosen:
        return None
    start, length, file = max(chosen, key=lambda item: item[1])
    path = fields.text(file.get("path")) or ""
    if not path or path.startswith("[METADATA]"):
        return None
    completed = fields.count(file.get("completedLength")) or 0
    if completed >= length:
        return Playable(path, length, length)
    if piece_length <= 0:
        return Playable(path, length, 0)
    bits = piece_bits(valid_bitfield(status.get("bitfield")))
    piece = start // piece_length
    while piece < len(bits) and bits[piece]:
        piece += 1
    here = max(0, min(length, piece * piece_length - start))
    return Playable(path, length, here)


def playable_words(ready: Playable) -> str:
    """``41% of movie.mkv (12.3 MiB from its start)``."""
    name = fmt.safe_text(posixpath.basename(ready.path) or ready.path)
    return (
        f"{fmt.percent(ready.fraction)} of {name} ({fmt.long_size(ready.playable)} from its start)"
    )


async def toggle_streaming(client: Aria2Client, download: Download) -> str:
    """Turn streaming on (or off, when on) for ``download``; aria2 takes these options
    only while it is paused, so a running one is paused a moment. Says what it did."""
    name = fmt.safe_text(download.name)
    declined = refusal(Action.STREAM, download)
    if declined:
        return declined
    options = await client.get_option(download.gid)
    on = not is_streaming(options)
    running = download.status in RUNNING
    if running:
        await client.pause(download.gid)
    try:
        if running and await wait_stopped(client, [download.gid], ("paused",)):
            return f"cannot stream {name}: aria2 did not pause it in time; it runs on"
        await client.change_option(download.gid, STREAM_ON if on else STREAM_OFF)
    finally:
        if running:
            await resume_after_pause(client, download.gid)
    if on:
        return f"streaming {name}: its head and tail first, pieces in order (o plays it)"
    return f"streaming off for {name}"


async def resume_after_pause(client: Aria2Client, gid: str) -> None:
    """Resume ``gid``, paused a moment ago by us: once aria2 has paused it (a pause
    can land late), so that it never stays paused behind the user's back."""
    for _ in range(2):
        try:
            await client.unpause(gid)
            return
        except Aria2RpcError:
            # Not paused yet: wait for the pause to land, then once more.
            await wait_stopped(client, [gid], ("paused", "removed", "complete", "error"))
