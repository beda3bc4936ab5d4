"""The screens and dialogs other than the dashboard: help, events, history, daemons,
setup, debug info, and the dialogs (add, remove, limits, choose, input, progress)."""
