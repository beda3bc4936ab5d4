"""Changing options, and reading them back: aria2 answers OK to changes it ignores
(an option that cannot change now, a value it does not like), so what it says is
only believed after a read-back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from aria2_top.model import fields
from aria2_top.model import format as fmt
from aria2_top.model.downloads import Download
from aria2_top.model.format import safe_text
from aria2_top.model.masking import mask_option
from aria2_top.model.units import UnitError, format_bytes, parse_bytes
from aria2_top.ops.actions import ActionResult, run_calls
from aria2_top.rpc.client import Aria2Client, RpcCall, stringify_options

GLOBAL_LIMITS = ("max-overall-download-limit", "max-overall-upload-limit")
DOWNLOAD_LIMITS = ("max-download-limit", "max-upload-limit")


def shown_value(name: str, value: str, *, reveal: bool = False) -> str:
    """An option's value as the user reads it: sizes and speeds by the app's one
    rule (``500.0K/s``, ``20.0M``, ``no limit``: :func:`format.option_text`),
    passwords masked unless ``reveal``."""
    shown = fmt.option_text(name, value)
    if shown != value:
        return shown
    return value if reveal else mask_option(name, value)


def editable_value(name: str, value: str) -> str:
    """An option's value to edit: exact, as :func:`option_value` reads it back
    (limits as ``500K`` when whole, else bytes), passwords masked."""
    if name.endswith("-limit") and value.isascii() and value.isdigit():
        return format_bytes(int(value))
    return mask_option(name, value)


def option_value(name: str, value: str) -> str:
    """``value`` as aria2 keeps it: a limit in bytes (``500K`` -> ``512000``), so that
    reading it back compares like with like. Raises UnitError for a limit that is not
    a size."""
    return str(parse_bytes(value)) if name.endswith("-limit") else value


def option_problem(name: str, value: str) -> str | None:
    """Why ``value`` cannot be given to option ``name`` (a limit that is not a size),
    else None: what a field that edits an option checks as it is typed."""
    try:
        option_value(name, value)
    except UnitError as exc:
        return str(exc)
    return None


def limit_words(value: int | None) -> str:
    """``unlimited`` or ``500.0K/s`` (the app's one rule; None: as it was)."""
    if value is None:
        return "unchanged"
    return "unlimited" if value == 0 else fmt.rate(value)


@dataclass(slots=True)
class OptionsOutcome:
    """Which of the wanted options aria2 now has, and which it kept otherwise."""

    taken: dict[str, str] = field(default_factory=dict)
    kept: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    """Name -> (the value asked for, the value aria2 still has: None when it does not
    report that option)."""

    def message(self) -> str:
        """One line for the user; passwords never shown."""
        if self.kept:
            wanted = ", ".join(
                f"{name}={shown_value(name, value)}" for name, (value, _) in self.kept.items()
            )
            now = ", ".join(
                f"{name}={'?' if value is None else shown_value(name, value)}"
                for name, (_, value) in self.kept.items()
            )
            return safe_text(
                f"aria2 did not take {wanted} (it keeps {now}): it may not be changeable now"
            )
        return safe_text(
            ", ".join(f"{name} = {shown_value(name, value)}" for name, value in self.taken.items())
        )


def _compare(wanted: Mapping[str, str], now: Mapping[str, str]) -> OptionsOutcome:
    outcome = OptionsOutcome()
    for name, value in wanted.items():
        if now.get(name) == value:
            outcome.taken[name] = value
        else:
            outcome.kept[name] = (value, now.get(name))
    return outcome


async def set_global_options(client: Aria2Client, options: Mapping[str, str]) -> OptionsOutcome:
    """Change daemon-wide options and read them back."""
    wanted = {name: str(value) for name, value in stringify_options(options).items()}
    await client.change_global_option(wanted)
    return _compare(wanted, await client.get_global_option())


async def set_download_option(
    client: Aria2Client, gid: str, options: Mapping[str, str]
) -> OptionsOutcome:
    """Change options of one download and read them back."""
    wanted = {name: str(value) for name, value in stringify_options(options).items()}
    await client.change_option(gid, wanted)
    return _compare(wanted, await client.get_option(gid))


async def shared_limits(
    client: Aria2Client, targets: Sequence[Download]
) -> tuple[int | None, int | None]:
    """The ↓/↑ limits the targets share (0: none), in one multicall; None for a
    limit on which they differ (or that aria2 would not tell)."""
    replies = await client.multicall([RpcCall("aria2.getOption", [d.gid]) for d in targets])
    shared: list[int | None] = []
    for name in DOWNLOAD_LIMITS:
        values = set()
        for reply in replies:
            options = reply if isinstance(reply, dict) else {}
            values.add(fields.count(options.get(name, "0")))
        shared.append(values.pop() if len(values) == 1 else None)
    return shared[0], shared[1]


async def set_download_limits(
    client: Aria2Client, targets: Sequence[Download], down: int | None, up: int | None
) -> ActionResult:
    """Set the ↓/↑ limits of every target in one multicall (None: leave that one)."""
    wanted = {name: value for name, value in zip(DOWNLOAD_LIMITS, (down, up), strict=True)}
    options = stringify_options({k: v for k, v in wanted.items() if v is not None})
    planned = [(d, RpcCall("aria2.changeOption", [d.gid, options])) for d in targets]
    return await run_calls(client, planned, "set the limits of")
