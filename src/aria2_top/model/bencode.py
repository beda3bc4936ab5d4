"""Just enough bencode decoding to tell a real .torrent from anything else.

The input is untrusted (any file a user points at): decoding is iterative, with a
nesting limit, and every malformed input ends in :class:`BencodeError` with a short
reason, never in another exception.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

_INTEGER = re.compile(rb"-?[0-9]{1,32}")

MAX_DEPTH = 64
"""Real torrents nest a handful of levels; deeper input is refused."""


class BencodeError(ValueError):
    """Not valid bencode."""


def bdecode(data: bytes) -> Any:
    """Decode ``data`` (ints, byte strings, lists, dicts with byte-string keys)."""
    value, end = _decode(data)
    if end != len(data):
        raise BencodeError(f"trailing data after byte {end}")
    return value


def _decode(data: bytes) -> tuple[Any, int]:
    """One value from the start of ``data``, and where it ends (no recursion)."""
    stack: list[list[Any]] = []  # open lists and dicts, as item lists; [kind, items]
    kinds: list[bytes] = []
    at = 0
    while True:
        if at >= len(data):
            raise BencodeError("unexpected end of data")
        head = data[at : at + 1]
        value: Any
        if head in (b"l", b"d"):
            if len(stack) >= MAX_DEPTH:
                raise BencodeError(f"nested deeper than {MAX_DEPTH} levels")
            stack.append([])
            kinds.append(head)
            at += 1
            continue
        if head == b"e" and stack:
            items, kind = stack.pop(), kinds.pop()
            value = items if kind == b"l" else _dict(items)
            at += 1
        elif head == b"i":
            end = data.find(b"e", at)
            digits = data[at + 1 : end]
            if end < 0 or _INTEGER.fullmatch(digits) is None:
                raise BencodeError(f"bad integer at byte {at}")
            value, at = int(digits), end + 1
        elif head.isdigit():
            colon = data.find(b":", at)
            if colon < 0 or not data[at:colon].isdigit() or colon - at > 12:
                raise BencodeError(f"bad string length at byte {at}")
            start = colon + 1
            end = start + int(data[at:colon])
            if end > len(data):
                raise BencodeError("string runs past the end")
            value, at = data[start:end], end
        else:
            raise BencodeError(f"unexpected byte {head!r} at {at}")
        if not stack:
            return value, at
        stack[-1].append(value)


def _dict(items: list[Any]) -> dict[bytes, Any]:
    if len(items) % 2:
        raise BencodeError("dictionary with a key and no value")
    keys = items[::2]
    if not all(isinstance(key, bytes) for key in keys):
        raise BencodeError("dictionary key that is not a string")
    return dict(zip(keys, items[1::2], strict=True))


def torrent_name(data: bytes) -> str:
    """The name inside a .torrent; raises :class:`BencodeError` if it is not one."""
    meta = bdecode(data)
    info = meta.get(b"info") if isinstance(meta, dict) else None
    if not isinstance(info, dict) or b"pieces" not in info:
        raise BencodeError("no info dictionary with pieces")
    name = info.get(b"name", b"")
    return name.decode("utf-8", "replace") if isinstance(name, bytes) else ""


def bencode(value: Any) -> bytes:
    """Encode what :func:`bdecode` gives back (dict keys sorted, as torrents keep them)."""
    out: list[bytes] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _End):
            out.append(b"e")
        elif isinstance(item, bool) or not isinstance(item, int | bytes | list | dict):
            raise BencodeError(f"cannot encode {type(item).__name__}")
        elif isinstance(item, int):
            out.append(b"i%de" % item)
        elif isinstance(item, bytes):
            out.append(b"%d:%s" % (len(item), item))
        elif isinstance(item, list):
            out.append(b"l")
            stack.append(_END)
            stack.extend(reversed(item))
        else:
            out.append(b"d")
            stack.append(_END)
            for key in sorted(item, reverse=True):
                stack.extend((item[key], key))
    return b"".join(out)


class _End:
    """The end of a list or dict, on :func:`bencode`'s stack."""


_END = _End()


def info_hash(data: bytes) -> str:
    """The info hash (hex SHA-1 of the info dictionary) of a .torrent; raises
    :class:`BencodeError` if it is not one."""
    meta = bdecode(data)
    info = meta.get(b"info") if isinstance(meta, dict) else None
    if not isinstance(info, dict) or b"pieces" not in info:
        raise BencodeError("no info dictionary with pieces")
    return hashlib.sha1(bencode(info), usedforsecurity=False).hexdigest()
