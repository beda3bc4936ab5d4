"""Browser mode's rules with no server: the page address, each tab's command line, the
serving options in every spelling, the hosts answered."""

from __future__ import annotations

import shlex
import sys

from aria2_top.web.serve import (
    allowed_hosts,
    allowed_origins,
    app_arguments,
    app_command,
    bind_host,
    page_url,
)


def test_the_page_address() -> None:
    assert page_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert page_url("::1", 8123) == "http://[::1]:8123"
    assert page_url("localhost", 80) == "http://localhost"
    assert allowed_origins("127.0.0.1", 8000) == {
        "http://127.0.0.1:8000",
        "http://localhost:8000",
        "http://[::1]:8000",
    }
    assert allowed_origins("192.168.1.20", 8000) == {"http://192.168.1.20:8000"}


def test_each_tab_runs_this_program_with_the_other_arguments() -> None:
    argv = [
        "--serve",
        "--rpc-url",
        "http://127.0.0.1:6800/jsonrpc",
        "--port=8123",
        "--secret",
        "it's a secret",
        "--host",
        "::1",
        "--allow-remote",
        "--interval",
        "2",
        "--keep-daemon",
    ]
    command = shlex.split(app_command(argv))
    assert command == [
        "exec",
        sys.executable,
        "-m",
        "aria2_top",
        "--rpc-url",
        "http://127.0.0.1:6800/jsonrpc",
        "--secret",
        "it's a secret",
        "--interval",
        "2",
        "--keep-daemon",
    ]


def test_serving_options_go_in_every_spelling_argparse_takes() -> None:
    assert app_arguments(["--ser", "--po", "9000", "--host=localhost", "--sec", "x"]) == [
        "--sec",
        "x",
    ]
    assert app_arguments(["--secret=--serve", "--daemon", "nas"]) == [
        "--secret=--serve",
        "--daemon",
        "nas",
    ]


def test_the_hosts_answered() -> None:
    assert allowed_hosts("127.0.0.1", 8000, ["nas.lan"]) == {
        "127.0.0.1:8000",
        "localhost:8000",
        "[::1]:8000",
        "nas.lan:8000",
    }
    assert "evil.example:8000" not in allowed_hosts("127.0.0.1", 8000)
    assert bind_host("[::1]") == "::1"
