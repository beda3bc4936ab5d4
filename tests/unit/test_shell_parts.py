"""The parts of the command line's verbs that need no daemon: the JSON and CSV they
print, which events a hook runs for, the ledger that runs each once, the ``[hooks]``
table, running a hook, the completion script, and every verb's help."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aria2_top.cli.main import VERB_NAMES, verb_mains
from aria2_top.config.hooks_table import DEFAULT_HOOK_TIMEOUT, read_hooks
from aria2_top.model.downloads import Download, GlobalStat, Snapshot, Status
from aria2_top.model.hook_events import HookKind, changes, ends_of
from aria2_top.model.records import FIELDS, csv_text, download_record, json_text
from aria2_top.ops.hooks import Hook, HookRunner, parse_hooks
from aria2_top.storage.hook_ledger import HookLedger

TERMINAL_CONTROLS = ("\x1b", "\x07", "\x9b", "\u202e", "\u2028")
HOSTILE = "\x1b]0;t\x07a\x9b2J\u202eb\u2028c.bin"


def _download(gid: str, status: Status, **fields: object) -> Download:
    aria2 = {Status.SEEDING: "active"}.get(status, status.value)
    base: dict[str, object] = {"gid": gid, "status": status, "name": f"{gid}.bin"}
    return Download(**(base | {"aria2_status": aria2} | fields))  # type: ignore[arg-type]


def _shot(*downloads: Download) -> Snapshot:
    return Snapshot(tuple(downloads), GlobalStat(), listed=tuple(downloads))


def test_json_never_carries_a_terminal_control_and_means_the_same() -> None:
    record = download_record(_download("a1", Status.ERROR, name=HOSTILE, error_code="13"))
    text = json_text([record])
    for control in TERMINAL_CONTROLS:
        assert control not in text
    assert json.loads(text)[0]["name"] == HOSTILE
    assert tuple(record) == FIELDS
    assert record["error_code"] == "13" and record["status"] == "error"


def test_a_download_that_did_well_has_no_error_in_its_record() -> None:
    record = download_record(_download("a1", Status.COMPLETE, error_code="0", error_message=""))
    assert record["error_code"] is None and record["error_message"] is None


def test_csv_cells_are_escaped_and_columns_fixed() -> None:
    record = download_record(_download("a1", Status.ACTIVE, name=HOSTILE, total=10))
    lines = csv_text([record]).splitlines()
    assert lines[0].split(",") == list(FIELDS)
    for control in TERMINAL_CONTROLS:
        assert control not in lines[1]
    assert ",a1,"[1:] in lines[1] and ",10," in lines[1]


@pytest.mark.parametrize(
    ("download", "ends"),
    [
        (_download("a", Status.COMPLETE), [HookKind.COMPLETE]),
        (
            _download("t", Status.COMPLETE, is_torrent=True),
            [HookKind.BT_COMPLETE, HookKind.COMPLETE],
        ),
        (_download("s", Status.SEEDING, total=5, completed=5), [HookKind.BT_COMPLETE]),
        (_download("p", Status.SEEDING, total=5, completed=4), []),
        (_download("e", Status.ERROR), [HookKind.ERROR]),
        (_download("r", Status.REMOVED), [HookKind.STOP]),
        (_download("w", Status.WAITING), []),
        (_download("x", Status.ACTIVE), []),
    ],
)
def test_the_ends_a_download_has_reached(download: Download, ends: list[HookKind]) -> None:
    assert ends_of(download) == ends


def test_starts_and_pauses_come_from_two_looks() -> None:
    queued, paused = _download("a", Status.WAITING), _download("b", Status.ACTIVE)
    before = _shot(queued, paused, _download("c", Status.WAITING))
    after = _shot(
        _download("a", Status.ACTIVE),
        _download("b", Status.PAUSED),
        _download("c", Status.COMPLETE),  # ran between two looks: it started too
        _download("d", Status.PAUSED),  # new and paused: no news
    )
    assert [(kind, d.gid) for kind, d in changes(before, after)] == [
        (HookKind.START, "a"),
        (HookKind.PAUSE, "b"),
        (HookKind.START, "c"),
    ]
    assert changes(None, after) == []


def test_the_ledger_runs_each_end_once_and_remembers_across_processes(tmp_path: Path) -> None:
    path = tmp_path / "data" / "hooks.sqlite3"
    ledger = HookLedger(path)
    assert not ledger.primed("home", "complete x")
    ledger.prime("home", "complete x", ["old"])
    assert ledger.primed("home", "complete x")
    assert not ledger.claim("home", "old", "complete x")  # ended before: never run
    assert ledger.claim("home", "new", "complete x")
    assert not ledger.claim("home", "new", "complete x")
    assert ledger.claim("box", "new", "complete x")  # GIDs are per daemon
    ledger.close()
    assert path.stat().st_mode & 0o777 == 0o600
    again = HookLedger(path)
    assert again.primed("home", "complete x")
    assert not again.claim("home", "new", "complete x")
    assert again.claim("home", "newer", "complete x")
    again.close()


def test_a_runner_primes_then_runs_only_new_ends() -> None:
    hook = parse_hooks({HookKind.COMPLETE: ["true"]}, append_args=False)[0]
    runner = HookRunner([hook], HookLedger(None))
    first = _shot(_download("old", Status.COMPLETE), _download("new", Status.ACTIVE))
    assert runner.due("home", None, first) == []
    second = _shot(_download("old", Status.COMPLETE), _download("new", Status.COMPLETE))
    assert [(h.kind, d.gid) for h, d in runner.due("home", first, second)] == [
        (HookKind.COMPLETE, "new")
    ]
    assert runner.due("home", second, second) == []


def test_the_hooks_table_keeps_good_commands_and_says_what_is_wrong(tmp_path: Path) -> None:
    warnings: list[str] = []
    table = {
        "on_complete": ["notify-send", "{name}"],
        "on_error": "not a list",
        "on_pause": [],
        "on_typo": ["x"],
        "timeout": -1,
    }
    hooks = read_hooks(table, tmp_path / "c.toml", warnings)
    assert hooks.commands == (("on_complete", ("notify-send", "{name}")),)
    assert hooks.timeout == DEFAULT_HOOK_TIMEOUT
    said = "\n".join(warnings)
    assert "on_error must be a list of words" in said and "on_pause must be" in said
    assert "on_typo" in said and "timeout must be seconds" in said
    assert read_hooks({"timeout": 5}, tmp_path, []).timeout == 5.0


async def test_a_hook_gets_the_download_as_words_and_environment(tmp_path: Path) -> None:
    script = (
        "import os, sys; print(sys.argv[1:], os.environ['ARIA2_NAME'], os.environ['ARIA2_GID'])"
    )
    hook = Hook(HookKind.COMPLETE, (sys.executable, "-c", script, "{name}"), append_args=True)
    runner = HookRunner([hook], HookLedger(None), log_dir=tmp_path / "logs")
    download = _download("abc", Status.COMPLETE, name="a b.iso", folder=str(tmp_path))
    ran = await runner.run(None, hook, download)
    assert ran.code == 0, ran
    assert ran.output.startswith("['a b.iso', 'abc', 'a b.iso', ")
    assert ran.output.rstrip().endswith("a b.iso abc")
    assert "complete hook for a b.iso: exit 0" in (tmp_path / "logs" / "hooks.log").read_text()


async def test_a_hook_past_its_deadline_is_stopped(tmp_path: Path) -> None:
    hook = Hook(HookKind.ERROR, (sys.executable, "-c", "import time; time.sleep(60)"))
    runner = HookRunner([hook], HookLedger(None), timeout=0.5)
    ran = await runner.run(None, hook, _download("abc", Status.ERROR))
    assert ran.code is None and "its deadline" in ran.problem
    missing = Hook(HookKind.ERROR, (str(tmp_path / "no-such-command"),))
    ran = await runner.run(None, missing, _download("abc", Status.ERROR))
    assert ran.code is None and "cannot run" in ran.problem


COMPLETE_IN_BASH = """
source "$1"
aria2-top() { case "$1" in
    ls) printf 'abcdef0123456789\\tactive\\nabff000000000000\\tpaused\\n';;
    config) printf 'home\\nbox\\n';;
esac; }
words() { COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_LINE="$*";
    COMP_POINT=${#COMP_LINE}; COMPREPLY=(); _shtab_aria2_top;
    printf '%s ' "${COMPREPLY[@]}"; echo; }
words aria2-top pa
words aria2-top pause ab
words aria2-top pause --daemon h
words aria2-top ls --js
"""


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_verbs_gids_and_daemon_names(tmp_path: Path) -> None:
    made = subprocess.run(
        [sys.executable, "-m", "aria2_top", "completion", "bash"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    script = tmp_path / "aria2-top.bash"
    script.write_text(made.stdout)
    ran = subprocess.run(
        ["bash", "-c", COMPLETE_IN_BASH, "bash", str(script)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert ran.returncode == 0, ran.stderr
    assert [line.split() for line in ran.stdout.splitlines()] == [
        ["pause"],
        ["abcdef0123456789", "abff000000000000"],
        ["home"],
        ["--json"],
    ]


@pytest.mark.parametrize("name", VERB_NAMES)
def test_every_verb_has_an_example_in_its_help(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main = verb_mains()[name]
    with pytest.raises(SystemExit) as ended:
        main(["--help"])
    assert ended.value.code == 0
    assert "example" in capsys.readouterr().out


def test_config_names_lists_the_daemons(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[[daemons]]\nname = "home"\nrpc_url = "http://127.0.0.1:6800/jsonrpc"\n'
        '[[daemons]]\nname = "box"\nrpc_url = "http://127.0.0.1:6801/jsonrpc"\n'
    )
    ran = subprocess.run(
        [sys.executable, "-m", "aria2_top", "config", "--names", "--config", str(config)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split() == ["home", "box"]
