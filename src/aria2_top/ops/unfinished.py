"""Work that must end even when the app quits meanwhile: a download taken out of aria2
to be added again is added back before aria2-top lets go (see :mod:`readd`).

A worker awaits :meth:`Unfinished.run`; if the worker is cancelled (the app quits),
the work goes on in its own task, and :meth:`Unfinished.finish` waits for it and
says, for the terminal, what became of it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class Unfinished:
    """The tasks under way that must not be cut short."""

    def __init__(self) -> None:
        self._tasks: dict[asyncio.Task[Any], str] = {}
        self._orphans: list[tuple[asyncio.Task[Any], Callable[[Any], str]]] = []

    @property
    def pending(self) -> list[str]:
        """What each task under way does, in words."""
        return [what for task, what in self._tasks.items() if not task.done()]

    async def run(
        self,
        work: Coroutine[Any, Any, T],
        what: str,
        outcome: Callable[[T], str] = lambda _result: "",
    ) -> T:
        """Run ``work`` (``what`` it does, in words) in a task of its own and return
        its result; when the caller is cancelled the task goes on, and ``outcome``
        of its result is said by :meth:`finish`."""
        task = asyncio.ensure_future(work)
        self._tasks[task] = what
        task.add_done_callback(lambda done: self._tasks.pop(done, None))
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            if not task.done() or not task.cancelled():
                self._orphans.append((task, outcome))
            raise

    async def finish_soon(self, timeout: float = 60.0) -> None:
        """Wait (up to ``timeout`` seconds) until nothing is under way."""
        tasks = list(self._tasks)
        if tasks:
            await asyncio.wait(tasks, timeout=timeout)

    async def finish(self, timeout: float) -> list[str]:
        """Wait (up to ``timeout`` seconds) for every task under way; what became of
        those whose caller was gone, in words (a task still going is cancelled, and
        said so)."""
        tasks = list(self._tasks)
        if tasks:
            await asyncio.wait(tasks, timeout=timeout)
        said: list[str] = []
        for task in tasks:
            if not task.done():
                said.append(f"{self._tasks.get(task, 'work')}: still under way when aria2-top quit")
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        for task, outcome in self._orphans:
            if task.done() and not task.cancelled() and task.exception() is None:
                text = outcome(task.result())
                if text:
                    said.append(text)
            elif task.done() and not task.cancelled():
                said.append(f"an unfinished action ended on an error: {task.exception()}")
        self._orphans.clear()
        return said
