"""The fake daemon's aria2: downloads and options as plain data, answering RPC calls
like aria2 1.37 (options as a real aria2c sent them, in ``tests/data/recorded.json``)."""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import json
import random
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aria2_top.model.bencode import bdecode, info_hash

Struct = dict[str, Any]
Params = list[Any]

DOWNLOAD_DIR = "/home/user/demo/downloads"
PIECE_LENGTH = 1048576
RECORDED = Path(__file__).resolve().parent.parent / "data" / "recorded.json"
VERSION = {"enabledFeatures": ["Async DNS", "BitTorrent", "GZip", "HTTPS"], "version": "1.37.0"}
QUEUED = ("waiting", "paused")
STOPPED = ("complete", "error", "removed")
MOVES = {  # action: (statuses it applies to, new status; "" = active if a slot is free)
    "pause": (("active", "waiting"), "paused"),
    "unpause": (("paused",), ""),
    "remove": (("active", *QUEUED), "removed"),
}


class RpcError(Exception):
    """A JSON-RPC error; also usable as a :meth:`FakeDaemon.replace` result."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def as_struct(self) -> Struct:
        return {"code": self.code, "message": self.message}


# --- the sane aria2 model -----------------------------------------------------------------


@functools.cache
def _recorded_options() -> tuple[dict[str, str], dict[str, str]]:
    """Global and per-download options as a real aria2c 1.37 sent them."""
    data = json.loads(RECORDED.read_text(encoding="utf-8"))
    per_download = next(iter(data["per_gid"]["aria2.getOption"].values()))
    return dict(data["aria2.getGlobalOption"]), dict(per_download)


def arg(params: Params, index: int, default: Any = None) -> Any:
    return params[index] if len(params) > index else default


def _pick(info: Struct, keys: list[str] | None) -> Struct:
    """aria2's key filtering: only the asked keys that exist, or everything."""
    return copy.deepcopy({key: info[key] for key in keys if key in info} if keys else info)


def _window(items: list[Struct], params: Params) -> list[Struct]:
    """tellWaiting/tellStopped's (offset, num): a negative offset counts back from the end."""
    offset, num = int(params[0]), int(params[1])
    if offset < 0:
        items, offset = items[::-1], -offset - 1
    return [_pick(info, arg(params, 2)) for info in items[offset : offset + num]]


def _store(options: dict[str, str], changes: dict[str, Any]) -> str:
    options.update({key: str(value) for key, value in changes.items()})
    return "OK"


class Aria2Model:
    """aria2's downloads and options as plain data, answering RPC calls.

    :meth:`add` and :meth:`update` take :attr:`lock`; hold it to touch anything else.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        global_options, per_download = _recorded_options()
        self.global_options = global_options | {"dir": DOWNLOAD_DIR}
        self.default_options = per_download | {"dir": DOWNLOAD_DIR}
        self.downloads: dict[str, Struct] = {}
        self.options: dict[str, dict[str, str]] = {}
        self._random = random.Random(0xA2)
        self.handlers: dict[str, Callable[[Params], Any]] = {
            "aria2.tellStatus": lambda p: _pick(self.get(p[0]), arg(p, 1)),
            "aria2.tellActive": lambda p: [_pick(d, arg(p, 0)) for d in self._with("active")],
            "aria2.tellWaiting": lambda p: _window(self._with(*QUEUED), p),
            "aria2.tellStopped": lambda p: _window(self._with(*STOPPED), p),
            "aria2.getGlobalStat": lambda _p: self._global_stat(),
            "aria2.getGlobalOption": lambda _p: dict(self.global_options),
            "aria2.getOption": lambda p: self.default_options | self._options(p[0]),
            "aria2.changeOption": lambda p: _store(self._options(p[0]), p[1]),
            "aria2.changeGlobalOption": lambda p: _store(self.global_options, p[0]),
            "aria2.getVersion": lambda _p: copy.deepcopy(VERSION),
            "aria2.getFiles": lambda p: copy.deepcopy(self.get(p[0])["files"]),
            "aria2.getPeers": lambda p: self.get(p[0]) and [],  # [] for any known GID
            "aria2.getServers": lambda p: self._servers(p[0]),
            "aria2.getUris": lambda p: copy.deepcopy(self.get(p[0])["files"][0]["uris"]),
            "aria2.pause": lambda p: self._move(p[0], "pause"),
            "aria2.forcePause": lambda p: self._move(p[0], "pause"),
            "aria2.unpause": lambda p: self._move(p[0], "unpause"),
            "aria2.remove": lambda p: self._move(p[0], "remove"),
            "aria2.forceRemove": lambda p: self._move(p[0], "remove"),
            "aria2.pauseAll": lambda _p: self._move_all("pause"),
            "aria2.forcePauseAll": lambda _p: self._move_all("pause"),
            "aria2.unpauseAll": lambda _p: self._move_all("unpause"),
            "aria2.removeDownloadResult": lambda p: self._forget([self.get(p[0])]),
            "aria2.purgeDownloadResult": lambda _p: self._forget(self._with(*STOPPED)),
            "aria2.changePosition": lambda p: self._change_position(p[0], int(p[1]), p[2]),
            "aria2.saveSession": lambda _p: "OK",
            "aria2.addTorrent": self._add_torrent,
            "system.listMethods": lambda _p: [*self.handlers, "system.multicall"],
        }

    def call(self, method: str, params: Params) -> Any:
        handler = self.handlers.get(method)
        if handler is None:
            raise RpcError(f"No such method: {method}")
        try:
            return handler(params)
        except (LookupError, TypeError, ValueError, AttributeError) as exc:
            raise RpcError(f"{method}: bad parameters ({exc!r})") from exc

    def add(
        self,
        name: str,
        status: str = "active",
        total: int = 1000,
        completed: int = 500,
        down_speed: int = 100,
        *,
        torrent: bool = False,
        **fields: Any,
    ) -> str:
        """Add a download; return its GID. Only an active one has speed and a connection;
        ``fields`` override or extend the struct (give aria2's string values)."""
        with self.lock:
            gid = f"{self._random.getrandbits(64):016x}"
            running = status == "active"
            numbers = {
                "totalLength": total,
                "completedLength": completed,
                "uploadLength": 0,
                "downloadSpeed": down_speed if running else 0,
                "uploadSpeed": 0,
                "connections": int(running),
                "numPieces": -(-total // PIECE_LENGTH),
                "pieceLength": PIECE_LENGTH,
            }
            info: Struct = {"gid": gid, "status": status, "dir": DOWNLOAD_DIR}
            info |= {key: str(value) for key, value in numbers.items()}
            uris = [] if torrent else [{"status": "used", "uri": f"http://files.example/{name}"}]
            path, length, done = f"{DOWNLOAD_DIR}/{name}", str(total), str(completed)
            info["files"] = [
                {"index": "1", "path": path, "length": length, "completedLength": done}
                | {"selected": "true", "uris": uris}
            ]
            if torrent:
                info["infoHash"] = hashlib.sha1(name.encode()).hexdigest()
                info["numSeeders"], info["seeder"] = str(int(running)), "false"
                info["bittorrent"] = {"announceList": [["http://tracker.example/announce"]]}
                info["bittorrent"] |= {"info": {"name": name}, "mode": "single"}
            if status in STOPPED:
                info["errorCode"] = "1" if status == "error" else "0"
                info["errorMessage"] = "Resource not found" if status == "error" else ""
            self.downloads[gid] = info | fields
            return gid

    def _add_torrent(self, params: Params) -> str:
        """aria2.addTorrent: a torrent download from the metadata, paused or queued as
        its options say, at its position; refused like aria2 while a download of the
        same info hash runs or waits. Like aria2 with rpc-save-upload-metadata, the
        metadata is saved as ``<dir>/<sha1>.torrent`` when that folder exists here."""
        data = base64.b64decode(params[0])
        options = {k: str(v) for k, v in (arg(params, 2) or {}).items()}
        meta = bdecode(data)
        info = meta[b"info"]
        hash_ = info_hash(data)
        busy = [d for d in self._with("active", *QUEUED) if d.get("infoHash") == hash_]
        if busy:
            raise RpcError(f"InfoHash {hash_} is already registered.")
        folder = options.get("dir", self.default_options["dir"])
        name = info[b"name"].decode()
        if b"files" in info:
            entries = [
                ("/".join(p.decode() for p in f[b"path"]), int(f[b"length"]))
                for f in info[b"files"]
            ]
            paths = [(f"{folder}/{name}/{path}", length) for path, length in entries]
        else:
            paths = [(f"{folder}/{name}", int(info[b"length"]))]
        total = sum(length for _, length in paths)
        status = "paused" if options.get("pause") == "true" else "active"
        gid = self.add(name, status, total=total, completed=0, down_speed=0, torrent=True)
        struct = self.downloads[gid]
        struct["infoHash"] = hash_
        struct["dir"] = folder
        mode = "multi" if b"files" in info else "single"
        struct["bittorrent"] = {"info": {"name": name}, "mode": mode, "announceList": []}
        struct["files"] = [
            {"index": str(i), "path": path, "length": str(length), "completedLength": "0"}
            | {"selected": "true", "uris": []}
            for i, (path, length) in enumerate(paths, 1)
        ]
        if options.get("check-integrity") == "true" and status == "active":
            struct["verifyIntegrityPending"] = "true"
        self.options[gid] = {k: v for k, v in options.items() if k != "pause"}
        position = arg(params, 3)
        if isinstance(position, int) and status != "active":
            self._change_position(gid, position, "POS_SET")
        if Path(folder).is_dir():
            (Path(folder) / f"{hashlib.sha1(data).hexdigest()}.torrent").write_bytes(data)
        return gid

    def update(self, gid: str, **fields: Any) -> None:
        """Change fields of a download's struct, e.g. ``completedLength="900"``."""
        with self.lock:
            self.get(gid).update(fields)

    def get(self, gid: Any) -> Struct:
        info = self.downloads.get(gid) if isinstance(gid, str) else None
        if info is None:
            raise RpcError(f"GID {gid} is not found")
        return info

    def _with(self, *statuses: str) -> list[Struct]:
        return [info for info in self.downloads.values() if info["status"] in statuses]

    def _options(self, gid: Any) -> dict[str, str]:
        return self.options.setdefault(self.get(gid)["gid"], {})

    def _global_stat(self) -> Struct:
        active, stopped = self._with("active"), len(self._with(*STOPPED))
        stat = {key: sum(int(d[key]) for d in active) for key in ("downloadSpeed", "uploadSpeed")}
        stat |= {"numActive": len(active), "numWaiting": len(self._with(*QUEUED))}
        stat |= {"numStopped": stopped, "numStoppedTotal": stopped}
        return {key: str(value) for key, value in stat.items()}

    def _servers(self, gid: Any) -> list[Struct]:
        info = self.get(gid)
        if info["status"] != "active":
            raise RpcError(f"No active download for GID#{gid}")
        uris = [uri["uri"] for uri in info["files"][0]["uris"] if uri["status"] == "used"]
        speed = info["downloadSpeed"]
        servers = [{"currentUri": uri, "downloadSpeed": speed, "uri": uri} for uri in uris]
        return [{"index": "1", "servers": servers}]

    def _move(self, gid: Any, action: str) -> str:
        """pause, unpause or remove one download, refusing like aria2 when it can't."""
        info = self.get(gid)
        allowed, status = MOVES[action]
        if info["status"] not in allowed:
            raise RpcError(f"GID#{gid} cannot be {action}d now")
        if action == "remove" and info["status"] in QUEUED:
            del self.downloads[gid]  # aria2 keeps no result of a queued download removed
            return str(gid)
        free_slot = len(self._with("active")) < int(self.global_options["max-concurrent-downloads"])
        info["status"] = status or ("active" if free_slot else "waiting")
        if info["status"] != "active":
            info |= {"downloadSpeed": "0", "uploadSpeed": "0", "connections": "0"}
        if info["status"] == "removed":
            info |= {"errorCode": "0", "errorMessage": ""}
            self.downloads[gid] = self.downloads.pop(gid)  # tellStopped lists in stop order
        return str(gid)

    def _move_all(self, action: str) -> str:
        for info in self._with(*MOVES[action][0]):
            self._move(info["gid"], action)
        return "OK"

    def _forget(self, stopped: list[Struct]) -> str:
        for info in stopped:
            if info["status"] not in STOPPED:
                raise RpcError(f"Could not remove download result of GID#{info['gid']}")
            del self.downloads[info["gid"]]
        return "OK"

    def _change_position(self, gid: Any, pos: int, how: str) -> int:
        queue = [info["gid"] for info in self._with(*QUEUED)]
        if gid not in queue:
            raise RpcError(f"GID#{gid} not found in the waiting queue.")
        start = {"POS_SET": 0, "POS_CUR": queue.index(gid), "POS_END": len(queue) - 1}[how]
        queue.remove(gid)
        queue.insert(target := max(0, min(len(queue), start + pos)), gid)
        for queued in queue:
            self.downloads[queued] = self.downloads.pop(queued)
        return target
