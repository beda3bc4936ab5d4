"""Talking to aria2c: the JSON-RPC client, its errors and the notification listener.

The bottom layer: it imports nothing of aria2-top's but ``rpc`` (checked by
import-linter), and no terminal library.
"""

from aria2_top.rpc.client import Aria2Client, RpcCall
from aria2_top.rpc.errors import (
    Aria2AuthError,
    Aria2ConnectionError,
    Aria2Error,
    Aria2ProtocolError,
    Aria2RequestTooLargeError,
    Aria2RpcError,
    Aria2TimeoutError,
)

__all__ = [
    "Aria2AuthError",
    "Aria2Client",
    "Aria2ConnectionError",
    "Aria2Error",
    "Aria2ProtocolError",
    "Aria2RequestTooLargeError",
    "Aria2RpcError",
    "Aria2TimeoutError",
    "RpcCall",
]
