"""The Add dialog: URIs, magnets, local .torrent/.metalink files or aria2 input-file
text, checked line by line before anything is sent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static, TextArea

from aria2_top.ops.add_input import AddItem, LineProblem, common_options, parse_add_text
from aria2_top.ops.adding import AddOutcome
from aria2_top.rpc.errors import Aria2Error
from aria2_top.ui.external_editor import edit_area
from aria2_top.ui.focus import after_typed, focus_now
from aria2_top.ui.tones import tone
from aria2_top.ui.widgets.ordered_input import OrderedInput
from aria2_top.ui.workers import ReportsWorkerErrors

Submit = Callable[[Sequence[AddItem], dict[str, str], bool], Awaitable[AddOutcome]]
"""Sends the items with the common options; ``True``: at the top of the queue."""

Check = Callable[[Sequence[AddItem], dict[str, str]], Awaitable[list[str]]]
"""Warnings to show before adding (names that exist already), one line each."""

HELP = (
    "One download per line: URIs (several on a line are mirrors of one file), a magnet "
    "link, or the path of a .torrent, .metalink or .meta4 file. Lines indented with "
    "spaces, option=value, apply to the download above them (aria2 input files)."
)
SMALL_HEIGHT = 30
"""Below this many lines the dialog drops its help text and shrinks the text box."""


class AddDialog(ReportsWorkerErrors, ModalScreen[list[str] | None]):
    """Dismisses with the new GIDs, or None when cancelled. Problems keep it open,
    with the text as typed."""

    BINDINGS = [
        # priority: one Esc closes the dialog, even from the text box (which would
        # otherwise only give the focus up).
        Binding(
            "escape", "dismiss(None)", "Cancel", priority=True, id="aria2-top.add-dialog.cancel"
        ),
        Binding("ctrl+s", "submit_in_order", "Add", priority=True, id="aria2-top.add-dialog.add"),
        Binding(
            "ctrl+e", "edit_outside", "Editor", priority=True, id="aria2-top.add-dialog.editor"
        ),
    ]

    def __init__(
        self,
        submit: Submit,
        text: str = "",
        check: Check | None = None,
        title: str = "",
        *,
        folder: str = "",
        out: str = "",
    ) -> None:
        """``title``: the dialog's (default: Add downloads); ``folder`` and ``out`` fill
        the folder and file name fields (adding again from the history)."""
        super().__init__()
        self.initial_folder = folder
        self.initial_out = out
        self.title_text = title or "Add downloads"
        self.submit = submit
        self.check = check
        self.initial_text = text
        self._acknowledged: tuple[object, ...] | None = None
        """The input the user was warned about: Ctrl+S again adds it anyway."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = self.title_text
            dialog.border_subtitle = "Ctrl+S adds · Ctrl+E editor · Tab next field · Esc cancels"
            yield Static(Text(HELP, style="dim"), id="add-help", markup=False)
            yield TextArea(self.initial_text, id="add-text", soft_wrap=False, tab_behavior="focus")
            yield Static("", id="add-problems", markup=False)
            with Horizontal(classes="fields"):
                yield OrderedInput(
                    self.initial_folder,
                    placeholder="folder (default: the daemon's)",
                    id="add-dir",
                    compact=True,
                )
                yield OrderedInput(
                    self.initial_out,
                    placeholder="file name (one URI only)",
                    id="add-out",
                    compact=True,
                )
            with Horizontal(classes="fields"):
                yield Checkbox("Start paused", id="add-paused", compact=True)
                yield Checkbox("Add at the top of the queue", id="add-top", compact=True)
            with Horizontal(id="buttons"):
                yield Button("Add (Ctrl+S)", variant="primary", id="add", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        focus_now(self.query_one(TextArea))

    def on_resize(self) -> None:
        self.set_class(self.size.height < SMALL_HEIGHT, "-small")

    def on_text_area_changed(self) -> None:
        if self._acknowledged is not None:  # the warning was about other text
            self._acknowledged = None
            self._show_problems([])

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "add":
            self.action_submit()
        else:
            self.dismiss(None)

    def _show_problems(
        self, problems: Sequence[LineProblem | str], style: str = "bold bad"
    ) -> None:
        text = Text("\n".join(str(problem) for problem in problems), style=tone(style))
        self.query_one("#add-problems", Static).update(text)

    def action_edit_outside(self) -> None:
        """Ctrl+E: the text in $VISUAL / $EDITOR (aria2's input-file format)."""
        problem = edit_area(self.app, self.query_one(TextArea), ".aria2-input")
        if problem:
            self._show_problems([problem])

    def action_submit_in_order(self) -> None:
        """Ctrl+S: add once the keys typed before it are in the focused field (a
        pasted line and Ctrl+S arrive in one burst)."""
        after_typed(self, self.action_submit)

    def action_submit(self) -> None:
        items, problems = parse_add_text(self.query_one(TextArea).text)
        options, option_problems = common_options(
            items,
            folder=self.query_one("#add-dir", Input).value,
            out=self.query_one("#add-out", Input).value,
            paused=self.query_one("#add-paused", Checkbox).value,
        )
        if problems or option_problems:
            self._show_problems([*problems, *option_problems])
            return
        top = self.query_one("#add-top", Checkbox).value
        asked = (self.query_one(TextArea).text, tuple(sorted(options.items())), top)
        self._show_problems(["adding…"], style="dim")
        self._send(items, options, top, asked)

    @work(group="add", exclusive=True, exit_on_error=False)
    async def _send(
        self,
        items: Sequence[AddItem],
        options: dict[str, str],
        top: bool,
        asked: tuple[str, tuple[tuple[str, str], ...], bool],
    ) -> None:
        """Warn first (names that exist), then add; problems keep the dialog open."""
        try:
            if self.check is not None and asked != self._acknowledged:
                warnings = await self.check(items, options)
                if warnings:
                    self._acknowledged = asked
                    self._show_problems(
                        [*warnings, "Ctrl+S again adds anyway; Esc cancels"],
                        style="bold warn",
                    )
                    return
            outcome = await self.submit(items, options, top)
        except Aria2Error as exc:
            self._show_problems([f"nothing was added: {exc}"])
            return
        if outcome.problems:
            self._show_problems([*outcome.problems, "nothing was added"])
        else:
            self.dismiss(outcome.gids)
