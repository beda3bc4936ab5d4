"""Every action in every state, on a real aria2c: each works or is declined in words,
and nothing is lost (the count of downloads of each URI or torrent, the files on
disk, the cursor). The expected outcomes are :data:`EXPECTED`; the README shows
them as a table (checked at the end).

The world (tests/support/states.py): URI downloads active, waiting, paused partly
done, complete, failed (404), removed; torrents paused never started (two files),
seeding, checking, follow-up (of a .torrent fetched by URI, two files); a magnet
with no metadata.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.pilot import Pilot

from aria2_top.daemon.process import RunningDaemon
from aria2_top.model.availability import Action
from aria2_top.model.bencode import info_hash
from aria2_top.ui.app import Aria2TopApp
from aria2_top.ui.screens.add_dialog import AddDialog
from aria2_top.ui.screens.choose import ChooseScreen
from aria2_top.ui.screens.history import HistoryScreen
from aria2_top.ui.screens.input_dialog import InputDialog
from aria2_top.ui.screens.limits_dialog import LimitsDialog
from aria2_top.ui.screens.remove_dialog import RemoveScreen
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.states import STATES, World, build_world, start_checking, stop_checking
from tests.support.ui import app_for, burst, focus, notices, screen_text, until

SIZE = (140, 45)
WORKS = "works"
RUNNING = ("active", "seeding", "metadata", "checking", "follow-up")
QUEUED = ("waiting", "paused, never started", "paused, partly done")
STOPPED = ("complete", "error", "removed")
NOT_TORRENTS = ("active", "waiting", "paused, partly done", "complete", "error", "removed")
NOT_A_TORRENT = "only a torrent can be checked again"
NO_METADATA = "aria2 has no metadata of it yet"
CHECKING = "aria2 is checking it now"
NOTHING_ON_DISK = "No files of theirs are on disk"


def _all(outcome: str) -> dict[str, str]:
    return dict.fromkeys(STATES, outcome)


EXPECTED: dict[Action, dict[str, str]] = {
    Action.PAUSE: {
        **_all(WORKS),
        "complete": "it is complete",
        "error": "it failed: r retries it",
        "removed": "it was removed",
    },
    Action.REMOVE: _all(WORKS),
    Action.DELETE: {  # a torrent added by RPC: d deletes the .torrent aria2 saved for it
        **_all(WORKS),
        "waiting": NOTHING_ON_DISK,
        "error": NOTHING_ON_DISK,
        "metadata": NOTHING_ON_DISK,
    },
    Action.VERIFY: {
        **dict.fromkeys(NOT_TORRENTS, NOT_A_TORRENT),
        "paused, never started": WORKS,
        "seeding": WORKS,
        "follow-up": WORKS,
        "metadata": NO_METADATA,
        "checking": CHECKING,
    },
    Action.MOVE: {
        **_all("only finished downloads move"),
        "complete": WORKS,
        "seeding": WORKS,
    },
    Action.STREAM: {
        **_all(WORKS),
        "complete": "it is complete: o opens it",
        "seeding": "it is complete: o opens it",
        "error": "it failed: nothing downloads",
        "removed": "it was removed: nothing downloads",
        "metadata": NO_METADATA,
        "checking": CHECKING,
    },
    Action.RETRY: {**_all("only failed downloads can be"), "error": WORKS},
    Action.EXPORT: {
        **dict.fromkeys(NOT_TORRENTS, "only a torrent has a .torrent to export"),
        "paused, never started": WORKS,
        "seeding": WORKS,
        "checking": WORKS,
        "follow-up": WORKS,
        "metadata": NO_METADATA,
    },
    Action.COPY: _all(WORKS),
    Action.QUEUE: {**_all("only queued downloads move"), **dict.fromkeys(QUEUED, WORKS)},
    Action.LIMITS: {
        **_all(WORKS),
        **dict.fromkeys(STOPPED, "aria2 keeps no limits for a stopped download"),
    },
    Action.FILES: {
        **dict.fromkeys(("active", "waiting", "paused, partly done"), "select at least one file"),
        "paused, never started": WORKS,
        "seeding": WORKS,
        "follow-up": WORKS,
        **dict.fromkeys(STOPPED, "aria2 takes no new file selection for a stopped download"),
        "metadata": NO_METADATA,
        "checking": CHECKING,
    },
    Action.ADD_AGAIN: {
        **_all("it is still in aria2: nothing to add again"),
        "complete": WORKS,
        "error": WORKS,
        "removed": WORKS,
    },
}
"""For each action, what it does in each state: :data:`WORKS`, or the words of its
decline (shown in a notice or in its dialog)."""


@dataclass
class Case:
    """One action on one state, while it runs."""

    app: Aria2TopApp
    pilot: Pilot[None]
    world: World
    state: str
    tmp: Path
    declined_seen: bool = False
    """The step saw the words of the decline itself (in its dialog)."""

    @property
    def gid(self) -> str:
        return self.world.gids[self.state]

    @property
    def client(self) -> TestClient:
        return self.world.client

    async def status(self) -> str:
        return str((await self.client.tell_status(self.gid, ["status"]))["status"])

    async def screen(self, kind: type, what: str) -> None:
        await until(self.pilot, lambda: isinstance(self.app.screen, kind), what)


Step = Callable[[Case], Awaitable[None]]
"""Presses the keys of an action, and (when it works) waits for what it does."""


async def _said(case: Case, words: str) -> None:
    try:
        await until(case.pilot, lambda: words in notices(case.app), words)
    except AssertionError as exc:
        raise AssertionError(f"{case.state}: {exc}; said: {notices(case.app)!r}") from None


async def pause(case: Case) -> None:
    before = await case.status()
    await case.pilot.press("p")
    if EXPECTED[Action.PAUSE][case.state] == WORKS:
        await until(case.pilot, lambda: "download" in notices(case.app), "paused or resumed")
        wanted = "resumed" if before == "paused" else "paused"
        assert wanted in notices(case.app)


async def remove(case: Case) -> None:
    await case.pilot.press("f9")
    await case.screen(RemoveScreen, "the dialog")
    await case.pilot.press("y")
    await _said(case, "removed 1 download")


async def delete(case: Case) -> None:
    await case.pilot.press("f9")
    await case.screen(RemoveScreen, "the dialog")
    expected = EXPECTED[Action.DELETE][case.state]
    if expected == WORKS:
        await until(case.pilot, lambda: "d deletes" in screen_text(case.app), "what d deletes")
        await case.pilot.press("d")
        await _said(case, "removed 1 download and deleted")
    else:
        await until(case.pilot, lambda: expected in screen_text(case.app), expected)
        case.declined_seen = True
        await case.pilot.press("d")
        await _said(case, "deleting files is not offered")
        await case.pilot.press("escape")


async def verify(case: Case) -> None:
    await case.pilot.press("V")
    if EXPECTED[Action.VERIFY][case.state] == WORKS:
        await _said(case, "verifying ")


async def move(case: Case) -> None:
    await case.pilot.press("M")
    if EXPECTED[Action.MOVE][case.state] == WORKS:
        await case.screen(InputDialog, "where to")
        short = f"m{STATES.index(case.state)}"  # typed: a short path under the test's home
        (Path.home() / short).mkdir()
        await case.pilot.press("ctrl+u", *f"~/{short}", "enter")
        await _said(case, "moved ")


async def stream(case: Case) -> None:
    await case.pilot.press("S")
    if EXPECTED[Action.STREAM][case.state] == WORKS:
        await _said(case, "streaming ")
        options = await case.client.get_option(case.gid)
        assert options["bt-prioritize-piece"], "streaming is on"


async def retry(case: Case) -> None:
    await case.pilot.press("r")
    if EXPECTED[Action.RETRY][case.state] == WORKS:
        await case.screen(ChooseScreen, "where to")
        await case.pilot.press("enter")
        await _said(case, "retried 1 download")


async def export(case: Case) -> None:
    await case.pilot.press("E")
    if EXPECTED[Action.EXPORT][case.state] == WORKS:
        await case.screen(InputDialog, "where to")
        short = f"e{STATES.index(case.state)}.torrent"  # typed: short, under the test's home
        target = Path.home() / short
        await case.pilot.press("ctrl+u", *f"~/{short}", "enter")
        await _said(case, "exported the .torrent")
        assert info_hash(target.read_bytes()) == case.world.identity[case.state]


async def copy(case: Case) -> None:
    await case.pilot.press("y", "g")
    await _said(case, f"copied the GID: {case.gid}")
    assert case.app.clipboard == case.gid


async def queue(case: Case) -> None:
    await case.pilot.press("t")
    if EXPECTED[Action.QUEUE][case.state] == WORKS:
        await until(case.pilot, lambda: True, "the move")
        first = await case.client.tell_waiting(0, 1, ["gid"])
        for _ in range(40):
            if first and first[0]["gid"] == case.gid:
                break
            await case.pilot.pause(0.05)
            first = await case.client.tell_waiting(0, 1, ["gid"])
        assert first[0]["gid"] == case.gid, "at the top of the queue"


async def limits(case: Case) -> None:
    await case.pilot.press("l")
    if EXPECTED[Action.LIMITS][case.state] == WORKS:
        await case.screen(LimitsDialog, "the limits dialog")
        await case.pilot.press("enter")
        await _said(case, "set on 1")


async def files(case: Case) -> None:
    await case.pilot.press("enter", "2")
    await until(case.pilot, lambda: "files selected" in screen_text(case.app), "the Files tab")
    await case.pilot.press("end", "space", "A")  # the last file: unselected
    if EXPECTED[Action.FILES][case.state] == WORKS:
        await _said(case, "files selected; aria2 restarts the download to apply it")
        options = await case.client.get_option(case.gid)
        assert options.get("select-file") in ("1", "2"), "one of the two files"
    else:
        await _said(case, EXPECTED[Action.FILES][case.state])
    await case.pilot.press("escape")


async def add_again(case: Case) -> None:
    await case.pilot.press("7")
    await case.screen(HistoryScreen, "the history")
    await burst(case.pilot, case.world.names[case.state].split("+")[0])  # typed fast
    await case.pilot.press("enter", "a")
    if EXPECTED[Action.ADD_AGAIN][case.state] == WORKS:
        await case.screen(AddDialog, "the Add dialog")
        await case.pilot.press("ctrl+s")
        if case.state != "error":  # its file is there: the dialog asks once more
            await until(case.pilot, lambda: "adds anyway" in screen_text(case.app), "asked")
            await case.pilot.press("ctrl+s")
        await _said(case, "added 1 download")


STEPS: dict[Action, Step] = {
    Action.PAUSE: pause,
    Action.REMOVE: remove,
    Action.DELETE: delete,
    Action.VERIFY: verify,
    Action.MOVE: move,
    Action.STREAM: stream,
    Action.RETRY: retry,
    Action.EXPORT: export,
    Action.COPY: copy,
    Action.QUEUE: queue,
    Action.LIMITS: limits,
    Action.FILES: files,
    Action.ADD_AGAIN: add_again,
}


def expected_count(action: Action, state: str) -> int:
    """How many downloads of the state's URI or torrent aria2 holds after ``action``."""
    works = EXPECTED[action][state] == WORKS
    if action is Action.REMOVE:
        return 1 if state in RUNNING else 0  # a running one leaves a "removed" result
    if action is Action.DELETE and works:
        return 0
    if action is Action.ADD_AGAIN and works:
        return 2
    return 1


ONLY_ITS_TORRENT = ("checking",)
"""d deletes only the .torrent aria2 saved: the files being checked are not (yet) its."""
ORDER = ["checking", "waiting", *(s for s in STATES if s not in ("checking", "waiting"))]
"""Checking first (it checks for a few seconds only), waiting next (while every slot
is taken)."""


@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.name.lower())
async def test_every_state(
    action: Action,
    daemon: RunningDaemon,
    client: TestClient,
    files: FileServer,
    tmp_path: Path,
) -> None:
    folder = Path(daemon.state_dir or "").parent / "downloads"
    tag = f"matrix-{action.name.lower()}"
    world = await build_world(client, folder, files, tmp_path, tag)
    app = app_for(daemon, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start_checking(world, tmp_path, tag)
        for state in ORDER:
            case = Case(app, pilot, world, state, tmp_path)
            if state == "checking" and action in FREES_A_SLOT:
                await _one_slot_less(client)
            await _act(case, action)
            if state == "waiting":
                await stop_checking(world)


FREES_A_SLOT = (Action.REMOVE, Action.DELETE)
"""Actions that take *checking* away, and its slot with it."""


async def _one_slot_less(client: TestClient) -> None:
    """One download slot less: once *checking* is gone, *waiting* still waits."""
    slots = int((await client.get_global_option())["max-concurrent-downloads"])
    await client.change_global_option({"max-concurrent-downloads": str(slots - 1)})


async def _act(case: Case, action: Action) -> None:
    app, pilot, world, state = case.app, case.pilot, case.world, case.state
    gid = case.gid
    await until(pilot, lambda: any(d.gid == gid for d in app.dashboard.shown), f"{state} shown")
    status = next(d.status for d in app.dashboard.shown if d.gid == gid).value
    if state in ("checking", "waiting", "metadata"):
        assert status == state, f"{state} is {status} when acted on"
    focus(app, gid)
    line, key = app.dashboard.table.cursor_row, app.dashboard.table.focused_key
    on_disk = world.files_of(state)
    app._notifications.clear()
    expected = EXPECTED[action][state]
    await STEPS[action](case)
    if expected != WORKS and not case.declined_seen:
        await _said(case, expected)
    await until(pilot, lambda: isinstance(app.screen, type(app.dashboard)), "back on the table")
    where = f"{action.name} on {state}"
    assert await world.count(state) == expected_count(action, state), where
    now = world.files_of(state)
    if action is Action.DELETE and expected == WORKS and state in ONLY_ITS_TORRENT:
        assert on_disk <= now, f"{where}: d deleted only its saved .torrent"
    elif action is Action.DELETE and expected == WORKS:
        assert now == set(), f"{where}: its own files went"
    elif action is Action.MOVE and expected == WORKS:
        assert now == set(), f"{where}: its files moved"
        moved_to = Path.home() / f"m{STATES.index(state)}"
        assert any(moved_to.rglob("*")), f"{where}: to the folder"
    else:
        assert on_disk <= now, f"{where}: no file of it went ({on_disk - now})"
    table = app.dashboard.table
    if expected == WORKS and action in (Action.VERIFY, Action.ADD_AGAIN, Action.RETRY):
        # The cursor goes to the download added (again).
        def on_the_new_one() -> bool:
            shown = app.dashboard.focused_download()
            return shown is not None and shown.gid != gid and world.identity[state] in shown.source

        await until(pilot, on_the_new_one, f"{where}: the cursor on the download added")
    else:
        stays = table.focused_key == key or table.cursor_row == line
        assert stays, f"{where}: the cursor stays"
    # Before the next state: the table shows what aria2 now holds, so that a row gone
    # late cannot take the line the next state's cursor is put on.
    held = any(d["gid"] == gid for d in await world.holding(state))

    def shown_as_held() -> bool:
        return any(d.gid == gid for d in app.dashboard.shown) == held

    await until(pilot, shown_as_held, f"{where}: the table shows it")


# --- the table in the README ------------------------------------------------------------

STATE_HEADS = {
    "active": "active",
    "waiting": "waiting",
    "paused, never started": "paused, not started",
    "paused, partly done": "paused, partly done",
    "complete": "complete",
    "seeding": "seeding",
    "error": "error",
    "removed": "removed",
    "metadata": "metadata",
    "checking": "checking",
    "follow-up": "follow-up",
}
REGENERATE = "python -m tests.daemon.test_action_state_matrix"
BEGIN = f"<!-- action-state matrix: generated by `{REGENERATE}` -->"
END = "<!-- end of the action-state matrix -->"


def matrix_table() -> str:
    """:data:`EXPECTED` as the README shows it: ✓ works, a number: declined, why below."""
    reasons: list[str] = []
    lines = [
        "| action | " + " | ".join(STATE_HEADS[s] for s in STATES) + " |",
        "| --- |" + " :-: |" * len(STATES),
    ]
    for action in Action:
        cells = []
        for state in STATES:
            outcome = EXPECTED[action][state]
            if outcome == WORKS:
                cells.append("✓")
                continue
            if outcome not in reasons:
                reasons.append(outcome)
            cells.append(str(reasons.index(outcome) + 1))
        lines.append(f"| {action.label} (`{action.keys}`) | " + " | ".join(cells) + " |")
    notes = [f"{n}. {reason}" for n, reason in enumerate(reasons, 1)]
    return "\n".join([BEGIN, "", *lines, "", *notes, "", END])


def test_the_readme_shows_this_matrix() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start, end = readme.find(BEGIN), readme.find(END)
    assert start >= 0 and end > start, "README.md has no action-state matrix"
    shown = readme[start : end + len(END)]
    assert shown == matrix_table(), f"README's matrix is stale: {REGENERATE}"


if __name__ == "__main__":
    print(matrix_table())
