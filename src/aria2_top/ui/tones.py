"""The colours of words (states, warnings, speeds) taken from the Textual theme, so
that every theme, light ones included, keeps them readable.

Styles are written with tone words in place of colours (``"bold warn"``) and made
into Rich styles by :func:`tone` with the theme in force: the app calls
:func:`use_theme` whenever the theme changes, and redraws.
"""

from __future__ import annotations

from textual.theme import BUILTIN_THEMES, Theme

_VARIABLES = {
    "good": "text-success",  # running, connected, ↓ speeds
    "warn": "text-warning",  # paused, stale, tagged
    "bad": "text-error",  # failed, no reply
    "note": "text-primary",  # seeding, ↑ speeds, keys in the help
    "done": "text-secondary",  # complete
    "odd": "text-accent",  # metadata, unknown
}
_colours: dict[str, str] = {}


def use_theme(theme: Theme) -> None:
    """Take the tones' colours from ``theme`` (its readable text colours)."""
    variables = theme.to_color_system().generate()
    _colours.clear()
    _colours.update({tone: variables[name] for tone, name in _VARIABLES.items()})


def tone(spec: str) -> str:
    """``"bold warn"`` -> ``"bold #A86D1C"``: the words of ``spec`` that are tones
    become the theme's colours, the others (bold, dim, italic…) stay."""
    return " ".join(_colours.get(word, word) for word in spec.split())


use_theme(BUILTIN_THEMES["textual-dark"])
