"""``aria2-top call METHOD [PARAMS-JSON]``: one raw JSON-RPC call, the secret added
for you (to each call of a ``system.multicall`` too); the result as JSON."""

from __future__ import annotations

import argparse
import json

from aria2_top.cli.shell import DONE, FAILED, USAGE, VerbError, daemons, run_verb, say, unreachable
from aria2_top.config.settings import Settings
from aria2_top.model.records import json_text
from aria2_top.rpc.client import RpcCall
from aria2_top.rpc.errors import Aria2AuthError, Aria2Error, Aria2RpcError


def configure_call(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("method", metavar="METHOD", help="aria2.tellActive, system.listMethods…")
    parser.add_argument(
        "params",
        nargs="?",
        default="[]",
        metavar="PARAMS-JSON",
        help="the parameters as a JSON list, without the token (default: [])",
    )


def call_main(args: argparse.Namespace) -> int:
    try:
        params = json.loads(args.params)
    except ValueError as exc:
        say("call", f"PARAMS-JSON is not JSON: {exc}")
        return USAGE
    if not isinstance(params, list):
        say("call", "PARAMS-JSON must be a JSON list, such as '[\"2089b05ecca3d829\"]'")
        return USAGE
    return run_verb("call", args, lambda settings: _call(settings, args.method, params))


async def _call(settings: Settings, method: str, params: list[object]) -> int:
    async with daemons(settings) as reached:
        if len(reached) > 1:
            raise VerbError("call talks to one daemon: name it with --daemon", USAGE)
        daemon = reached[0]
        try:
            if method == "system.multicall":
                result: object = [
                    {"error": {"code": r.code, "message": r.message}}
                    if isinstance(r, Aria2RpcError)
                    else r
                    for r in await daemon.client.multicall(_entries(params))
                ]
            else:
                result = await daemon.client.call(method, *params)
        except Aria2AuthError as exc:
            raise unreachable(daemon, exc) from exc
        except Aria2RpcError as exc:
            say("call", f"aria2 answered an error: {exc}")
            return FAILED
        except Aria2Error as exc:
            raise unreachable(daemon, exc) from exc
    print(json_text(result, indent=1))
    return DONE


def _entries(params: list[object]) -> list[RpcCall]:
    """The calls of a ``system.multicall``'s parameters (``[[{methodName, params}…]]``)."""
    entries = params[0] if len(params) == 1 and isinstance(params[0], list) else None
    calls = []
    for entry in entries or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("methodName"), str):
            raise VerbError('each call is {"methodName": "…", "params": […]}', USAGE)
        given = entry.get("params", [])
        calls.append(RpcCall(entry["methodName"], given if isinstance(given, list) else [given]))
    if entries is None:
        raise VerbError('system.multicall takes [[{"methodName": "…", "params": […]}, …]]', USAGE)
    return calls
