"""Batch report builds: ``multisee build`` runs the build list's notebooks into ``reports/``.

What a build does, item by item from the declarative build list (``build.yaml``,
:mod:`analysis.build.buildlist`):

1. validates the data (a bad file stops the build before anything is written); data that
   validated before (same data hash, library and packages) is not validated again;
2. computes each item's build key (:mod:`analysis.build.provenance`): the notebook's ``.py``/``.ipynb``
   pair, the library, the key packages, the parameters, and a hash of each derived input the
   item reads (its jurisdiction's rows, the panel, the index, the boundaries...). The derived
   hashes are recomputed only when the raw data hash changed, so a build with nothing to do never
   imports pandas;
3. skips an item whose key equals that of its last good build (``--force`` rebuilds all), so
   editing a note of one jurisdiction rebuilds that jurisdiction's profile only;
4. checks the parameters of the items to build against their notebooks' ``parameters`` cells
   (unknown names and wrong types are an error up front; skipped items passed the same check
   with the same notebook and parameters);
5. executes the others in parallel worker processes, each with a warm kernel
   (:mod:`analysis.build.execute`), and records each product in ``reports/manifest.json`` as it
   finishes (an interrupted build keeps what finished and the previous good reports);
6. regenerates ``reports/index.html`` (:mod:`analysis.build.site`) when anything it lists changed.

Only one build at a time writes into ``reports/`` (a lock on the folder).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import fcntl
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from analysis.build import provenance
from analysis.build.buildlist import Item, check_items, load_build_list, select
from analysis.build.execute import block_slow_imports, execute_item, worker_init
from analysis.build.site import site_inputs, write_site
from analysis.model import notices, paths
from analysis.model.datafiles import data_files, data_hash
from analysis.model.errors import UserError


class Progress:
    def __init__(self, total: int, quiet: bool) -> None:
        self.total, self.done, self.quiet = total, 0, quiet
        self.start = time.time()
        self.running: list[str] = []
        self.tty = sys.stderr.isatty()

    def show(self) -> None:
        if self.quiet:
            return
        elapsed = time.time() - self.start
        eta = (elapsed / self.done * (self.total - self.done)) if self.done else None
        bar_len = 24
        filled = int(bar_len * self.done / max(self.total, 1))
        running = ", ".join(self.running[:2]) + (" ..." if len(self.running) > 2 else "")
        line = (
            f"[{'#' * filled}{'.' * (bar_len - filled)}] {self.done}/{self.total}"
            f" {elapsed:5.1f}s" + (f" ETA {eta:4.0f}s" if eta is not None else "") + f"  {running}"
        )
        if self.tty:
            sys.stderr.write("\r\033[K" + line[:160])
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def finish(self) -> None:
        if not self.quiet and self.tty:
            sys.stderr.write("\n")


@dataclass
class BuildResult:
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    #: Why each item ran: the parts of its build key that changed (``reads.country``, ...).
    reasons: dict[str, list[str]] = field(default_factory=dict)
    site: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


@contextlib.contextmanager
def build_lock(wait: bool = False) -> Iterator[None]:
    """Hold an exclusive lock on ``reports/`` (nothing is written for it) while building.

    The lock is an ``flock`` on the folder itself: the operating system releases it when the
    build's process ends, however it ends, so a crashed build never leaves a stale lock. A second
    build exits with a one-line message, or with ``wait`` waits for the first to finish."""
    if paths.REPORTS.exists() and not paths.REPORTS.is_dir():
        raise UserError(f"{paths.rel(paths.REPORTS)} is a file, not a directory; move it away")
    paths.REPORTS.mkdir(parents=True, exist_ok=True)
    fd = os.open(paths.REPORTS, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise UserError(
                    f"another multisee build is writing {paths.rel(paths.REPORTS)}/; "
                    "wait for it to finish (or use --wait)"
                ) from None
            print(
                f"waiting for another multisee build writing {paths.rel(paths.REPORTS)}/ ...",
                file=sys.stderr,
            )
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _repair_cache() -> None:
    """``reports/.cache`` must be a folder and its ``kernel.lock`` a file: anything else (left by
    hand or by a broken tool) is set aside with a one-line warning."""
    cache = paths.REPORTS / ".cache"
    if (cache.exists() or cache.is_symlink()) and not cache.is_dir():
        aside = provenance._set_aside(cache)
        provenance.warn(f"{paths.rel(cache)} was not a folder; moved to {paths.rel(aside)}")
    lock = cache / "kernel.lock"
    if lock.is_dir():
        aside = provenance._set_aside(lock)
        provenance.warn(f"{paths.rel(lock)} was a folder; moved to {paths.rel(aside)}")
    cache.mkdir(parents=True, exist_ok=True)


def _clean_stale_temp_files() -> None:
    """Temporary files left by a build that was killed (the renamed products are intact)."""
    if paths.REPORTS.exists():
        for tmp in paths.REPORTS.rglob(".*.tmp-*"):
            with contextlib.suppress(OSError):
                tmp.unlink()


def _warn_unsynced(items: list[Item], quiet: bool) -> None:
    """Say when a notebook's ``.ipynb`` has inputs other than its ``.py`` (the one that runs)."""
    if quiet:
        return
    import jupytext

    for name in sorted({i.notebook for i in items}):
        py, ipynb = paths.NOTEBOOKS / f"{name}.py", paths.NOTEBOOKS / f"{name}.ipynb"
        if not (py.exists() and ipynb.exists()):
            continue
        a = [(c.cell_type, c.source) for c in jupytext.read(str(py)).cells]
        b = [(c.cell_type, c.source) for c in jupytext.read(str(ipynb)).cells]
        if a != b:
            print(
                f"warning: {paths.rel(ipynb)} differs from {paths.rel(py)}; building from the "
                f".py (run `make {paths.rel(ipynb)}` to update the .ipynb)",
                file=sys.stderr,
            )


def current_inputs(*, validate: bool = False) -> provenance.Inputs:
    """What the current sources hash to. The data is validated first unless it validated before
    with the same library and packages (``validate=True``: always); a bad file is a
    :class:`UserError`."""
    packages = provenance.package_versions()
    derived = provenance.DerivedInputs(data_hash(data_files()), provenance.library_hash(), packages)
    if validate or not derived.valid:
        derived.tables()  # loading validates; the derived hashes are computed from these tables
    return provenance.Inputs(
        data=derived.stamp["data"],
        library=derived.stamp["library"],
        packages=packages,
        derived=derived,
    )


@dataclass
class Plan:
    """Which items to build (with their keys) and why; which are up to date."""

    todo: list[tuple[Item, dict[str, Any]]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    reasons: dict[str, list[str]] = field(default_factory=dict)


def plan(
    items: list[Item],
    inputs: provenance.Inputs,
    manifest: dict[str, Any],
    force: bool = False,
) -> Plan:
    """Compare each item's build key with that of its last build in ``manifest``."""
    products: dict[str, Any] = manifest.get("products", {})
    out = Plan()
    for item in items:
        key = inputs.key(item)
        prev = products.get(item.id)
        if (
            not force
            and prev
            and prev.get("status") == "ok"
            and prev.get("inputs") == key
            and (paths.REPORTS / prev.get("outputs", {}).get("html", "-")).exists()
        ):
            out.skipped.append(item.id)
            continue
        out.todo.append((item, key))
        if force:
            out.reasons[item.id] = ["forced"]
        elif prev and prev.get("inputs") == key:
            out.reasons[item.id] = [
                "failed before" if prev.get("status") != "ok" else "output missing"
            ]
        else:
            out.reasons[item.id] = provenance.changed(prev.get("inputs") if prev else None, key)
    return out


def stop_helpers() -> None:
    """End multiprocessing's forkserver and resource tracker now and reap them, so that a build
    leaves no process behind when it returns (left alone, they end a moment after the build, and
    an outside check sees them in its process group). A build killed with SIGKILL cannot do this:
    there the forkserver and the tracker end when their pipe to the build closes, the workers with
    the forkserver (``PR_SET_PDEATHSIG``) and each kernel with its worker (see
    :mod:`analysis.build.execute`)."""
    import multiprocessing.forkserver as forkserver
    import multiprocessing.resource_tracker as resource_tracker

    for helper in (forkserver._forkserver, resource_tracker._resource_tracker):
        stop = getattr(helper, "_stop", None)  # Python >= 3.9 (forkserver), 3.10 (tracker)
        if stop is not None:
            with contextlib.suppress(Exception):
                stop()


def build(
    *,
    only: list[str] | None = None,
    countries: list[str] | None = None,
    jobs: int | None = None,
    force: bool = False,
    fail_fast: bool = False,
    timeout: int = 600,
    quiet: bool = False,
    kernel: str = "multisee",
    site: bool = True,
    fresh_kernels: bool = False,
    wait: bool = False,
) -> BuildResult:
    t0 = time.time()
    if jobs is not None and jobs < 1:
        raise UserError(f"jobs must be at least 1, not {jobs}")
    if timeout < 1:
        raise UserError(f"timeout must be at least 1 second, not {timeout}")
    build_list = load_build_list()
    items = select(build_list, only, countries)
    with build_lock(wait):
        inputs = current_inputs(validate=force)  # bad data: nothing written, not even the cache
        _repair_cache()
        manifest = provenance.read_manifest()
        manifest.setdefault("products", {})
        for item in build_list:  # a manifest rebuilt from the notebooks lacks these
            if isinstance(manifest["products"].get(item.id), dict):
                manifest["products"][item.id].setdefault("title", item.title)
                manifest["products"][item.id].setdefault("group", item.group)
        todo = plan(items, inputs, manifest, force)
        if todo.todo:
            block_slow_imports()  # before jupytext/nbformat are imported, here or in workers
        check_items([item for item, _ in todo.todo])
        inputs.derived.save()
        result = BuildResult(skipped=todo.skipped, reasons=todo.reasons)
        _clean_stale_temp_files()
        commit = provenance.git_commit()
        if todo.todo:
            _warn_unsynced([item for item, _ in todo.todo], quiet)
            common = {
                "data_hash": inputs.data,
                "library": inputs.library,
                "packages": inputs.packages,
                "git_commit": commit,
                "timeout": timeout,
                "kernel": kernel,
                "fresh_kernels": fresh_kernels,
                "quiet": quiet,
            }
            _run(todo.todo, common, manifest, result, jobs, fail_fast, quiet)
        before = dict(manifest)
        manifest["build_list"] = [i.id for i in build_list]
        manifest["data_hash"] = inputs.data
        manifest["library"] = inputs.library
        manifest["git_commit"] = commit
        manifest["packages"] = inputs.packages
        if manifest != before or todo.todo:
            provenance.write_manifest(manifest)
        if site:
            key = site_inputs(manifest)
            index = paths.REPORTS / "index.html"
            if force or not index.exists() or manifest.get("site", {}).get("inputs") != key:
                with notices.collect() as found:
                    write_site(manifest)
                manifest["site"] = {"inputs": key}
                manifest["warnings"] = found
                provenance.write_manifest(manifest)
                result.site = True
    result.seconds = round(time.time() - t0, 3)
    return result


def _run(
    todo: list[tuple[Item, dict[str, Any]]],
    common: dict[str, Any],
    manifest: dict[str, Any],
    result: BuildResult,
    jobs: int | None,
    fail_fast: bool,
    quiet: bool,
) -> None:
    """Execute ``todo`` in parallel (``common``: the job fields all items share), recording each
    product in the manifest as it finishes."""

    products: dict[str, Any] = manifest["products"]
    progress = Progress(len(todo), quiet)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    progress.show()
    pool: cf.Executor
    if jobs == 1:  # in process: no worker start-up; the warm kernel lives in one thread
        pool = cf.ThreadPoolExecutor(max_workers=1)
    else:
        ctx = __import__("multiprocessing").get_context("forkserver")
        pool = cf.ProcessPoolExecutor(
            max_workers=jobs, mp_context=ctx, initializer=worker_init, initargs=(os.getpid(),)
        )
    futures: dict[cf.Future[dict[str, Any]], Item] = {}
    queue = list(todo)

    def submit() -> None:
        while queue and len(futures) < jobs:
            item, key = queue.pop(0)
            job = {**common, "item": asdict(item), "key": key}
            futures[pool.submit(execute_item, job)] = item
            progress.running.append(item.id)

    try:
        submit()
        while futures:
            done, _ = cf.wait(futures, return_when=cf.FIRST_COMPLETED)
            for fut in done:
                item = futures.pop(fut)
                progress.running.remove(item.id)
                try:
                    prov = fut.result()
                except Exception as exc:  # worker crashed
                    prov = {
                        "id": item.id,
                        "status": "failed",
                        "error": f"{type(exc).__name__}: {exc}",
                        "parameters": item.parameters,
                    }
                prov["title"] = item.title
                prov["group"] = item.group
                if prov["status"] == "ok":
                    products[item.id] = prov
                    result.built.append(item.id)
                else:
                    prev = products.get(item.id, {})
                    products[item.id] = {
                        **prov,
                        "last_good": prev.get("last_good")
                        or (prev.get("outputs") if prev.get("status") == "ok" else None),
                    }
                    result.failed[item.id] = prov.get("error") or "failed"
                    if fail_fast:
                        queue.clear()
                progress.done += 1
                manifest["updated"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
                provenance.write_manifest(manifest)
                progress.show()
            submit()
        pool.shutdown(wait=True)
    except KeyboardInterrupt:
        # Stop at once: finished products are already renamed into place and recorded in the
        # manifest; running ones never reach their final names.
        for fut in futures:
            fut.cancel()
        for proc in list(getattr(pool, "_processes", {}).values()):
            with contextlib.suppress(Exception):
                proc.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        progress.finish()
        raise
    finally:
        stop_helpers()
    progress.finish()
