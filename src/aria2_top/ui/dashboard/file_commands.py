"""The keys for a download's data: copy its magnet link, URIs, GID or path (y);
verify a torrent's data against its hashes (V); export the .torrent (E); stream
(S); open (o) and its folder (Ctrl+O); move the files (M)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text

from aria2_top.live.fleet import by_daemon
from aria2_top.live.session import DaemonSession
from aria2_top.model import fields
from aria2_top.model import format as fmt
from aria2_top.model.availability import Action, refusal
from aria2_top.model.copying import KINDS, STATUS_KEYS, copy_of
from aria2_top.model.downloads import Download, DownloadKey, Snapshot, Status
from aria2_top.model.format import plural, safe_text
from aria2_top.model.masking import mask_uri_secrets
from aria2_top.model.playable import playable, playable_words
from aria2_top.ops.exporting import existing_folder, export_name, writable_path, write_new
from aria2_top.ops.moving import Moved, MovePlan, move, plan_move
from aria2_top.ops.opening import FOLDER_KEYS, OpenError, download_folder, open_file, open_folder
from aria2_top.ops.readd import Follow
from aria2_top.ops.removal import CannotTell
from aria2_top.ops.saved_torrents import carried_along, find_torrent
from aria2_top.ops.streaming import OPEN_AT, is_streaming, toggle_streaming
from aria2_top.ops.streaming import STATUS_KEYS as STREAM_KEYS
from aria2_top.ops.verify import Verifying, pause_again, start_verify, verdict
from aria2_top.rpc.client import RpcCall
from aria2_top.rpc.errors import Aria2Error
from aria2_top.ui import wording
from aria2_top.ui.app_handle import app_of
from aria2_top.ui.screens.choose import ChooseScreen
from aria2_top.ui.screens.input_dialog import InputDialog
from aria2_top.ui.screens.progress import ProgressScreen
from aria2_top.ui.workers import Background, in_worker

if TYPE_CHECKING:
    from aria2_top.ui.dashboard.screen import DashboardScreen

COPY_SHOWN = 72
"""Characters of the copied text the notice shows."""


class FileCommands:
    """y (copy), V (verify), E (export the .torrent), S (stream), o (open), M (move)."""

    def __init__(self, screen: DashboardScreen) -> None:
        self._screen = screen
        self._runner = screen.runner
        self.verifying: dict[DownloadKey, Verifying] = {}
        """Checks under way (V, M of a seeding torrent), by the download added again
        for them: what each found is said once aria2 is done."""

    def _worker(self, work: Background, group: str) -> None:
        """Run ``work`` in the screen's worker ``group`` (the last asked wins)."""
        in_worker(self._screen, work, group, exclusive=True)

    # -- M: move the files -------------------------------------------------------------

    def move_files(self) -> None:
        """M: move finished downloads' files to a folder you name (a seeding torrent is
        pointed at it and checked)."""
        screen = self._screen
        finished = (Status.COMPLETE, Status.SEEDING)
        targets = [d for d in screen.targets() if d.status in finished]
        if not targets:
            screen.notify("only finished downloads move (their files are complete)")
            return
        if self._runner.elsewhere(by_daemon(targets), "Moving files"):
            return
        prompt = Text(f"Move the files of {plural(len(targets), 'download')} to the folder:")
        self._worker(partial(self._ask_move, targets, prompt), "move")

    async def _ask_move(self, targets: list[Download], prompt: Text) -> None:
        screen = self._screen
        typed: str | None = await screen.app.push_screen_wait(
            InputDialog("Move files", prompt, str(Path.home()), existing_folder)
        )
        if not typed:
            return
        target = await asyncio.to_thread(lambda: str(Path(typed).expanduser()))
        for daemon, group in by_daemon(targets).items():
            session = screen.session(daemon)
            for download in group:
                try:
                    said = await self._move_one(session, download, target)
                except Aria2Error as exc:
                    said = f"{safe_text(download.name)}: {safe_text(str(exc))}"
                screen.notify(self._runner.where(daemon) + said)

    async def _move_one(self, session: DaemonSession, download: Download, target: str) -> str:
        status = await session.client.tell_status(download.gid, ["dir", "files", "infoHash"])
        folder = fields.text(status.get("dir")) or ""
        paths = [fields.text(f.get("path")) or "" for f in fields.structs(status.get("files"))]
        hash_ = (fields.text(status.get("infoHash"), 64) or "").lower()
        saved, staying = await self._saved_along(session, download, folder, hash_, target)
        plan = await asyncio.to_thread(plan_move, folder, [*paths, *saved], target)
        name = safe_text(download.name)
        if plan.taken:
            return f"{name}: {safe_text(str(plan.taken[0]))} exists: not moved"
        if all(str(source) in saved for source, _ in plan.moves):
            return f"{name}: no files of it to move"
        stays = f"; {safe_text(staying[0])}" if staying else ""

        async def carry(_folder: str) -> str | None:
            moved = await self._move_with_progress(download, plan)
            return "; ".join(moved.errors[:2]) or None

        if download.status is Status.SEEDING:
            started = await self._transaction(
                start_verify(
                    session.client,
                    download,
                    data_dir=self._screen.settings.data_dir,
                    between=carry,
                    new_dir=target,
                    follow=self._follow("move"),
                ),
                f"moving {name}",
            )
            if isinstance(started, str):
                return started
            self.verifying[DownloadKey(session.name, started.gid)] = started
            if started.problems:
                why = safe_text("; ".join(started.problems[:2]))
                return f"{started.name}: {why}; it stays where it was and is checked there"
            where = safe_text(target)
            return f"moved {started.name} to {where}: seeding from there once checked{stays}"
        problem = await carry(folder)
        if problem:
            return f"{name}: {safe_text(problem)}"
        return f"moved {name} to {safe_text(target)}{stays}"

    async def _saved_along(
        self, session: DaemonSession, download: Download, folder: str, hash_: str, target: str
    ) -> tuple[list[str], list[str]]:
        """(the .torrent aria2 saved for the torrent that moves with its files, why the
        rest stays): only one no other download of any daemon here uses."""
        if not hash_ or not folder:
            return [], []
        try:
            holding = await self._screen.download_commands.holding({session.name: [download]})
        except CannotTell as exc:
            return [], [f"its saved .torrent stays: cannot tell whether another uses it ({exc})"]
        return await asyncio.to_thread(carried_along, folder, hash_, holding, target)

    async def _move_with_progress(self, download: Download, plan: MovePlan) -> Moved:
        app = self._screen.app
        screen = ProgressScreen(
            f"{safe_text(download.name)}: {plural(len(plan.moves), 'file')}, {fmt.size(plan.size)}",
            plan.size,
        )
        await app.push_screen(screen)
        try:
            return await asyncio.to_thread(
                move, plan, lambda n: app.call_from_thread(screen.advance, n)
            )
        finally:
            screen.dismiss()

    # -- S and o: stream, open ---------------------------------------------------------

    def stream(self) -> None:
        """S: stream the targets (from the start onward: pieces in order, or a torrent's
        head window that the app moves forward), or stop."""
        screen, runner = self._screen, self._runner

        async def toggle(session: DaemonSession, group: list[Download]) -> None:
            for download in group:
                said = await toggle_streaming(session.client, download)
                screen.stream_windows.forget(download.key)
                screen.notify(runner.where(session.name) + said)

        runner.each_daemon(screen.targets(), "streaming", toggle)

    def open(self) -> None:
        """o: open the focused download's file once enough of it is here."""
        screen = self._screen
        download = screen.focused_download()
        if download is None:
            return
        session = screen.session(download.daemon)
        if self._runner.elsewhere([session.name], "Opening files"):
            return
        self._worker(partial(self._open, session, download), "open")

    async def _open(self, session: DaemonSession, download: Download) -> None:
        notify = self._screen.notify
        try:
            status = await session.client.tell_status(download.gid, STREAM_KEYS)
        except Aria2Error as exc:
            notify(safe_text(str(exc)), severity="error")
            return
        ready = playable(status)
        if ready is None:
            notify("nothing to open yet: it has no file", severity="warning")
            return
        if not ready.complete and ready.playable < OPEN_AT:
            try:
                streaming = is_streaming(await session.client.get_option(download.gid))
            except Aria2Error:
                streaming = False
            hint = (
                f"streaming is on: o opens it once {fmt.size(OPEN_AT)} from its start is here"
                if streaming
                else "S streams it"
            )
            notify(
                f"not enough is here yet to play: {playable_words(ready)}; {hint}",
                severity="warning",
            )
            return
        try:
            await asyncio.to_thread(open_file, ready.path, self._screen.settings.player)
        except OpenError as exc:
            notify(str(exc), severity="error")
            return
        notify(f"opening {safe_text(ready.path)}")

    def open_folder(self) -> None:
        """Ctrl+O: open the focused download's folder in the file manager."""
        screen = self._screen
        download = screen.focused_download()
        if download is None:
            return
        session = screen.session(download.daemon)
        if self._runner.elsewhere([session.name], "Opening folders"):
            return
        self._worker(partial(self._open_folder, session, download), "open")

    async def _open_folder(self, session: DaemonSession, download: Download) -> None:
        notify = self._screen.notify
        try:
            status = await session.client.tell_status(download.gid, FOLDER_KEYS)
        except Aria2Error as exc:
            notify(safe_text(str(exc)), severity="error")
            return
        folder = download_folder(status)
        try:
            await asyncio.to_thread(open_folder, folder, self._screen.settings.file_manager)
        except OpenError as exc:
            notify(safe_text(str(exc)), severity="warning")
            return
        notify(f"opening the folder {safe_text(folder)}")

    # -- E: export the .torrent --------------------------------------------------------

    def export_torrent(self) -> None:
        """E: write the focused torrent's .torrent (as aria2 saved it) where you say."""
        screen = self._screen
        download = screen.focused_download()
        if download is None:
            return
        session = screen.session(download.daemon)
        declined = refusal(Action.EXPORT, download)
        if declined:
            screen.notify(declined, severity="warning")
            return
        if self._runner.elsewhere([session.name], "Exporting the .torrent"):
            return
        self._worker(partial(self._export, session, download), "export")

    async def _export(self, session: DaemonSession, download: Download) -> None:
        screen = self._screen
        try:
            status = await session.client.tell_status(download.gid, ["dir", "infoHash"])
        except Aria2Error as exc:
            screen.notify(safe_text(str(exc)), severity="error")
            return
        folder = fields.text(status.get("dir")) or ""
        hash_ = fields.text(status.get("infoHash"), 64) or ""
        data = await asyncio.to_thread(find_torrent, folder, hash_) if folder else None
        if data is None:
            screen.notify(wording.NO_SAVED_TORRENT, severity="warning")
            return
        suggested = str(Path.home() / export_name(download.name))
        prompt = Text(f"Write the .torrent of {safe_text(download.name)} to:")
        path = await screen.app.push_screen_wait(
            InputDialog("Export .torrent", prompt, suggested, writable_path)
        )
        if not path:
            return
        try:
            await asyncio.to_thread(write_new, path, data)
        except OSError as exc:
            screen.notify(f"cannot write {path}: {exc.strerror or exc}", severity="error")
            return
        screen.notify(f"exported the .torrent to {safe_text(path)}")

    # -- V: verify -----------------------------------------------------------------------

    def verify(self) -> None:
        """V: have aria2 check the targets' data against their hashes."""
        screen, runner = self._screen, self._runner

        async def verify(session: DaemonSession, group: list[Download]) -> None:
            if runner.elsewhere([session.name], "Verifying"):
                return
            where = runner.where(session.name)
            for download in group:
                started = await self._transaction(
                    start_verify(
                        session.client,
                        download,
                        data_dir=screen.settings.data_dir,
                        follow=self._follow("verify"),
                    ),
                    f"verifying {safe_text(download.name)}",
                )
                if isinstance(started, str):
                    screen.notify(where + started, severity="warning")
                    continue
                self.verifying[DownloadKey(session.name, started.gid)] = started
                screen.selection.drop([download.key])
                then = ", then paused again" if started.pause_after else ""
                screen.notify(
                    f"{where}verifying {started.name}: aria2 checks "
                    f"every piece ({started.pieces}){then}",
                )
                screen.cursor.when_shown(DownloadKey(session.name, started.gid))

        runner.each_daemon(screen.targets(), "verify", verify)

    def _follow(self, what: str) -> Follow:
        """What a re-add tells of the new GID: the history's record (and the app)
        follow the download to it (``what``: the action, for the record's note)."""
        return partial(app_of(self._screen).download_history.follow, what=what)

    async def _transaction(
        self, work: Coroutine[Any, Any, Verifying | str], what: str
    ) -> Verifying | str:
        """Run a remove-and-add that must end even if the app quits meanwhile (see
        ops/unfinished.py): what became of it is then said on the terminal."""
        return await app_of(self._screen).unfinished.run(work, what, _outcome_words)

    def snapshot_came(self, session: DaemonSession, snapshot: Snapshot) -> None:
        """Say what each check of this daemon that aria2 finished found."""
        checks = self.verifying
        if not checks:
            return
        by_key = {d.key: d for d in snapshot.downloads}
        for key in [k for k in checks if k.daemon == session.name]:
            download = by_key.get(key)
            if download is not None and download.status is not Status.CHECKING:
                report = partial(self._report_check, session, key, checks.pop(key))
                in_worker(self._screen, report, "verify-report", name="verify report")

    async def _report_check(
        self, session: DaemonSession, key: DownloadKey, check: Verifying
    ) -> None:
        notify = self._screen.notify
        try:
            status = await session.client.tell_status(key.gid, ["bitfield", "numPieces"])
        except Aria2Error as exc:
            notify(f"{check.name}: {safe_text(str(exc))}", severity="error")
            return
        found = verdict(check, status.get("bitfield"), status.get("numPieces"))
        said = found.words
        if check.pause_after:
            try:
                await pause_again(session.client, key.gid, check.position)
            except Aria2Error as exc:
                said += f"; it could not be paused again: {safe_text(str(exc))}"
            else:
                said += "; paused again, as it was"
        notify(
            self._runner.where(session.name) + said,
            severity="warning" if found.bad else "information",
        )

    # -- y: copy ---------------------------------------------------------------------------

    async def copy(self) -> None:
        """y: choose what to copy (m magnet, u URIs, g GID, p path) of the targets."""
        screen = self._screen
        targets = screen.targets()
        if not targets:
            return
        options = [(key, f"{key}  {what}") for key, what in KINDS.items()]
        first = "m" if all(d.is_torrent for d in targets) else "u"
        note = Text("m u g p choose at once · copied with OSC 52 (works over SSH)", style="dim")

        def chosen(kind: str | None) -> None:
            if kind is not None:
                self._worker(partial(self._copy, kind, targets), "copy")

        await screen.app.push_screen(
            ChooseScreen("Copy", options, first, note, keys={k: k for k in KINDS}), chosen
        )

    async def _copy(self, kind: str, targets: list[Download]) -> None:
        screen = self._screen
        statuses: list[object] = []
        for daemon, group in by_daemon(targets).items():
            session = screen.session(daemon)
            try:
                statuses += await session.client.multicall(
                    [RpcCall("aria2.tellStatus", [d.gid, STATUS_KEYS]) for d in group]
                )
            except Aria2Error as exc:
                screen.notify(self._runner.where(daemon) + safe_text(str(exc)), severity="error")
                return
        copied = copy_of(kind, statuses)
        what = KINDS[kind]
        if not copied.count:
            screen.notify(f"nothing to copy: no {what} here", severity="warning")
            return
        screen.app.copy_to_clipboard(copied.text)
        shown = safe_text(mask_uri_secrets(copied.text.replace("\n", " ")))
        if len(shown) > COPY_SHOWN:
            shown = shown[: COPY_SHOWN - 1] + "…"
        some = f" of {copied.count}" if copied.count > 1 else ""
        none = f" ({copied.missing} had none)" if copied.missing else ""
        screen.notify(f"copied the {what}{some}{none}: {shown}")


def _outcome_words(outcome: Verifying | str) -> str:
    """What became of a re-add whose dashboard was gone (the app quit meanwhile)."""
    if isinstance(outcome, str):
        return outcome
    return f"{outcome.name}: added back; aria2 checks it"
