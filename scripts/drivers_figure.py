"""Write the README figure of the ``drivers`` analysis (issue 13): ``docs/drivers.png``. (The
README's drivers summary is a generated block, rewritten by ``make readme``.)

    .venv/bin/python scripts/drivers_figure.py [--out docs/drivers.png] [--dpi 80]

The event-history curves of the three mechanisms for the core jurisdictions, with the range over
the unknowns and the neighbour test's p-values (999 permutations, seed 0), exactly as the
``drivers`` notebook draws them with its default parameters.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.measures.drivers import drivers
from analysis.model.paths import DOCS, rel
from analysis.products.drivers_figures import event_history_figure
from analysis.products.figures import figure_png


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DOCS / "drivers.png")
    ap.add_argument("--dpi", type=int, default=80)
    args = ap.parse_args(argv)
    d = drivers()
    png = figure_png(event_history_figure(d), dpi=args.dpi)
    args.out.write_bytes(png)
    print(f"wrote {rel(args.out)} ({len(png) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
