"""Torrents and metalinks built by the tests themselves."""

from __future__ import annotations

from pathlib import Path

import torf


def make_torrent(
    root: Path,
    files: dict[str, int],
    name: str = "bundle",
    tracker: str | None = None,
    piece_size: int | None = None,
) -> bytes:
    """A .torrent of a folder ``name`` holding ``files`` (relative path -> size)."""
    folder = root / name
    for relative, size in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes(i % 251 for i in range(size)))
    torrent = torf.Torrent(
        path=folder,
        private=True,
        created_by="aria2-top tests",
        trackers=[tracker] if tracker else None,
        comment="made by the aria2-top test suite",
    )
    if piece_size:
        torrent.piece_size = piece_size
    torrent.generate()
    return bytes(torrent.dump())


def make_metalink(name: str, url: str, size: int | None = None) -> bytes:
    """A Metalink 4 (.meta4) document with one file at ``url``."""
    size_line = f"<size>{size}</size>" if size is not None else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<metalink xmlns="urn:ietf:params:xml:ns:metalink">\n'
        f'  <file name="{name}">{size_line}<url>{url}</url></file>\n'
        "</metalink>\n"
    ).encode()


def make_single_torrent(root: Path, name: str, data: bytes, piece_size: int = 16384) -> bytes:
    """A single-file .torrent of ``name`` holding ``data`` (written under ``root``)."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    torrent = torf.Torrent(path=path, private=True, created_by="aria2-top tests")
    torrent.piece_size = piece_size
    torrent.generate()
    return bytes(torrent.dump())
