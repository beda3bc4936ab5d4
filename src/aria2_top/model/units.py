"""Human byte quantities as users type them: ``500K``, ``2.5M``, ``1G``, ``0``."""

from __future__ import annotations

import re
from decimal import Decimal

_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}
_RATE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([KMG]?)(?:i?B)?(?:/S)?\s*$", re.IGNORECASE)
MAX_BYTES = 2**63 - 1
"""aria2 keeps sizes and limits in 64-bit integers."""


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
    if len(number) > 40:
        raise UnitError(f"{number[:20]}… is too large a size")
    value = int(Decimal(number) * _UNITS[unit.upper()])  # exact, unlike a float
    if value > MAX_BYTES:
        raise UnitError(f"{text.strip()[:24]!r} is too large a size")
    return value


def format_bytes(n: int) -> str:
    """``n`` as :func:`parse_bytes` reads it back: ``0``, ``500K``, ``2M``, else bytes."""
    for unit, factor in (("G", 1024**3), ("M", 1024**2), ("K", 1024)):
        if n and n % factor == 0:
            return f"{n // factor}{unit}"
    return str(n)


LIMIT_STEPS: tuple[int, ...] = tuple(2**n * 1024 for n in range(6, 16))
"""64K, 128K, … 32M: the steps of the quick limit keys (then unlimited)."""


def step_limit(current: int, direction: int) -> int:
    """The next limit up (``direction`` > 0) or down from ``current``; 0 is unlimited.

    Up from the top step is unlimited; down from unlimited is the top step; down
    from the lowest step (or a limit below it) stays there.
    """
    if direction > 0:
        if current == 0:
            return 0
        return next((step for step in LIMIT_STEPS if step > current), 0)
    if current == 0:
        return LIMIT_STEPS[-1]
    return next(
        (step for step in reversed(LIMIT_STEPS) if step < current), min(current, LIMIT_STEPS[0])
    )
