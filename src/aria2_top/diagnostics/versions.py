"""The versions a bug report needs: aria2-top's, Python's and its libraries'."""

from __future__ import annotations

import platform
from functools import cache
from importlib import metadata

from aria2_top import __version__

LIBRARIES = {"textual": "Textual", "httpx": "httpx", "websockets": "websockets"}
"""Distribution name: how it is written."""


def library_version(name: str) -> str:
    """The installed version of the distribution ``name``, or ``?`` (it is not
    imported for that)."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


@cache
def versions() -> tuple[tuple[str, str], ...]:
    """(name, version) of aria2-top, Python and the libraries that draw and talk."""
    return (
        ("aria2-top", __version__),
        ("Python", platform.python_version()),
        *((shown, library_version(name)) for name, shown in LIBRARIES.items()),
    )


def versions_text() -> str:
    """``aria2-top 0.1.0 · Python 3.11.7 · Textual 8.2.8 · httpx 0.28.1 · …``"""
    return " · ".join(f"{name} {version}" for name, version in versions())
