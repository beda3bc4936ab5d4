"""What the JSON-RPC client and the first frame share, with nothing but the standard
library: which addresses are this machine, a URL fit to show, and reading a reply
without trusting it (:func:`decode_reply`)."""

from __future__ import annotations

import ipaddress
import json
from typing import Any
from urllib.parse import urlsplit

LONGEST_INT = 24
"""JSON integers with more digits than this are kept as their text, never converted
(aria2 sends numbers as strings; a 4,000-digit one is a hostile reply)."""

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback_url(url: str) -> bool:
    """True when ``url`` points at this machine (localhost, 127.0.0.0/8, ::1)."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    return bool(host) and is_loopback_host(host or "")


def is_loopback_host(host: str) -> bool:
    """``localhost``, 127.0.0.0/8 and ::1 (bracketed or not): nothing else."""
    name = host.strip().lower().removeprefix("[").removesuffix("]")
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def redact_url(url: str) -> str:
    """``url`` without any user:password part, safe to show or log."""
    parts = urlsplit(url)
    if parts.password is None and parts.username is None:
        return url
    netloc = parts.hostname or ""
    if parts.port is not None:
        netloc = f"{netloc}:{parts.port}"
    return parts._replace(netloc=netloc).geturl()


def _bounded_int(text: str) -> int | str:
    return int(text) if len(text) <= LONGEST_INT else text


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def decode_reply(body: bytes) -> Any:
    """Parse a JSON reply without trusting it: huge integers stay text, ``NaN`` and
    ``Infinity`` are refused, and nesting past the decoder's limit is refused (the
    C decoder stops with RecursionError at the interpreter's recursion limit)."""
    try:
        return json.loads(body, parse_int=_bounded_int, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
