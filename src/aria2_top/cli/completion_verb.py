"""``aria2-top completion SHELL``, made from every verb's own parser."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from aria2_top.cli.add_verb import build_add_parser
from aria2_top.cli.completion import completion_script, configure_completion
from aria2_top.cli.config import build_config_parser
from aria2_top.cli.history import build_history_parser
from aria2_top.cli.main import build_parser
from aria2_top.cli.verbs import verbs


def root_parser() -> argparse.ArgumentParser:
    """``aria2-top`` with every verb as a subcommand: what completion is made from."""
    parser = build_parser()
    subcommands = parser.add_subparsers(dest="verb", metavar="VERB")
    own = {"add": build_add_parser, "history": build_history_parser, "config": build_config_parser}
    for name, build in own.items():
        made = build()
        subcommands.add_parser(name, parents=[made], add_help=False, help=made.description)
    for verb in verbs():
        verb.parser(subcommands.add_parser(verb.name, help=verb.summary))
    configure_completion(subcommands.add_parser("completion", help="a shell completion script"))
    return parser


def completion_main(argv: Sequence[str]) -> int:
    """``aria2-top completion SHELL``: the script on stdout."""
    parser = argparse.ArgumentParser(
        prog="aria2-top completion",
        description="Print a completion script for bash, zsh or fish.",
        epilog=(
            "example:\n  aria2-top completion bash > ~/.local/share/bash-completion/"
            "completions/aria2-top"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    configure_completion(parser)
    args = parser.parse_args(argv)
    print(completion_script(root_parser(), args.shell))
    return 0
