"""Reading values out of aria2's replies without trusting them.

aria2 sends numbers as decimal strings and flags as ``"true"``/``"false"``; a lying
or broken daemon can send anything in their place. Every reader here returns a
value of the documented type, or None when what came is unusable, so that callers
show ``?`` for it instead of failing. Nothing here raises on bad input.
"""

from __future__ import annotations

import re
from typing import Any, TypeGuard

Struct = dict[str, Any]

MAX_COUNT = 2**63 - 1
"""aria2 counts bytes and pieces in 64-bit integers: anything larger is not real."""

MAX_TEXT = 4096
"""Longest text kept from a reply; longer names and messages are cut (with …)."""

_GID = re.compile(r"[0-9a-fA-F]{16}")


def count(value: object) -> int | None:
    """A non-negative integer sent as a decimal string (or a JSON number); else None."""
    if isinstance(value, str):
        # str methods, not a regex: this runs for every number of every changed row.
        if not (value.isascii() and value.isdigit() and len(value) <= 19):
            return None
        number = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        return None
    return number if 0 <= number <= MAX_COUNT else None


def text(value: object, limit: int = MAX_TEXT) -> str | None:
    """A string, cut to ``limit`` characters; None when it is not a string."""
    if not isinstance(value, str):
        return None
    return value if len(value) <= limit else value[: limit - 1] + "…"


def flag(value: object) -> bool | None:
    """aria2's ``"true"``/``"false"``; None for anything else."""
    if value == "true":
        return True
    if value == "false":
        return False
    return None


def struct(value: object) -> Struct | None:
    """A JSON object, or None."""
    return value if isinstance(value, dict) else None


def structs(value: object) -> list[Struct]:
    """The objects in a JSON list (other items dropped); empty when not a list."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def texts(value: object) -> list[str]:
    """The strings in a JSON list (other items dropped); empty when not a list."""
    if not isinstance(value, list):
        return []
    return [item for item in (text(entry) for entry in value) if item is not None]


def is_gid(value: object) -> TypeGuard[str]:
    """True for aria2's GIDs: 16 hex digits."""
    return isinstance(value, str) and _GID.fullmatch(value) is not None
