"""Actions reach the right daemon: one multicall per daemon, each in its own worker,
and what each did said in words."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from functools import partial

from textual import work

from aria2_top.live.fleet import by_daemon
from aria2_top.live.poll_state import PollState
from aria2_top.live.session import DaemonSession
from aria2_top.model.downloads import Download, group_of
from aria2_top.model.format import plural, safe_text
from aria2_top.ops import actions
from aria2_top.rpc.errors import Aria2Error, Aria2TimeoutError
from aria2_top.ui import wording
from aria2_top.ui.dashboard.base import ALL_DAEMONS, SLOW_ANSWER, DashboardBase
from aria2_top.ui.dashboard.messages import Followed, Unanswered
from aria2_top.ui.screens.choose import ChooseScreen


class DaemonRouting(DashboardBase):
    """Runs actions per daemon and reports them."""

    def _each_daemon(
        self,
        targets: Sequence[Download],
        what: str,
        work: Callable[[DaemonSession, list[Download]], Awaitable[None]],
    ) -> None:
        """Run ``work`` once per daemon with its targets: one multicall each, each in
        its own worker, so a slow daemon never holds up the others."""
        for daemon, group in by_daemon(targets).items():
            session = self._by_name.get(daemon)
            if session is not None:
                self._run_rpc(partial(work, session, group), what, group, session)

    def _run_rpc(
        self,
        work: Callable[[], Awaitable[None]],
        what: str = "the change",
        targets: Sequence[Download] = (),
        session: DaemonSession | None = None,
    ) -> None:
        """Run an action on ``session``'s daemon (None: on no one daemon) in a worker;
        errors become notifications, never crashes."""
        focused = self.table.focused_key
        acted_on = next((d for d in targets if d.key == focused), None)
        if acted_on is not None:
            self._follow = Followed(acted_on.key, group_of(acted_on.status))
        self._rpc(work, what, tuple(targets), session)

    @work(group="rpc", exit_on_error=False)
    async def _rpc(
        self,
        work: Callable[[], Awaitable[None]],
        what: str,
        targets: tuple[Download, ...],
        session: DaemonSession | None,
    ) -> None:
        """When aria2 does not answer in time, the action may still apply once it does:
        the user is told so now, and what the table then shows later."""
        where = self._where(session.name) if session else ""
        slow = self.set_timer(
            SLOW_ANSWER,
            lambda: self.notify(f"{where}waiting for aria2 to answer ({what})…"),
        )
        try:
            await work()
        except Aria2TimeoutError:
            daemon = session.name if session else ""
            self._unanswered.append(Unanswered(what, daemon, targets, time.monotonic()))
            self.notify(
                f"{where}no answer from aria2 yet: {what} may still apply; "
                "you will be told what happened once it answers",
                severity="warning",
            )
        except Aria2Error as exc:
            self.notify(where + safe_text(str(exc)), severity="error")
        finally:
            slow.stop()
            if self._follow is not None and not self._follow.ended:
                self._follow.ended = time.monotonic()
            for each in [session] if session else self.sessions:
                each.wake()

    def _report(self, result: actions.ActionResult, verb: str, daemon: str) -> None:
        """Say what failed, and (with a ``verb``) what was done."""
        where = self._where(daemon)
        for error in result.errors[:5]:
            self.notify(where + error, severity="error")
        if len(result.errors) > 5:
            self.notify(f"{where}… and {len(result.errors) - 5} more errors", severity="error")
        if result.done and verb:
            self.notify(f"{where}{verb} {plural(len(result.done), 'download')}")

    async def _ask_daemon(self, title: str, then: Callable[[str], object]) -> None:
        """With several daemons, ask which one (or all) first; else go on at once."""
        if not self.fleet:
            then(self.sessions[0].name)
            return
        options = [(ALL_DAEMONS, "All daemons")] + [
            (s.name, self._daemon_choice(s)) for s in self.sessions
        ]

        def answered(choice: str | None) -> None:
            if choice is not None:
                then(choice)

        await self.app.push_screen(ChooseScreen(title, options, self._focused_daemon()), answered)

    def _chosen(self, choice: str) -> list[DaemonSession]:
        return self.sessions if choice == ALL_DAEMONS else [self.session(choice)]

    def _elsewhere(self, daemons: Iterable[str], what: str) -> bool:
        """Say so, and be True, when a file action (``what``) is asked of daemons
        whose files are on another machine."""
        remote = [d for d in daemons if not self._files_here(self.session(d))]
        if remote:
            self.notify(wording.not_here(remote, what), severity="warning")
        return bool(remote)

    def _files_here(self, session: DaemonSession) -> bool:
        """Whether ``session``'s daemon keeps its files on this machine."""
        shot = self.snapshots.get(session.name)
        return session.is_local(shot.stat.download_dir if shot else "")

    def _daemon_choice(self, session: DaemonSession) -> str:
        """A daemon in a "which daemon?" list: its name, and its state when it is not
        answering (an action there would wait)."""
        status = session.status
        if status.state is PollState.CONNECTED and not self._link(session).is_stale(
            time.monotonic()
        ):
            return safe_text(session.name)
        word = "wrong secret" if status.state is PollState.AUTH_FAILED else "not answering"
        return f"{safe_text(session.name)}  ({word})"
