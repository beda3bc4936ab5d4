"""The keys that open the screens that tell more or set the app up: help (F1), the
event log (e), the debug info (F12), the setup (F2: columns, sort, view, theme)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aria2_top.config.errors import ConfigError
from aria2_top.config.table_setup import TableSetup
from aria2_top.diagnostics.debug_log import active_log_path
from aria2_top.model.format import safe_text
from aria2_top.ui.app_handle import app_of
from aria2_top.ui.debug_report import DebugInfo, collect_debug_info

if TYPE_CHECKING:
    from aria2_top.ui.dashboard.screen import DashboardScreen


class InfoCommands:
    """Help, the event log, the debug info and the setup screen."""

    def __init__(self, screen: DashboardScreen) -> None:
        self._screen = screen

    async def help(self) -> None:
        from aria2_top.ui.screens.help import HelpScreen  # noqa: PLC0415 - on first use

        await self._screen.app.push_screen(HelpScreen(app_of(self._screen).keymap))

    def events(self) -> None:
        """The event log, under each daemon's last link error in full (the bar shows
        it cut to fit)."""
        screen = self._screen

        def errors() -> list[str]:
            return [
                screen.runner.where(s.name) + safe_text(s.status.error)
                for s in screen.sessions
                if s.status.error
            ]

        from aria2_top.ui.screens.events import EventsScreen  # noqa: PLC0415 - on first use

        screen.app.push_screen(EventsScreen(screen.events.newest_first, errors, screen.fleet))

    def debug_info(self) -> None:
        """Versions, files, each daemon's links and the poller's timings (F12)."""
        from aria2_top.ui.screens.debug_info import DebugInfoScreen, devtools_state  # noqa: PLC0415 - on first use

        screen = self._screen
        app = app_of(screen)

        def collect() -> DebugInfo:
            return collect_debug_info(
                screen.sessions,
                screen.settings,
                active_log_path(),
                devtools=devtools_state(app),
                history=app.download_history.state,
            )

        app.push_screen(DebugInfoScreen(collect))

    def setup(self) -> None:
        """F2: columns, sort and view at start, theme; saved when the screen closes."""
        screen = self._screen
        app = screen.app
        from aria2_top.ui.screens.setup import SetupScreen  # noqa: PLC0415 - on first use

        app.push_screen(
            SetupScreen(
                screen.table_setup,
                app.theme,
                sorted(app.available_themes),
                fleet=screen.fleet,
                apply=self._apply_setup,
                save=self._save_setup,
                on_screen=lambda: {column.key for column in screen.table.shown_columns},
            )
        )

    def _apply_setup(self, setup: TableSetup, theme: str) -> None:
        screen = self._screen
        with screen.one_refresh(always=True):
            before = screen.table_setup
            if (setup.sort, setup.reverse) != (before.sort, before.reverse):
                screen.sort_column, screen.sort_reverse = setup.sort, setup.reverse
            if setup.view is not before.view:
                screen.view = setup.view
            screen.table_setup = setup
            screen.use_layout()
            if theme != screen.app.theme:
                screen.app.theme = theme

    def _save_setup(self, setup: TableSetup, theme: str) -> None:
        screen = self._screen
        path = screen.settings.config_path
        try:
            from aria2_top.config.writer import save_setup  # noqa: PLC0415 - tomlkit, on first use

            save_setup(path, setup, theme)
        except ConfigError as exc:
            screen.notify(f"setup not saved: {exc}", severity="error")
        else:
            app_of(screen).saved_theme = theme
            screen.notify(f"setup saved in {path}")
