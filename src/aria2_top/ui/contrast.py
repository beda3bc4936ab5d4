"""Readable text in every theme: the WCAG contrast of a text colour against the
backgrounds it is drawn on, in truecolor and in a 256-colour terminal, and a text
colour moved toward black or white, as little as needed, until it is readable."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from rich.color import Color as RichColor
from rich.color import ColorSystem
from textual.color import Color

MINIMUM = 4.5
"""WCAG AA for normal text: the contrast every text colour of the app keeps."""

RGB = tuple[int, int, int]

_STEPS = 50
"""How finely a colour is moved toward black or white (2% a step)."""


def _channel(value: int) -> float:
    scaled = value / 255
    return scaled / 12.92 if scaled <= 0.03928 else ((scaled + 0.055) / 1.055) ** 2.4


def luminance(rgb: RGB) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""
    red, green, blue = rgb
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def ratio(first: RGB, second: RGB) -> float:
    """WCAG contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@lru_cache(maxsize=4096)
def in_256(rgb: RGB) -> RGB:
    """The colour a 256-colour terminal shows for ``rgb`` (Rich's choice, as Textual
    sends it when the terminal has no truecolor)."""
    shown = RichColor.from_rgb(*rgb).downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
    return (shown.red, shown.green, shown.blue)


def worst(text: RGB, backgrounds: Sequence[RGB]) -> float:
    """The lowest contrast of ``text`` on any of ``backgrounds``, in truecolor or in
    256 colours."""
    return min(min(ratio(text, back), ratio(in_256(text), in_256(back))) for back in backgrounds)


def _blend(start: RGB, end: RGB, amount: float) -> RGB:
    red, green, blue = (round(a + (b - a) * amount) for a, b in zip(start, end, strict=True))
    return (red, green, blue)


def readable(text: RGB, backgrounds: Sequence[RGB]) -> RGB:
    """``text`` as it is when it reaches :data:`MINIMUM` on every background in
    both colour modes; else the nearest colour toward black or white that does (the
    shorter way); else the most readable of those tried."""
    if not backgrounds or worst(text, backgrounds) >= MINIMUM:
        return text
    best, best_ratio = text, worst(text, backgrounds)
    for step in range(1, _STEPS + 1):
        for end in ((0, 0, 0), (255, 255, 255)):
            moved = _blend(text, end, step / _STEPS)
            found = worst(moved, backgrounds)
            if found >= MINIMUM:
                return moved
            if found > best_ratio:
                best, best_ratio = moved, found
    return best


def rgb_of(value: str, under: RGB | None = None) -> RGB | None:
    """A CSS colour of the theme as RGB (blended over ``under`` when translucent);
    None for what has no fixed colour: ANSI colours (the terminal's own palette),
    ``auto`` and other words."""
    try:
        color = Color.parse(value)
    except Exception:  # noqa: BLE001 - Textual raises several kinds for a non-colour
        return None
    if color.ansi is not None:
        return None
    if color.a < 1 and under is not None:
        color = Color(*under).blend(color.with_alpha(1), color.a)
    return (color.r, color.g, color.b)


def hex_of(rgb: RGB) -> str:
    return "#{:02X}{:02X}{:02X}".format(*rgb)
