"""A local HTTP server with Range support, serving generated files to aria2c.

Python's own ``http.server`` ignores ``Range``, and aria2 then fails resumed
downloads (error 8), so the handler comes from the ``rangehttpserver`` package.
"""

from __future__ import annotations

import threading
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from RangeHTTPServer import RangeRequestHandler


class _QuietHandler(RangeRequestHandler):  # type: ignore[misc]
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """aria2 drops connections mid-file when it pauses or removes: not an error here."""


class FileServer:
    """Serves ``root`` on 127.0.0.1 at a free port until :meth:`close`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        handler = partial(_QuietHandler, directory=str(root))
        self._server = _QuietServer(("127.0.0.1", 0), handler)
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, name: str) -> str:
        """The address of file ``name`` (it need not exist: a 404 is useful too)."""
        return f"http://127.0.0.1:{self.port}/{name}"

    def make_file(self, name: str, size: int) -> str:
        """Create ``name`` with ``size`` bytes of varied content; return its URL."""
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            # The server lives for the whole session: one name must mean one file.
            assert path.stat().st_size == size, f"{name} is already served with another size"
        else:
            block = bytes(range(256)) * 4096  # 1 MiB
            with path.open("wb") as handle:
                left = size
                while left > 0:
                    handle.write(block[: min(left, len(block))])
                    left -= len(block)
        return self.url(name)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
