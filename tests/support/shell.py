"""Running ``aria2-top VERB`` as a shell user does: a subprocess, its output and exit
status (the test's own HOME and XDG folders are in the environment)."""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass
from typing import Any, Protocol


class Reachable(Protocol):
    @property
    def url(self) -> str: ...

    @property
    def secret(self) -> str | None: ...


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


async def verb(*args: str, timeout: float = 60.0) -> Ran:
    """``aria2-top ARGS…`` in a subprocess (the event loop goes on meanwhile)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "aria2_top",
        *args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout)
    assert process.returncode is not None
    return Ran(process.returncode, out.decode(), err.decode())


def to(daemon: Reachable, name: str | None = None) -> list[str]:
    """The options that point a verb at ``daemon`` (``NAME=URL`` with a name)."""
    url = f"{name}={daemon.url}" if name else daemon.url
    return ["--rpc-url", url, "--secret", daemon.secret or ""]
