"""One handler for the errors no worker expected (a bug): every screen with workers
runs them with ``exit_on_error=False`` and mixes this in, so such an error is told
to the user, written to a report, and the app keeps running.

(Textual does not bubble a worker's state changes past its node, so the screens
pass them on to the app.)
"""

from __future__ import annotations

from typing import Any

from textual.worker import Worker, WorkerState


class ReportsWorkerErrors:
    """Mix into a screen or widget whose workers run with ``exit_on_error=False``."""

    app: Any

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        error = event.worker.error
        if event.state is not WorkerState.ERROR or error is None:
            return
        report = getattr(self.app, "report_unexpected", None)  # Aria2TopApp's
        if callable(report):
            report(error, event.worker.name or "a task")
