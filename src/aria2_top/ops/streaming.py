"""S: watch while it downloads. For HTTP/FTP aria2 fetches pieces in order
(``stream-piece-selector=inorder``); for a torrent it can only put a head and a tail
first (``bt-prioritize-piece``), so the app moves the head window forward as the
file fills (:mod:`.model.stream_window`, :func:`move_window`). aria2 takes these
options only on a paused download (on a running one it restarts it). What is
*playable* is the part of the chosen file (the largest selected one) that is here
without a gap from its start."""

from __future__ import annotations

from aria2_top.model import fields
from aria2_top.model import format as fmt
from aria2_top.model.availability import Action, refusal
from aria2_top.model.downloads import RUNNING, Download
from aria2_top.model.fields import Struct
from aria2_top.model.playable import playable
from aria2_top.model.stream_window import FIRST_WINDOW, TAIL, WindowState, next_head, window_option
from aria2_top.ops.removal import wait_stopped
from aria2_top.rpc.client import Aria2Client
from aria2_top.rpc.errors import Aria2RpcError

HEAD_TAIL = window_option(FIRST_WINDOW)
STREAM_ON = {"bt-prioritize-piece": HEAD_TAIL, "stream-piece-selector": "inorder"}
STREAM_OFF = {"bt-prioritize-piece": "", "stream-piece-selector": "default"}
STATUS_KEYS = ["gid", "status", "files", "bitfield", "pieceLength", "numPieces", "dir"]
WINDOW_KEYS = ["status", "files", "bitfield", "pieceLength", "downloadSpeed", "bittorrent"]
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
    if on and download.is_torrent:
        return (
            f"streaming {name}: from its start onward while aria2-top runs, "
            f"its last {fmt.size(TAIL)} early (o plays it)"
        )
    if on:
        return f"streaming {name}: pieces in order from its start (o plays it)"
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


async def move_window(client: Aria2Client, gid: str, head: int) -> int | None:
    """Move the head window of the streamed torrent ``gid`` (asking ``head`` bytes
    now) forward when what plays has reached its end; aria2 restarts the torrent to
    take it. The new head, or None when it stays."""
    status = await client.tell_status(gid, WINDOW_KEYS)
    if status.get("status") != "active" or not isinstance(status.get("bittorrent"), dict):
        return None
    ready = playable(status)
    if ready is None:
        return None
    state = WindowState(
        head=head,
        playable=ready.playable,
        length=ready.length,
        piece_length=fields.count(status.get("pieceLength")) or 0,
        speed=fields.count(status.get("downloadSpeed")) or 0,
    )
    wanted = next_head(state)
    if wanted is None or wanted <= head:
        return None
    await client.change_option(gid, {"bt-prioritize-piece": window_option(wanted)})
    return wanted
