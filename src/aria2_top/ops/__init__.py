"""What changes aria2 or the files on disk: the actions of the keys (pause, remove,
retry, move in the queue, limits, options), adding downloads, removing with data,
verifying and moving (as transactions that never lose a download), streaming,
exporting, opening.

Imports every layer below it (``rpc``, ``model``, ``config``, ``storage``,
``diagnostics``, ``daemon``, ``live``); never ``ui``, ``web`` nor ``cli``.
"""
