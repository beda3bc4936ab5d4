"""Poll what changes: every tick asks for the running downloads and the totals; the
waiting and stopped lists only when something says they changed, or at the resync."""

from __future__ import annotations

from pathlib import Path

from aria2_top.core.model import Snapshot
from aria2_top.core.poller import Poller, PollStatus
from aria2_top.daemon import RunningDaemon
from aria2_top.endpoint import Endpoint
from aria2_top.rpc import Aria2Client
from aria2_top.ui.app import Aria2TopApp
from tests.conftest import SLOW
from tests.support.fake_daemon import FakeDaemon
from tests.support.files import FileServer
from tests.support.ui import make_settings, until

SIZE = (120, 35)
LISTS = {"aria2.tellWaiting", "aria2.tellStopped"}


def _poller(fake: FakeDaemon, resync: float) -> Poller:
    client = Aria2Client(fake.url, "fake-secret")

    def ignore(_value: Snapshot | PollStatus) -> None:
        return None

    return Poller(client, on_snapshot=ignore, on_status=ignore, resync=resync)


async def _asked(fake: FakeDaemon, poller: Poller) -> set[str]:
    fake.reset_counters()
    await poller.tick()
    return set(fake.methods)


async def test_the_lists_are_fetched_when_something_says_they_changed(fake: FakeDaemon) -> None:
    fake.add("queued.iso", "waiting")
    fake.add("done.iso", "complete")
    poller = _poller(fake, resync=10.0)
    try:
        assert await _asked(fake, poller) >= LISTS, "the first tick fetches everything"
        steady = await _asked(fake, poller)
        assert "aria2.tellActive" in steady and not LISTS & steady, "then only what runs"
        poller.wake()  # a notification or one of our own actions
        assert await _asked(fake, poller) >= LISTS
        assert not LISTS & await _asked(fake, poller)
        fake.add("added-paused.iso", "paused")  # announced by nobody: the counts move
        snapshot_methods = await _asked(fake, poller)
        assert snapshot_methods >= LISTS
        fake.update(next(iter(fake.downloads)), status="paused")  # nothing moves
        assert not LISTS & await _asked(fake, poller)
        poller._lists_at -= 10.0  # the clock reaches the resync
        assert await _asked(fake, poller) >= LISTS
    finally:
        await poller.client.aclose()


async def test_resync_zero_fetches_every_tick(fake: FakeDaemon) -> None:
    poller = _poller(fake, resync=0.0)
    try:
        for _ in range(3):
            assert await _asked(fake, poller) >= LISTS
    finally:
        await poller.client.aclose()


async def test_changes_nobody_announces_show_at_the_resync(
    daemon: RunningDaemon, client: Aria2Client, files: FileServer, tmp_path: Path
) -> None:
    first = await client.add_uri([files.make_file("rs-first.bin", 1 << 20)], {"pause": True})
    second = await client.add_uri([files.make_file("rs-second.bin", 1 << 20)], {"pause": True})
    settings = make_settings(tmp_path, resync=1.0)
    app = Aria2TopApp(Endpoint(daemon.url, daemon.secret, "d"), settings, listen=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 2, "two rows")
        assert [d.gid for d in app.dashboard.shown] == [first, second]
        await client.change_position(second, 0, "POS_SET")  # another client: no news
        await until(pilot, lambda: [d.gid for d in app.dashboard.shown] == [second, first], "moved")
        url = files.make_file("rs-third.bin", 1 << 20)
        third = await client.add_uri([url], {"pause": True, "max-download-limit": SLOW})
        await until(pilot, lambda: third in {d.gid for d in app.dashboard.shown}, "added")
        # our own action shows at the next tick (it wakes the poller)
        app.dashboard.table.move_cursor(2)
        await pilot.press("p")
        await until(
            pilot,
            lambda: next(d for d in app.dashboard.shown if d.gid == third).status.value != "paused",
            "resumed",
        )


async def test_between_fetches_the_queue_and_results_are_reused_untouched(
    fake: FakeDaemon,
) -> None:
    running = fake.add("running.iso", "active")
    waiting = fake.add("waiting.iso", "waiting")
    fake.add("done.iso", "complete")
    poller = _poller(fake, resync=10.0)
    try:
        first = await poller.tick()
        second = await poller.tick()
        assert [d.gid for d in second.downloads] == [d.gid for d in first.downloads]
        assert second.downloads[1] is first.downloads[1], "the waiting one, not parsed again"
        assert second.downloads[2] is first.downloads[2]
        # the waiting one starts while the running one waits: no count moves, and
        # nobody said so: the running row wins, once
        fake.update(running, status="waiting")
        fake.update(waiting, status="active")
        third = await poller.tick()
        assert [d.gid for d in third.downloads].count(waiting) == 1
        assert third.downloads[0].gid == waiting
    finally:
        await poller.client.aclose()
