"""Screenshots of the explorer for the README (issue 21), and its page weight.

Writes the explorer into a scratch folder, opens it in headless Chromium (Debian's
``/usr/bin/chromium`` through Playwright; ``make chromium`` installs it) and saves three views:

- ``docs/explorer_map.png``: the map (national IGF, 2015: hatched unknown, labels, the legend and
  the info box beside it);
- ``docs/explorer_chart.png``: the step chart of four countries;
- ``docs/explorer_table.png``: the two-year comparison table (ccTLD managers, 2005 and 2025).

Then prints the page weight table of the README's explorer section (bytes and gzip of each file).

    python scripts/explorer_screenshots.py [--out docs]
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

#: (file name, address fragment, element to capture, what to do first)
SHOTS = (
    ("explorer_map.png", "#year=2015&mechanism=igf&view=map", "#view-map", "RS"),
    (
        "explorer_chart.png",
        "#mechanism=igf&countries=RS,HR,MK,XK&view=chart&year=2015",
        "#chart",
        "",
    ),
    ("explorer_table.png", "#mechanism=cctld&view=compare&compare=2005,2025", "#view-compare", ""),
)


def weights(paths: dict[str, Path], reports: Path) -> str:
    """The README's page weight table: bytes and gzip of each file the page loads."""
    rows = ["| file | bytes | gzip |", "| --- | ---: | ---: |"]
    total = ztotal = 0
    for key in ("bundle", "data", "script", "page"):
        p = paths[key]
        raw = p.read_bytes()
        size, zsize = len(raw), len(gzip.compress(raw, 9))
        total, ztotal = total + size, ztotal + zsize
        shared = " (shared)" if key == "bundle" else ""
        rows.append(f"| `{p.relative_to(reports).as_posix()}`{shared} | {size:,} | {zsize:,} |")
    rows.append(f"| **total** | **{total:,}** ({total / 2**20:.1f} MiB) | **{ztotal:,}** |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from analysis.products.interactive import write_explorer

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("chromium is missing: `make chromium` installs the Debian package", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        reports = Path(tmp) / "reports"
        paths = write_explorer(reports / "explorer")
        url = (reports / "explorer" / "index.html").as_uri()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1200, "height": 1000})
            for name, fragment, selector, focus in SHOTS:
                page.goto("about:blank")
                page.goto(url + fragment)
                page.wait_for_function("document.body.dataset.rendered", timeout=60_000)
                if focus:  # a country selected by keyboard, its details beside the map
                    page.focus(f"#map path[data-code={focus}]")
                    page.evaluate("document.activeElement.blur()")
                page.locator(selector).screenshot(path=str(args.out / name))
                print(f"wrote {args.out / name}")
            browser.close()
        print(weights(paths, reports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
