"""Just enough bencode decoding to tell a real .torrent from anything else."""

from __future__ import annotations

from typing import Any


class BencodeError(ValueError):
    """Not valid bencode."""


def bdecode(data: bytes) -> Any:
    """Decode ``data`` (ints, byte strings, lists, dicts with bytes keys)."""
    value, end = _decode(data, 0)
    if end != len(data):
        raise BencodeError(f"trailing data after byte {end}")
    return value


def _decode(data: bytes, at: int) -> tuple[Any, int]:
    if at >= len(data):
        raise BencodeError("unexpected end of data")
    head = data[at : at + 1]
    if head == b"i":
        end = data.index(b"e", at)
        return int(data[at + 1 : end]), end + 1
    if head in (b"l", b"d"):
        items: list[Any] = []
        at += 1
        while data[at : at + 1] != b"e":
            item, at = _decode(data, at)
            items.append(item)
            if at >= len(data):
                raise BencodeError("unterminated list or dictionary")
        if head == b"l":
            return items, at + 1
        if len(items) % 2:
            raise BencodeError("dictionary with a key and no value")
        return dict(zip(items[::2], items[1::2], strict=True)), at + 1
    if head.isdigit():
        colon = data.index(b":", at)
        length = int(data[at:colon])
        start = colon + 1
        if start + length > len(data):
            raise BencodeError("string runs past the end")
        return data[start : start + length], start + length
    raise BencodeError(f"unexpected byte {head!r} at {at}")


def torrent_name(data: bytes) -> str:
    """The name inside a .torrent; raises :class:`BencodeError` if it is not one."""
    try:
        meta = bdecode(data)
    except (ValueError, IndexError) as exc:
        raise BencodeError(str(exc)) from exc
    info = meta.get(b"info") if isinstance(meta, dict) else None
    if not isinstance(info, dict) or b"pieces" not in info:
        raise BencodeError("no info dictionary with pieces")
    name = info.get(b"name", b"")
    return name.decode("utf-8", "replace") if isinstance(name, bytes) else ""
