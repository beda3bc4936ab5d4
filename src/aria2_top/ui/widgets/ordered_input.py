"""An Input whose editing keys stay in order with the text typed around them.

Textual inserts a typed character when the Input reads the key from its queue, but
runs a binding (Backspace, Ctrl+U, Enter…) only once the key has bubbled up to the
app: in a burst (a paste, a fast typist, a laggy SSH link) ``Ctrl+U 500K Enter``
cleared the field *after* ``500K`` went in, and set a limit to unlimited. Here each
binding is a priority one that queues its action behind the keys already typed.
"""

from __future__ import annotations

import re

from textual.binding import Binding
from textual.widgets import Input


def _in_order(binding: Binding) -> Binding:
    action = binding.action.replace("'", '"')
    name = re.sub(r"[^a-z0-9]+", "-", binding.action.lower()).strip("-")
    return Binding(
        binding.key,
        f"in_order('{action}')",
        binding.description,
        show=binding.show,
        priority=True,
        id=f"aria2-top.input.{name}",
    )


class OrderedInput(Input):
    """:class:`Input` with every binding run in the order the keys came."""

    BINDINGS = [_in_order(b) for b in Input.BINDINGS if isinstance(b, Binding)]

    def action_in_order(self, action: str) -> None:
        """Run ``action`` once the keys typed before it are in."""
        self.call_later(self.run_action, action)
