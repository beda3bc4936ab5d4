"""The keys that act on downloads: pause/resume, remove (and delete the data),
clear results, retry, queue moves."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text

from aria2_top.live.fleet import by_daemon
from aria2_top.live.session import DaemonSession
from aria2_top.model.downloads import STOPPED, Download, DownloadKey, Status
from aria2_top.model.events import EventKind
from aria2_top.model.format import plural, safe_text
from aria2_top.model.saved_metadata import Holding
from aria2_top.ops import actions
from aria2_top.ops.local_files import DeletionPlan
from aria2_top.ops.removal import CannotTell, held_paths, plan_removal, remove_with_data
from aria2_top.rpc.errors import Aria2Error
from aria2_top.ui import wording
from aria2_top.ui.app_handle import app_of
from aria2_top.ui.screens.choose import ChooseScreen
from aria2_top.ui.screens.remove_dialog import DELETE, REMOVE, RemoveScreen
from aria2_top.ui.tones import tone
from aria2_top.ui.workers import in_worker

if TYPE_CHECKING:
    from aria2_top.ui.dashboard.screen import DashboardScreen


class DownloadCommands:
    """Pause and resume, remove, clear results, retry, move in the queue."""

    def __init__(self, screen: DashboardScreen) -> None:
        self._screen = screen
        self._runner = screen.runner
        self._removal_plans: dict[DownloadKey, DeletionPlan | None] = {}
        """What F9's d would delete, per download, once looked at."""

    def toggle_pause(self) -> None:
        runner = self._runner

        async def work(session: DaemonSession, targets: list[Download]) -> None:
            result = await actions.toggle_pause(session.client, targets)
            runner.report(result, "", session.name)
            said = [
                f"{verb} {plural(len(gids), 'download')}"
                for verb, gids in (("paused", result.paused), ("resumed", result.resumed))
                if gids
            ]
            if said:
                self._screen.notify(runner.where(session.name) + " · ".join(said))

        runner.each_daemon(self._screen.targets(), "pause/resume", work)

    async def toggle_pause_all(self) -> None:
        screen = self._screen

        def chosen(choice: str) -> None:
            for session in self._runner.chosen(choice):
                shot = screen.snapshots.get(session.name)
                downloads = shot.downloads if shot else ()
                self._runner.run(
                    partial(self._pause_all, session, downloads),
                    "pause all/resume all",
                    session=session,
                )

        await self._runner.ask_daemon("Pause all / resume all", chosen)

    async def _pause_all(self, session: DaemonSession, downloads: Sequence[Download]) -> None:
        verb = await actions.toggle_pause_all(session.client, downloads)
        self._screen.notify(self._runner.where(session.name) + verb)

    async def remove(self) -> None:
        """F9: remove, or remove and delete the files (asks, naming what goes)."""
        screen = self._screen
        targets = screen.targets()
        if not targets:
            return
        body = Text(wording.remove_question(len(targets)) + "\n\n")
        append_listed(body, wording.listed(targets, with_status=True, fleet=screen.fleet))
        dialog = RemoveScreen(body)

        async def remove(session: DaemonSession, group: list[Download]) -> None:
            result = await actions.remove(session.client, group)
            screen.selection.drop(DownloadKey(session.name, gid) for gid in result.done)
            self._runner.report(result, "removed", session.name)

        def answered(choice: str | None) -> None:
            screen.workers.cancel_group(screen, "remove-plan")
            if choice == REMOVE:
                self._runner.each_daemon(targets, "remove", remove)
            elif choice == DELETE:
                self._runner.each_daemon(targets, "remove and delete", self._remove_with_data)

        await screen.app.push_screen(dialog, answered)
        plan = partial(self._plan_removal, dialog, targets)
        in_worker(screen, plan, "remove-plan", name="what deleting would remove", exclusive=True)

    async def _plan_removal(self, dialog: RemoveScreen, targets: list[Download]) -> None:
        """Look at the targets' files (local daemons only), then tell the dialog."""
        screen = self._screen
        groups = by_daemon(targets)
        remote = [d for d in groups if not self._runner.files_here(screen.session(d))]
        if remote:
            why = wording.not_here(remote, "Deleting files", "Remove keeps the files.")
            dialog.no_delete(Text(why, style="dim"))
            return
        try:
            held = await self.holding(groups)
            plans: dict[DownloadKey, DeletionPlan | None] = {}
            for daemon, group in groups.items():
                found = await plan_removal(screen.session(daemon).client, group, held)
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
        dialog.offer_delete(deletion_text(known))

    async def holding(self, targets: dict[str, list[Download]]) -> Holding:
        """What the other downloads of every daemon whose files are here hold: paths,
        and torrents (whose saved metadata they use); F9 d and M ask."""
        screen = self._screen
        held = Holding()
        for session in screen.sessions:
            if not self._runner.files_here(session):
                continue
            where = f" on {session.name}" if screen.fleet else ""
            shot = screen.snapshots.get(session.name)
            names = {d.gid: d.name + where for d in shot.downloads} if shot else {}
            exclude = {d.gid for d in targets.get(session.name, [])}
            held.add(await held_paths(session.client, names, exclude))
        return held

    async def _remove_with_data(self, session: DaemonSession, group: list[Download]) -> None:
        screen = self._screen
        here = self._runner.files_here(session)
        plans = {d.gid: self._removal_plans.get(d.key) for d in group if here}
        outcome = await remove_with_data(session.client, group, plans)
        screen.selection.drop(DownloadKey(session.name, gid) for gid in outcome.removed)
        where = self._runner.where(session.name)
        for download in group:
            deleted = outcome.deleted.get(download.gid)
            if deleted is not None and deleted.deleted:
                said = wording.deleted_event(download.name, deleted.deleted, deleted.size)
                screen.events.add(EventKind.DELETED, session.name, f"{download.name}: {said}")
                app_of(screen).download_history.note(download.key, said, status="deleted")
        for error in outcome.errors[:5]:
            screen.notify(where + error, severity="error")
        if outcome.removed:
            screen.notify(where + wording.removed_with_data(outcome))

    async def purge(self) -> None:
        screen, runner = self._screen, self._runner
        stopped = [d for d in screen.downloads if d.status in STOPPED]
        in_view = [d for d in screen.shown if d.status in STOPPED]
        if not stopped:
            screen.notify("no finished results to clear")
            return

        async def clear_view(session: DaemonSession, group: list[Download]) -> None:
            result = await actions.remove(session.client, group)
            runner.report(result, "cleared the results of", session.name)

        async def clear_all(session: DaemonSession, group: list[Download]) -> None:
            await actions.purge(session.client)
            screen.notify(f"{runner.where(session.name)}cleared {plural(len(group), 'result')}")

        options = wording.purge_choices(
            len(stopped), len(in_view), screen.view.label, screen.filter_text
        )
        note = Text(wording.PURGE_NOTE, style="dim")

        def answered(which: str | None) -> None:
            if which == "view":
                runner.each_daemon(in_view, "clearing the results", clear_view)
            elif which == "all":
                runner.each_daemon(stopped, "clearing the results", clear_all)

        await screen.app.push_screen(
            ChooseScreen("Clear results", options, options[0][0], note), answered
        )

    async def retry(self) -> None:
        await self._ask_retry(self._screen.targets())

    async def retry_all(self) -> None:
        failed = [d for d in self._screen.shown if d.status is Status.ERROR]
        if not failed:
            self._screen.notify("no failed downloads in this view")
            return
        await self._ask_retry(failed)

    async def _ask_retry(self, targets: list[Download]) -> None:
        """Ask where the retried downloads go (top or bottom of the queue), then retry."""
        screen, runner = self._screen, self._runner
        failed = [d for d in targets if d.status is Status.ERROR]
        if not failed:
            if targets:
                screen.notify("nothing to retry: only failed downloads can be", severity="warning")
            return
        note = Text(wording.retry_heading(len(failed)) + "\n")
        append_listed(note, wording.listed(failed, with_status=False, fleet=screen.fleet))
        warning = wording.restart_warning(failed)
        if warning:
            note.append(warning + "\n", style=tone("warn"))

        async def work(top: bool, session: DaemonSession, group: list[Download]) -> None:
            result = await actions.retry(
                session.client, group, top=top, files_here=runner.files_here(session)
            )
            history = app_of(screen).download_history
            for old, new_gid in result.readded:  # the same download: its record follows
                history.follow(old, new_gid, what="retry")
            runner.report(result, "retried", session.name)
            if result.new_gids:
                screen.cursor.when_shown(DownloadKey(session.name, result.new_gids[0]))

        def answered(where: str | None) -> None:
            if where is not None:
                runner.each_daemon(failed, "retry", partial(work, where == "top"))

        options = [("bottom", "At the bottom of the queue"), ("top", "At the top of the queue")]
        await screen.app.push_screen(ChooseScreen("Retry", options, "bottom", note), answered)

    def move(self, how: str) -> None:
        """Queue moves stay within each daemon's own queue."""
        screen, runner = self._screen, self._runner

        async def work(session: DaemonSession, group: list[Download]) -> None:
            result = await actions.move(session.client, group, how)
            for error in result.errors[:3]:
                screen.notify(runner.where(session.name) + error, severity="warning")

        runner.each_daemon(screen.targets(), "the queue move", work)


def append_listed(text: Text, listed: wording.Listed) -> None:
    """``  • name  (note)`` per line, then ``… and N more``."""
    for name, note in listed.lines:
        text.append(f"  • {name}", style="bold")
        text.append(f"  {note}\n" if note else "\n", style="dim")
    if listed.more_line:
        text.append(f"  {listed.more_line}\n")


def deletion_text(plans: list[DeletionPlan]) -> Text:
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
