"""Talking to aria2c: the JSON-RPC client (:mod:`.client`), its errors (:mod:`.errors`),
the notification listener (:mod:`.notifications`) and what needs no more than the
standard library (:mod:`.wire`: addresses, reading a reply; the first frame's one
blocking call).

The bottom layer: it imports nothing of aria2-top's but ``rpc`` (checked by
import-linter), and no terminal library. Importing the package itself imports
nothing, so that what needs only :mod:`.wire` does not load httpx.
"""
