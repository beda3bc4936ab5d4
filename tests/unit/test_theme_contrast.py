"""Every tone of every built-in theme reads at 4.5:1 (WCAG AA) against the
backgrounds it is drawn on -- the table's ($surface), the stats bar's ($panel), the
screen's ($background), the footer's -- in truecolor and in a 256-colour terminal
(ui/tones.py, ui/contrast.py). The ratio is worked out here on its own, from the
WCAG formula and Rich's 256-colour downgrade."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rich.color import Color as RichColor
from rich.color import ColorSystem
from textual.color import Color
from textual.theme import BUILTIN_THEMES, Theme

from aria2_top.ui import tones
from aria2_top.ui.tones import theme_variables, tone, use_theme

TONES = ("good", "warn", "bad", "note", "done", "odd", "dim")
"""The tone words the app's styles use (``dim``: limits in the bar, removed rows)."""
TONE_BACKGROUNDS = ("surface", "panel", "background")
FOOTER_TEXT = ("footer-key-foreground", "footer-description-foreground", "footer-foreground")
ANSI_THEMES = {"ansi-dark", "ansi-light"}
"""Themes in the terminal's own ANSI colours: their contrast is the terminal's."""


def _rgb(value: str) -> tuple[int, int, int]:
    color = Color.parse(value)
    assert color.a == 1, f"{value} is translucent"
    return (color.r, color.g, color.b)


def _in_256(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    shown = RichColor.from_rgb(*rgb).downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
    return (shown.red, shown.green, shown.blue)


def _luminance(rgb: tuple[int, int, int]) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _pairs(theme: Theme) -> Iterator[tuple[str, str, str]]:
    """(what, its colour, the background's colour) for every text the app draws."""
    variables = theme_variables(theme)
    use_theme(theme)
    for word in TONES:
        colour = tone(word)
        assert colour.startswith("#"), f"{word} has no colour of its own in {theme.name}"
        for back in TONE_BACKGROUNDS:
            yield f"{word} on ${back}", colour, variables[back]
    for name in FOOTER_TEXT:
        yield f"${name} on the footer", variables[name], variables["footer-background"]


def _shortfalls(theme: Theme) -> list[str]:
    short = []
    for what, text, back in _pairs(theme):
        truecolor = _ratio(_rgb(text), _rgb(back))
        eight_bit = _ratio(_in_256(_rgb(text)), _in_256(_rgb(back)))
        if min(truecolor, eight_bit) < 4.5:
            short.append(f"{what}: {truecolor:.2f}:1 truecolor, {eight_bit:.2f}:1 in 256")
    return short


@pytest.fixture(autouse=True)
def _dark_after() -> Iterator[None]:
    yield
    use_theme(BUILTIN_THEMES["textual-dark"])  # as the app starts


@pytest.mark.parametrize("name", sorted(set(BUILTIN_THEMES) - ANSI_THEMES))
def test_every_tone_reads_in_every_theme(name: str) -> None:
    assert _shortfalls(BUILTIN_THEMES[name]) == []


def test_the_ansi_themes_are_left_to_the_terminal() -> None:
    """Only themes whose colours are the terminal's own are not checked, and their
    colours stay the terminal's (nothing is made up for them)."""
    for name, theme in BUILTIN_THEMES.items():
        ansi = Color.parse(theme.to_color_system().generate()["background"]).ansi is not None
        assert ansi == (name in ANSI_THEMES), name
    theme = BUILTIN_THEMES["ansi-dark"]
    raw = {**theme.to_color_system().generate(), **theme.variables}
    assert theme_variables(theme) == raw


def test_the_themes_as_textual_makes_them_were_short() -> None:
    """The check can fail: textual-light at 256 colours had ``active`` (good) near
    2.7:1 and the footer's keys near 2.3:1 before the tones were raised."""
    theme = BUILTIN_THEMES["textual-light"]
    raw = {**theme.to_color_system().generate(), **theme.variables}
    good = _ratio(_in_256(_rgb(raw["text-success"])), _in_256(_rgb(raw["surface"])))
    keys = _ratio(
        _in_256(_rgb(raw["footer-key-foreground"])), _in_256(_rgb(raw["footer-background"]))
    )
    assert good < 3 and keys < 2.5


def test_a_readable_colour_is_left_as_the_theme_has_it() -> None:
    """Only what falls short moves: textual-dark's ↓ green stays its own."""
    theme = BUILTIN_THEMES["textual-dark"]
    raw = theme.to_color_system().generate()
    assert theme_variables(theme)["text-success"] == raw["text-success"]
    assert set(tones.TEXT_ON) >= {"footer-key-foreground", "text-success", "foreground"}
