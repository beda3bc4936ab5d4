"""Where aria2-top's settings come from: command line > environment > config file.

The config file is TOML, by default ``config.toml`` in the user config folder
(``~/.config/aria2-top/`` on Linux)::

    rpc_url = "http://192.168.1.5:6800/jsonrpc"
    secret = "..."
    ca_file = "/path/to/ca.pem"     # for https with a private CA
    interval = 1.0                  # seconds between refreshes
    download_dir = "~/Downloads"    # for the private daemon
    timeout = 10.0                  # seconds for a whole request and its reply
    max_reply_mib = 128             # larger replies are refused
    bell = false                    # ring the terminal bell when a download ends
    notify = false                  # desktop notifications (notify-send) when one ends
    player = "mpv --force-window"   # what o opens files with (default: xdg-open)
    resync = 10.0                   # seconds between looks at the queue and results
    history = true                  # keep the history of downloads (7, aria2-top history)

    theme = "textual-light"         # any Textual theme (F2 or Ctrl+P chooses one)

    [table]                         # what F2 saves: the table's columns and defaults
    columns = ["pos", "name", "status", "progress", "size", "down", "added"]
    widths = { size = 9 }           # cells, for columns other than name and #
    sort = "down"                   # a column's key (F2 lists them); "pos": aria2's order
    reverse = true
    view = "active"                 # all, active, waiting, paused, done, errors

    [keymap]                        # any key moved, by its binding's name (README)
    pause = "z"
    "files.select" = "x,space"

Several daemons (a NAS, a seedbox, a laptop) in one view, each with a name::

    [[daemons]]
    name = "nas"
    rpc_url = "https://nas.lan:6800/jsonrpc"
    secret_env = "NAS_SECRET"       # or: secret = "..."
    ca_file = "/path/to/nas-ca.pem" # optional

On the command line, ``--rpc-url NAME=URL`` may be repeated (a configured NAME
brings its secret), and ``--daemon NAME`` limits a run to some of the daemons.

The secret is never printed: :class:`Settings` hides it from ``repr``.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from aria2_top.config.keys import BY_NAME, KIND_WORDS, read_settings
from aria2_top.model.columns import COLUMN_BY_KEY, DEFAULT_LAYOUT, checked_layout
from aria2_top.model.query import View

APP_NAME = "aria2-top"
DEFAULT_RPC_URL = "http://127.0.0.1:6800/jsonrpc"
DEFAULT_INTERVAL: float = BY_NAME["interval"].default
DEFAULT_TIMEOUT: float = BY_NAME["timeout"].default
DEFAULT_MAX_REPLY_MIB: int = BY_NAME["max_reply_mib"].default
DEFAULT_RESYNC: float = BY_NAME["resync"].default
ENV_RPC_URL = "ARIA2_RPC_URL"
ENV_SECRET = "ARIA2_RPC_SECRET"


class ConfigError(Exception):
    """The config file or a setting is unusable; the message says why, in words."""


def default_config_path() -> Path:
    """``config.toml`` in the user's config folder for aria2-top."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def default_data_dir() -> Path:
    """Where the private daemon keeps its session, config and log."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_download_dir() -> Path:
    """The user's download folder (``~/Downloads`` on most systems)."""
    return Path(platformdirs.user_downloads_dir())


@dataclass(frozen=True, slots=True)
class DaemonConfig:
    """One daemon of several, by name."""

    name: str
    rpc_url: str
    secret: str | None = field(default=None, repr=False)
    ca_file: str | None = None


NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,23}$")
"""A daemon's name: short, and nothing a terminal could take for a command."""


@dataclass(frozen=True, slots=True)
class TableSetup:
    """The table as the user set it up (F2, ``[table]``)."""

    columns: tuple[str, ...] = DEFAULT_LAYOUT
    widths: tuple[tuple[str, int], ...] = ()
    """(column, cells) for the columns whose width the user chose."""
    sort: str = "pos"
    reverse: bool = False
    view: View = View.ALL


VIEW_NAMES = {view.label.casefold(): view for view in View}
"""``view`` in ``[table]``: the views by their names (``all``, ``active``…)."""


@dataclass(frozen=True, slots=True)
class CliOptions:
    """The connection-related values given on the command line (None: not given).

    ``rpc_urls``: every ``--rpc-url`` given (``URL`` or ``NAME=URL``); ``rpc_url``
    is the same for code that names one; ``daemons``: ``--daemon`` names."""

    rpc_url: str | None = None
    rpc_urls: tuple[str, ...] = ()
    daemons: tuple[str, ...] = ()
    secret: str | None = field(default=None, repr=False)
    ca_file: str | None = None
    interval: float | None = None
    config_path: Path | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    """The settings in force after merging every source.

    ``rpc_url`` is None when no source named a daemon: the app then uses the
    default address if something answers there, else its private daemon.
    """

    rpc_url: str | None
    secret: str | None = field(repr=False)
    ca_file: str | None
    interval: float
    download_dir: Path
    data_dir: Path
    config_path: Path
    warnings: tuple[str, ...] = ()
    timeout: float = DEFAULT_TIMEOUT
    """Seconds for one whole request and its reply (not per read)."""
    max_reply_mib: int = DEFAULT_MAX_REPLY_MIB
    """Replies larger than this many MiB are refused as they come in."""
    bell: bool = False
    """Ring the terminal bell when a download finishes or fails."""
    notify: bool = False
    """Desktop notifications (notify-send) when downloads finish or fail."""
    resync: float = DEFAULT_RESYNC
    """Seconds between looks at the waiting and stopped lists when nothing said
    they changed (0: every tick, in full)."""
    keymap: tuple[tuple[str, str], ...] = ()
    """The ``[keymap]`` table: (binding name, keys), as written (the app checks the
    names, which only it knows)."""
    player: str | None = None
    """The command ``o`` opens a file with (the path is added last); None: the
    system's opener."""
    daemons: tuple[DaemonConfig, ...] = ()
    """Named daemons to show in one view (empty: the one daemon of ``rpc_url``, or
    the default or private one)."""
    table: TableSetup = TableSetup()
    history: bool = True
    """Keep the history of downloads (a SQLite file in the data folder)."""
    history_max: int = BY_NAME["history_max"].default
    """Downloads the history keeps at most (the oldest go first)."""
    theme: str | None = None
    """The Textual theme by name (None: Textual's default)."""


def load_config_file(path: Path) -> dict[str, Any]:
    """The table in the TOML file at ``path``; empty when there is no such file."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"config file {path} is not UTF-8 text (byte {exc.start + 1} cannot be read)"
        ) from exc
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc


def _readable_by_others(path: Path) -> bool:
    if sys.platform == "win32":
        return False
    try:
        return bool(path.stat().st_mode & (stat.S_IRGRP | stat.S_IROTH))
    except OSError:
        return False


def _typed(table: Mapping[str, Any], key: str, kind: type, path: Path) -> Any:
    value = table.get(key)
    if value is None:
        return None
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind):
        raise ConfigError(f"{key} in {path} must be {KIND_WORDS[kind]}")
    return value


def _existing_file(path: str, where: str, warnings: list[str] | None = None) -> str | None:
    """``path`` when a file is there; else a ConfigError (the command line) or a
    warning and None (the config file: the system's CA certificates are used)."""
    if Path(path).expanduser().is_file():
        return str(Path(path).expanduser())
    said = f"{where}: {path[:80]!r} is not a file"
    if warnings is None:
        raise ConfigError(said)
    warnings.append(f"{said}: the system's CA certificates are used")
    return None


def named_url(text: str) -> tuple[str | None, str]:
    """``nas=http://…`` -> ("nas", "http://…"); a bare URL -> (None, URL); a name before
    an address without a scheme (``nas=10.0.0.2:6800``) is a name too."""
    name, sep, url = text.partition("=")
    if sep and "/" not in name and ":" not in name:
        return name.strip(), url.strip()
    return None, text.strip()


def _name_of(url: str) -> str:
    """A daemon's name from its address when none is given: host[:port]."""
    parts = urlsplit(url)
    host = parts.hostname or "daemon"
    return host if parts.port is None else f"{host}:{parts.port}"


def _checked_name(name: str, where: str) -> str:
    if not NAME.match(name):
        shown = name if len(name) <= 30 else name[:29] + "…"
        raise ConfigError(
            f"daemon name {shown!r} in {where} is not usable: up to 24 ASCII letters, "
            "digits, dots, colons, dashes or underscores"
        )
    return name


def _checked_url(url: str, where: str) -> str:
    """An http(s) address of a daemon, else a ConfigError naming where it came from."""
    if not re.match(r"^https?://[^/\s]", url, re.IGNORECASE):
        raise ConfigError(f"{url[:60]!r} in {where} is not an http:// or https:// address")
    return url


def _file_daemons(
    table: Mapping[str, Any], path: Path, env: Mapping[str, str], warnings: list[str]
) -> list[DaemonConfig]:
    """The ``[[daemons]]`` of the config file, checked."""
    entries = table.get("daemons")
    if entries is None:
        return []
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ConfigError(f"daemons in {path} must be [[daemons]] tables")
    daemons = []
    for number, entry in enumerate(entries, 1):
        where = f"[[daemons]] number {number} of {path}"
        name = _typed(entry, "name", str, path)
        url = _typed(entry, "rpc_url", str, path)
        if not name or not url:
            raise ConfigError(f"{where} needs a name and an rpc_url")
        secret = _typed(entry, "secret", str, path)
        secret_env = _typed(entry, "secret_env", str, path)
        if secret_env:
            secret = env.get(secret_env) or secret
            if not secret:
                warnings.append(f"daemon {name}: the variable {secret_env} is not set")
        daemons.append(
            DaemonConfig(
                _checked_name(name, where),
                _checked_url(url, where),
                secret,
                _typed(entry, "ca_file", str, path),
            )
        )
    return _unique(daemons, str(path))


def _unique(daemons: list[DaemonConfig], where: str) -> list[DaemonConfig]:
    seen: dict[str, str] = {}
    for daemon in daemons:
        other = seen.get(daemon.name.casefold())
        seen[daemon.name.casefold()] = daemon.name
        if other is not None:
            same = (
                f"daemon name {other!r} is used twice"
                if other == daemon.name
                else f"daemon names {other!r} and {daemon.name!r} are the same (case is ignored)"
            )
            raise ConfigError(f"{same} in {where}")
    return daemons


def _cli_daemons(
    urls: tuple[str, ...], known: list[DaemonConfig], secret: str | None
) -> list[DaemonConfig]:
    """Daemons from ``--rpc-url NAME=URL`` (a configured NAME brings its secret and CA)."""
    by_name = {d.name: d for d in known}
    daemons = []
    for text in urls:
        name, url = named_url(text)
        if name == "":
            raise ConfigError(f"--rpc-url {text[:60]!r}: the name before = is empty")
        _checked_url(url, "--rpc-url")
        name = _checked_name(name or _name_of(url), "--rpc-url")
        same = by_name.get(name)
        daemons.append(
            DaemonConfig(
                name,
                url,
                secret or (same.secret if same else None),
                same.ca_file if same else None,
            )
        )
    return _unique(daemons, "--rpc-url")


def _only(daemons: list[DaemonConfig], names: tuple[str, ...]) -> list[DaemonConfig]:
    """The daemons ``--daemon`` names (all when none is named)."""
    if not names:
        return daemons
    if not daemons:
        raise ConfigError("--daemon picks among the daemons of the config file: none is there")
    known = {d.name.casefold(): d for d in daemons}
    wanted = [n.strip() for name in names for n in name.split(",") if n.strip()]
    unknown = [n for n in wanted if n.casefold() not in known]
    if unknown:
        listed = ", ".join(d.name for d in daemons)
        raise ConfigError(f"no daemon named {unknown[0]!r} (there are: {listed})")
    return [d for d in daemons if d.name.casefold() in {n.casefold() for n in wanted}]


def _keymap(table: object, path: Path, warnings: list[str]) -> tuple[tuple[str, str], ...]:
    """``[keymap]`` as (name, keys) pairs; dotted names (``files.select = "x"``, which
    TOML reads as a table in a table) are joined again."""
    if table is None:
        return ()
    if not isinstance(table, dict):
        warnings.append(f"keymap in {path} must be a table ([keymap]): left out")
        return ()
    pairs: list[tuple[str, str]] = []
    for name, value in table.items():
        if isinstance(value, dict):
            pairs += [(f"{name}.{inner}", keys) for inner, keys in _keymap(value, path, warnings)]
        elif isinstance(value, str):
            pairs.append((name, value))
        else:
            warnings.append(f"keymap: {name} in {path} must be keys in quotes: left out")
    return tuple(pairs)


MAX_COLUMN_WIDTH = 200


def _table_setup(table: object, path: Path, warnings: list[str]) -> TableSetup:
    """``[table]``, checked: what is unusable is left out, with a warning."""
    if table is None:
        return TableSetup()
    if not isinstance(table, dict):
        warnings.append(f"table in {path} must be a table ([table]): left out")
        return TableSetup()
    setup = TableSetup()
    columns = table.get("columns")
    if columns is not None:
        if isinstance(columns, list) and all(isinstance(c, str) for c in columns):
            layout, unknown = checked_layout(columns)
            if unknown:
                warnings.append(
                    f"[table] columns in {path}: no column {unknown[0]!r} (F2 lists them)"
                )
            setup = replace(setup, columns=layout)
        else:
            warnings.append(f"[table] columns in {path} must be a list of names: left out")
    widths = table.get("widths", {})
    if isinstance(widths, dict):
        chosen = []
        for key, cells in widths.items():
            if key not in COLUMN_BY_KEY:
                warnings.append(f"[table] widths in {path}: no column {key!r}")
            elif (
                isinstance(cells, int)
                and not isinstance(cells, bool)
                and 1 <= cells <= MAX_COLUMN_WIDTH
            ):
                chosen.append((key, cells))
            else:
                warnings.append(f"[table] widths in {path}: {key} must be 1 to {MAX_COLUMN_WIDTH}")
        setup = replace(setup, widths=tuple(chosen))
    else:
        warnings.append(f"[table] widths in {path} must be a table: left out")
    sort = table.get("sort")
    if sort is not None:
        if sort in COLUMN_BY_KEY:
            setup = replace(setup, sort=sort)
        else:
            warnings.append(f"[table] sort in {path}: no column {str(sort)[:30]!r}")
    reverse = table.get("reverse")
    if isinstance(reverse, bool):
        setup = replace(setup, reverse=reverse)
    elif reverse is not None:
        warnings.append(f"[table] reverse in {path} must be true or false")
    view = table.get("view")
    if view is not None:
        if isinstance(view, str) and view.casefold() in VIEW_NAMES:
            setup = replace(setup, view=VIEW_NAMES[view.casefold()])
        else:
            names = ", ".join(VIEW_NAMES)
            warnings.append(f"[table] view in {path}: {str(view)[:30]!r} is not one of {names}")
    return setup


def resolve_settings(cli: CliOptions, env: Mapping[str, str] | None = None) -> Settings:
    """Merge command line, environment and config file, in that order of precedence."""
    env = os.environ if env is None else env
    config_path = cli.config_path or default_config_path()
    table = load_config_file(config_path)
    warnings: list[str] = []
    values = read_settings(table, str(config_path), warnings)
    file_url, file_secret = values["rpc_url"], values["secret"]
    daemon_tables = table.get("daemons")
    secrets_in_file = bool(file_secret) or (
        isinstance(daemon_tables, list)
        and any(isinstance(d, dict) and d.get("secret") for d in daemon_tables)
    )
    if secrets_in_file and _readable_by_others(config_path):
        warnings.append(
            f"{config_path} holds the RPC secret and other users can read it: "
            f"run chmod 600 {config_path}"
        )

    interval = cli.interval if cli.interval is not None else values["interval"]
    if cli.interval is not None:
        problem = BY_NAME["interval"].problem(cli.interval)
        if problem:
            raise ConfigError(f"--interval {cli.interval:g} {problem}")
    ca_file = _existing_file(cli.ca_file, "--ca-file") if cli.ca_file else None
    if not cli.ca_file and values["ca_file"]:
        ca_file = _existing_file(values["ca_file"], f"ca_file in {config_path}", warnings)

    secret = cli.secret or env.get(ENV_SECRET) or file_secret
    file_daemons = _file_daemons(table, config_path, env, warnings)
    cli_urls = cli.rpc_urls or ((cli.rpc_url,) if cli.rpc_url else ())
    rpc_url = None
    if len(cli_urls) > 1 or (cli_urls and named_url(cli_urls[0])[0]):
        daemons = _cli_daemons(cli_urls, file_daemons, cli.secret or env.get(ENV_SECRET))
    elif cli_urls or env.get(ENV_RPC_URL):
        rpc_url, daemons = (cli_urls[0] if cli_urls else env.get(ENV_RPC_URL)), []
    else:
        daemons = file_daemons
        if daemons and file_url:
            warnings.append(f"{config_path} has both rpc_url and [[daemons]]: rpc_url is ignored")
        rpc_url = None if daemons else file_url
    daemons = _only(daemons, cli.daemons)
    table_setup = _table_setup(table.get("table"), config_path, warnings)

    download_dir = values["download_dir"]
    return Settings(
        keymap=_keymap(table.get("keymap"), config_path, warnings),
        rpc_url=rpc_url,
        secret=secret,
        ca_file=ca_file,
        interval=interval,
        download_dir=Path(download_dir).expanduser() if download_dir else default_download_dir(),
        data_dir=default_data_dir(),
        config_path=config_path,
        warnings=tuple(warnings),
        timeout=values["timeout"],
        max_reply_mib=values["max_reply_mib"],
        bell=values["bell"],
        notify=values["notify"],
        player=values["player"] or None,
        resync=values["resync"],
        daemons=tuple(daemons),
        table=table_setup,
        history=values["history"],
        history_max=values["history_max"],
        theme=values["theme"] or None,
    )
