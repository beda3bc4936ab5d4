"""One private daemon, shared by every aria2-top of the user.

Each running app holds a *lease* on it: a small file in ``<data>/leases/`` naming
its process (PID and start time). The daemon is stopped only by the last app that
lets go of it; a lease whose process is gone (killed, crashed) does not count. An
app whose daemon vanished starts it again, or joins the one another app already
restarted. A lock file serialises finding, starting and stopping, so two apps
starting or quitting at once never race.

Global options the user sets in the app are kept here too, and given to the
daemon each time it starts: aria2's session file keeps downloads, not them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import sys
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from aria2_top.daemon.process import (
    LOG_NAME,
    DaemonError,
    RunningDaemon,
    find_running_private_daemon,
    pid_alive,
    process_identity,
    start_private_daemon,
)
from aria2_top.rpc.errors import Aria2Error
from aria2_top.storage.private_files import ensure_private_dir, open_private, write_private_file

LOCK_NAME = "daemon.lock"
LEASES_DIR = "leases"
OPTIONS_NAME = "global-options.json"
LOCK_TIMEOUT = 30.0

_NOT_REMEMBERED_PREFIXES = ("rpc-", "enable-rpc", "save-session", "input-file", "conf-path")
"""Options the private daemon sets itself (address, secret, session): never replaced."""
_NOT_REMEMBERED = frozenset({"daemon", "quiet", "log", "stop-with-process"})


@contextlib.asynccontextmanager
async def data_dir_lock(state_dir: Path, timeout: float = LOCK_TIMEOUT) -> AsyncIterator[None]:
    """Hold the data folder's lock (waiting for it without blocking the event loop)."""
    ensure_private_dir(state_dir)
    fd = open_private(state_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                raise DaemonError(
                    f"another aria2-top holds {state_dir / LOCK_NAME} for more than {timeout:.0f} s"
                )
            await asyncio.sleep(0.05)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


# -- leases ---------------------------------------------------------------------------


def _lease_alive(path: Path) -> bool:
    try:
        lease = json.loads(path.read_text(encoding="utf-8"))
        pid, identity = int(lease["pid"]), lease.get("identity")
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if identity is None:  # a system that does not tell start times
        return pid_alive(pid)
    return bool(process_identity(pid) == identity)


def live_leases(state_dir: Path) -> list[Path]:
    """The leases of apps still running; stale ones are removed on the way."""
    alive = []
    for path in sorted((state_dir / LEASES_DIR).glob("*.json")):
        if _lease_alive(path):
            alive.append(path)
        else:
            with contextlib.suppress(OSError):
                path.unlink()
    return alive


def _take_lease(state_dir: Path) -> Path:
    pid = os.getpid()
    path = ensure_private_dir(state_dir / LEASES_DIR) / f"{pid}-{secrets.token_hex(4)}.json"
    write_private_file(path, json.dumps({"pid": pid, "identity": process_identity(pid)}))
    return path


# -- remembered global options ----------------------------------------------------------


def remembered_options(state_dir: Path) -> dict[str, str]:
    """Global options set in the app earlier, to give the daemon at start."""
    try:
        stored = json.loads((state_dir / OPTIONS_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(stored, dict):
        return {}
    return {
        name: value
        for name, value in stored.items()
        if isinstance(name, str) and isinstance(value, str) and _rememberable(name, value)
    }


def _rememberable(name: str, value: str) -> bool:
    return (
        not name.startswith(_NOT_REMEMBERED_PREFIXES)
        and name not in _NOT_REMEMBERED
        and "\n" not in value
        and "\r" not in value
    )


# -- one app's hold on the daemon -------------------------------------------------------


@dataclass(slots=True)
class PrivateDaemon:
    """This app's lease on the shared private daemon."""

    state_dir: Path
    download_dir: Path
    daemon: RunningDaemon
    started: bool = False
    """This very call started it (it was not running)."""
    lease: Path | None = field(default=None)

    @classmethod
    async def attach(
        cls, state_dir: Path, download_dir: Path, *, lease: bool = True
    ) -> PrivateDaemon:
        """Use the running private daemon, or start it; with ``lease``, hold it until
        :meth:`release`. (``aria2-top add`` takes no lease: it leaves it running.)"""
        async with data_dir_lock(state_dir):
            daemon, started = await _find_or_start(state_dir, download_dir)
            return cls(
                state_dir, download_dir, daemon, started, _take_lease(state_dir) if lease else None
            )

    async def revive(self) -> bool:
        """If the daemon vanished, start it again (or join the one another app
        restarted). True when :attr:`daemon` is another daemon now."""
        async with data_dir_lock(self.state_dir):
            if not self.daemon.exited():
                return False
            self.daemon, self.started = await _find_or_start(self.state_dir, self.download_dir)
            return True

    async def restart(self) -> None:
        """Stop the daemon (its session saved, by its PID when it is ours) and start
        it again with the same session, port and secret: its downloads come back
        with their GIDs, and every aria2-top using it finds it where it was. On
        another port only when that one is taken meanwhile."""
        async with data_dir_lock(self.state_dir):
            old = self.daemon
            await old.stop()
            options = remembered_options(self.state_dir)
            start = partial(start_private_daemon, self.state_dir, self.download_dir)
            try:
                daemon = await start(options=options, port=_port(old.url), secret=old.secret)
            except DaemonError:
                daemon = await start(options=options, secret=old.secret)
            self.daemon, self.started = daemon, True

    @property
    def log_path(self) -> Path:
        """aria2c's log (see :data:`aria2_top.daemon.process.LOG_NAME`)."""
        return self.state_dir / LOG_NAME

    async def release(
        self, keep_running: bool = False, stopping: Callable[[], object] | None = None
    ) -> bool:
        """Let go of the daemon; stop it if no other app holds it and it is not to be
        kept (``stopping`` is called first: it can take seconds). True when it was
        stopped."""
        async with data_dir_lock(self.state_dir):
            if self.lease is not None:
                with contextlib.suppress(OSError):
                    self.lease.unlink()
                self.lease = None
            if keep_running or live_leases(self.state_dir) or self.daemon.exited():
                with contextlib.suppress(Aria2Error, OSError):
                    await self.daemon.save_session()
                return False
            if stopping is not None:
                stopping()
            await self.daemon.stop()
            return True

    def remember_options(self, options: Mapping[str, str]) -> None:
        """Keep global options set in the app for the daemon's next start."""
        kept = remembered_options(self.state_dir)
        kept.update({k: v for k, v in options.items() if _rememberable(k, v)})
        write_private_file(self.state_dir / OPTIONS_NAME, json.dumps(kept, indent=1))


def _port(url: str) -> int:
    """The port of the daemon's address (0: none there)."""
    try:
        return urlsplit(url).port or 0
    except ValueError:
        return 0


async def _find_or_start(state_dir: Path, download_dir: Path) -> tuple[RunningDaemon, bool]:
    """(daemon, started): call with the lock held."""
    daemon = await find_running_private_daemon(state_dir)
    if daemon is not None:
        return daemon, False
    options = remembered_options(state_dir)
    return await start_private_daemon(state_dir, download_dir, options=options), True
