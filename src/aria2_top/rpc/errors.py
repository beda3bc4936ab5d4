"""The errors an aria2 RPC call can end in, as one small hierarchy.

Every message is written to be shown to a person as it is.
"""

from __future__ import annotations


class Aria2Error(Exception):
    """Base class of every error raised while talking to aria2c."""


class Aria2ConnectionError(Aria2Error):
    """The daemon could not be reached (refused, reset, DNS, TLS...)."""


class Aria2TimeoutError(Aria2ConnectionError):
    """The daemon did not answer in time."""


class Aria2RequestTooLargeError(Aria2ConnectionError):
    """aria2 dropped a request bigger than its ``rpc-max-request-size``."""


class Aria2ProtocolError(Aria2Error):
    """The daemon answered, but not with a usable aria2 reply: not JSON, nested too
    deep, larger than the reply cap, or a result of the wrong type."""


class Aria2RpcError(Aria2Error):
    """aria2c answered with a JSON-RPC error.

    ``code`` is aria2's code (1 for most failures, negative JSON-RPC codes for
    malformed requests) and ``message`` its text, which is untrusted input.
    """

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Aria2RpcError)
            and type(other) is type(self)
            and (other.code, other.message) == (self.code, self.message)
        )

    def __hash__(self) -> int:
        return hash((type(self), self.code, self.message))


class Aria2AuthError(Aria2RpcError):
    """The secret token was missing or wrong (aria2 answers ``Unauthorized``)."""


def rpc_error_from(error: object) -> Aria2RpcError:
    """Build the right error from the ``error`` member of an aria2 reply."""
    if isinstance(error, dict):
        code = error.get("code")
        message = error.get("message")
    else:
        code, message = None, None
    code = code if isinstance(code, int) else -1
    message = message if isinstance(message, str) else "malformed error from aria2"
    if message == "Unauthorized":
        return Aria2AuthError(code, "authentication failed: wrong or missing RPC secret")
    return Aria2RpcError(code, message)
