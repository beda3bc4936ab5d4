"""aria2's error codes (its EXIT STATUS table), in words: the words say what aria2
really uses each code for (checked against its sources), which is wider than the
manual's list in places (7, 22, 29, 31)."""

from __future__ import annotations

ERROR_CODES: dict[str, str] = {
    "0": "finished",
    # aria2's catch-all, not an "unknown" error: a refused connection is 1; its message says why
    "1": "failed, with no more specific code",
    "2": "timed out",
    "3": "resource not found",
    "4": "too many 'resource not found' errors",
    "5": "aborted: download speed too slow",
    "6": "network problem",
    "7": "unfinished when aria2 stopped",  # a torrent's: see describe_error
    "8": "server does not support resume",
    "9": "not enough disk space",
    "10": "piece length differs from the .aria2 control file",
    "11": "the same file was already being downloaded",
    "12": "the same torrent was already being downloaded",
    "13": "file already exists",
    "14": "renaming the file failed",
    "15": "could not open the existing file",
    "16": "could not create or truncate the file",
    "17": "file I/O error",
    "18": "could not create the directory",
    "19": "name resolution failed",
    "20": "could not parse the Metalink document",
    "21": "FTP command failed",
    "22": "the server answered with an HTTP error (403, 500…) or an unexpected response",
    "23": "too many redirects",
    "24": "HTTP authorization failed",
    "25": "could not parse the bencoded (.torrent) file",
    "26": ".torrent file corrupt or incomplete",
    "27": "bad magnet URI",
    "28": "bad or unrecognised option",
    "29": "server unavailable (HTTP 502, 503 or 504): busy, down or under maintenance",
    "30": "could not parse the JSON-RPC request",
    "31": "removed",  # "not used" says the manual: aria2 gives it to a removed download
    "32": "checksum validation failed",
}


STOPPED_UNFINISHED = "7"
"""aria2 stopped the download before it finished, with no error: at its own shutdown
(then no one can ask it any more) or, for a torrent, when ``bt-stop-timeout`` passed
with no data from any peer (aria2 runs on)."""


def describe_error(
    code: str, message: str = "", *, torrent: bool = False, stop_timeout: int | None = None
) -> str:
    """``"3 (resource not found): <aria2's message>"``, as much as is known.

    Code 7 of a ``torrent`` is told by its cause, ``bt-stop-timeout`` (``stop_timeout``:
    its value in seconds when known)."""
    if not code or code == "0":
        return message
    words = ERROR_CODES.get(code, "error")
    if code == STOPPED_UNFINISHED and torrent:
        words = stopped_words(stop_timeout)
    return f"{code} ({words})" + (f": {message}" if message else "")


def stopped_words(stop_timeout: int | None) -> str:
    """Why aria2 stopped a torrent with code 7: no peer sent data for its
    ``bt-stop-timeout``."""
    if stop_timeout:
        return f"stopped: no peer sent data for {stop_timeout} s, its bt-stop-timeout"
    return "stopped: no peer sent data within its bt-stop-timeout"
