"""The URIs dialog (``u``): one URI per line, the mirrors of each file, the dead ones
marked with why aria2 gave up on them. ``Ctrl+S`` applies and the dialog then shows
what aria2 holds now; ``Ctrl+E`` edits the text in ``$EDITOR``. With several
downloads tagged: replace a part of every URI (a host that moved) on each."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Static, TextArea

from aria2_top.model.downloads import Status
from aria2_top.model.format import safe_text
from aria2_top.ops.uris import RETRIED, HeldUris, UriChange, parse_uri_text, uri_text
from aria2_top.rpc.errors import Aria2Error
from aria2_top.ui.external_editor import edit_area
from aria2_top.ui.focus import after_typed, focus_now
from aria2_top.ui.tones import tone
from aria2_top.ui.widgets.ordered_input import OrderedInput
from aria2_top.ui.workers import ReportsWorkerErrors

Apply = Callable[
    [HeldUris, dict[int, list[str]], bool], Awaitable[tuple[UriChange, HeldUris | None]]
]
"""Gives the download the URIs wanted (``True``: added again at the top); returns what
was done and the URIs aria2 holds afterwards (None: it could not be read)."""

Replace = Callable[[str, str, bool], Awaitable[list[str]]]
"""Replaces a part of every URI of the tagged downloads; returns lines to show."""

HELP = (
    "One URI per line: the mirrors of the file. Replace a dead link, add mirrors, "
    "delete lines. A line starting with # is a comment."
)
CLOSE = Binding("escape", "dismiss(None)", "Close", priority=True, id="aria2-top.uris.close")
APPLY = Binding("ctrl+s", "apply_in_order", "Apply", priority=True, id="aria2-top.uris.apply")


class _Applying(ReportsWorkerErrors, ModalScreen[None]):
    """What both dialogs share: a status line, Ctrl+S after the keys typed before it."""

    def _say(self, lines: Sequence[str], style: str = "bold bad") -> None:
        text = Text("\n".join(lines), style=tone(style))
        self.query_one("#uris-status", Static).update(text)

    def action_apply_in_order(self) -> None:
        """Ctrl+S once the keys typed before it are in (a paste and Ctrl+S in one burst)."""
        after_typed(self, self.action_apply)

    def action_apply(self) -> None:
        raise NotImplementedError


class UrisDialog(_Applying):
    """The URIs of one download."""

    BINDINGS = [
        CLOSE,
        APPLY,
        Binding("ctrl+e", "edit_outside", "Editor", priority=True, id="aria2-top.uris.editor"),
    ]

    def __init__(self, held: HeldUris, apply: Apply) -> None:
        super().__init__()
        self.held = held
        self.apply = apply

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = f"URIs of {safe_text(self.held.download.name)[:60]}"
            dialog.border_subtitle = "Ctrl+S applies · Ctrl+E editor · Esc closes"
            yield Static(Text(HELP, style="dim"), id="uris-help", markup=False)
            yield TextArea(
                uri_text(self.held), id="uris-text", soft_wrap=False, tab_behavior="focus"
            )
            yield Static(self._holds(), id="uris-status", markup=False)
            if self.held.download.status in RETRIED:
                with Horizontal(classes="fields"):
                    yield Checkbox(
                        "Add it again at the top of the queue", id="uris-top", compact=True
                    )

    def _holds(self) -> Text:
        held = self.held
        dead = sum(1 for f in held.files for u in f.uris if u.dead)
        words = f"aria2 holds {held.count} URI(s)" + (f", {dead} dead" if dead else "")
        if held.download.status in RETRIED:
            how = "failed" if held.download.status is Status.ERROR else "was removed"
            words += f"; it {how}: Ctrl+S adds it again from these URIs"
            words += " (same folder and file name: the data there is kept)"
        return Text(words, style="dim")

    def on_mount(self) -> None:
        focus_now(self.query_one(TextArea))

    def action_edit_outside(self) -> None:
        problem = edit_area(self.app, self.query_one(TextArea), ".uris")
        if problem:
            self._say([problem])

    def action_apply(self) -> None:
        wanted, problems = parse_uri_text(self.query_one(TextArea).text, self.held)
        if problems:
            self._say([*problems, "nothing was changed"])
            return
        top = bool(self.query("#uris-top")) and self.query_one("#uris-top", Checkbox).value
        self._say(["applying…"], style="dim")
        self._send(wanted, top)

    @work(group="uris", exclusive=True, exit_on_error=False)
    async def _send(self, wanted: dict[int, list[str]], top: bool) -> None:
        try:
            change, now = await self.apply(self.held, wanted, top)
        except Aria2Error as exc:
            self._say([f"nothing was changed: {exc}"])
            return
        if change.error:
            self._say([change.error])
            return
        if now is None:
            self._say([change.words, "aria2 did not say what it holds now"], style="bold warn")
            return
        self.held = now
        self.query_one(TextArea).load_text(uri_text(now))
        self.query_one("#uris-status", Static).update(
            Text.assemble((change.words + "\n", tone("bold good")), self._holds())
        )
        if now.download.status not in RETRIED and self.query("#uris-top"):
            self.query_one("#uris-top", Checkbox).display = False


class ReplaceUrisDialog(_Applying):
    """Several tagged downloads: replace a part of each of their URIs."""

    BINDINGS = [CLOSE, APPLY]

    def __init__(self, count: int, replace: Replace, retried: int) -> None:
        super().__init__()
        self.count = count
        self.replace = replace
        self.retried = retried

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = f"URIs of {self.count} tagged downloads"
            dialog.border_subtitle = "Ctrl+S applies · Tab next field · Esc closes"
            yield Static(
                Text(
                    "Replace a part of every URI of each (a host that moved): "
                    "http://old.example/ with https://new.example/",
                    style="dim",
                ),
                markup=False,
            )
            yield OrderedInput(placeholder="replace (e.g. http://old.example/)", id="uris-old")
            yield OrderedInput(placeholder="with (e.g. https://new.example/)", id="uris-new")
            yield Static("", id="uris-status", markup=False)
            if self.retried:
                with Horizontal(classes="fields"):
                    yield Checkbox(
                        f"Failed or removed ({self.retried}): add again at the top",
                        id="uris-top",
                        compact=True,
                    )

    def on_mount(self) -> None:
        focus_now(self.query_one("#uris-old", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "uris-old":
            focus_now(self.query_one("#uris-new", Input))
        else:
            self.action_apply()

    def action_apply(self) -> None:
        old = self.query_one("#uris-old", Input).value
        new = self.query_one("#uris-new", Input).value
        if not old or old == new:
            self._say(["type the part to replace, and what replaces it"])
            return
        top = bool(self.query("#uris-top")) and self.query_one("#uris-top", Checkbox).value
        self._say(["applying…"], style="dim")
        self._send(old, new, top)

    @work(group="uris", exclusive=True, exit_on_error=False)
    async def _send(self, old: str, new: str, top: bool) -> None:
        try:
            lines = await self.replace(old, new, top)
        except Aria2Error as exc:
            self._say([f"stopped: {exc}"])
            return
        self._say(lines, style="bold good")
