"""Batch report builds: parameterised notebooks executed into ``reports/``.

What ``multisee build`` does, item by item from the declarative build list (``build.yaml``):

1. validates the data (a bad file stops the build before anything is written);
2. validates each item's parameters against the notebook's ``parameters`` cell (unknown names and
   wrong types are an error up front);
3. skips an item whose inputs (data hash, notebook source, library code, parameters, key package
   versions) have not changed since its last good build (``--force`` rebuilds all);
4. executes the others in parallel worker processes, each with its own kernel; kernel start-up is
   serialised with a file lock so kernels never race for ports;
5. injects parameters exactly as papermill does (a cell tagged ``injected-parameters`` after the
   ``parameters`` cell), so the notebooks stay runnable by the plain papermill CLI;
6. writes the executed notebook and an HTML report without code, each to a temporary name then
   renamed (an interrupted build leaves the previous good reports in place); a failing notebook
   keeps its partial output, with the error shown at the top and a link to the failing cell,
   written beside the last good report as ``*.failed.ipynb``/``*.failed.html``;
7. records provenance (parameters, input hashes, git commit, package versions, timings, status,
   error) in each notebook's metadata and in ``reports/manifest.json``.
"""

from __future__ import annotations

import ast
import atexit
import concurrent.futures as cf
import contextlib
import copy
import datetime as dt
import fcntl
import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import paths
from .atomic import atomic_write
from .errors import UserError

KEY_PACKAGES = (
    "pandas",
    "matplotlib",
    "geopandas",
    "nbclient",
    "nbconvert",
    "ipykernel",
    "papermill",
)
MANIFEST = "manifest.json"


# ---------------------------------------------------------------------------------------------
# Build list
# ---------------------------------------------------------------------------------------------


@dataclass
class Item:
    id: str
    notebook: str
    parameters: dict[str, Any]
    title: str = ""
    group: str = ""

    @property
    def source(self) -> Path:
        return paths.NOTEBOOKS / f"{self.notebook}.ipynb"


def _countries() -> list[str]:
    return sorted(p.stem for p in paths.COUNTRIES.glob("*.yaml"))


def _peer_groups() -> list[str]:
    if not paths.PEER_GROUPS.exists():
        return []
    data = yaml.safe_load(paths.PEER_GROUPS.read_text(encoding="utf-8")) or {}
    return [g["id"] for g in data.get("peer_groups", []) if isinstance(g, dict) and "id" in g]


def _fill(value: Any, env: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**env)
    if isinstance(value, list):
        return [_fill(v, env) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, env) for k, v in value.items()}
    return value


def load_build_list(path: Path | None = None) -> list[Item]:
    """Expand ``build.yaml`` into items (``foreach: countries|peer_groups|[values]``)."""
    path = path or paths.BUILD_LIST
    spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    items: list[Item] = []
    for n, entry in enumerate(spec.get("items", [])):
        foreach = entry.get("foreach")
        if foreach == "countries":
            envs = [{"code": c, "value": c} for c in _countries()]
        elif foreach == "peer_groups":
            envs = [{"code": g, "value": g} for g in _peer_groups()]
        elif isinstance(foreach, list):
            envs = [{"code": str(v), "value": str(v)} for v in foreach]
        elif foreach is None:
            envs = [{}]
        else:
            raise UserError(f"{paths.rel(path)}: items[{n}].foreach: unknown value {foreach!r}")
        for env in envs:
            items.append(
                Item(
                    id=_fill(entry["id"], env),
                    notebook=entry["notebook"],
                    parameters=_fill(entry.get("parameters", {}), env),
                    title=_fill(entry.get("title", ""), env),
                    group=entry.get("group", ""),
                )
            )
    ids = [i.id for i in items]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise UserError(f"{paths.rel(path)}: duplicate item ids: {', '.join(sorted(dupes))}")
    return items


def select(items: list[Item], only: list[str] | None, countries: list[str] | None) -> list[Item]:
    out = items
    if only:
        out = [
            i for i in out if any(i.id == o or i.id.startswith(o.rstrip("/") + "/") for o in only)
        ]
        if not out:
            raise UserError(f"--only {','.join(only)} matches no item of the build list")
    if countries:
        unknown = set(countries) - set(_countries())
        if unknown:
            raise UserError(f"--countries: unknown code(s) {', '.join(sorted(unknown))}")
        out = [i for i in out if i.parameters.get("country") in countries]
    return out


# ---------------------------------------------------------------------------------------------
# Parameters: read the notebook's parameters cell and check items against it
# ---------------------------------------------------------------------------------------------


def notebook_parameters(nb_path: Path) -> dict[str, Any]:
    """Names and default values of the notebook's ``parameters`` cell."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            out: dict[str, Any] = {}
            for node in ast.parse(src).body:
                if (
                    isinstance(node, ast.Assign)
                    and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name)
                ):
                    try:
                        out[node.targets[0].id] = ast.literal_eval(node.value)
                    except ValueError:
                        out[node.targets[0].id] = None
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    out[node.target.id] = ast.literal_eval(node.value) if node.value else None
            return out
    raise UserError(f"{paths.rel(nb_path)}: no cell tagged 'parameters'")


def check_parameters(item: Item, declared: dict[str, Any]) -> list[str]:
    problems = []
    for name, value in item.parameters.items():
        if name not in declared:
            problems.append(
                f"{item.id}: unknown parameter {name!r} for notebook {item.notebook} "
                f"(declared: {', '.join(declared)})"
            )
            continue
        default = declared[name]
        if default is not None and value is not None:
            ok = isinstance(value, type(default)) or (
                isinstance(default, (int, float))
                and isinstance(value, (int, float))
                and not isinstance(value, bool)
            )
            if not ok:
                problems.append(
                    f"{item.id}: parameter {name!r} should be {type(default).__name__}, "
                    f"got {type(value).__name__} {value!r}"
                )
    return problems


# ---------------------------------------------------------------------------------------------
# Input hashing (incremental builds)
# ---------------------------------------------------------------------------------------------


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def library_hash() -> str:
    h = hashlib.sha256()
    for p in sorted((paths.ROOT / "src" / "analysis").glob("*.py")):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def package_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": sys.version.split()[0]}
    for name in (*KEY_PACKAGES, "multisee"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_commit() -> str | None:
    try:
        res = subprocess.run(
            ["git", "-C", str(paths.ROOT), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
        )
        commit = res.stdout.strip() or None
        if commit:
            dirty = subprocess.run(
                ["git", "-C", str(paths.ROOT), "status", "--porcelain", "--untracked-files=no"],
                capture_output=True,
                text=True,
                timeout=5,
            ).stdout.strip()
            return commit + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        pass
    return None


@dataclass
class Inputs:
    data: str
    library: str
    packages: dict[str, str]
    notebooks: dict[str, str] = field(default_factory=dict)

    def notebook(self, name: str) -> str:
        if name not in self.notebooks:
            self.notebooks[name] = _sha((paths.NOTEBOOKS / f"{name}.ipynb").read_bytes())
        return self.notebooks[name]

    def key(self, item: Item) -> dict[str, str]:
        return {
            "data": self.data,
            "notebook": self.notebook(item.notebook),
            "library": self.library,
            "parameters": _sha(json.dumps(item.parameters, sort_keys=True).encode()),
            "packages": _sha(json.dumps(self.packages, sort_keys=True).encode()),
        }


# ---------------------------------------------------------------------------------------------
# Execution (in worker processes)
# ---------------------------------------------------------------------------------------------


def _block_slow_imports() -> None:
    """jsonschema imports ``rfc3987_syntax`` (2.3 s, a lark grammar) only to check the
    'uri-reference' format; notebooks never need it. Blocking the import makes jsonschema skip that
    one format checker and saves 2.3 s per worker."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


@contextlib.contextmanager
def _kernel_lock() -> Iterator[None]:
    lock_dir = paths.REPORTS / ".cache"
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / "kernel.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def inject_parameters(nb: Any, parameters: dict[str, Any], kernel_name: str = "multisee") -> Any:
    """Insert papermill's ``injected-parameters`` cell after the ``parameters`` cell."""
    import nbformat

    nb = copy.deepcopy(nb)
    lines = ["# Parameters"] + [f"{k} = {v!r}" for k, v in parameters.items()]
    cell = nbformat.v4.new_code_cell(source="\n".join(lines) + "\n")
    cell.metadata["tags"] = ["injected-parameters"]
    idx = next(
        (i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), -1
    )
    nb.cells = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    nb.cells.insert(idx + 1, cell)
    nb.metadata.setdefault("papermill", {})["parameters"] = parameters
    nb.metadata["kernelspec"] = {
        "name": kernel_name,
        "display_name": kernel_name,
        "language": "python",
    }
    return nb


def to_html(nb: Any, title: str) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    nb = copy.deepcopy(nb)
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb)
    return body


def _error_banner(nb: Any, index: int, ename: str, evalue: str) -> None:
    import nbformat

    anchor = nbformat.v4.new_markdown_cell(
        source='<span id="multisee-failed-cell"></span>\n**The cell below failed.**'
    )
    nb.cells.insert(index, anchor)
    banner = nbformat.v4.new_markdown_cell(
        source=(
            '<div style="border:3px solid #c00;padding:0.5em">\n\n'
            f"**Execution failed**: `{ename}: {evalue}`\n\n"
            "[Go to the failing cell](#multisee-failed-cell). "
            "The outputs above it are kept; the cells after it did not run.\n\n</div>"
        )
    )
    banner.metadata["tags"] = ["multisee-error"]
    nb.cells.insert(0, banner)


class _WarmKernel:
    """One kernel per worker process, reused from notebook to notebook.

    Between notebooks the kernel's namespace is reset (``%reset -f``), figures are closed and
    matplotlib's rcParams restored, so each notebook starts from an empty namespace; imported
    modules (pandas, matplotlib, the ``analysis`` library and its cached tables) stay warm, which is
    where most of a notebook's start-up time goes. After a failure the kernel is discarded and the
    next notebook gets a fresh one. ``multisee build --fresh-kernels`` disables reuse.
    """

    RESET = (
        "get_ipython().run_line_magic('reset', '-f')\n"
        "import sys as _s\n"
        "if 'matplotlib' in _s.modules:\n"
        "    import matplotlib as _m, matplotlib.pyplot as _p\n"
        "    _p.close('all'); _m.rcdefaults()\n"
        "    _m.use('module://matplotlib_inline.backend_inline')\n"
        "del _s\n"
    )

    def __init__(self) -> None:
        self.client: Any = None
        self.setup: Any = None
        self.kernel_name: str | None = None

    def alive(self) -> bool:
        try:
            return bool(self.client is not None and self.client.km.is_alive())
        except Exception:
            return False

    def acquire(self, nb: Any, kernel_name: str, timeout: int) -> Any:
        from nbclient import NotebookClient

        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name=kernel_name,
            resources={"metadata": {"path": str(paths.ROOT)}},
        )
        if self.alive() and self.kernel_name == kernel_name:
            client.km, client.kc = self.client.km, self.client.kc
            import nbformat

            client.execute_cell(nbformat.v4.new_code_cell(self.RESET), 0, store_history=False)
            client.reset_execution_trackers()
            client.nb = nb
            return client
        self.discard()
        with _kernel_lock():  # start and wait for ready while holding the lock: no port races
            setup = client.setup_kernel(
                cwd=str(paths.ROOT), env={**os.environ, "MULTISEE_ROOT": str(paths.ROOT)}
            )
            setup.__enter__()
        self.client, self.setup, self.kernel_name = client, setup, kernel_name
        return client

    def discard(self) -> None:
        if self.setup is not None:
            with contextlib.suppress(Exception):
                self.setup.__exit__(None, None, None)
        self.client = self.setup = self.kernel_name = None


_WARM = _WarmKernel()
atexit.register(_WARM.discard)


def _worker_init() -> None:
    """Worker start-up: skip the slow import, and shut the warm kernel down at worker exit
    (pool workers leave through multiprocessing's exit path, which runs Finalize hooks, not
    atexit)."""
    import multiprocessing.util

    _block_slow_imports()
    multiprocessing.util.Finalize(None, _WARM.discard, exitpriority=100)


def execute_item(job: dict[str, Any]) -> dict[str, Any]:
    """Run one item in this process (a worker, or the main process for a single item).
    Never raises for a notebook failure."""
    _block_slow_imports()
    import nbformat
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    item = Item(**job["item"])
    out_base = paths.REPORTS / item.id
    start = time.time()
    limit = job.get("timeout", 600)
    status, error = "ok", None
    nb = inject_parameters(nbformat.read(str(item.source), as_version=4), item.parameters)
    index = 0
    try:
        client = _WARM.acquire(nb, job.get("kernel", "multisee"), limit)
        try:
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                remaining = limit - (time.time() - start)
                if remaining <= 0:
                    raise CellTimeoutError(f"the notebook ran longer than {limit} s")
                client.timeout = max(1, int(remaining))
                client.execute_cell(cell, index)
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
            status = "failed"
            ename = type(exc).__name__
            evalue = str(exc).strip().splitlines()[-1] if str(exc).strip() else ename
            if isinstance(exc, CellExecutionError):
                ename, evalue = exc.ename, exc.evalue
            if isinstance(exc, CellTimeoutError):
                evalue = f"the notebook ran longer than its {limit} s timeout"
            error = f"{ename}: {evalue}"
            _error_banner(nb, index, ename, evalue)
            _WARM.discard()
    except Exception as exc:  # kernel failed to start, etc.
        status, error = "failed", f"{type(exc).__name__}: {exc}"
        _WARM.discard()
    if job.get("fresh_kernels"):
        _WARM.discard()
    end = time.time()
    prov = {
        "id": item.id,
        "notebook": f"notebooks/{item.notebook}.ipynb",
        "parameters": item.parameters,
        "inputs": job["key"],
        "data_hash": job["key"]["data"],
        "git_commit": job.get("git_commit"),
        "packages": job.get("packages"),
        "start": dt.datetime.fromtimestamp(start, dt.timezone.utc).isoformat(timespec="seconds"),
        "end": dt.datetime.fromtimestamp(end, dt.timezone.utc).isoformat(timespec="seconds"),
        "duration_s": round(end - start, 3),
        "status": status,
        "error": error,
    }
    nb.metadata["multisee"] = prov
    suffix = "" if status == "ok" else ".failed"
    ipynb = out_base.with_name(out_base.name + suffix + ".ipynb")
    html_path = out_base.with_name(out_base.name + suffix + ".html")
    atomic_write(ipynb, nbformat.writes(nb))
    atomic_write(html_path, to_html(nb, item.title or item.id))
    if status == "ok":
        for stale in (
            out_base.with_name(out_base.name + ".failed.ipynb"),
            out_base.with_name(out_base.name + ".failed.html"),
        ):
            stale.unlink(missing_ok=True)
    prov["outputs"] = {
        "ipynb": paths.rel(ipynb, paths.REPORTS),
        "html": paths.rel(html_path, paths.REPORTS),
    }
    from .record import recorded

    prov["recorded"] = recorded(nb)
    return prov


# ---------------------------------------------------------------------------------------------
# Orchestration
# ---------------------------------------------------------------------------------------------


def read_manifest(reports: Path | None = None) -> dict[str, Any]:
    path = (reports or paths.REPORTS) / MANIFEST
    if not path.exists():
        return {"products": {}}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {"products": {}}


def write_manifest(manifest: dict[str, Any]) -> None:
    atomic_write(
        paths.REPORTS / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False)
    )


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
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


def _clean_stale_temp_files() -> None:
    """Temporary files left by a build that was killed (the renamed products are intact)."""
    if paths.REPORTS.exists():
        for tmp in paths.REPORTS.rglob(".*.tmp-*"):
            with contextlib.suppress(OSError):
                tmp.unlink()


def _site_stale() -> bool:
    """The site is older than something it links to (exports, maps) or does not exist."""
    index = paths.REPORTS / "index.html"
    if not index.exists():
        return True
    mtime = index.stat().st_mtime
    for sub in ("data", "maps"):
        folder = paths.REPORTS / sub
        if folder.exists() and any(p.stat().st_mtime > mtime for p in folder.iterdir()):
            return True
    return False


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
) -> BuildResult:
    t0 = time.time()
    from .load import data_files, data_hash
    from .validate import validate_files

    _, problems = validate_files()
    if problems:
        raise UserError(
            "the data does not validate; nothing was built:\n"
            + "\n".join(str(p) for p in sorted(problems, key=lambda p: (p.file, p.line or 0)))
        )
    items = select(load_build_list(), only, countries)
    declared: dict[str, dict[str, Any]] = {}
    bad: list[str] = []
    for item in items:
        if not item.source.exists():
            bad.append(f"{item.id}: notebook {paths.rel(item.source)} does not exist")
            continue
        if item.notebook not in declared:
            declared[item.notebook] = notebook_parameters(item.source)
        bad.extend(check_parameters(item, declared[item.notebook]))
    if bad:
        raise UserError("bad build parameters; nothing was built:\n" + "\n".join(bad))

    inputs = Inputs(
        data=data_hash(data_files()), library=library_hash(), packages=package_versions()
    )
    manifest = read_manifest()
    products: dict[str, Any] = manifest.setdefault("products", {})
    result = BuildResult()
    todo: list[tuple[Item, dict[str, str]]] = []
    for item in items:
        key = inputs.key(item)
        prev = products.get(item.id)
        html_ok = prev and (paths.REPORTS / prev.get("outputs", {}).get("html", "-")).exists()
        if (
            not force
            and prev
            and prev.get("status") == "ok"
            and prev.get("inputs") == key
            and html_ok
        ):
            result.skipped.append(item.id)
        else:
            todo.append((item, key))

    _clean_stale_temp_files()
    commit = git_commit()
    progress = Progress(len(todo), quiet)
    if todo:
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        progress.show()
        pool: cf.Executor
        if jobs == 1:  # in process: no worker start-up; the warm kernel lives in one thread
            pool = cf.ThreadPoolExecutor(max_workers=1)
        else:
            ctx = __import__("multiprocessing").get_context("forkserver")
            pool = cf.ProcessPoolExecutor(
                max_workers=jobs, mp_context=ctx, initializer=_worker_init
            )
        futures: dict[cf.Future[dict[str, Any]], Item] = {}
        queue = list(todo)
        try:

            def submit() -> None:
                while queue and len(futures) < jobs:
                    item, key = queue.pop(0)
                    job = {
                        "item": asdict(item),
                        "key": key,
                        "timeout": timeout,
                        "kernel": kernel,
                        "git_commit": commit,
                        "packages": inputs.packages,
                        "fresh_kernels": fresh_kernels,
                    }
                    futures[pool.submit(execute_item, job)] = item
                    progress.running.append(item.id)

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
                    manifest["updated"] = dt.datetime.now(dt.timezone.utc).isoformat(
                        timespec="seconds"
                    )
                    write_manifest(manifest)
                    progress.show()
                submit()
        except KeyboardInterrupt:
            # Stop at once: finished products are already renamed into place and recorded in
            # the manifest; running ones never reach their final names.
            for fut in futures:
                fut.cancel()
            for proc in list(getattr(pool, "_processes", {}).values()):
                with contextlib.suppress(Exception):
                    proc.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
            progress.finish()
            raise
        pool.shutdown(wait=True)
        progress.finish()
    # Forget products no longer in the build list.
    manifest["build_list"] = [i.id for i in load_build_list()]
    manifest["data_hash"] = inputs.data
    manifest["git_commit"] = commit
    manifest["packages"] = inputs.packages
    write_manifest(manifest)
    if site and (todo or force or _site_stale()):
        from .site import write_site

        write_site(manifest)
    result.seconds = round(time.time() - t0, 3)
    return result
