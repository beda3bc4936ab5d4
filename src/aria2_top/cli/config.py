"""``aria2-top config``: the config file in use, each setting in force and where it
came from (the command line, the environment, the file, the default), secrets
masked, and every problem with the file. Exit 1 when the file cannot be read."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from aria2_top.cli.options import add_connection_options, settings_from
from aria2_top.config.errors import ConfigError
from aria2_top.config.keys import SETTINGS
from aria2_top.config.settings import Settings, default_config_path
from aria2_top.model.masking import escaped, for_file

NAME_WIDTH = 15


def build_config_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aria2-top config",
        description=(
            "Say which config file aria2-top reads, every setting in force and where it "
            "came from (command line, environment, file, default), and what is wrong "
            "with the file. Secrets are never shown."
        ),
        epilog=(
            "example: aria2-top config --interval 2    # what a run with --interval 2 "
            f"would use (the file: {default_config_path()})"
        ),
    )
    add_connection_options(parser)
    parser.add_argument(
        "--names",
        action="store_true",
        help="only the names of the daemons configured, one per line (for completion)",
    )
    return parser


def _shown(settings: Settings, name: str) -> str:
    value = getattr(settings, name, None)
    if name == "secret":
        return "(set)" if value else "(none)"
    if name == "download_dir":
        return str(settings.download_dir)
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ", ".join(str(item) for item in value) or "(none)"
    return str(value)


def report(settings: Settings) -> list[str]:
    """What ``aria2-top config`` prints, line by line (masked and escaped)."""
    path = settings.config_path
    there = "read" if path.is_file() else "not there: every setting is its default"
    lines = [f"config file: {path} ({there})", ""]
    lines.append(f"{'setting':{NAME_WIDTH}} {'value':40} from")
    for setting in SETTINGS:
        value = _shown(settings, setting.name)
        source = settings.sources.get(setting.name, "default")
        lines.append(f"{setting.name:{NAME_WIDTH}} {value:40} {source}")
    table = settings.table
    widths = ", ".join(f"{key} {cells}" for key, cells in table.widths) or "their own"
    lines.append(
        f"{'[table]':{NAME_WIDTH}} columns {', '.join(table.columns)}; widths {widths}; "
        f"sort {table.sort}{' (largest first)' if table.reverse else ''}; "
        f"view {table.view.label.casefold()}"
    )
    for name, keys in settings.keymap:
        lines.append(f"{'[keymap]':{NAME_WIDTH}} {name} = {keys}")
    for daemon in settings.daemons:
        secret = "secret set" if daemon.secret else "no secret"
        ca = f", CA {daemon.ca_file}" if daemon.ca_file else ""
        lines.append(f"{'[[daemons]]':{NAME_WIDTH}} {daemon.name} {daemon.rpc_url} ({secret}{ca})")
    lines.append("")
    if settings.warnings:
        lines.append("problems:")
        lines += [f"  {warning}" for warning in settings.warnings]
    else:
        lines.append("no problems")
    secrets = [settings.secret, *(d.secret for d in settings.daemons)]
    return [for_file(line, secrets) for line in lines]


def config_main(argv: Sequence[str]) -> int:
    """Print the report; exit 1 (one line) when the file cannot be read."""
    args = build_config_parser().parse_args(argv)
    try:
        settings = settings_from(args)
    except ConfigError as exc:
        print(f"aria2-top config: {for_file(str(exc))}", file=sys.stderr)
        return 1
    if args.names:
        lines = [escaped(daemon.name) for daemon in settings.daemons]
    else:
        lines = report(settings)
    print("\n".join(lines))
    return 0
