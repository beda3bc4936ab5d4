"""Full garbage collections wait for a pause in the keys (aria2_top/idle_gc.py)."""

from __future__ import annotations

import gc

from aria2_top.ui.idle_gc import NEVER, IdleCollector


def test_a_full_collection_waits_for_a_quiet_moment() -> None:
    collector = IdleCollector(quiet=2.0, every=30.0)
    collector._last_collect = 100.0
    assert not collector.due(120.0), "not before EVERY seconds"
    collector._last_key = 129.5
    assert not collector.due(131.0), "a key came 1.5 s ago"
    assert collector.due(131.6), "2 s without a key"
    collector._last_key = 219.9
    assert not collector.due(219.95), "keys keep coming, for less than 4 x EVERY"
    assert collector.due(220.0), "keys that never stop for 4 x EVERY: one runs anyway"


def test_start_turns_off_the_automatic_full_collections_and_stop_gives_them_back() -> None:
    before = gc.get_threshold()
    collector = IdleCollector()
    collector.start()
    try:
        assert gc.get_threshold()[2] == NEVER
        assert gc.get_threshold()[:2] == before[:2], "the young generations as they were"
    finally:
        collector.stop()
    assert gc.get_threshold() == before
    collector._last_collect -= 60
    assert collector.maybe_collect() and collector.collections == 1


def test_quiet_now_says_whether_keys_have_stopped_for_a_moment() -> None:
    collector = IdleCollector(quiet=2.0)
    collector.key_pressed()
    assert not collector.quiet_now()
    collector._last_key -= 2.5
    assert collector.quiet_now()
