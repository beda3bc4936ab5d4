"""The keys that act on downloads: pause/resume, remove, clear, retry, queue moves."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from rich.text import Text

from aria2_top.core import actions, wording
from aria2_top.core.format import plural
from aria2_top.core.model import STOPPED, Download, DownloadKey, Status
from aria2_top.session import DaemonSession
from aria2_top.ui.dashboard.routing import DaemonRouting
from aria2_top.ui.screens.choose import ChooseScreen
from aria2_top.ui.screens.confirm import ConfirmScreen


class DownloadActions(DaemonRouting):
    """Pause and resume, remove, clear results, retry, move in the queue."""

    def action_toggle_pause(self) -> None:
        async def work(session: DaemonSession, targets: list[Download]) -> None:
            result = await actions.toggle_pause(session.client, targets)
            self._report(result, "", session.name)
            said = [
                f"{verb} {plural(len(gids), 'download')}"
                for verb, gids in (("paused", result.paused), ("resumed", result.resumed))
                if gids
            ]
            if said:
                self.notify(self._where(session.name) + " · ".join(said), markup=False)

        self._each_daemon(self.targets(), "pause/resume", work)

    async def action_toggle_pause_all(self) -> None:
        def chosen(choice: str) -> None:
            for session in self._chosen(choice):
                shot = self.snapshots.get(session.name)
                downloads = shot.downloads if shot else ()
                self._run_rpc(
                    partial(self._pause_all, session, downloads),
                    "pause all/resume all",
                    session=session,
                )

        await self._ask_daemon("Pause all / resume all", chosen)

    async def _pause_all(self, session: DaemonSession, downloads: Sequence[Download]) -> None:
        verb = await actions.toggle_pause_all(session.client, downloads)
        self.notify(self._where(session.name) + verb, markup=False)

    async def action_remove(self) -> None:
        targets = self.targets()
        if not targets:
            return
        body = Text(wording.remove_question(len(targets)) + "\n\n")
        _append_listed(body, wording.listed(targets, with_status=True, fleet=self.fleet))
        body.append("\n" + wording.FILES_KEPT, style="dim")

        async def work(session: DaemonSession, group: list[Download]) -> None:
            result = await actions.remove(session.client, group)
            self.tagged -= {DownloadKey(session.name, gid) for gid in result.done}
            self._report(result, "removed", session.name)

        def answered(yes: bool | None) -> None:
            if yes:
                self._each_daemon(targets, "remove", work)

        await self.app.push_screen(ConfirmScreen("Remove", body, "Remove"), answered)

    async def action_purge(self) -> None:
        stopped = [d for d in self.downloads if d.status in STOPPED]
        in_view = [d for d in self.shown if d.status in STOPPED]
        if not stopped:
            self.notify("no finished results to clear")
            return

        async def clear_view(session: DaemonSession, group: list[Download]) -> None:
            result = await actions.remove(session.client, group)
            self._report(result, "cleared the results of", session.name)

        async def clear_all(session: DaemonSession, group: list[Download]) -> None:
            await actions.purge(session.client)
            self.notify(
                f"{self._where(session.name)}cleared {plural(len(group), 'result')}",
                markup=False,
            )

        options = wording.purge_choices(
            len(stopped), len(in_view), self.view.label, self.filter_text
        )
        note = Text(wording.PURGE_NOTE, style="dim")

        def answered(which: str | None) -> None:
            if which == "view":
                self._each_daemon(in_view, "clearing the results", clear_view)
            elif which == "all":
                self._each_daemon(stopped, "clearing the results", clear_all)

        await self.app.push_screen(
            ChooseScreen("Clear results", options, options[0][0], note), answered
        )

    async def action_retry(self) -> None:
        await self._ask_retry(self.targets())

    async def action_retry_all(self) -> None:
        failed = [d for d in self.shown if d.status is Status.ERROR]
        if not failed:
            self.notify("no failed downloads in this view")
            return
        await self._ask_retry(failed)

    async def _ask_retry(self, targets: list[Download]) -> None:
        """Ask where the retried downloads go (top or bottom of the queue), then retry."""
        failed = [d for d in targets if d.status is Status.ERROR]
        if not failed:
            if targets:
                self.notify("nothing to retry: only failed downloads can be", severity="warning")
            return
        note = Text(wording.retry_heading(len(failed)) + "\n")
        _append_listed(note, wording.listed(failed, with_status=False, fleet=self.fleet))
        warning = wording.restart_warning(failed)
        if warning:
            note.append(warning + "\n", style="yellow")

        async def work(top: bool, session: DaemonSession, group: list[Download]) -> None:
            result = await actions.retry(session.client, group, top=top)
            self._report(result, "retried", session.name)
            if result.new_gids:
                self._focus_when_shown(DownloadKey(session.name, result.new_gids[0]))

        def answered(where: str | None) -> None:
            if where is not None:
                self._each_daemon(failed, "retry", partial(work, where == "top"))

        options = [("bottom", "At the bottom of the queue"), ("top", "At the top of the queue")]
        await self.app.push_screen(ChooseScreen("Retry", options, "bottom", note), answered)

    def action_move(self, how: str) -> None:
        """Queue moves stay within each daemon's own queue."""

        async def work(session: DaemonSession, group: list[Download]) -> None:
            result = await actions.move(session.client, group, how)
            for error in result.errors[:3]:
                self.notify(self._where(session.name) + error, severity="warning", markup=False)

        self._each_daemon(self.targets(), "the queue move", work)


def _append_listed(text: Text, listed: wording.Listed) -> None:
    """``  • name  (note)`` per line, then ``… and N more``."""
    for name, note in listed.lines:
        text.append(f"  • {name}", style="bold")
        text.append(f"  {note}\n" if note else "\n", style="dim")
    if listed.more_line:
        text.append(f"  {listed.more_line}\n")
