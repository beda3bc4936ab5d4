"""Turning numbers and untrusted text into what a cell shows.

Text from aria2 (names, URIs, error messages) is untrusted: :func:`safe_text`
makes it safe *to display* -- nothing can move the cursor or change the terminal,
and Rich and the terminal agree on how many cells it takes -- and callers always
wrap it in a ``rich.text.Text`` so that ``[b]`` in a file name is shown as it is,
never read as markup.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
import time
import unicodedata

_REPLACEMENT = "\N{REPLACEMENT CHARACTER}"

_ASCII_CONTROL = re.compile("[\x00-\x1f\x7f]")
"""The C0 controls and DEL: all that can be wrong with ASCII text."""

# Why display text needs more than removing controls: Rich measures a string by
# its grapheme rules (``"❤\ufe0f"`` is 2 cells, a ZWJ family 2, a skin-toned
# thumb 2, a lone skin tone 0), while most terminals add up wcwidth() per code
# point (1, 6, 4 and 2 cells) and others cluster graphemes in their own way.  A
# table row or a dialog border after such a name is then drawn in the wrong
# column.  safe_text() therefore rewrites only the characters whose width is in
# dispute, so that what remains is measured the same way by Rich and by a
# per-code-point terminal, and shown unchanged otherwise (accents, combining
# marks, CJK, plain emoji such as 😀).  Ranges are (first, last) code points.

_BIDI_CONTROLS = ((0x061C, 0x061C), (0x200E, 0x200F), (0x202A, 0x202E), (0x2066, 0x2069))
"""Bidi marks, embeddings, overrides and isolates: they reorder what is shown, so
they become a visible ``�`` (as the C0/C1 controls do) rather than vanish."""

_DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD),  # soft hyphen: a hyphen in some terminals, invisible in others
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x115F, 0x1160),  # Hangul choseong/jungseong fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels
    (0x180B, 0x180F),  # Mongolian variation selectors and vowel separator
    (0x200B, 0x200D),  # zero width space, non-joiner, joiner (ZWJ glues emoji)
    (0x2060, 0x2065),  # word joiner, invisible operators
    (0x206A, 0x206F),  # deprecated format characters
    (0x3164, 0x3164),  # Hangul filler: 0 cells for Rich, 2 in a terminal
    (0xFE00, 0xFE0F),  # variation selectors, VS15 (text) and VS16 (emoji) among them
    (0xFEFF, 0xFEFF),  # zero width no-break space (byte order mark)
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler: 0 cells for Rich, 1 in a terminal
    (0xFFF0, 0xFFF8),  # reserved
    (0x1BCA0, 0x1BCA3),  # shorthand format controls
    (0x1D173, 0x1D17A),  # musical beam and phrase controls
    (0x1F3FB, 0x1F3FF),  # skin-tone modifiers (not default-ignorable, dropped all the same)
    (0xE0000, 0xE0FFF),  # tags (subdivision flags) and variation selectors 17-256
)
"""Unicode's default-ignorable code points (invisible where they are understood),
minus the bidi controls, plus the emoji skin tones: dropped."""

_REGIONAL_INDICATORS = (0x1F1E6, 0x1F1FF)
"""🇦..🇿: shown as the ASCII letters A..Z, so the flag 🇩🇪 reads ``DE`` (2 cells)."""

_DISPUTED_WIDTH = (
    (0x2630, 0x2637),  # ☰ trigrams
    (0x268A, 0x268F),  # digrams and monograms
    (0x3248, 0x324F),  # circled numbers on black squares: 1 for Rich, 2 for glibc
    (0x4DC0, 0x4DFF),  # Yijing hexagrams
    (0x1D300, 0x1D356),  # Tai Xuan Jing symbols
    (0x1D360, 0x1D376),  # counting rod numerals
)
"""Symbols whose width depends on whose table is asked, shown as ``�``: Unicode 16
made the first five ranges wide (Rich 15 counts 2 cells; Python 3.11's Unicode 14,
glibc 2.36 and tmux 3.3a say 1, but glibc 2 for the hexagrams), and glibc draws
U+3248..U+324F in 2 cells where Rich counts 1."""

_REPLACED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Everything else that is not plain text becomes ``�`` (1 cell everywhere):
C1 controls; visible format characters such as U+0600 (whose width terminals do
not agree on); lone surrogates (json.loads lets them through, and they cannot
even be encoded for the terminal); private-use glyphs (1 or 2 cells depending on
the font); code points unassigned in this Python's Unicode database (noncharacters,
and emoji newer than it: a terminal of the same age draws nothing or a box); and
U+2028/U+2029, line and paragraph separators that must never reach the terminal."""

_TABLE_LIMIT = 8192
"""Distinct code points remembered before the table starts over (bounds memory)."""

_RANGES = sorted(
    [(first, last, _REPLACEMENT) for first, last in _BIDI_CONTROLS + _DISPUTED_WIDTH]
    + [(first, last, "") for first, last in _DEFAULT_IGNORABLE]
)
"""The ranges above that are dropped or replaced, by first code point (none overlap)."""
_RANGE_FIRSTS = [first for first, _last, _form in _RANGES]


def _display_form(code: int) -> str:
    """What one code point of untrusted text is shown as: itself, ``""`` or another text."""
    first, last = _REGIONAL_INDICATORS
    if first <= code <= last:
        return chr(code - first + ord("A"))
    index = bisect.bisect_right(_RANGE_FIRSTS, code) - 1
    if index >= 0 and code <= _RANGES[index][1]:
        return _RANGES[index][2]
    char = chr(code)
    return _REPLACEMENT if unicodedata.category(char) in _REPLACED_CATEGORIES else char


class _DisplayTable(dict[int, str]):
    """A ``str.translate`` table that works out each code point's form on first use."""

    def __missing__(self, code: int) -> str:
        if len(self) >= _TABLE_LIMIT:
            self.clear()
        form = self[code] = _display_form(code)
        return form


_DISPLAY_TABLE = _DisplayTable()

_CACHED_LENGTH = 256
"""Non-ASCII texts up to this long are remembered: a table shows the same names on
every refresh, and a lookup costs a small fraction of translating a name again."""


@functools.lru_cache(maxsize=16384)
def _displayable(text: str) -> str:
    return text.translate(_DISPLAY_TABLE)


def safe_text(text: str) -> str:
    """``text`` as it may be shown in a terminal cell (never send the result to aria2).

    Controls, bidi overrides, line/paragraph separators, private-use, unassigned
    and other format characters become ``�``; invisible characters (zero width
    spaces and joiners, variation selectors, soft hyphens, tags, skin tones) are
    dropped; regional-indicator letters become ASCII (🇩🇪 -> ``DE``).  What is
    left is measured alike by ``rich.cells.cell_len`` and by a terminal that adds
    up wcwidth() per code point -- except spacing vowel signs (Unicode category
    Mc, e.g. Devanagari), which Rich counts as 0 cells and such terminals as 1.
    """
    if text.isascii():
        return text if text.isprintable() else _ASCII_CONTROL.sub(_REPLACEMENT, text)
    if len(text) <= _CACHED_LENGTH:
        return _displayable(text)
    return text.translate(_DISPLAY_TABLE)


UNKNOWN = "?"
"""What a cell shows for a value aria2 sent unusable (None in the models)."""


_UNITS = "KMGTPE"


def _scaled(n: int) -> tuple[str, str]:
    """``n`` bytes as (number, unit letter) in powers of 1024, moving to the next unit
    from 1,000 on: ``1.0M``, never ``1002.7K`` (4 digits at most, as htop shows)."""
    if n < 1000:
        return str(n), ""
    value = float(n)
    for unit in _UNITS:
        value /= 1024
        if value < 999.95 or unit == _UNITS[-1]:
            return f"{value:.1f}", unit
    raise AssertionError("unreachable")  # pragma: no cover


def size(n: int | None) -> str:
    """THE rule for every size and speed the app shows (table, bars, dialogs,
    notices, the Overview, Options, the command line): bytes in powers of 1024, one
    decimal and a K, M, G, T, P or E after the number (``176.0K``, ``19.7M``,
    ``3.2G``); below 1,000 bytes the whole number and ``B`` (``512B``); the next unit
    from 1,000 on (``1.0M``, never ``1002.7K``). Speeds add ``/s`` (:func:`rate`).
    Only a field the user edits shows exact bytes (:func:`units.format_bytes`), and
    :func:`exact_size` where the exact count matters."""
    if n is None:
        return UNKNOWN
    number, unit = _scaled(n)
    return f"{number}{unit or 'B'}"


def rate(n: int | None) -> str:
    """A speed by :func:`size`'s rule: ``600.0K/s``, ``0B/s``, ``?`` when unknown."""
    return UNKNOWN if n is None else f"{size(n)}/s"


def speed(n: int | None) -> str:
    """A speed for a table cell: as :func:`rate`, but empty when nothing moves (so
    busy rows stand out)."""
    if n is None:
        return UNKNOWN
    return rate(n) if n > 0 else ""


def limit(n: int | None) -> str:
    """A speed limit: ``300.0K/s``, ``∞`` for none (0), ``?`` when unknown."""
    if n is None:
        return UNKNOWN
    return rate(n) if n else "∞"


def exact_size(n: int | None) -> str:
    """Every byte, for where exactness matters: ``180,224 bytes``."""
    return UNKNOWN if n is None else f"{n:,} {'byte' if n == 1 else 'bytes'}"


NO_LIMIT = 2**60
"""A byte value from this on (1 EiB) is one of aria2's "no limit" sentinels
(``max-mmap-limit`` is ``9223372036854775807`` by default)."""

SPEED_OPTIONS = frozenset(
    {
        "max-overall-download-limit",
        "max-overall-upload-limit",
        "max-download-limit",
        "max-upload-limit",
        "lowest-speed-limit",
        "bt-request-peer-speed-limit",
    }
)
"""aria2's options in bytes per second (0: no limit)."""
SIZE_OPTIONS = frozenset(
    {
        "disk-cache",
        "max-mmap-limit",
        "min-split-size",
        "no-file-allocation-limit",
        "piece-length",
        "rpc-max-request-size",
        "socket-recv-buffer-size",
    }
)
"""aria2's options in bytes."""


def option_text(name: str, value: str) -> str:
    """An aria2 option's value as shown: sizes and speeds by :func:`size`'s rule
    (``min-split-size 20.0M``, ``max-download-limit 500.0K/s``), ``no limit`` for a
    speed of 0 and for aria2's huge sentinels; any other value as it is."""
    if not (value.isascii() and value.isdigit()) or len(value) > 30:
        return value
    n = int(value)
    if name in SPEED_OPTIONS:
        return "no limit" if n == 0 else rate(n)
    if name in SIZE_OPTIONS:
        return "no limit" if n >= NO_LIMIT else size(n)
    return value


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``1 download``, ``3 downloads`` (``many``: the plural when it is not noun+s)."""
    return f"{n} {noun if n == 1 else many or noun + 's'}"


def count(n: int | None) -> str:
    """A whole number, or ``?`` when unknown."""
    return UNKNOWN if n is None else str(n)


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


def percent(fraction: float | None) -> str:
    """``0.5`` -> ``50%``, never 100% before it really is done."""
    if fraction is None:
        return UNKNOWN
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


def progress_cell(fraction: float | None, width: int) -> str:
    """A bar and a percent in ``width + 5`` cells: ``█████▌     55%`` (an empty bar
    and ``?`` when unknown)."""
    return f"{bar(fraction or 0.0, width)}{percent(fraction):>5}"


def ratio(value: float | None) -> str:
    """An upload ratio with two decimals; empty when it does not apply."""
    return "" if value is None else f"{value:.2f}"


def short_gid(gid: str) -> str:
    """The first 6 hex digits of a GID, enough to tell downloads apart on screen."""
    return gid[:6]


def _local_time(when: float | None) -> time.struct_time | None:
    """``when`` (Unix time) as local time; None when not known or not a time."""
    if when is None or math.isnan(when) or math.isinf(when) or when < 0:
        return None
    try:
        return time.localtime(when)
    except (OverflowError, OSError, ValueError):
        return None


def moment(when: float | None, now: float | None = None) -> str:
    """A point in time for a narrow column: ``14:03`` today, ``Nov 28`` this year,
    ``2025-11`` before; "" when not known."""
    then = _local_time(when)
    if then is None:
        return ""
    today = time.localtime(time.time() if now is None else now)
    if then[:3] == today[:3]:
        return time.strftime("%H:%M", then)
    if then.tm_year == today.tm_year:
        return time.strftime("%b %d", then)
    return time.strftime("%Y-%m", then)


def full_moment(when: float | None) -> str:
    """``2026-11-29 14:03:12`` (local time); "" when not known."""
    then = _local_time(when)
    return "" if then is None else time.strftime("%Y-%m-%d %H:%M:%S", then)
