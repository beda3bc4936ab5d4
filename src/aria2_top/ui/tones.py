"""The colours of words (states, warnings, speeds) taken from the Textual theme, so
that every theme, light ones included, keeps them readable.

Styles are written with tone words in place of colours (``"bold warn"``) and made
into Rich styles by :func:`tone` with the theme in force: the app calls
:func:`use_theme` whenever the theme changes, and redraws.

Every text colour (the tones, ``dim`` text, the foreground, the footer's keys) is
raised, where the theme leaves it short, to 4.5:1 contrast against the backgrounds
it is drawn on, in truecolor and in a 256-colour terminal (:func:`readable_variables`;
the app's CSS variables go through it too).
"""

from __future__ import annotations

from textual.theme import BUILTIN_THEMES, Theme

from aria2_top.ui.contrast import RGB, hex_of, readable, rgb_of

_VARIABLES = {
    "good": "text-success",  # running, connected, ↓ speeds
    "warn": "text-warning",  # paused, stale, tagged
    "bad": "text-error",  # failed, no reply
    "note": "text-primary",  # seeding, ↑ speeds, keys in the help
    "done": "text-secondary",  # complete
    "odd": "text-accent",  # metadata, unknown
}
QUIET = "dim"
"""The tone word of quiet text (limits in the bar, removed rows): the foreground
faded toward the background as a terminal's dim would, but never below 4.5:1."""
_DIM_FACTOR = 0.66
"""How much of the foreground a dim colour keeps (Textual's own dim factor)."""

PLAIN_BACKGROUNDS = ("background", "surface", "panel")
"""Where the tones are drawn: the screen, the table and dialogs, the bars."""
FOOTER_BACKGROUND = "footer-background"
TEXT_ON: dict[str, tuple[str, ...]] = {
    "foreground": PLAIN_BACKGROUNDS,
    **{name: PLAIN_BACKGROUNDS for name in _VARIABLES.values()},
    "footer-foreground": (FOOTER_BACKGROUND,),
    "footer-key-foreground": (FOOTER_BACKGROUND, "footer-key-background"),
    "footer-description-foreground": (FOOTER_BACKGROUND, "footer-description-background"),
}
"""Each text colour of the theme and the backgrounds it is drawn on."""

_colours: dict[str, str] = {}


def _backgrounds(variables: dict[str, str], names: tuple[str, ...]) -> list[RGB] | None:
    """The backgrounds ``names`` as colours (a transparent one is the one under it:
    left out); None when one has no fixed colour (an ANSI theme: the terminal's own)."""
    base = rgb_of(variables.get("background", ""))
    found: list[RGB] = []
    for name in names:
        value = variables.get(name, "transparent")
        if value == "transparent":
            continue
        rgb = rgb_of(value, base)
        if rgb is None:
            return None
        found.append(rgb)
    return found


def readable_variables(variables: dict[str, str]) -> dict[str, str]:
    """``variables`` (a theme's CSS variables) with each text colour of
    :data:`TEXT_ON` moved, as little as needed, to 4.5:1 against its backgrounds in
    truecolor and 256 colours; colours without a fixed value (ANSI) stay."""
    fixed = dict(variables)
    for name, on in TEXT_ON.items():
        backgrounds = _backgrounds(variables, on)
        text = rgb_of(variables.get(name, ""), backgrounds[0] if backgrounds else None)
        if backgrounds is None or text is None:
            continue
        better = readable(text, backgrounds)
        if better != text:
            fixed[name] = hex_of(better)
    return fixed


def theme_variables(theme: Theme) -> dict[str, str]:
    """The CSS variables of ``theme`` as Textual makes them, made readable."""
    return readable_variables({**theme.to_color_system().generate(), **theme.variables})


def quiet_colour(variables: dict[str, str]) -> str | None:
    """The colour of :data:`QUIET` text in these (readable) variables; None when the
    theme's colours are the terminal's (then ``dim`` is left to the terminal)."""
    backgrounds = _backgrounds(variables, PLAIN_BACKGROUNDS)
    text = rgb_of(variables.get("foreground", ""))
    if not backgrounds or text is None:
        return None
    under = backgrounds[-1]
    faded = tuple(round(b + (t - b) * _DIM_FACTOR) for t, b in zip(text, under, strict=True))
    return hex_of(readable((faded[0], faded[1], faded[2]), backgrounds))


def use_theme(theme: Theme) -> None:
    """Take the tones' colours from ``theme`` (its readable text colours)."""
    variables = theme_variables(theme)
    _colours.clear()
    _colours.update({tone: variables[name] for tone, name in _VARIABLES.items()})
    quiet = quiet_colour(variables)
    if quiet is not None:
        _colours[QUIET] = quiet


def tone(spec: str) -> str:
    """``"bold warn"`` -> ``"bold #A86D1C"``: the words of ``spec`` that are tones
    become the theme's colours, the others (bold, italic…) stay; ``dim`` becomes the
    quiet colour (a terminal's own dim can be unreadable)."""
    return " ".join(_colours.get(word, word) for word in spec.split())


use_theme(BUILTIN_THEMES["textual-dark"])
