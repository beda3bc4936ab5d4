"""Poll what changes: every tick asks for the running downloads and the totals; the
waiting and stopped lists only when something says they changed, or at the resync."""

from __future__ import annotations

from aria2_top.live.poll_state import PollStatus
from aria2_top.live.poller import Poller
from aria2_top.model.downloads import Snapshot
from tests.support.fake_daemon import FakeDaemon
from tests.support.rpc import TestClient

LISTS = {"aria2.tellWaiting", "aria2.tellStopped"}


def _poller(fake: FakeDaemon, resync: float) -> Poller:
    client = TestClient(fake.url, "fake-secret")

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
        poller.lists.at -= 1.0  # (probes keep a gap: see the next test)
        snapshot_methods = await _asked(fake, poller)
        assert snapshot_methods >= LISTS
        fake.update(next(iter(fake.downloads)), status="paused")  # nothing moves
        assert not LISTS & await _asked(fake, poller)
        poller.lists.at -= 10.0  # the clock reaches the resync
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


async def test_a_resync_asks_gids_first_and_rows_only_for_what_changed(
    fake: FakeDaemon,
) -> None:
    queued = [fake.add(f"queued-{i}.iso", "waiting") for i in range(3)]
    fake.add("done-0.iso", "complete")
    fake.add("done-1.iso", "complete")
    poller = _poller(fake, resync=10.0)
    try:
        first = await poller.tick()
        poller.lists.at -= 10.0  # the clock reaches the resync: nothing changed
        fake.reset_counters()
        second = await poller.tick()
        assert set(fake.methods) >= LISTS and "aria2.tellStatus" not in fake.methods
        assert second.listed is first.listed, "an unchanged resync keeps every row as it was"
        fake.update(queued[1], status="paused")  # another client: no news, no count moves
        poller.lists.at -= 10.0
        fake.reset_counters()
        third = await poller.tick()
        assert fake.methods.count("aria2.tellStatus") == 1, "one row asked for again"
        by_gid = {d.gid: d for d in third.downloads}
        assert by_gid[queued[1]].status.value == "paused"
        unchanged = [d for d in first.listed if d.gid != queued[1]]
        assert all(by_gid[d.gid] is d for d in unchanged), "the others are not parsed again"
        with fake.lock:  # a queue move by another client
            fake.call("aria2.changePosition", [queued[2], 0, "POS_SET"])
        poller.lists.at -= 10.0
        fake.reset_counters()
        fourth = await poller.tick()
        assert "aria2.tellStatus" not in fake.methods, "a move needs no row again"
        assert [d.gid for d in fourth.listed[:3]] == [queued[2], queued[0], queued[1]]
    finally:
        await poller.client.aclose()


async def test_probes_keep_within_a_share_of_aria2s_time(fake: FakeDaemon) -> None:
    fake.add("queued.iso", "waiting")
    poller = _poller(fake, resync=10.0)
    try:
        await poller.tick()
        poller.lists.probe_seconds = 0.5  # as at 100,000 downloads
        poller.lists.at -= 10.0  # the resync is due, but a probe costs 0.5 s: 25 s apart
        assert not LISTS & await _asked(fake, poller)
        poller.lists.at -= 15.0
        assert await _asked(fake, poller) >= LISTS
        poller.lists.probe_seconds = 0.5
        poller.wake()  # a notification: at most a tenth of aria2's time, 5 s apart
        assert not LISTS & await _asked(fake, poller)
        poller.lists.at -= 5.0
        assert await _asked(fake, poller) >= LISTS, "the wake was kept, not lost"
    finally:
        await poller.client.aclose()


async def test_the_first_tick_shows_the_first_rows_at_once_then_all_of_them(
    fake: FakeDaemon,
) -> None:
    """Fast start: a screenful of each list with names in one small call, shown as a
    partial snapshot, then every row with its name (no name lookup per download)."""
    from aria2_top.live.poller import FIRST_ROWS

    queued = [fake.add(f"queued-{i:03d}.iso", "paused") for i in range(FIRST_ROWS + 50)]
    seen: list[Snapshot] = []
    client = TestClient(fake.url, "fake-secret")
    poller = Poller(client, on_snapshot=seen.append, on_status=lambda _s: None, resync=10.0)
    try:
        fake.reset_counters()
        full = await poller.tick()
        assert len(seen) == 1 and seen[0].partial, "the first rows came first, marked partial"
        assert [d.gid for d in seen[0].downloads] == queued[:FIRST_ROWS]
        assert seen[0].downloads[7].name == "queued-007.iso", "with their real names"
        assert not full.partial and [d.gid for d in full.downloads] == queued
        assert full.downloads[-1].name == f"queued-{FIRST_ROWS + 49:03d}.iso"
        assert "aria2.tellStatus" not in fake.methods, "names came with the lists"
        # the heavy file lists are not kept: the next fetch compares equal and reuses
        poller.wake()
        poller.lists.at -= 1.0
        again = await poller.tick()
        assert again.listed is full.listed
    finally:
        await client.aclose()


async def test_a_download_that_stops_running_unannounced_is_looked_for_at_once(
    fake: FakeDaemon,
) -> None:
    """One starts as another stops (counts unchanged, no notification): the one that
    left the running list is looked for in the lists the same tick."""
    running = fake.add("running.iso", "active")
    waiting = fake.add("waiting.iso", "waiting")
    poller = _poller(fake, resync=10.0)
    try:
        await poller.tick()
        fake.update(running, status="waiting")
        fake.update(waiting, status="active")
        poller.lists.at -= 1.0
        fake.reset_counters()
        snapshot = await poller.tick()
        assert set(fake.methods) >= LISTS
        assert {d.gid: d.status.value for d in snapshot.downloads} == {
            waiting: "active",
            running: "waiting",
        }
    finally:
        await poller.client.aclose()


async def test_a_probe_held_up_by_a_stalled_daemon_does_not_stretch_the_resync(
    fake: FakeDaemon,
) -> None:
    """A SIGSTOP during a probe made it take 8 s: the resync went to 417 s and a
    paused download vanished for 84 s. One measure may at most double the last."""
    poller = _poller(fake, resync=10.0)
    try:
        poller.lists.note_probe(0.004)
        assert poller.probe_seconds == 0.004
        poller.lists.note_probe(8.3)  # held up by the stall
        assert poller.probe_seconds < 0.02 and poller.resync_in_force == 10.0
        for _ in range(12):  # lists that really grew: caught up within a few probes
            poller.lists.note_probe(0.5)
        assert poller.probe_seconds == 0.5
    finally:
        await poller.client.aclose()
