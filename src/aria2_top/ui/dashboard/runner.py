"""The action runner: actions reach the right daemon, one multicall per daemon, each
in its own worker, and what each did is said in words. An action a daemon did not
answer in time is remembered, and what became of it said once the daemon answers."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from aria2_top.live.fleet import by_daemon
from aria2_top.live.poll_state import PollState
from aria2_top.live.session import DaemonSession
from aria2_top.model.downloads import Download, Snapshot
from aria2_top.model.format import plural, safe_text
from aria2_top.ops import actions
from aria2_top.rpc.errors import Aria2Error, Aria2TimeoutError
from aria2_top.ui import wording
from aria2_top.ui.dashboard.messages import Unanswered
from aria2_top.ui.screens.choose import ChooseScreen
from aria2_top.ui.workers import in_worker

if TYPE_CHECKING:
    from aria2_top.ui.dashboard.screen import DashboardScreen

SLOW_ANSWER = 2.0
"""Seconds after which an action without an answer yet says it is waiting."""
ALL_DAEMONS = "*"
"""The choice "every daemon" where a key asks which daemon."""

Work = Callable[[DaemonSession, list[Download]], Awaitable[None]]
"""An action on one daemon's share of the targets."""


class ActionRunner:
    """Runs the dashboard's actions on their daemons and reports them."""

    def __init__(self, screen: DashboardScreen) -> None:
        self._screen = screen
        self._unanswered: list[Unanswered] = []

    def where(self, daemon: str) -> str:
        """``nas: `` before what is said of one daemon's downloads, with several."""
        return f"{daemon}: " if self._screen.fleet else ""

    def each_daemon(self, targets: Sequence[Download], what: str, work: Work) -> None:
        """Run ``work`` once per daemon with its targets: one multicall each, each in
        its own worker, so a slow daemon never holds up the others."""
        for daemon, group in by_daemon(targets).items():
            session = self._screen.session_named(daemon)
            if session is not None:
                self.run(partial(work, session, group), what, group, session)

    def run(
        self,
        work: Callable[[], Awaitable[None]],
        what: str = "the change",
        targets: Sequence[Download] = (),
        session: DaemonSession | None = None,
    ) -> None:
        """Run an action on ``session``'s daemon (None: on no one daemon) in a worker;
        errors become notifications, never crashes."""
        self._screen.cursor.acted_on(targets)
        guarded = partial(self._guarded, work, what, tuple(targets), session)
        in_worker(self._screen, guarded, "rpc", name=what)

    async def _guarded(
        self,
        work: Callable[[], Awaitable[None]],
        what: str,
        targets: tuple[Download, ...],
        session: DaemonSession | None,
    ) -> None:
        """When aria2 does not answer in time, the action may still apply once it does:
        the user is told so now, and what the table then shows later."""
        screen = self._screen
        where = self.where(session.name) if session else ""
        slow = screen.set_timer(
            SLOW_ANSWER,
            lambda: screen.notify(f"{where}waiting for aria2 to answer ({what})…"),
        )
        try:
            await work()
        except Aria2TimeoutError:
            daemon = session.name if session else ""
            self._unanswered.append(Unanswered(what, daemon, targets, time.monotonic()))
            screen.notify(
                f"{where}no answer from aria2 yet: {what} may still apply; "
                "you will be told what happened once it answers",
                severity="warning",
            )
        except Aria2Error as exc:
            screen.notify(where + safe_text(str(exc)), severity="error")
        finally:
            slow.stop()
            screen.cursor.action_ended()
            for each in [session] if session else screen.sessions:
                each.wake()

    def report(self, result: actions.ActionResult, verb: str, daemon: str) -> None:
        """Say what failed, and (with a ``verb``) what was done."""
        notify, where = self._screen.notify, self.where(daemon)
        for error in result.errors[:5]:
            notify(where + error, severity="error")
        if len(result.errors) > 5:
            notify(f"{where}… and {len(result.errors) - 5} more errors", severity="error")
        if result.done and verb:
            notify(f"{where}{verb} {plural(len(result.done), 'download')}")

    def report_late_answers(self, daemon: str, snapshot: Snapshot) -> None:
        """Say what became of actions a daemon did not answer in time, from its first
        poll sent after giving up on them."""
        waiting, outcomes = [], []
        for late in self._unanswered:
            if late.daemon in (daemon, "") and late.gave_up_at < snapshot.asked_at:
                outcome = self.where(daemon) + actions.late_outcome(
                    late.what, late.targets, snapshot
                )
                if outcome not in outcomes:  # the same key pressed again in the stall
                    outcomes.append(outcome)
            else:
                waiting.append(late)
        self._unanswered = waiting
        for outcome in outcomes:
            self._screen.notify(outcome)

    # -- which daemon ----------------------------------------------------------------

    async def ask_daemon(self, title: str, then: Callable[[str], object]) -> None:
        """With several daemons, ask which one (or all) first; else go on at once."""
        screen = self._screen
        if not screen.fleet:
            then(screen.sessions[0].name)
            return
        options = [(ALL_DAEMONS, "All daemons"), *self.daemon_choices()]

        def answered(choice: str | None) -> None:
            if choice is not None:
                then(choice)

        await screen.app.push_screen(
            ChooseScreen(title, options, screen.focused_daemon()), answered
        )

    def chosen(self, choice: str) -> list[DaemonSession]:
        """The daemons of a "which daemon?" answer."""
        screen = self._screen
        return screen.sessions if choice == ALL_DAEMONS else [screen.session(choice)]

    def daemon_choices(self) -> list[tuple[str, str]]:
        """Every daemon as a "which daemon?" list offers it: its name, and its state
        when it is not answering (an action there would wait)."""
        now = time.monotonic()
        choices = []
        for session in self._screen.sessions:
            status = session.status
            word = ""
            if status.state is PollState.AUTH_FAILED:
                word = "wrong secret"
            elif status.state is not PollState.CONNECTED or self._screen.link_watch.is_stale(
                session, now
            ):
                word = "not answering"
            name = safe_text(session.name)
            choices.append((session.name, f"{name}  ({word})" if word else name))
        return choices

    # -- where the files are -----------------------------------------------------------

    def files_here(self, session: DaemonSession) -> bool:
        """Whether ``session``'s daemon keeps its files on this machine."""
        shot = self._screen.snapshots.get(session.name)
        return session.is_local(shot.stat.download_dir if shot else "")

    def elsewhere(self, daemons: Iterable[str], what: str) -> bool:
        """Say so, and be True, when a file action (``what``) is asked of daemons
        whose files are on another machine."""
        screen = self._screen
        remote = [d for d in daemons if not self.files_here(screen.session(d))]
        if remote:
            screen.notify(wording.not_here(remote, what), severity="warning")
        return bool(remote)
