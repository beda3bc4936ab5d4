"""Keeping passwords off the screen: ``*-passwd`` options and ``user:pass@`` in URIs
are shown as ``••••`` until the user asks to see them (the values sent to aria2 are
never changed)."""

from __future__ import annotations

import re

MASK = "••••"

_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#@\s]+@")
_SECRET_SUFFIXES = ("-passwd", "-password", "-secret", "-token")


def is_secret_option(name: str) -> bool:
    """True for options whose value is a password or a secret (``http-passwd``…)."""
    return name.lower().endswith(_SECRET_SUFFIXES)


def mask_userinfo(text: str) -> str:
    """``text`` with the ``user:password@`` part of every URI in it replaced by ``••••@``."""
    if "@" not in text:
        return text
    return _USERINFO.sub(lambda match: f"{match.group(1)}{MASK}@", text)


def mask_option(name: str, value: str) -> str:
    """An option's value fit to show: masked whole for secret options (unless empty),
    else with the credentials of any URI in it masked."""
    if is_secret_option(name):
        return MASK if value else value
    return mask_userinfo(value)
