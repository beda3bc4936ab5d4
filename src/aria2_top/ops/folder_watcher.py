"""Following the watched folders: a look at start, then a look whenever something
changes in one (inotify and its kin, through ``watchfiles``) or, where that is not
available or fails, every :data:`POLL_SECONDS`; a look soon again while a file is
being written. Each look takes the files ready (:mod:`aria2_top.ops.watch_folder`).

A folder that is not there is said once and looked for at every look; when it comes
back that is said too, and it is watched again. Nothing here is fatal: what goes
wrong is said through ``tell`` and the watcher goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from aria2_top.ops.watch_folder import FileLook, Settling, Taken, folder_looks
from aria2_top.rpc.errors import Aria2Error

POLL_SECONDS = 3.0
"""Seconds between looks without change events."""
RESCAN_SECONDS = 10.0
"""Seconds between looks with change events (for folders gone or back, lost events)."""
DEBOUNCE_MS = 200
"""Change events within this many milliseconds make one look."""

Tell = Callable[[str, bool], None]
"""Says a line (the event log): its words, and whether it is trouble (a notice too)."""
Take = Callable[[FileLook], Awaitable[Taken]]

_log = logging.getLogger(__name__)


class FolderWatcher:
    """Takes the files dropped in ``folders`` with ``take``; says what happens with
    ``tell``. :meth:`look` looks once (``aria2-top add --watched``); :meth:`run`
    follows the folders until cancelled (the dashboard)."""

    def __init__(
        self,
        folders: Sequence[Path],
        take: Take,
        tell: Tell,
        *,
        events: bool = True,
    ) -> None:
        self.folders = list(dict.fromkeys(folders))
        self.settling = Settling()
        self.looks = 0
        """Looks done (the tests wait for them)."""
        self.taken: list[Taken] = []
        """Every file handled, in order."""
        self._take = take
        self._tell = tell
        self._missing: dict[Path, str] = {}
        """Folders not there (or not readable), with what was said."""
        self._left_alone: dict[Path, tuple[int, int]] = {}
        """Files not to touch again until they change: their rename failed."""
        self._daemon_trouble = ""
        self._events_wanted = events
        self._events_problem = ""
        self._changed = asyncio.Event()
        self._watching: tuple[Path, ...] = ()
        self._events: asyncio.Task[None] | None = None
        self._stop_events: asyncio.Event | None = None

    # -- one look --------------------------------------------------------------------------

    async def look(self) -> list[Taken]:
        """Look at every folder once and take the files that are ready."""
        self._changed.clear()
        self.looks += 1
        now = time.monotonic()
        looks = [look for folder in self.folders for look in self._folder(folder)]
        self.settling.keep_only(look.path for look in looks)
        present = {look.path for look in looks}
        self._left_alone = {p: s for p, s in self._left_alone.items() if p in present}
        taken = []
        for look in looks:
            if self._left_alone.get(look.path) == (look.size, look.mtime_ns):
                continue
            if not self.settling.ready(look, now):
                continue
            try:
                outcome = await self._take(look)
            except Aria2Error as exc:
                self._said_daemon(f"the watched files wait: the daemon cannot be asked: {exc}")
                break
            self._said_daemon("")
            self.settling.forget(look.path)
            if outcome.rename_problem and outcome.now == look.path:
                self._left_alone[look.path] = (look.size, look.mtime_ns)
            taken.append(outcome)
            self.taken.append(outcome)
            self._tell(outcome.words(), not outcome.added or bool(outcome.rename_problem))
        return taken

    def _folder(self, folder: Path) -> list[FileLook]:
        """The watched files of ``folder``; a folder gone (or back) is said once."""
        try:
            looks = folder_looks(folder)
        except OSError as exc:
            why = "is not there" if isinstance(exc, FileNotFoundError) else exc.strerror
            said = f"watched folder {folder} {why or 'cannot be read'}: looking for it"
            if self._missing.get(folder) != said:
                self._missing[folder] = said
                self._tell(said, True)
            return []
        if self._missing.pop(folder, None) is not None:
            self._tell(f"watched folder {folder} is there: watching it", False)
        return looks

    @property
    def daemon_trouble(self) -> str:
        """Why the last look could not ask the daemon ("": it could)."""
        return self._daemon_trouble

    def _said_daemon(self, said: str) -> None:
        if said and said != self._daemon_trouble:
            self._tell(said, True)
        self._daemon_trouble = said

    @property
    def present(self) -> tuple[Path, ...]:
        """The folders there at the last look."""
        return tuple(folder for folder in self.folders if folder not in self._missing)

    # -- following -------------------------------------------------------------------------

    async def run(self) -> None:
        """Look now, then whenever something changes, until cancelled."""
        try:
            while True:
                await self.look()
                await self._follow(self.present)
                await self._wait(self._pause())
        finally:
            await self._stop_following()

    def _pause(self) -> float:
        """Seconds until the next look unless something changes."""
        regular = RESCAN_SECONDS if self.follows_events() else POLL_SECONDS
        settling = self.settling.next_ready(time.monotonic())
        return regular if settling is None else min(regular, settling + 0.05)

    async def _wait(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), seconds)

    def follows_events(self) -> bool:
        """Whether change events come (else: a look every :data:`POLL_SECONDS`)."""
        return self._events is not None and not self._events.done()

    async def _follow(self, folders: tuple[Path, ...]) -> None:
        """Change events for ``folders`` (restarted when they change)."""
        if not self._events_wanted or self._events_problem:
            return
        if self.follows_events() and folders == self._watching:
            return
        await self._stop_following()
        self._watching = folders
        if folders:
            self._stop_events = asyncio.Event()
            self._events = asyncio.get_running_loop().create_task(
                self._events_of(folders, self._stop_events)
            )

    async def _events_of(self, folders: tuple[Path, ...], stop: asyncio.Event) -> None:
        """Set :attr:`_changed` on every change in ``folders`` until ``stop``."""
        try:
            from watchfiles import awatch  # noqa: PLC0415 - only the dashboard follows events

            async for _ in awatch(
                *folders,
                watch_filter=None,
                debounce=DEBOUNCE_MS,
                stop_event=stop,
                recursive=False,
                ignore_permission_denied=True,
            ):
                self._changed.set()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - watchfiles fails in ways of its own
            # (no inotify watches left, no module…): a folder gone is not such a failure.
            if all(folder.is_dir() for folder in folders):
                self._events_problem = str(exc) or type(exc).__name__
                self._tell(
                    f"no change events ({self._events_problem}): the watched folders are "
                    f"looked at every {POLL_SECONDS:g} s",
                    False,
                )
            _log.debug("change events of %s ended", folders, exc_info=True)
        self._changed.set()

    async def _stop_following(self) -> None:
        task, stop = self._events, self._stop_events
        self._events = None
        if stop is not None:
            stop.set()
        if task is not None and not task.done():
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, 5)
