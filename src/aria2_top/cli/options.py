"""The options every verb that talks to a daemon takes, and the settings they make."""

from __future__ import annotations

import argparse
from pathlib import Path

from aria2_top.cli.completion import DAEMON_NAMES
from aria2_top.config.settings import (
    DEFAULT_INTERVAL,
    DEFAULT_RPC_URL,
    CliOptions,
    Settings,
    resolve_settings,
)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def add_connection_options(parser: argparse.ArgumentParser, *, app: bool = True) -> None:
    """The options that pick the daemon (``app``: and the app's refresh interval)."""
    parser.add_argument(
        "--rpc-url",
        metavar="[NAME=]URL",
        action="append",
        help=f"aria2 JSON-RPC address (default: {DEFAULT_RPC_URL}, else a private daemon)"
        + ("; repeat it, as NAME=URL, to show several daemons in one view" if app else ""),
    )
    daemon = parser.add_argument(
        "--daemon",
        metavar="NAME",
        action="append",
        help="only the daemon(s) of this name from the config file or --rpc-url "
        "(repeatable, or comma-separated)" + ("" if app else "; default: every daemon configured"),
    )
    daemon.complete = DAEMON_NAMES  # type: ignore[attr-defined]
    parser.add_argument(
        "--secret", metavar="TOKEN", help="aria2 RPC secret (better: the env var or config file)"
    )
    parser.add_argument("--ca-file", metavar="PEM", help="CA certificate to verify an https daemon")
    if app:
        parser.add_argument(
            "--interval",
            type=_positive_float,
            metavar="SECONDS",
            help=f"refresh interval (default: {DEFAULT_INTERVAL:g})",
        )
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="config file to read instead of the default"
    )


def settings_from(args: argparse.Namespace) -> Settings:
    return resolve_settings(
        CliOptions(
            rpc_urls=tuple(args.rpc_url or ()),
            daemons=tuple(args.daemon or ()),
            secret=args.secret,
            ca_file=args.ca_file,
            interval=getattr(args, "interval", None),
            config_path=args.config,
        )
    )
