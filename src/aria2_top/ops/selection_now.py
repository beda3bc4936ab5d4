"""Apply a file selection now that aria2 would apply later (see
``model/selection_wait.py`` for the two waits and why these cures are safe)."""

from __future__ import annotations

import asyncio
import time

from aria2_top.model import fields
from aria2_top.rpc.client import Aria2Client

START_DEADLINE = 20.0
"""Seconds to wait for aria2 to start the download once a slot is made."""
LOOK_EVERY = 0.2


class CannotStartNow(Exception):
    """Why the download cannot be started now, in words."""


async def stop_now(client: Aria2Client, gid: str) -> None:
    """aria2 is stopping ``gid`` gracefully to restart it: stop it at once (a
    ``forcePause`` cuts the tracker's goodbye short; the restart aria2 asked for
    still follows, so it runs again rather than stays paused)."""
    await client.call("aria2.forcePause", gid)


async def start_now(client: Aria2Client, gid: str, deadline: float = START_DEADLINE) -> bool:
    """Start ``gid``, first in the queue of a daemon whose slots are all taken:
    ``max-concurrent-downloads`` one higher until it runs (or ``deadline`` seconds),
    then back to what it was, whatever happens (lowering it stops nothing). Whether
    it started. Raises :class:`CannotStartNow` when another download is first in
    the queue (it, not ``gid``, would take the slot)."""
    first = await client.tell_waiting(0, 1, ["gid"])
    if not first or first[0].get("gid") != gid:
        raise CannotStartNow("it is not first in aria2's queue: another download would start")
    was = fields.count((await client.get_global_option()).get("max-concurrent-downloads"))
    if not was:
        raise CannotStartNow("aria2 did not say its max-concurrent-downloads")
    await client.change_global_option({"max-concurrent-downloads": str(was + 1)})
    try:
        ends = time.monotonic() + deadline
        while time.monotonic() < ends:
            status = await client.tell_status(gid, ["status"])
            if status.get("status") != "waiting":
                return status.get("status") == "active"
            await asyncio.sleep(LOOK_EVERY)
        return False
    finally:
        await client.change_global_option({"max-concurrent-downloads": str(was)})
