"""Keeping passwords off the screen until the user asks to see them (the values sent
to aria2 are never changed): ``*-passwd`` options, ``user:pass@`` in URIs (with or
without a scheme, as proxies are given), secret query parameters (a tracker's
``passkey``, a signed URL's ``token``/``sig``), and authorization headers."""

from __future__ import annotations

import re

MASK = "••••"

_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#@\s]+@")
_BARE_USERINFO = re.compile(r"^[^/?#@\s:]+:[^/?#@\s]*@")
_SECRET_QUERY = re.compile(
    r"(?i)([?&;](?:passkey|pass|password|passwd|token|access_token|auth|key|api_?key|"
    r"sig|signature|secret)=)[^&#\s]+"
)
_SECRET_HEADER = re.compile(r"(?im)^((?:proxy-)?authorization|cookie|x-api-key)(\s*:\s*).+$")
_SECRET_SUFFIXES = ("-passwd", "-password", "-secret", "-token")


def is_secret_option(name: str) -> bool:
    """True for options whose value is a password or a secret (``http-passwd``…)."""
    return name.lower().endswith(_SECRET_SUFFIXES)


def mask_uri_secrets(text: str) -> str:
    """``text`` with the ``user:password@`` part of every URI in it replaced by
    ``••••@``, and the values of secret query parameters by ``••••``."""
    if "@" in text:
        text = _USERINFO.sub(lambda match: f"{match.group(1)}{MASK}@", text)
    if "=" in text:
        text = _SECRET_QUERY.sub(lambda match: f"{match.group(1)}{MASK}", text)
    return text


def mask_option(name: str, value: str) -> str:
    """An option's value fit to show: masked whole for secret options (unless empty),
    the secret part of an authorization header, a proxy's bare ``user:pass@``, and
    the secrets of any URI in it."""
    if is_secret_option(name):
        return MASK if value else value
    if name == "header":
        value = _SECRET_HEADER.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", value)
    elif name.endswith("-proxy"):
        value = _BARE_USERINFO.sub(f"{MASK}@", value)
    return mask_uri_secrets(value)
