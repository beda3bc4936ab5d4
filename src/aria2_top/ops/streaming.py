"""S: watch while it downloads. Streaming asks aria2 for a file's head and tail first
(``bt-prioritize-piece`` for torrents) and pieces in order (``stream-piece-selector``
for HTTP/FTP); aria2 takes these options only on a paused download. What is
*playable* is the part of the chosen file (the largest selected one) that is here
without a gap from its start."""

from __future__ import annotations

from aria2_top.model import format as fmt
from aria2_top.model.availability import Action, refusal
from aria2_top.model.downloads import RUNNING, Download
from aria2_top.model.fields import Struct
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
