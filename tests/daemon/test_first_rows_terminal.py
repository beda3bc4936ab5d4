"""The first rows in a real terminal on a real aria2c: the downloads are on screen
before the app is loaded, a key typed meanwhile acts once it is, and the terminal is
left as it was found."""

from __future__ import annotations

import termios
from pathlib import Path

from tests.conftest import SLOW, DaemonFactory
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.terminal import TerminalApp, user_environment
from tests.support.waiting import wait_for_status, wait_until

SECRET = "first-rows-5e1f"
TEXTUAL_STARTED = b"\x1b[?1004h"
"""Textual's driver asks for focus events as it starts: the app is taking over."""
ALTERNATE_SCREEN = b"\x1b[?1049h"


async def test_the_first_rows_come_first_and_a_key_typed_meanwhile_acts(
    daemons: DaemonFactory, files: FileServer, tmp_path: Path
) -> None:
    daemon = await daemons.start(secret=SECRET)
    async with TestClient(daemon.url, SECRET) as client:
        gid = await client.add_uri(
            [files.make_file("first-row.bin", 1 << 20)], {"max-download-limit": SLOW}
        )
        await wait_for_status(client, gid, {"active"})
        env = user_environment(tmp_path)
        env.pop("TEXTUAL", None)
        terminal = TerminalApp(env, "--rpc-url", daemon.url, "--secret", SECRET)
        try:
            before = terminal.local_modes()

            async def drawn() -> bytes:
                return terminal.raw

            await wait_until(drawn, lambda raw: b"first-row.bin" in raw, what="the first rows")
            assert TEXTUAL_STARTED not in terminal.raw, "the app is not up yet"
            assert not terminal.local_modes() & termios.ECHO, "keys typed now are not echoed"
            terminal.press("p")  # on the first row, before the app is up: it waits for it
            await wait_for_status(client, gid, {"paused"})
            await wait_until(drawn, lambda raw: b"Quit" in raw, what="the app's footer")
            terminal.press("q")

            async def exited() -> int | None:
                return terminal.process.poll()

            await wait_until(exited, lambda code: code is not None, what="the end")
            after = terminal.local_modes()
        finally:
            terminal.close()
    assert terminal.process.returncode == 0
    raw = terminal.raw
    assert raw.index(b"first-row.bin") < raw.index(TEXTUAL_STARTED)
    assert raw.count(ALTERNATE_SCREEN) == 1, "the app drew over the first rows, not a blank"
    assert after & (termios.ECHO | termios.ICANON) == before & (termios.ECHO | termios.ICANON)
    assert after & termios.ECHO, "echo is back on for the shell"
