"""safe_text() makes untrusted text safe to show: Rich and a terminal agree on its width.

Rich measures with ``rich.cells.cell_len``; most terminals add up wcwidth() per
code point.  ``_terminal_width`` below is such a per-code-point rule, written from
the Unicode data so that it does not depend on what safe_text() itself does.
"""

from __future__ import annotations

import unicodedata

import pytest
from rich.cells import cell_len

from aria2_top.model.format import safe_text

REPLACEMENT = "\N{REPLACEMENT CHARACTER}"


def _terminal_width(text: str) -> int:
    """Cells a wcwidth()-per-code-point terminal draws ``text`` in."""
    width = 0
    for char in text:
        code = ord(char)
        if unicodedata.category(char) in ("Mn", "Me") or 0x1160 <= code <= 0x11FF:
            continue  # combining marks and conjoining Hangul vowels/finals: 0 cells
        if 0xD7B0 <= code <= 0xD7FF:
            continue  # more conjoining Hangul vowels/finals
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


_REMOVED_RANGES = (
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x115F, 0x1160),  # Hangul fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels
    (0x180B, 0x180F),  # Mongolian variation selectors
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors (VS15, VS16)
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler
    (0x1F1E6, 0x1F1FF),  # regional indicators
    (0x1F3FB, 0x1F3FF),  # skin-tone modifiers
    (0xE0000, 0xE0FFF),  # tags and variation selectors 17-256
)


def _removed(char: str) -> bool:
    """Whether ``char`` must never be in safe_text()'s output."""
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
        return True  # controls, format (ZWJ, ZWSP, BOM, soft hyphen, bidi...), separators
    code = ord(char)
    return any(first <= code <= last for first, last in _REMOVED_RANGES)


def _check_displayable(shown: str) -> None:
    assert [f"U+{ord(c):04X}" for c in shown if _removed(c)] == []
    assert cell_len(shown) == _terminal_width(shown)


HOSTILE = [
    pytest.param("I \u2764\ufe0f it.mkv", "I \u2764 it.mkv", id="emoji+VS16"),
    pytest.param("\u2764\ufe0e", "\u2764", id="emoji+VS15"),
    pytest.param("1\ufe0f\u20e3", "1\u20e3", id="keycap"),
    pytest.param("\u845b\U000e0100", "\u845b", id="ideographic-variation-selector"),
    pytest.param("👨\u200d👩\u200d👧", "👨👩👧", id="ZWJ-family"),
    pytest.param("\u0915\u094d\u200d\u0937", "\u0915\u094d\u0937", id="ZWJ-Devanagari"),
    pytest.param("👍🏽", "👍", id="skin-tone"),
    pytest.param("a🏽", "a", id="lone-skin-tone"),
    pytest.param("Tatort 🇩🇪.mkv", "Tatort DE.mkv", id="flag"),
    pytest.param("🇩🇪🇫", "DEF", id="odd-regional-indicators"),
    pytest.param(
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", "🏴", id="tag-flag"
    ),
    pytest.param("a\u2028b", f"a{REPLACEMENT}b", id="U+2028"),
    pytest.param("a\u2029b", f"a{REPLACEMENT}b", id="U+2029"),
    pytest.param("a\u200bb", "ab", id="U+200B"),
    pytest.param("a\u2060b", "ab", id="U+2060"),
    pytest.param("\ufeffname", "name", id="U+FEFF"),
    pytest.param("long\u00adname", "longname", id="soft-hyphen"),
    pytest.param("x\u3164y\uffa0z\u115f", "xyz", id="Hangul-fillers"),
    pytest.param(
        "a\u202eb\u202dc\u2066d\u2069e\u200ff\u061c",
        f"a{REPLACEMENT}b{REPLACEMENT}c{REPLACEMENT}d{REPLACEMENT}e{REPLACEMENT}f{REPLACEMENT}",
        id="bidi",
    ),
    pytest.param("a\x1b[2Jb\x07\x00\t\n\r\x7f", f"a{REPLACEMENT}[2Jb" + REPLACEMENT * 6, id="C0"),
    pytest.param("a\x9b31m\x85\x80\x9f", f"a{REPLACEMENT}31m" + REPLACEMENT * 3, id="C1"),
    pytest.param("a\ud800b\udfff", f"a{REPLACEMENT}b{REPLACEMENT}", id="lone-surrogates"),
    pytest.param("\ue000\U000f0000\U00100000", REPLACEMENT * 3, id="private-use"),
    pytest.param("\u0378\uffff\U0010ffff", REPLACEMENT * 3, id="unassigned+noncharacters"),
    pytest.param("\u0600\ufff9", REPLACEMENT * 2, id="other-format-characters"),
    pytest.param("\u2630\u4dc0\U0001d360\u3248", REPLACEMENT * 4, id="width-changed-symbols"),
]


@pytest.mark.parametrize(("text", "shown"), HOSTILE)
def test_hostile_text_is_shown_with_a_width_rich_and_terminals_agree_on(
    text: str, shown: str
) -> None:
    assert safe_text(text) == shown
    _check_displayable(safe_text(text))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("ubuntu-24.04.1-desktop-amd64.iso [x] {y} ~!@#$%^&*()", id="ASCII"),
        pytest.param("Café Ünïcödé naïve ñandú Œuvre Łódź", id="accented-Latin"),
        pytest.param("Cafe\u0301 n\u0303", id="combining-accents"),
        pytest.param("東京 日本語のファイル名 한국어 中文", id="CJK"),
        pytest.param("\u1112\u1161\u11ab\u1100\u1173\u11af", id="Hangul-NFD"),
        pytest.param("😀 party 🎉 ⌚", id="plain-emoji"),
        pytest.param("Ελληνικά Кириллица עברית العربية ไทย", id="other-scripts"),
        pytest.param("\u00a0\u3000 \u2026 \u2500\u2502 \u2460", id="spaces-and-symbols"),
        pytest.param("", id="empty"),
    ],
)
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert safe_text(text) == text
    _check_displayable(text)


def test_a_10000_char_name() -> None:
    piece = "I \u2764\ufe0f 👨\u200d👩\u200d👧 🇩🇪 👍🏽 \u200b\u2028\x1b\u202e 漢字 é 😀 "
    text = (piece * (10_000 // len(piece) + 1))[:10_000]
    shown = safe_text(text)
    _check_displayable(shown)
    assert len(shown) < len(text)
    assert safe_text("a" * 10_000) == "a" * 10_000


# Planes 0-3 and 14 in full; of planes 4-13 (unassigned) and 15-16 (private use),
# the first and the last block of 256 code points.
_BLOCKS = [
    *range(0, 0x40000, 256),
    *range(0xE0000, 0xF0000, 256),
    *(plane << 16 | offset for plane in (*range(4, 14), 15, 16) for offset in (0, 0xFF00)),
]


def test_every_code_point() -> None:
    """Every code point, shown in blocks of 256, has one width for Rich and for the terminal.

    Except spacing combining marks (category Mc, e.g. Devanagari vowel signs):
    Rich 15 counts them as 0 cells, wcwidth() as 1; they are ordinary text, which
    safe_text() leaves as it is.
    """
    wrong = []
    for block in _BLOCKS:
        chars = [chr(code) for code in range(block, block + 256)]
        shown = safe_text("".join(c for c in chars if unicodedata.category(c) != "Mc"))
        if cell_len(shown) != _terminal_width(shown) or any(map(_removed, shown)):
            wrong += [
                f"U+{ord(c):04X} -> {safe_text(c)!r}"
                for c in chars
                if cell_len(safe_text(c)) != _terminal_width(safe_text(c))
                or any(map(_removed, safe_text(c)))
            ]
    assert wrong == []
