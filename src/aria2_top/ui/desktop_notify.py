"""Desktop notifications (``notify = true`` in the config file; off by default):
``notify-send`` where it exists, run without a shell, the text plain and short."""

from __future__ import annotations

import asyncio
import contextlib
import shutil

from aria2_top.model.format import safe_text

TIMEOUT = 5.0
"""Seconds a notify-send may take before it is left (it never holds the app up)."""
MAX_BODY = 200


def command(title: str, body: str, program: str | None = None) -> list[str] | None:
    """The notify-send command for one notification; None where there is none. The
    text comes from aria2 (names, errors): control characters are made harmless,
    and a leading ``-`` cannot be read as an option (``--`` ends them)."""
    program = program or shutil.which("notify-send")
    if program is None:
        return None
    body = safe_text(body)
    if len(body) > MAX_BODY:
        body = body[: MAX_BODY - 1] + "…"
    return [program, "--app-name=aria2-top", "--", safe_text(title), body]


async def send(title: str, body: str, program: str | None = None) -> bool:
    """Show one desktop notification; whether it could be sent."""
    argv = command(title, body, program)
    if argv is None:
        return False
    try:
        process = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
    except OSError:
        return False
    try:
        async with asyncio.timeout(TIMEOUT):
            return await process.wait() == 0
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        return False
