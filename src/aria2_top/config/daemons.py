"""Several daemons in one view: ``[[daemons]]`` in the config file, ``--rpc-url
NAME=URL`` on the command line, ``--daemon NAME`` to pick some of them.

A wrong ``[[daemons]]`` entry is a warning and that daemon is left out (the others
run); a command line that cannot be followed is a :class:`ConfigError`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aria2_top.config.errors import ConfigError
from aria2_top.config.keys import DAEMON_KEYS, KIND_WORDS, unknown_keys


@dataclass(frozen=True, slots=True)
class DaemonConfig:
    """One daemon of several, by name."""

    name: str
    rpc_url: str
    secret: str | None = field(default=None, repr=False)
    ca_file: str | None = None


NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,23}$")
"""A daemon's name: short, and nothing a terminal could take for a command."""


def named_url(text: str) -> tuple[str | None, str]:
    """``nas=http://…`` -> ("nas", "http://…"); a bare URL -> (None, URL); a name before
    an address without a scheme (``nas=10.0.0.2:6800``) is a name too."""
    name, sep, url = text.partition("=")
    if sep and "/" not in name and ":" not in name:
        return name.strip(), url.strip()
    return None, text.strip()


def name_of_url(url: str) -> str:
    """A daemon's name from its address when none is given: host[:port]."""
    parts = urlsplit(url)
    host = parts.hostname or "daemon"
    return host if parts.port is None else f"{host}:{parts.port}"


def name_problem(name: str) -> str | None:
    if NAME.match(name):
        return None
    shown = name if len(name) <= 30 else name[:29] + "…"
    return (
        f"daemon name {shown!r} is not usable: up to 24 ASCII letters, digits, dots, "
        "colons, dashes or underscores"
    )


def url_problem(url: str) -> str | None:
    if re.match(r"^https?://[^/\s]", url, re.IGNORECASE):
        return None
    return f"{url[:60]!r} is not an http:// or https:// address"


def file_daemons(
    table: Mapping[str, Any], path: Path, env: Mapping[str, str], warnings: list[str]
) -> list[DaemonConfig]:
    """The usable ``[[daemons]]`` of the config file (each unusable one said and left
    out)."""
    entries = table.get("daemons")
    if entries is None:
        return []
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        warnings.append(f"{path}: daemons must be [[daemons]] tables: left out")
        return []
    daemons: list[DaemonConfig] = []
    for number, entry in enumerate(entries, 1):
        where = f"{path}: [[daemons]] number {number}"
        unknown_keys(entry, DAEMON_KEYS, where, warnings)
        daemon = _file_daemon(entry, where, env, warnings)
        if daemon is not None:
            daemons.append(daemon)
    return unique(daemons, str(path), warnings)


def _file_daemon(
    entry: Mapping[str, Any], where: str, env: Mapping[str, str], warnings: list[str]
) -> DaemonConfig | None:
    texts: dict[str, str | None] = {}
    for key in (k for k in DAEMON_KEYS if k != "turtle"):  # turtle: see turtle_table.py
        value = entry.get(key)
        if value is not None and not isinstance(value, str):
            warnings.append(f"{where}: {key} must be {KIND_WORDS[str]}: this daemon is left out")
            return None
        texts[key] = value
    name, url = texts["name"], texts["rpc_url"]
    if not name or not url:
        warnings.append(f"{where} needs a name and an rpc_url: left out")
        return None
    problem = name_problem(name) or url_problem(url)
    if problem:
        warnings.append(f"{where}: {problem}: left out")
        return None
    secret = texts["secret"]
    if texts["secret_env"]:
        secret = env.get(texts["secret_env"] or "") or secret
        if not secret:
            warnings.append(f"daemon {name}: the variable {texts['secret_env']} is not set")
    return DaemonConfig(name, url, secret, texts["ca_file"])


def unique(
    daemons: list[DaemonConfig], where: str, warnings: list[str] | None = None
) -> list[DaemonConfig]:
    """``daemons`` with each name once (case is ignored): a name used again is a
    warning (the later one left out) or, from the command line, a ConfigError."""
    seen: dict[str, str] = {}
    kept = []
    for daemon in daemons:
        other = seen.get(daemon.name.casefold())
        if other is None:
            seen[daemon.name.casefold()] = daemon.name
            kept.append(daemon)
            continue
        same = (
            f"daemon name {other!r} is used twice"
            if other == daemon.name
            else f"daemon names {other!r} and {daemon.name!r} are the same (case is ignored)"
        )
        if warnings is None:
            raise ConfigError(f"{same} in {where}")
        warnings.append(f"{where}: {same}: the second is left out")
    return kept


def cli_daemons(
    urls: tuple[str, ...], known: list[DaemonConfig], secret: str | None
) -> list[DaemonConfig]:
    """Daemons from ``--rpc-url NAME=URL`` (a configured NAME brings its secret and CA)."""
    by_name = {d.name: d for d in known}
    daemons = []
    for text in urls:
        name, url = named_url(text)
        if name == "":
            raise ConfigError(f"--rpc-url {text[:60]!r}: the name before = is empty")
        problem = url_problem(url)
        if problem:
            raise ConfigError(f"{problem} in --rpc-url")
        name = name or name_of_url(url)
        problem = name_problem(name)
        if problem:
            raise ConfigError(problem.replace(" is not usable", " in --rpc-url is not usable"))
        same = by_name.get(name)
        daemons.append(
            DaemonConfig(
                name,
                url,
                secret or (same.secret if same else None),
                same.ca_file if same else None,
            )
        )
    return unique(daemons, "--rpc-url")


def only(daemons: list[DaemonConfig], names: tuple[str, ...]) -> list[DaemonConfig]:
    """The daemons ``--daemon`` names (all when none is named)."""
    if not names:
        return daemons
    if not daemons:
        raise ConfigError("--daemon picks among the daemons of the config file: none is there")
    known = {d.name.casefold(): d for d in daemons}
    wanted = [n.strip() for name in names for n in name.split(",") if n.strip()]
    missing = [n for n in wanted if n.casefold() not in known]
    if missing:
        listed = ", ".join(d.name for d in daemons)
        raise ConfigError(f"no daemon named {missing[0]!r} (there are: {listed})")
    return [d for d in daemons if d.name.casefold() in {n.casefold() for n in wanted}]
