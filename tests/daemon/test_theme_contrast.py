"""The app as drawn in textual-light on a real aria2c: the footer's keys, the bar's
limits and a running row's tone read at 4.5:1 in truecolor and in 256 colours
(textual-light left them near 2.3:1 and 2.7:1 at 256 colours)."""

from __future__ import annotations

from pathlib import Path

from rich.style import Style
from textual.color import Color
from textual.widgets._footer import FooterKey

from aria2_top.daemon.process import RunningDaemon
from aria2_top.model.downloads import Status
from aria2_top.ui.contrast import worst
from aria2_top.ui.tones import tone
from aria2_top.ui.widgets.downloads_table import status_styles
from tests.conftest import SLOW
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.ui import app_for, screen_text, until


def _rgb(value: str) -> tuple[int, int, int]:
    color = Color.parse(value)
    return (color.r, color.g, color.b)


def _style_rgb(style: Style) -> tuple[int, int, int]:
    assert style.color is not None and style.color.triplet is not None
    return tuple(style.color.triplet)  # type: ignore[return-value]


async def test_textual_light_reads_at_four_and_a_half(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    await client.add_uri([files.make_file("light/slow.bin", 4 << 20)], {"max-download-limit": SLOW})
    await client.change_global_option({"max-overall-download-limit": "600K"})
    app = app_for(daemon, tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        app.theme = "textual-light"  # as F2 or the palette chooses it
        await until(pilot, lambda: app.theme_variables["background"] == "#E0E0E0", "light")
        await until(pilot, lambda: "[600.0K/s]" in screen_text(app), "the bar's limit")
        variables = app.theme_variables
        footer = _rgb(variables["footer-background"])
        keys = app.screen.query(FooterKey)
        assert keys, "the footer shows keys"
        key_style = keys.first().get_component_rich_style("footer-key--key")
        assert worst(_style_rgb(key_style), [footer]) >= 4.5
        backgrounds = [_rgb(variables[name]) for name in ("surface", "panel", "background")]
        active = status_styles()[0][Status.ACTIVE]
        assert worst(_style_rgb(active), backgrounds) >= 4.5
        assert worst(_style_rgb(Style.parse(tone("dim"))), backgrounds) >= 4.5
