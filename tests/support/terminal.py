"""``aria2-top`` as a user runs it: a real process in a pseudo-terminal of its own."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

_ESCAPES = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]")


def plain_text(drawn: bytes) -> str:
    """What a terminal was sent to draw, its escape sequences removed."""
    return _ESCAPES.sub(b"", drawn).decode("utf-8", "replace")


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``python -m aria2_top ARGS`` to its end, its output captured."""
    return subprocess.run(
        [sys.executable, "-m", "aria2_top", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def start_process(*args: str) -> subprocess.Popen[bytes]:
    """Any other process (a stranger to aria2-top)."""
    return subprocess.Popen(list(args))


def user_environment(home: Path) -> dict[str, str]:
    """A user whose config, data and downloads live under ``home`` (no daemon set)."""
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DOWNLOAD_DIR": str(home / "downloads"),
        "TERM": "xterm-256color",
    }
    for name in ("ARIA2_RPC_URL", "ARIA2_RPC_SECRET"):
        env.pop(name, None)
    return env


class TerminalApp:
    """``python -m aria2_top ARGS`` in a 120x30 pseudo-terminal; keys go in with
    :meth:`press`, everything it draws collects in :attr:`output`."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "aria2_top", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self._master = master
        self._output = bytearray()
        self._lock = threading.Lock()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        while True:
            try:
                data = os.read(self._master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self._output.extend(data)

    @property
    def output(self) -> str:
        """What it drew so far, escape sequences removed."""
        with self._lock:
            return plain_text(bytes(self._output))

    @property
    def raw(self) -> bytes:
        """Everything it wrote, escape sequences and all (e.g. OSC 52 copies)."""
        with self._lock:
            return bytes(self._output)

    def press(self, keys: str) -> None:
        os.write(self._master, keys.encode())

    def local_modes(self) -> int:
        """The terminal's local modes now (``termios.ECHO``, ``ICANON``…), as the
        program in it set them (a pseudo-terminal's two ends share them)."""
        return int(termios.tcgetattr(self._master)[3])

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        os.close(self._master)
