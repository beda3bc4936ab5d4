"""Human byte quantities as users type them: ``500K``, ``2.5M``, ``1G``, ``0``."""

from __future__ import annotations

import re

_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}
_RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMG]?)(?:i?B)?(?:/S)?\s*$", re.IGNORECASE)


class UnitError(ValueError):
    """The text is not a byte quantity; the message says what is expected."""


def parse_bytes(text: str) -> int:
    """Bytes in ``text``: ``""`` and ``0`` mean 0 (for limits: unlimited).

    Accepts an integer or decimal number with an optional K, M or G (powers of
    1024, as aria2 uses), optionally followed by ``B``/``iB`` and ``/s``.
    """
    if not text.strip():
        return 0
    match = _RATE.match(text)
    if match is None:
        raise UnitError(f"{text.strip()!r} is not a size: use e.g. 0, 500K, 2.5M or 1G")
    number, unit = match.groups()
    return int(float(number) * _UNITS[unit.upper()])
