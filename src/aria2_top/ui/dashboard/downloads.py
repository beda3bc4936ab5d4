"""The keys that act on downloads: pause/resume, remove, clear, retry, queue moves."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from rich.text import Text
from textual import work

from aria2_top.live.fleet import by_daemon
from aria2_top.live.session import DaemonSession
from aria2_top.model.downloads import STOPPED, Download, DownloadKey, Status
from aria2_top.model.events import EventKind
from aria2_top.model.format import plural, safe_text
from aria2_top.ops import actions
from aria2_top.ops.local_files import DeletionPlan
from aria2_top.ops.removal import CannotTell, held_paths, plan_removal, remove_with_data
from aria2_top.rpc.errors import Aria2Error
from aria2_top.ui import wording
from aria2_top.ui.dashboard.routing import DaemonRouting
from aria2_top.ui.screens.choose import ChooseScreen
from aria2_top.ui.screens.remove_dialog import DELETE, REMOVE, RemoveScreen
from aria2_top.ui.tones import tone


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
                self.notify(self._where(session.name) + " · ".join(said))

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
        self.notify(self._where(session.name) + verb)

    async def action_remove(self) -> None:
        """F9: remove, or remove and delete the files (asks, naming what goes)."""
        targets = self.targets()
        if not targets:
            return
        body = Text(wording.remove_question(len(targets)) + "\n\n")
        _append_listed(body, wording.listed(targets, with_status=True, fleet=self.fleet))
        dialog = RemoveScreen(body)

        async def remove(session: DaemonSession, group: list[Download]) -> None:
            result = await actions.remove(session.client, group)
            self.tagged -= {DownloadKey(session.name, gid) for gid in result.done}
            self._report(result, "removed", session.name)

        def answered(choice: str | None) -> None:
            self.workers.cancel_group(self, "remove-plan")
            if choice == REMOVE:
                self._each_daemon(targets, "remove", remove)
            elif choice == DELETE:
                self._each_daemon(targets, "remove and delete", self._remove_with_data)

        await self.app.push_screen(dialog, answered)
        self._plan_removal(dialog, targets)

    @work(group="remove-plan", exclusive=True, exit_on_error=False)
    async def _plan_removal(self, dialog: RemoveScreen, targets: list[Download]) -> None:
        """Look at the targets' files (local daemons only), then tell the dialog."""
        groups = by_daemon(targets)
        remote = [d for d in groups if not self._files_here(self.session(d))]
        if remote:
            why = wording.not_here(remote, "Deleting files", "Remove keeps the files.")
            dialog.no_delete(Text(why, style="dim"))
            return
        try:
            held = await self._held_paths(groups)
            plans: dict[DownloadKey, DeletionPlan | None] = {}
            for daemon, group in groups.items():
                found = await plan_removal(self.session(daemon).client, group, held)
                plans |= {DownloadKey(daemon, gid): plan for gid, plan in found.items()}
        except (Aria2Error, CannotTell) as exc:
            why = f"cannot look at the files: {safe_text(str(exc))}"
            dialog.no_delete(Text(why, style=tone("bad")))
            return
        self._removal_plans = plans
        known = [plan for plan in plans.values() if plan is not None]
        if not any(plan.files for plan in known):
            nothing = Text(wording.NOTHING_TO_DELETE, style="dim")
            if any(plan.kept for plan in known):
                nothing = Text(wording.NOTHING_OWNED + "\n", style="dim")
                for line in wording.kept_lines(known):
                    nothing.append(f"  {line}\n", style=tone("warn"))
            dialog.no_delete(nothing)
            return
        dialog.offer_delete(_deletion_text(known))

    async def _held_paths(self, targets: dict[str, list[Download]]) -> dict[str, list[str]]:
        """The paths the other downloads of every daemon whose files are here hold."""
        held: dict[str, list[str]] = {}
        for session in self.sessions:
            if not self._files_here(session):
                continue
            where = f" on {session.name}" if self.fleet else ""
            shot = self.snapshots.get(session.name)
            names = {d.gid: d.name + where for d in shot.downloads} if shot else {}
            exclude = {d.gid for d in targets.get(session.name, [])}
            for path, others in (await held_paths(session.client, names, exclude)).items():
                held.setdefault(path, []).extend(others)
        return held

    async def _remove_with_data(self, session: DaemonSession, group: list[Download]) -> None:
        plans = {d.gid: self._removal_plans.get(d.key) for d in group if self._files_here(session)}
        outcome = await remove_with_data(session.client, group, plans)
        self.tagged -= {DownloadKey(session.name, gid) for gid in outcome.removed}
        where = self._where(session.name)
        for download in group:
            deleted = outcome.deleted.get(download.gid)
            if deleted is not None and deleted.deleted:
                said = wording.deleted_event(download.name, deleted.deleted, deleted.size)
                self.events.add(EventKind.DELETED, session.name, f"{download.name}: {said}")
                self.app.download_history.note(download.key, said, status="deleted")
        for error in outcome.errors[:5]:
            self.notify(where + error, severity="error")
        if outcome.removed:
            self.notify(where + wording.removed_with_data(outcome))

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
            note.append(warning + "\n", style=tone("warn"))

        async def work(top: bool, session: DaemonSession, group: list[Download]) -> None:
            result = await actions.retry(
                session.client, group, top=top, files_here=self._files_here(session)
            )
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
                self.notify(self._where(session.name) + error, severity="warning")

        self._each_daemon(self.targets(), "the queue move", work)


def _append_listed(text: Text, listed: wording.Listed) -> None:
    """``  • name  (note)`` per line, then ``… and N more``."""
    for name, note in listed.lines:
        text.append(f"  • {name}", style="bold")
        text.append(f"  {note}\n" if note else "\n", style="dim")
    if listed.more_line:
        text.append(f"  {listed.more_line}\n")


def _deletion_text(plans: list[DeletionPlan]) -> Text:
    """What deleting would remove: how many files, their size on disk, the first few."""
    text = Text()
    summary, paths, refused = wording.deletion_summary(plans)
    text.append(summary + "\n", style=tone("bold bad"))
    for path in paths:
        text.append(f"  {path}\n", style="dim")
    if refused:
        text.append(refused + "\n", style=tone("warn"))
    for line in wording.kept_lines(plans):
        text.append(f"{line}\n", style=tone("warn"))
    return text
