"""The ``aria2-top`` command line: parse arguments, pick the daemon, run the app."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from aria2_top import __version__
from aria2_top.config import (
    DEFAULT_INTERVAL,
    DEFAULT_RPC_URL,
    ENV_RPC_URL,
    ENV_SECRET,
    CliOptions,
    ConfigError,
    Settings,
    default_config_path,
    resolve_settings,
)
from aria2_top.daemon import DaemonError
from aria2_top.endpoint import Endpoint, resolve_endpoint


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``aria2-top``."""
    parser = argparse.ArgumentParser(
        prog="aria2-top",
        description=(
            "The htop of downloads: a live, keyboard-driven dashboard for aria2c. "
            "With no daemon configured and none on the default address, it starts "
            "a private aria2c of its own."
        ),
        epilog=(
            f"Settings come from the command line, then the environment ({ENV_RPC_URL}, "
            f"{ENV_SECRET}), then the config file ({default_config_path()})."
        ),
    )
    parser.add_argument("--version", action="version", version=f"aria2-top {__version__}")
    parser.add_argument(
        "--rpc-url",
        metavar="URL",
        help=f"aria2 JSON-RPC address (default: {DEFAULT_RPC_URL}, else a private daemon)",
    )
    parser.add_argument(
        "--secret", metavar="TOKEN", help="aria2 RPC secret (better: the env var or config file)"
    )
    parser.add_argument("--ca-file", metavar="PEM", help="CA certificate to verify an https daemon")
    parser.add_argument(
        "--interval",
        type=_positive_float,
        metavar="SECONDS",
        help=f"refresh interval (default: {DEFAULT_INTERVAL:g})",
    )
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="config file to read instead of the default"
    )
    parser.add_argument(
        "--keep-daemon",
        action="store_true",
        help="leave the private aria2c running on exit (the next aria2-top reconnects to it)",
    )
    return parser


def _settings_from(args: argparse.Namespace) -> Settings:
    return resolve_settings(
        CliOptions(
            rpc_url=args.rpc_url,
            secret=args.secret,
            ca_file=args.ca_file,
            interval=args.interval,
            config_path=args.config,
        )
    )


def _finish_private_daemon(endpoint: Endpoint, keep_daemon: bool) -> None:
    daemon = endpoint.daemon
    if daemon is None or not endpoint.owns_daemon:
        return
    if keep_daemon:
        try:
            asyncio.run(daemon.save_session())
        except Exception as exc:  # noqa: BLE001 - report, never crash on exit
            print(f"aria2-top: could not save the session: {exc}", file=sys.stderr)
        print(
            f"aria2-top: the private aria2c (pid {daemon.pid}) keeps running at {daemon.url}; "
            f"run aria2-top again to reconnect (its secret is in {daemon.conf_path})."
        )
        return
    asyncio.run(daemon.stop())


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``aria2-top`` script and ``python -m aria2_top``."""
    args = build_parser().parse_args(argv)
    try:
        settings = _settings_from(args)
    except ConfigError as exc:
        print(f"aria2-top: {exc}", file=sys.stderr)
        return 2
    for warning in settings.warnings:
        print(f"aria2-top: warning: {warning}", file=sys.stderr)
    try:
        endpoint = asyncio.run(resolve_endpoint(settings, keep_daemon=args.keep_daemon))
    except DaemonError as exc:
        print(f"aria2-top: {exc}", file=sys.stderr)
        return 1

    from aria2_top.ui.app import Aria2TopApp  # noqa: PLC0415 - keep --help fast

    try:
        Aria2TopApp(endpoint, settings).run()
    finally:
        _finish_private_daemon(endpoint, args.keep_daemon)
    return 0
