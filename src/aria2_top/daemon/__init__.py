"""aria2c processes: starting one (:mod:`.process`), aria2-top's private daemon that
starts when none answers and is found again by the next run (:mod:`.private`), and
which daemon an address names (:mod:`.endpoint`).

Imports ``rpc``, ``model``, ``config``, ``storage`` and ``diagnostics``.
"""
