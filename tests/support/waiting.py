"""Wait for a condition with a deadline: the only way tests wait for state."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

DEFAULT_DEADLINE = 20.0


async def wait_until(
    probe: Callable[[], Awaitable[T]],
    accept: Callable[[T], bool] = bool,
    *,
    timeout: float = DEFAULT_DEADLINE,
    what: str = "condition",
) -> T:
    """Call ``probe`` until ``accept`` holds for its value; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while True:
        last = await probe()
        if accept(last):
            return last
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}; last: {last!r}")
        await asyncio.sleep(0.05)


async def wait_for_status(client: object, gid: str, statuses: set[str], **kw: float) -> str:
    """Wait until download ``gid`` is in one of ``statuses``; return the status."""
    from tests.support.rpc import TestClient

    assert isinstance(client, TestClient)

    async def status() -> str:
        return str((await client.tell_status(gid, ["status"]))["status"])

    return await wait_until(status, lambda s: s in statuses, what=f"{gid} in {statuses}", **kw)
