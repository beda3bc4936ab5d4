"""The Options tab with rows tagged: the options of every tagged download, merged
(``[mixed]`` where they differ), and a change applied to each (one multicall per
daemon), read back per download and said (``set on 3 · aria2 ignored it on 1``)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text

from aria2_top.live.fleet import by_daemon
from aria2_top.model.downloads import Download, DownloadKey
from aria2_top.model.format import safe_text
from aria2_top.model.masking import is_secret_option
from aria2_top.ops.download_options import option_problem, option_value
from aria2_top.ops.group_options import (
    MIXED,
    GroupOutcome,
    changed_options,
    merged,
    options_text,
    read_options,
    set_on_each,
)
from aria2_top.rpc.errors import Aria2Error
from aria2_top.ui import wording
from aria2_top.ui.external_editor import edit_text
from aria2_top.ui.screens.input_dialog import InputDialog
from aria2_top.ui.widgets.details.options import OptionsTab
from aria2_top.ui.workers import in_worker

if TYPE_CHECKING:
    from aria2_top.ui.dashboard.screen import DashboardScreen

AT_LEAST = 2
"""Tagged downloads from which the Options tab edits them together."""


class GroupOptions:
    """Reads and sets the options of the tagged downloads."""

    def __init__(self, screen: DashboardScreen) -> None:
        self._screen = screen

    def tagged(self) -> list[Download]:
        """The tagged downloads, when there are enough to edit together."""
        screen = self._screen
        if len(screen.tagged) < AT_LEAST:  # asked at every refresh of the Options tab
            return []
        tagged = [d for d in screen.downloads if d.key in screen.tagged]
        return tagged if len(tagged) >= AT_LEAST else []

    def fetch(self, downloads: list[Download]) -> None:
        in_worker(self._screen, partial(self._fetch, downloads), "details", exclusive=True)

    async def _fetch(self, downloads: list[Download]) -> None:
        screen = self._screen
        every: list[dict[str, str]] = []
        try:
            for daemon, group in by_daemon(downloads).items():
                session = screen.session_named(daemon)
                if session is not None:
                    every += await read_options(session.client, group)
        except Aria2Error as exc:
            screen.notify(
                f"cannot read the options of the tagged downloads: {exc}", severity="error"
            )
            return
        keys = tuple(d.key for d in downloads)
        screen.details.show_group_options(keys, merged(every))

    async def edit(self, message: OptionsTab.EditOption) -> None:
        """Ask for the new value (empty for a mixed one), then set it on each."""
        screen = self._screen
        keys = set(message.group)
        downloads = [d for d in screen.downloads if d.key in keys]
        if not downloads:
            return
        is_limit = message.name.endswith("-limit")
        mixed = message.value == MIXED
        prompt = Text(f"{message.name} of {len(downloads)} tagged downloads")
        if mixed:
            prompt.append("\nthey differ now: what you type is set on each", style="dim")
        if is_limit:
            prompt.append("\n" + wording.LIMIT_HINT, style="dim")

        def answered(value: str | None) -> None:
            if value is not None:
                work = partial(
                    self._set, downloads, message.name, option_value(message.name, value)
                )
                screen.runner.run(work, f"setting {message.name}")

        secret = is_secret_option(message.name) and message.secret
        shown = "" if mixed or secret else message.value
        dialog = InputDialog(
            f"Set {message.name}", prompt, shown, partial(option_problem, message.name), secret
        )
        await screen.app.push_screen(dialog, answered)

    def edit_outside(self, message: OptionsTab.EditOutside) -> None:
        """Ctrl+E in the Options tab: every option in $EDITOR; the lines changed are
        set (on each tagged download) and read back."""
        screen = self._screen
        keys = set(message.group) or (
            {DownloadKey(message.daemon, message.gid)} if message.gid else set()
        )
        downloads = [d for d in screen.downloads if d.key in keys]
        if not downloads:
            screen.notify("Ctrl+E edits the options of downloads (the details pane's tab 6)")
            return
        about = (
            f"{len(downloads)} tagged downloads"
            if message.group
            else safe_text(downloads[0].name)[:60]
        )
        edited = edit_text(screen.app, options_text(message.options, about), ".conf")
        if edited.text is None:
            screen.notify(edited.problem, severity="error")
            return
        changes, problems = changed_options(edited.text, message.options)
        if problems:
            screen.notify("nothing was set: " + "; ".join(problems[:3]), severity="error")
            return
        if not changes:
            screen.notify("no option changed")
            return
        screen.runner.run(partial(self._set_all, downloads, changes), "setting the options")

    async def _set(self, downloads: list[Download], name: str, value: str) -> None:
        await self._set_all(downloads, {name: value})

    async def _set_all(self, downloads: list[Download], options: dict[str, str]) -> None:
        screen = self._screen
        outcome = GroupOutcome(options)
        for daemon, group in by_daemon(downloads).items():
            session = screen.session_named(daemon)
            if session is None:
                continue
            outcome.add(await set_on_each(session.client, group, options))
            if any(name.endswith("-limit") for name in options):
                session.poller.limits.ask_again(d.gid for d in group)
            session.wake()
        trouble = outcome.ignored or outcome.failed
        screen.notify(outcome.message(), severity="warning" if trouble else "information")
        screen.details_fetcher.fetch()
