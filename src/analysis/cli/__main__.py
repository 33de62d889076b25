"""``python -m analysis.cli``: the ``multisee`` command line."""

from analysis.cli import main

raise SystemExit(main())
