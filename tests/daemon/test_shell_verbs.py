"""The verbs of the command line on a real aria2c, as a script runs them: ls, show,
pause, resume, remove, retry, purge, move, limit, options, wait and call; GID
prefixes, --all, --filter, --status; two daemons at once; the exit codes."""

from __future__ import annotations

from pathlib import Path

from aria2_top.config.settings import default_data_dir
from aria2_top.daemon.process import RunningDaemon
from aria2_top.model.downloads import Download, Status
from aria2_top.model.records import FIELDS
from aria2_top.storage.history_file import DownloadHistory, history_path
from tests.conftest import SLOW, DaemonFactory
from tests.support.files import FileServer
from tests.support.payloads import make_torrent
from tests.support.rpc import TestClient
from tests.support.shell import to, verb
from tests.support.waiting import wait_for_status

GID_A = "aaaa000000000001"
GID_B = "aaaa000000000002"
GID_C = "cccc000000000003"


async def _three(client: TestClient, files: FileServer) -> tuple[str, str, str]:
    """A running download (throttled), a paused one, and one that failed."""
    running = await client.add_uri(
        [files.make_file("run.bin", 1 << 20)], {"gid": GID_A, "max-download-limit": SLOW}
    )
    paused = await client.add_uri(
        [files.make_file("held.bin", 1 << 20)],
        {"gid": GID_B, "pause": "true", "max-download-limit": SLOW},
    )
    failed = await client.add_uri(["http://127.0.0.1:9/gone.iso"], {"gid": GID_C})
    await wait_for_status(client, running, {"active"})
    await wait_for_status(client, failed, {"error"})
    return running, paused, failed


async def test_ls_in_every_form(
    daemon: RunningDaemon, client: TestClient, files: FileServer
) -> None:
    await _three(client, files)
    plain = await verb("ls", *to(daemon))
    assert plain.code == 0, plain.err
    rows = [line.split("\t") for line in plain.lines]
    assert [(r[0], r[1], r[-1]) for r in rows] == [
        (GID_A, "active", "run.bin"),
        (GID_B, "paused", "held.bin"),
        (GID_C, "error", "gone.iso"),
    ]
    records = (await verb("ls", "--json", *to(daemon))).json
    assert [tuple(r) for r in records] == [FIELDS] * 3
    failed = records[2]
    assert failed["error_code"] == "1" and "Connection refused" in failed["error_message"]
    assert records[0]["error_code"] is None and records[0]["total_length"] == 1 << 20
    csv = await verb("ls", "--csv", "--status", "paused,error", *to(daemon))
    assert csv.lines[0].split(",") == list(FIELDS)
    assert [line.split(",")[1] for line in csv.lines[1:]] == [GID_B, GID_C]
    filtered = await verb("ls", "held", *to(daemon))
    assert [line.split("\t")[0] for line in filtered.lines] == [GID_B]
    by_name = await verb("ls", "--sort", "name", *to(daemon))
    assert [line.split("\t")[-1] for line in by_name.lines] == ["gone.iso", "held.bin", "run.bin"]
    wrong = await verb("ls", "--status", "sleeping", *to(daemon))
    assert wrong.code == 2 and "unknown status 'sleeping'" in wrong.err


async def test_gid_prefixes_and_show(
    daemon: RunningDaemon, client: TestClient, files: FileServer
) -> None:
    await _three(client, files)
    shown = await verb("show", "cccc", *to(daemon))
    assert shown.code == 0, shown.err
    assert "gone.iso" in shown.out and "Connection refused" in shown.out
    record = (await verb("show", "aaaa000000000002", "--json", *to(daemon))).json
    assert record["name"] == "held.bin" and record["status"] == "paused"
    assert record["files"][0]["path"] == "held.bin" and record["files"][0]["selected"]
    ambiguous = await verb("pause", "aaaa", *to(daemon))
    assert ambiguous.code == 1 and "is the start of 2 GIDs" in ambiguous.err
    unknown = await verb("resume", "bbbb", *to(daemon))
    assert unknown.code == 1 and "no download with a GID starting 'bbbb'" in unknown.err
    statuses = [d["status"] for d in await client.tell_active(["status"])]
    assert statuses == ["active"], "an ambiguous prefix must do nothing"


async def test_pause_resume_all_and_filter(
    daemon: RunningDaemon, client: TestClient, files: FileServer
) -> None:
    running, paused, failed = await _three(client, files)
    everything = await verb("pause", "--all", *to(daemon))
    assert everything.code == 0, everything.err
    assert everything.out.strip() == "paused 1 download"  # the paused and failed left alone
    await wait_for_status(client, running, {"paused"})
    some = await verb("resume", "--filter", "held", *to(daemon))
    assert some.code == 0 and some.out.strip() == "resumed 1 download"
    assert (await client.tell_status(paused, ["status"]))["status"] != "paused"
    assert (await client.tell_status(running, ["status"]))["status"] == "paused"
    named = await verb("resume", failed[:6], *to(daemon))
    assert named.code == 1 and "gone.iso" in named.err  # a GID named: said why not


async def test_remove_purge_retry(
    daemon: RunningDaemon, client: TestClient, files: FileServer
) -> None:
    _running, paused, failed = await _three(client, files)
    path = history_path(default_data_dir())  # the verb's own (HOME is the test's)
    seen = DownloadHistory(path)  # as the app saw it: one record
    seen.stamp(Download(failed, Status.ERROR, "gone.iso", "error", daemon=daemon.url))
    seen.close()
    retried = await verb("retry", "--all", *to(daemon))
    assert retried.code == 0, retried.err
    new_gid = retried.lines[-1].removeprefix("new GID ")
    assert len(new_gid) == 16 and new_gid != failed
    after = DownloadHistory(path)
    records = [(r.gid, failed in r.note) for r in after.records() if r.name == "gone.iso"]
    after.close()
    assert records == [(new_gid, True)], "one record, that followed it"
    removed = await verb("remove", paused, *to(daemon))
    assert removed.code == 0 and removed.out.strip() == "removed 1 download"
    assert paused not in {d["gid"] for d in await client.tell_waiting(0, 10, ["gid"])}
    cleared = await verb("purge", *to(daemon))
    assert cleared.code == 0 and cleared.out.startswith("cleared ")
    left = {d["gid"] for d in await client.tell_stopped(0, 10, ["gid"])}
    assert paused not in left


async def test_remove_with_data_deletes_only_what_it_wrote(
    daemon: RunningDaemon, client: TestClient, files: FileServer
) -> None:
    done = await client.add_uri([files.make_file("whole.bin", 4096)], {"gid": GID_A})
    await wait_for_status(client, done, {"complete"})
    folder = Path((await client.tell_status(done, ["dir"]))["dir"])
    mine = folder / "whole.bin"
    theirs = folder / "precious.txt"
    theirs.write_text("the user's own")
    asked = await verb("remove", "aaaa", "--delete-files", *to(daemon))
    assert asked.code == 2 and "add --yes" in asked.err and mine.exists()
    deleted = await verb("remove", "aaaa", "--delete-files", "--yes", *to(daemon))
    assert deleted.code == 0, deleted.err
    assert "deleted 1 file" in deleted.out
    assert not mine.exists() and theirs.read_text() == "the user's own"


async def test_move_limit_options(
    daemon: RunningDaemon, client: TestClient, files: FileServer
) -> None:
    gids = [
        await client.add_uri([files.make_file(f"q{i}.bin", 4096)], {"pause": "true"})
        for i in range(3)
    ]
    moved = await verb("move", gids[2][:8], "top", *to(daemon))
    assert moved.code == 0, moved.err
    assert [d["gid"] for d in await client.tell_waiting(0, 5, ["gid"])] == [gids[2], *gids[:2]]
    placed = await verb("move", gids[2], "1", *to(daemon))
    assert placed.code == 0
    assert [d["gid"] for d in await client.tell_waiting(0, 5, ["gid"])] == [
        gids[0],
        gids[2],
        gids[1],
    ]
    own = await verb("limit", gids[0], "--down", "300K", *to(daemon))
    assert own.code == 0, own.err
    assert (await client.get_option(gids[0]))["max-download-limit"] == str(300 * 1024)
    overall = await verb("limit", "--up", "50K", *to(daemon))
    assert overall.code == 0 and "max-overall-upload-limit = 50.0K/s" in overall.out
    shown = await verb("options", gids[1][:8], "split", "max-download-limit", *to(daemon))
    assert shown.lines == ["max-download-limit = no limit", "split = 5"]
    changed = await verb("options", gids[1], "max-connection-per-server=4", *to(daemon))
    assert changed.code == 0 and changed.out.strip() == "max-connection-per-server = 4"
    assert (await client.get_option(gids[1]))["max-connection-per-server"] == "4"
    raw = await verb("options", "--global", "max-overall-upload-limit", "--json", *to(daemon))
    assert raw.json == {"max-overall-upload-limit": str(50 * 1024)}  # bytes, as aria2 has it
    missing = await verb("options", gids[1], "no-such-option", *to(daemon))
    assert missing.code == 1 and "no option 'no-such-option'" in missing.err


async def test_wait_exit_codes(
    daemon: RunningDaemon, client: TestClient, files: FileServer
) -> None:
    quick = await client.add_uri([files.make_file("quick.bin", 64 * 1024)])
    finished = await verb("wait", quick[:6], *to(daemon))
    assert finished.code == 0, finished.err
    assert finished.out.strip() == f"{quick} finished: quick.bin"
    assert finished.err == ""  # no progress line on a pipe
    slow = await client.add_uri(
        [files.make_file("slow.bin", 1 << 20)], {"max-download-limit": SLOW}
    )
    late = await verb("wait", slow, "--timeout", "1", *to(daemon))
    assert late.code == 124 and "timed out after 1 s" in late.err
    bad = await client.add_uri(["http://127.0.0.1:9/never.iso"])
    failed = await verb("wait", bad, *to(daemon))
    assert failed.code == 1 and "never.iso" in failed.err and "Connection refused" in failed.err


async def test_call_adds_the_secret(daemon: RunningDaemon, client: TestClient) -> None:
    version = await verb("call", "aria2.getVersion", *to(daemon))
    assert version.code == 0 and version.json["version"].startswith("1.")
    several = await verb(
        "call",
        "system.multicall",
        '[[{"methodName": "aria2.getGlobalStat"}, {"methodName": "aria2.tellStatus", '
        '"params": ["ffff000000000000"]}]]',
        *to(daemon),
    )
    assert several.code == 0, several.err
    stat, refused = several.json
    assert "numActive" in stat and refused["error"]["code"] == 1
    refused_call = await verb("call", "aria2.tellStatus", '["ffff000000000000"]', *to(daemon))
    assert refused_call.code == 1 and "not found" in refused_call.err
    not_json = await verb("call", "aria2.tellStatus", "[oops", *to(daemon))
    assert not_json.code == 2


async def test_two_daemons_at_once(daemons: DaemonFactory, files: FileServer) -> None:
    nas, box = await daemons.start(name="nas"), await daemons.start(name="box")
    both = [*to(nas, "nas"), *to(box, "box")]
    async with TestClient(nas.url, nas.secret) as a, TestClient(box.url, box.secret) as b:
        one = await a.add_uri([files.make_file("n.bin", 1 << 20)], {"max-download-limit": SLOW})
        two = await b.add_uri([files.make_file("b.bin", 1 << 20)], {"max-download-limit": SLOW})
        listed = (await verb("ls", "--json", *both)).json
        assert {(r["daemon"], r["gid"]) for r in listed} == {("nas", one), ("box", two)}
        only = (await verb("ls", "host:box", "--json", *both)).json
        assert [r["gid"] for r in only] == [two]
        paused = await verb("pause", "--all", *both)
        assert paused.code == 0, paused.err
        assert sorted(paused.lines) == ["box: paused 1 download", "nas: paused 1 download"]
        await wait_for_status(a, one, {"paused"})
        await wait_for_status(b, two, {"paused"})
        picked = await verb("resume", "--all", *both, "--daemon", "nas")
        assert picked.out.strip() == "resumed 1 download"
        await wait_for_status(a, one, {"active", "waiting"})
        assert (await b.tell_status(two, ["status"]))["status"] == "paused"


async def test_no_daemon_wrong_secret_exit_3(daemon: RunningDaemon, tmp_path: Path) -> None:
    wrong = await verb("ls", "--rpc-url", daemon.url, "--secret", "nope")
    assert wrong.code == 3 and wrong.err.count("\n") == 1 and "wrong secret" in wrong.err
    nobody = await verb("pause", "--all", "--rpc-url", "http://127.0.0.1:9/jsonrpc")
    assert nobody.code == 3 and "no daemon reachable at http://127.0.0.1:9/jsonrpc" in nobody.err
    private = await verb("ls")  # no daemon configured, none on the default address
    assert private.code == 3 or private.code == 0  # 0 when a daemon runs on 6800 here


async def test_verify_says_what_the_check_found(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    seed = tmp_path / "seed"
    torrent = make_torrent(seed, {"track.flac": 200_000}, name="Checked", piece_size=16384)
    with (seed / "Checked" / "track.flac").open("r+b") as handle:
        handle.seek(5 * 16384 + 3)
        handle.write(b"\0\0\0")  # one piece is bad
    gid = await client.add_torrent(torrent, options={"dir": str(seed), "pause": True})
    path = history_path(default_data_dir())  # the verb's own (HOME is the test's)
    seen = DownloadHistory(path)  # as the app saw it: one record
    seen.stamp(
        Download(gid, Status.PAUSED, "Checked", "paused", is_torrent=True, daemon=daemon.url)
    )
    seen.close()
    checked = await verb("verify", gid[:6], *to(daemon), timeout=90)
    assert checked.code == 0, checked.out + checked.err
    assert checked.lines[0].startswith("verifying Checked (new GID ")
    assert "Checked: the 12 pieces it has are good (13 in all)" in checked.err + checked.out
    assert "paused again, as it was" in checked.err + checked.out
    new_gid = checked.lines[0].split("new GID ")[1].rstrip(")")
    after = DownloadHistory(path)
    records = [r for r in after.records() if r.name == "Checked"]
    after.close()
    assert [(r.gid, gid in r.note) for r in records] == [(new_gid, True)], records
