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
    watch = ["~/Downloads/torrents"]  # .torrent, .metalink, .magnet, .uris dropped
    watch_daemon = "nas"            # there are added to this daemon (default: the first)

    [table]                         # what F2 saves: the table's columns and defaults
    columns = ["pos", "name", "status", "progress", "size", "down", "added"]
    widths = { size = 9 }           # cells, for columns other than name and #
    sort = "down"                   # a column's key (F2 lists them); "pos": aria2's order
    reverse = true
    view = "active"                 # all, active, waiting, paused, done, errors

    [keymap]                        # any key moved, by its binding's name (README)
    pause = "z"
    "files.select" = "x,space"

    [hooks]                         # commands run on downloads' events (hooks_table.py)
    on_complete = ["notify-send", "downloaded", "{name}"]

    [turtle]                        # the limits T switches to, and when (turtle_table.py)
    down = "50K"
    up = "10K"

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
import stat
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import platformdirs

from aria2_top.config.daemons import DaemonConfig, cli_daemons, file_daemons, named_url, only
from aria2_top.config.errors import ConfigError
from aria2_top.config.hooks_table import HookSettings, read_hooks
from aria2_top.config.keys import BY_NAME, read_settings, shown_value
from aria2_top.config.table_setup import TableSetup, read_table_setup
from aria2_top.config.turtle_table import TurtleSettings, read_turtle

__all__ = ["ConfigError", "DaemonConfig", "TableSetup"]

APP_NAME = "aria2-top"
DEFAULT_RPC_URL = "http://127.0.0.1:6800/jsonrpc"
DEFAULT_INTERVAL: float = BY_NAME["interval"].default
DEFAULT_TIMEOUT: float = BY_NAME["timeout"].default
DEFAULT_MAX_REPLY_MIB: int = BY_NAME["max_reply_mib"].default
DEFAULT_RESYNC: float = BY_NAME["resync"].default
ENV_RPC_URL = "ARIA2_RPC_URL"
ENV_SECRET = "ARIA2_RPC_SECRET"
COMMAND_LINE, FILE, DEFAULT = "command line", "config file", "default"


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
    file_manager: tuple[str, ...] | None = None
    """The command ``Ctrl+O`` opens a download's folder with (the folder is added
    last); None: the system's opener."""
    daemons: tuple[DaemonConfig, ...] = ()
    """Named daemons to show in one view (empty: the one daemon of ``rpc_url``, or
    the default or private one)."""
    table: TableSetup = field(default_factory=TableSetup)
    history: bool = True
    """Keep the history of downloads (a SQLite file in the data folder)."""
    history_max: int = BY_NAME["history_max"].default
    """Downloads the history keeps at most (the oldest go first)."""
    theme: str | None = None
    """The Textual theme by name (None: Textual's default)."""
    watch: tuple[Path, ...] = ()
    """Watched folders (``~`` expanded): the files dropped there are added."""
    watch_daemon: str | None = None
    """The daemon the watched folders add to (None: the first, or only, one)."""
    hooks: HookSettings = field(default_factory=HookSettings)
    """The ``[hooks]`` table: commands the dashboard runs on downloads' events."""
    turtle: TurtleSettings = field(default_factory=TurtleSettings)
    """``[turtle]`` and the daemons' own: the limits T switches to, and when."""
    sources: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    """Where each setting came from: ``command line``, ``environment (VARIABLE)``,
    ``config file`` or ``default`` (``aria2-top config`` says so)."""

    def _with(self, reading: _Reading) -> Settings:
        """These settings with what the reading said: its warnings and sources."""
        return replace(self, warnings=tuple(reading.warnings), sources=dict(reading.sources))


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


@dataclass(slots=True)
class _Reading:
    """One resolution under way: the file's values, the warnings, the sources."""

    cli: CliOptions
    env: Mapping[str, str]
    path: Path
    table: dict[str, Any]
    values: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    def _read_from_file(self, key: str) -> bool:
        """Whether the file holds a usable value for ``key`` (not its default)."""
        raw = self.table.get(key)
        setting = BY_NAME.get(key)
        return raw is not None and (setting is None or setting.problem(raw) is None)

    def source(self, key: str, given: bool, env_name: str | None = None) -> None:
        """Note where ``key`` came from: the command line (``given``), the variable
        ``env_name`` when set, else the file when it holds the key, else the default."""
        if given:
            self.sources[key] = COMMAND_LINE
        elif env_name and self.env.get(env_name):
            self.sources[key] = f"environment ({env_name})"
        elif self._read_from_file(key):
            self.sources[key] = FILE
        else:
            self.sources[key] = DEFAULT


def resolve_settings(cli: CliOptions, env: Mapping[str, str] | None = None) -> Settings:
    """Merge command line, environment and config file, in that order of precedence.
    A wrong value in the file is a warning (and the default); a file that cannot be
    read, or a command line that cannot be followed, is a :class:`ConfigError`."""
    env = os.environ if env is None else env
    path = cli.config_path or default_config_path()
    table = load_config_file(path)
    reading = _Reading(cli, env, path, table, {})
    reading.values = read_settings(table, str(path), reading.warnings)
    for setting in BY_NAME:
        reading.source(setting, False)
    _warn_readable_secret(reading)
    rpc_url, daemons = _daemons(reading)
    values = reading.values
    download_dir = values["download_dir"]
    return Settings(
        keymap=_keymap(table.get("keymap"), path, reading.warnings),
        rpc_url=rpc_url,
        secret=_secret(reading),
        ca_file=_ca_file(reading),
        interval=_interval(reading),
        download_dir=Path(download_dir).expanduser() if download_dir else default_download_dir(),
        data_dir=default_data_dir(),
        config_path=path,
        warnings=(),  # set below, once every reader has spoken
        timeout=values["timeout"],
        max_reply_mib=values["max_reply_mib"],
        bell=values["bell"],
        notify=values["notify"],
        player=values["player"] or None,
        file_manager=values["file_manager"] or None,
        resync=values["resync"],
        daemons=tuple(daemons),
        table=read_table_setup(table.get("table"), path, reading.warnings),
        history=values["history"],
        history_max=values["history_max"],
        theme=values["theme"] or None,
        watch=tuple(Path(folder).expanduser() for folder in values["watch"]),
        watch_daemon=_watch_daemon(reading),
        hooks=read_hooks(table.get("hooks"), path, reading.warnings),
        turtle=read_turtle(table, path, reading.warnings),
    )._with(reading)


def _watch_daemon(reading: _Reading) -> str | None:
    """``watch_daemon``, when it names one of the file's ``[[daemons]]`` (or the file
    names none: the command line's ``NAME=URL`` may); else a warning and None."""
    name = reading.values["watch_daemon"] or None
    tables = reading.table.get("daemons")
    tables = tables if isinstance(tables, list) else []
    names = [d.get("name") for d in tables if isinstance(d, dict)]
    if name is None or not names or name in names:
        return name
    reading.warnings.append(
        f"{reading.path}: watch_daemon = {shown_value(name)} names none of the [[daemons]] "
        "tables: the first daemon is used"
    )
    return None


def _warn_readable_secret(reading: _Reading) -> None:
    daemon_tables = reading.table.get("daemons")
    secrets_in_file = bool(reading.values["secret"]) or (
        isinstance(daemon_tables, list)
        and any(isinstance(d, dict) and d.get("secret") for d in daemon_tables)
    )
    path = reading.path
    if secrets_in_file and _readable_by_others(path):
        reading.warnings.append(
            f"{path} holds the RPC secret and other users can read it: run chmod 600 {path}"
        )


def _interval(reading: _Reading) -> float:
    given = reading.cli.interval
    reading.source("interval", given is not None)
    if given is None:
        return float(reading.values["interval"])
    problem = BY_NAME["interval"].problem(given)
    if problem:
        raise ConfigError(f"--interval {given:g} {problem}")
    return given


def _ca_file(reading: _Reading) -> str | None:
    given = reading.cli.ca_file
    reading.source("ca_file", bool(given))
    if given:
        return _existing_file(given, "--ca-file")
    in_file = reading.values["ca_file"]
    if not in_file:
        return None
    return _existing_file(in_file, f"ca_file in {reading.path}", reading.warnings)


def _secret(reading: _Reading) -> str | None:
    cli, env = reading.cli, reading.env
    reading.source("secret", bool(cli.secret), ENV_SECRET)
    return cli.secret or env.get(ENV_SECRET) or reading.values["secret"]


def _daemons(reading: _Reading) -> tuple[str | None, list[DaemonConfig]]:
    """(the one daemon's address, or None; the daemons of a fleet)."""
    cli, env, path = reading.cli, reading.env, reading.path
    from_file = file_daemons(reading.table, path, env, reading.warnings)
    urls = cli.rpc_urls or ((cli.rpc_url,) if cli.rpc_url else ())
    reading.source("rpc_url", bool(urls), ENV_RPC_URL)
    if len(urls) > 1 or (urls and named_url(urls[0])[0]):
        daemons = cli_daemons(urls, from_file, cli.secret or env.get(ENV_SECRET))
        return None, only(daemons, cli.daemons)
    if urls or env.get(ENV_RPC_URL):
        return (urls[0] if urls else env.get(ENV_RPC_URL)), only([], cli.daemons)
    file_url = reading.values["rpc_url"]
    if from_file and file_url:
        reading.warnings.append(f"{path} has both rpc_url and [[daemons]]: rpc_url is ignored")
    return (None if from_file else file_url), only(from_file, cli.daemons)
