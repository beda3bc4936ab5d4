"""The terminal: the Textual app (:mod:`.app`), the dashboard screen and its parts,
the other screens and dialogs, the widgets, the key table, the colours of the
theme (:mod:`.tones`) and the words of what the app says (:mod:`.wording`).

Imports every layer below it (``rpc``, ``model``, ``config``, ``storage``,
``diagnostics``, ``daemon``, ``live``, ``ops``); never ``web`` nor ``cli``.
"""
