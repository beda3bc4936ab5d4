"""Options of several downloads at once (the Options tab with rows tagged): their
options merged (a value they do not share is ``[mixed]``), and one option set on
each in one multicall, then read back per download, since aria2 answers OK to
changes it ignores."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from aria2_top.model.downloads import Download
from aria2_top.model.format import plural, safe_text
from aria2_top.model.masking import MASK, is_secret_option
from aria2_top.model.units import UnitError
from aria2_top.ops.download_options import editable_value, option_value, shown_value
from aria2_top.rpc.client import Aria2Client, RpcCall
from aria2_top.rpc.errors import Aria2RpcError

MIXED = "[mixed]"
"""The value of an option the downloads do not share."""
NAMED = 3
"""Downloads named in what is said; the rest are counted."""


def merged(options: Sequence[Mapping[str, str]]) -> dict[str, str]:
    """One value per option: the one every download has, else :data:`MIXED` (an
    option some do not report is mixed too)."""
    names = {name for each in options for name in each}
    together: dict[str, str] = {}
    for name in names:
        values = {each.get(name) for each in options}
        value = values.pop() if len(values) == 1 else None
        together[name] = MIXED if value is None else value
    return together


def options_text(options: Mapping[str, str], about: str) -> str:
    """Every option as ``name=value`` (aria2's input-file format) for $EDITOR:
    limits in human units, passwords masked (a masked line left as it is keeps
    the password)."""
    lines = [
        f"# Options of {about}: change values, save and quit; only changed lines are set.",
        f"# {MIXED}: the downloads differ (left so, each keeps its own). Units: 500K, 2M.",
    ]
    for name in sorted(options):
        value = options[name]
        if value != MIXED:
            value = MASK if is_secret_option(name) and value else editable_value(name, value)
        lines.append(f"{safe_text(name)}={safe_text(value)}")
    return "\n".join(lines) + "\n"


def changed_options(text: str, options: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The options the edited ``text`` changes (values as aria2 takes them), and the
    lines that are not ``name=value`` (``line 4: …``)."""
    before = {
        name: editable_value(name, value) if value != MIXED else MIXED
        for name, value in options.items()
    }
    changes: dict[str, str] = {}
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, value = line.partition("=")
        name, value = name.strip(), value.strip()
        if not equals or not name or " " in name:
            problems.append(f"line {number}: not name=value")
            continue
        if value in (MIXED, MASK) or value == before.get(name):
            continue
        try:
            changes[name] = option_value(name, value)
        except UnitError as exc:
            problems.append(f"line {number}: {name}: {exc}")
    return changes, problems


async def read_options(client: Aria2Client, downloads: Sequence[Download]) -> list[dict[str, str]]:
    """The options of each download, in one multicall (one it cannot read: empty)."""
    replies = await client.multicall([RpcCall("aria2.getOption", [d.gid]) for d in downloads])
    return [
        {k: v for k, v in reply.items() if isinstance(k, str) and isinstance(v, str)}
        if isinstance(reply, dict)
        else {}
        for reply in replies
    ]


@dataclass(slots=True)
class GroupOutcome:
    """What setting one option on several downloads did."""

    options: dict[str, str]
    set_on: list[str] = field(default_factory=list)
    ignored: list[tuple[str, dict[str, str] | None]] = field(default_factory=list)
    """(download, the values aria2 keeps: None when it does not say)."""
    failed: list[str] = field(default_factory=list)

    def add(self, other: GroupOutcome) -> None:
        self.set_on += other.set_on
        self.ignored += other.ignored
        self.failed += other.failed

    def _shown(self, now: dict[str, str] | None) -> str:
        if now is None:
            return "?"
        return ", ".join(shown_value(name, now.get(name, "?")) for name in self.options)

    def message(self) -> str:
        """``max-tries = 3 set on 3 · aria2 ignored it on 1: a.iso (keeps 5)``."""
        asked = ", ".join(f"{k} = {shown_value(k, v)}" for k, v in self.options.items())
        parts = [f"{asked} set on {len(self.set_on)}"]
        if self.ignored:
            named = ", ".join(
                f"{safe_text(name)[:40]} (keeps {self._shown(now)})"
                for name, now in self.ignored[:NAMED]
            )
            parts.append(f"aria2 ignored it on {len(self.ignored)}: {named}")
        if self.failed:
            parts.append(f"failed on {plural(len(self.failed), 'download')}: {self.failed[0]}")
        return " · ".join(parts)


async def set_on_each(
    client: Aria2Client, downloads: Sequence[Download], options: Mapping[str, str]
) -> GroupOutcome:
    """``options`` on each download (one multicall), then read back (another)."""
    outcome = GroupOutcome(dict(options))
    if not downloads:
        return outcome
    changes = await client.multicall(
        [RpcCall("aria2.changeOption", [d.gid, dict(options)]) for d in downloads]
    )
    asked = []
    for download, reply in zip(downloads, changes, strict=True):
        if isinstance(reply, Aria2RpcError):
            outcome.failed.append(f"{safe_text(download.name)[:40]}: {safe_text(reply.message)}")
        else:
            asked.append(download)
    for download, now in zip(asked, await read_options(client, asked), strict=True):
        if all(now.get(name) == value for name, value in options.items()):
            outcome.set_on.append(download.name)
        else:
            kept = {name: now[name] for name in options if name in now}
            outcome.ignored.append((download.name, kept or None))
    return outcome
