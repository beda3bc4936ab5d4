"""aria2's error codes (its EXIT STATUS table), in words."""

from __future__ import annotations

ERROR_CODES: dict[str, str] = {
    "0": "finished",
    "1": "unknown error",
    "2": "timed out",
    "3": "resource not found",
    "4": "too many 'resource not found' errors",
    "5": "aborted: download speed too slow",
    "6": "network problem",
    "7": "unfinished when aria2 stopped",
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
    "22": "bad or unexpected HTTP response header",
    "23": "too many redirects",
    "24": "HTTP authorization failed",
    "25": "could not parse the bencoded (.torrent) file",
    "26": ".torrent file corrupt or incomplete",
    "27": "bad magnet URI",
    "28": "bad or unrecognised option",
    "29": "server overloaded or under maintenance",
    "30": "could not parse the JSON-RPC request",
    "32": "checksum validation failed",
}


def describe_error(code: str, message: str = "") -> str:
    """``"3 (resource not found): <aria2's message>"``, as much as is known."""
    if not code or code == "0":
        return message
    words = ERROR_CODES.get(code, "error")
    return f"{code} ({words})" + (f": {message}" if message else "")
