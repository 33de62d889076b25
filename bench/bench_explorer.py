"""Benchmark the explorer's year slider (issue 21): a 30-year drag in headless Chromium.

Writes the explorer into a scratch folder, opens it twice in the same run and drags the slider
from 1990 to 2020 as a hand does (30 input events, one per 60 Hz frame, fired in the page: a
redraw that blocks the page delays the next event, as it delays a real drag), timing to the
moment the page has drawn the last year (``document.body.dataset.rendered`` holds the final
view), from the first event (the drag) and from the last one (the settle time):

1. as shipped: the redraws are coalesced (one per animation frame, the visible view only, the
   map's data swapped in its live view);
2. the baseline, ``?redraw=every``: every input rebuilds the map and the hidden chart, as the
   explorer did before (the behaviour of main when this was written).

Prints both times, the ratio and whether the drag settles under the 1 s target. Chromium:
Debian's ``/usr/bin/chromium`` driven by Playwright (``make chromium`` installs it).

    python bench/bench_explorer.py [--repeat 3] [--view map|chart]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

TARGET_S = 1.0
FROM, TO = 1990, 2020


#: A hand on a slider: one input event per 60 Hz frame.
EVENT_MS = 16

DRAG = """async ([from, to, every]) => {
    const slider = document.getElementById("year");
    const drawn = () => (document.body.dataset.rendered || "").indexOf("|" + to) >= 0;
    const t0 = performance.now();
    let released = t0;
    for (let v = from + 1; v <= to; v++) {
        slider.value = String(v);
        slider.dispatchEvent(new Event("input"));
        released = performance.now();
        if (v < to) await new Promise(r => setTimeout(r, every));  // late when a redraw blocks the page
    }
    while (!drawn()) await new Promise(r => setTimeout(r, 5));
    const end = performance.now();
    return [(end - t0) / 1000, (end - released) / 1000];
}"""


def drag(page, url: str) -> tuple[float, float, int]:
    """A 30-year drag as a hand makes it (an input event every frame, in the page): seconds from
    the first event to the page showing TO, seconds from the last event to that moment (the
    settle time), and the redraws counted."""
    page.goto(url)
    page.wait_for_function("document.body.dataset.rendered", timeout=60_000)
    count = "window.multiseeExplorer.stats.draws + window.multiseeExplorer.stats.embeds"
    before = page.evaluate(count)
    took, settled = page.evaluate(DRAG, [FROM, TO, EVENT_MS])
    return took, settled, page.evaluate(count) - before


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="drags per mode (median reported)")
    ap.add_argument("--view", choices=("map", "chart"), default="map")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from analysis.products.interactive import write_explorer

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("chromium is missing: `make chromium` installs the Debian package", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "reports" / "explorer"
        write_explorer(out)
        page_url = (out / "index.html").as_uri()
        fragment = f"#year={FROM}&mechanism=cctld&view={args.view}"
        results: dict[str, list[float]] = {"coalesced": [], "baseline": []}
        settle: dict[str, list[float]] = {"coalesced": [], "baseline": []}
        redraws: dict[str, int] = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            for _ in range(args.repeat):
                for mode, query in (("coalesced", ""), ("baseline", "?redraw=every")):
                    took, settled, n = drag(page, page_url + query + fragment)
                    results[mode].append(took)
                    settle[mode].append(settled)
                    redraws[mode] = n
            browser.close()
    new, old = statistics.median(results["coalesced"]), statistics.median(results["baseline"])
    new_s, old_s = statistics.median(settle["coalesced"]), statistics.median(settle["baseline"])
    print(f"30-year slider drag ({FROM}-{TO}, {args.view} view), median of {args.repeat}:")
    print("  mode                       press->drawn  release->drawn  redraws")
    print(f"  coalesced (as shipped)     {new:10.2f} s  {new_s:12.2f} s  {redraws['coalesced']:7d}")
    print(f"  baseline (?redraw=every)   {old:10.2f} s  {old_s:12.2f} s  {redraws['baseline']:7d}")
    print(f"  ratio coalesced/baseline   {new / old:10.2f}    {new_s / old_s:12.2f}")
    ok = new_s < TARGET_S
    print(
        f"  target: settles under {TARGET_S:.0f} s after the release: {'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
