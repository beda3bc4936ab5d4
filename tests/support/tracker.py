"""A minimal BitTorrent HTTP tracker on 127.0.0.1, so two aria2c daemons can swarm
on loopback with no public tracker and no DHT bootstrap."""

from __future__ import annotations

import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


def bencode(value: Any) -> bytes:
    """Bencode ints, bytes, str, lists and dicts (keys sorted, as the format wants)."""
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, list):
        return b"l" + b"".join(bencode(item) for item in value) + b"e"
    if isinstance(value, dict):
        items = sorted((k.encode() if isinstance(k, str) else k, v) for k, v in value.items())
        return b"d" + b"".join(bencode(k) + bencode(v) for k, v in items) + b"e"
    raise TypeError(type(value))


class Tracker:
    """Answers /announce with every other peer of the same info hash (compact form)."""

    def __init__(self) -> None:
        self.peers: dict[bytes, set[tuple[str, int]]] = {}
        self._lock = threading.Lock()
        tracker = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query, encoding="latin-1")
                info_hash = query.get("info_hash", [""])[0].encode("latin-1")
                port = int(query.get("port", ["0"])[0])
                me = (self.client_address[0], port)
                with tracker._lock:
                    swarm = tracker.peers.setdefault(info_hash, set())
                    if query.get("event", [""])[0] == "stopped":
                        swarm.discard(me)
                    else:
                        swarm.add(me)
                    others = [peer for peer in swarm if peer != me]
                compact = b"".join(socket.inet_aton(ip) + struct.pack(">H", p) for ip, p in others)
                body = bencode({"interval": 2, "min interval": 1, "peers": compact})
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/announce"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
