"""Write the README figure of the ``drivers`` analysis (issue 13): ``docs/drivers.png``, and with
``--readme`` the README's generated drivers summary (issue 20).

    .venv/bin/python scripts/drivers_figure.py [--out docs/drivers.png] [--dpi 80] [--readme]

The event-history curves of the three mechanisms for the core jurisdictions, with the range over
the unknowns and the neighbour test's p-values (999 permutations, seed 0), exactly as the
``drivers`` notebook draws them with its default parameters.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.measures.drivers import drivers, readme_block, readme_section
from analysis.model.paths import DOCS, ROOT, rel
from analysis.products.drivers_figures import event_history_figure
from analysis.products.figures import figure_png


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DOCS / "drivers.png")
    ap.add_argument("--dpi", type=int, default=80)
    ap.add_argument("--readme", action="store_true", help="also rewrite the README's block")
    args = ap.parse_args(argv)
    d = drivers()
    png = figure_png(event_history_figure(d), dpi=args.dpi)
    args.out.write_bytes(png)
    print(f"wrote {rel(args.out)} ({len(png) // 1024} KiB)")
    if args.readme:
        readme = ROOT / "README.md"
        text = readme.read_text(encoding="utf-8")
        old = readme_section(text)
        if not old:
            print("README.md has no generated drivers block (markers missing)")
            return 1
        readme.write_text(text.replace(old, readme_block(d)), encoding="utf-8")
        print("rewrote the drivers block of README.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
