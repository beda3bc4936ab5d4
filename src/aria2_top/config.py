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

The secret is never printed: :class:`Settings` hides it from ``repr``.
"""

from __future__ import annotations

import os
import stat
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "aria2-top"
DEFAULT_RPC_URL = "http://127.0.0.1:6800/jsonrpc"
DEFAULT_INTERVAL = 1.0
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_REPLY_MIB = 128
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
class CliOptions:
    """The connection-related values given on the command line (None: not given)."""

    rpc_url: str | None = None
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


def load_config_file(path: Path) -> dict[str, Any]:
    """The table in the TOML file at ``path``; empty when there is no such file."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
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
        raise ConfigError(f"{key} in {path} must be a {kind.__name__}")
    return value


def resolve_settings(cli: CliOptions, env: Mapping[str, str] | None = None) -> Settings:
    """Merge command line, environment and config file, in that order of precedence."""
    env = os.environ if env is None else env
    config_path = cli.config_path or default_config_path()
    table = load_config_file(config_path)
    file_url = _typed(table, "rpc_url", str, config_path)
    file_secret = _typed(table, "secret", str, config_path)
    file_ca = _typed(table, "ca_file", str, config_path)
    file_interval = _typed(table, "interval", float, config_path)
    file_download_dir = _typed(table, "download_dir", str, config_path)
    timeout = _typed(table, "timeout", float, config_path)
    max_reply_mib = _typed(table, "max_reply_mib", int, config_path)
    bell = _typed(table, "bell", bool, config_path)
    if timeout is not None and timeout <= 0:
        raise ConfigError(f"timeout in {config_path} must be a positive number of seconds")
    if max_reply_mib is not None and max_reply_mib <= 0:
        raise ConfigError(f"max_reply_mib in {config_path} must be a positive number")

    warnings: list[str] = []
    if file_secret and _readable_by_others(config_path):
        warnings.append(
            f"{config_path} holds the RPC secret and other users can read it: "
            f"run chmod 600 {config_path}"
        )

    interval = cli.interval if cli.interval is not None else file_interval
    interval = DEFAULT_INTERVAL if interval is None else interval
    if interval <= 0:
        raise ConfigError("the refresh interval must be a positive number of seconds")

    return Settings(
        rpc_url=cli.rpc_url or env.get(ENV_RPC_URL) or file_url,
        secret=cli.secret or env.get(ENV_SECRET) or file_secret,
        ca_file=cli.ca_file or file_ca,
        interval=interval,
        download_dir=(
            Path(file_download_dir).expanduser() if file_download_dir else default_download_dir()
        ),
        data_dir=default_data_dir(),
        config_path=config_path,
        warnings=tuple(warnings),
        timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
        max_reply_mib=DEFAULT_MAX_REPLY_MIB if max_reply_mib is None else max_reply_mib,
        bell=bool(bell),
    )
