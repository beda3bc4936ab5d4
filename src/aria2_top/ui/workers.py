"""One handler for the errors no worker expected (a bug): every screen with workers
runs them with ``exit_on_error=False`` and mixes this in, so such an error is told
to the user, written to a report, and the app keeps running.

(Textual does not bubble a worker's state changes past its node, so the screens
pass them on to the app.)
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine

from textual.dom import DOMNode
from textual.message_pump import MessagePump
from textual.worker import Worker, WorkerState

from aria2_top.ui.app_handle import app_of


class ReportsWorkerErrors(MessagePump):
    """Mix into a screen or widget whose workers run with ``exit_on_error=False``."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        error = event.worker.error
        if event.state is not WorkerState.ERROR or error is None:
            return
        app_of(self).report_unexpected(error, event.worker.name or "a task")


Background = Callable[[], Coroutine[None, None, None]]
"""Work for a worker: an ``async def`` with its arguments bound (``functools.partial``);
it is called only when the worker starts, so one cancelled before it starts leaves no
coroutine never awaited."""


def in_worker(
    node: DOMNode, work: Background, group: str, *, name: str = "", exclusive: bool = False
) -> Worker[None]:
    """Run ``work`` in a worker of ``node`` (``exclusive``: the last asked in ``group``
    wins); an error it did not expect is reported (see :class:`ReportsWorkerErrors`),
    never the end of the app."""
    return node.run_worker(
        work, name=name or group, group=group, exclusive=exclusive, exit_on_error=False
    )
