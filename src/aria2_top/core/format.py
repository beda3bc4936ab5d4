"""Turning numbers and untrusted text into what a cell shows.

Text from aria2 (names, URIs, error messages) is untrusted: :func:`safe_text`
removes control characters so nothing can move the cursor or change the
terminal, and callers always wrap it in a ``rich.text.Text`` so that ``[b]`` in a
file name is shown as it is, never read as markup.
"""

from __future__ import annotations

import math
import re

import humanize

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""C0/C1 controls, DEL, and the bidi marks/overrides that reorder what is shown."""


def safe_text(text: str) -> str:
    """``text`` with every control and bidi-override character replaced by ``�``."""
    return _CONTROL.sub("\N{REPLACEMENT CHARACTER}", text)


def size(n: int) -> str:
    """Bytes in compact binary units as htop shows them: ``512B``, ``1.5K``, ``3.2G``."""
    return str(humanize.naturalsize(n, gnu=True, format="%.1f"))


def long_size(n: int) -> str:
    """Bytes in spelled-out binary units for prose: ``1.5 MiB``."""
    return str(humanize.naturalsize(n, binary=True, format="%.1f"))


def speed(n: int) -> str:
    """Bytes per second, empty when nothing moves (so busy rows stand out)."""
    return f"{size(n)}/s" if n > 0 else ""


def duration(seconds: float | None) -> str:
    """A compact duration for a narrow column: ``45s``, ``3m12s``, ``2h05m``, ``3d04h``."""
    if seconds is None or math.isinf(seconds) or math.isnan(seconds):
        return ""
    total = int(seconds)
    if total < 60:
        return f"{total}s"
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h{minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d{hours:02d}h" if days < 100 else "∞"


def percent(fraction: float) -> str:
    """``0.5`` -> ``50%``, never 100% before it really is done."""
    tenths = math.floor(max(0.0, min(1.0, fraction)) * 1000)
    if tenths == 0 or tenths >= 100:
        return f"{tenths // 10}%"
    return f"{tenths // 10}.{tenths % 10}%"


_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(fraction: float, width: int) -> str:
    """A progress bar of ``width`` cells in eighth-blocks."""
    fraction = max(0.0, min(1.0, fraction))
    eighths = int(fraction * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full
    if full < width:
        text += _EIGHTHS[part] if part else ""
    return text.ljust(width)


def progress_cell(fraction: float, width: int) -> str:
    """A bar and a percent in ``width + 5`` cells: ``█████▌     55%``."""
    return f"{bar(fraction, width)}{percent(fraction):>5}"


def ratio(value: float | None) -> str:
    """An upload ratio with two decimals; empty when it does not apply."""
    return "" if value is None else f"{value:.2f}"


def short_gid(gid: str) -> str:
    """The first 6 hex digits of a GID, enough to tell downloads apart on screen."""
    return gid[:6]
