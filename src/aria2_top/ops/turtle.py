"""Turtle limits on a daemon (T): keep its global limits, set the turtle ones, and
later put back exactly what was kept. Each change is read back (aria2 answers OK
to changes it ignores, see :mod:`.download_options`)."""

from __future__ import annotations

from collections.abc import Callable

from aria2_top.model.turtle import Kept, TurtlePlan
from aria2_top.ops.download_options import GLOBAL_LIMITS, OptionsOutcome, set_global_options
from aria2_top.rpc.client import Aria2Client


class TurtleError(Exception):
    """Turtle could not be switched; the message says why, in words."""


async def turtle_on(client: Aria2Client, plan: TurtlePlan, keep: Callable[[Kept], None]) -> Kept:
    """Read the daemon's global limits, hand them to ``keep`` (before anything
    changes, so that quitting meanwhile still puts them back), then set the turtle
    limits. When aria2 does not take them, what was kept is put back and a
    :class:`TurtleError` says so."""
    options = await client.get_global_option()
    missing = [name for name in GLOBAL_LIMITS if name not in options]
    if missing:
        raise TurtleError(f"aria2 did not say its {missing[0]}: turtle left off")
    kept = Kept(tuple((name, options[name]) for name in GLOBAL_LIMITS), (plan.down, plan.up))
    keep(kept)
    wanted = dict(zip(GLOBAL_LIMITS, (str(plan.down), str(plan.up)), strict=True))
    outcome = await set_global_options(client, wanted)
    if outcome.kept:
        back = await turtle_off(client, kept)
        said = outcome.message()
        if back.kept:
            said += "; and the limits kept could not be put back: " + back.message()
        raise TurtleError(said)
    return kept


async def turtle_off(client: Aria2Client, kept: Kept) -> OptionsOutcome:
    """Put back the global limits ``kept`` before turtle, exactly; read back."""
    return await set_global_options(client, dict(kept.options))
