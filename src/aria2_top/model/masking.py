"""The one rule for credentials and for control characters in what aria2-top writes.

Masking keeps passwords off the screen until the user asks to see them (the values
sent to aria2 are never changed): ``*-passwd`` options, ``user:pass@`` in URIs (with
or without a scheme, as proxies are given), secret query parameters (a tracker's
``passkey``, a signed URL's ``token``/``sig``), authorization headers, ``token:…``
RPC secrets and any secret known by value. The details pane, the history (which
stores URIs already masked), ``aria2-top history``, the event log, the debug log and
crash reports all use it.

:func:`for_file` is the one sanitiser of every line written to a file or printed on
the terminal (the debug log, crash reports, the event log, ``aria2-top history``):
credentials masked, and every control character shown as ``\\xNN`` instead of sent,
so that ``cat debug.log`` cannot retitle, clear or write the clipboard of a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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


_TOKEN = re.compile(r"token:[^\s'\",\]\)}]+")
SHORT_SECRET = 6
"""A secret shorter than this is replaced only where it stands as a word of its own
(blanking every "s" of a report would make it unreadable)."""


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """``text`` without the given secrets, ``token:…`` values and URI credentials."""
    for secret in secrets:
        if secret and len(secret) >= SHORT_SECRET:
            text = text.replace(secret, MASK)
        elif secret:
            text = re.sub(rf"(?<!\w){re.escape(secret)}(?!\w)", MASK, text)
    return mask_uri_secrets(_TOKEN.sub(f"token:{MASK}", text))


_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_CONTROL_AND_BREAKS = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escaped(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character (C0, DEL, C1, bidi controls) written as
    ``\\xNN`` or ``\\uNNNN``; line breaks too unless ``keep_newlines`` (a traceback)."""
    pattern = _CONTROL if keep_newlines else _CONTROL_AND_BREAKS
    return pattern.sub(_escape, text)


def for_file(text: str, secrets: Iterable[str | None] = (), *, keep_newlines: bool = False) -> str:
    """A line (or, ``keep_newlines``, a block) fit to be written to a file or the
    terminal: credentials masked, control characters escaped."""
    return escaped(redact(text, secrets), keep_newlines=keep_newlines)
