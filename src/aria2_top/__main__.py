"""`python -m aria2_top` runs the same entry point as the `aria2-top` script."""

from aria2_top.cli.main import main

raise SystemExit(main())
