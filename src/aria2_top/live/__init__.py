"""Following daemons as they run: one session per daemon (:mod:`.session`) polls it
(:mod:`.poller` and the modules it is made of), listens to its notifications, and
hands on immutable snapshots; several daemons' are merged (:mod:`.fleet`).

Imports ``rpc``, ``model``, ``config``, ``storage``, ``diagnostics`` and ``daemon``;
never ``ops`` nor anything with a screen.
"""
