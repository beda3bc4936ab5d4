"""The Textual application (placeholder until the dashboard lands)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static

from aria2_top.config import Settings
from aria2_top.endpoint import Endpoint
from aria2_top.rpc.errors import Aria2Error


class Aria2TopApp(App[None]):
    """aria2-top's main application."""

    TITLE = "aria2-top"
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, endpoint: Endpoint, settings: Settings) -> None:
        super().__init__()
        self.endpoint = endpoint
        self.settings = settings

    def compose(self) -> ComposeResult:
        yield Static(f"connecting to {self.endpoint.label}…", id="status", markup=False)
        yield Footer()

    async def on_mount(self) -> None:
        status = self.query_one("#status", Static)
        try:
            async with self.endpoint.client(self.settings.ca_file) as client:
                version = await client.get_version()
            status.update(f"aria2 {version['version']} at {self.endpoint.label}")
        except Aria2Error as exc:
            status.update(str(exc))
