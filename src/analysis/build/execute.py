"""Run one build item: a warm kernel, papermill's parameter injection, the HTML report.

:func:`execute_item` runs in a worker process (or the main process for a single job). It reads
the notebook (the jupytext ``.py`` source when there is one), injects the parameters exactly as
papermill does (a cell tagged ``injected-parameters`` after the ``parameters`` cell, so the
notebooks stay runnable by the plain papermill CLI), executes it cell by cell in a kernel reused
from item to item, and writes the executed notebook and an HTML report without code, each
atomically. A failing notebook keeps its partial output, with the error shown at the top and a link
to the failing cell, written beside the last good report as ``*.failed.ipynb``/``*.failed.html``.
Provenance (parameters, inputs, timings, status, error) goes into the notebook's metadata
(``metadata.multisee``) and is returned for the manifest.
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import datetime as dt
import fcntl
import os
import signal
import sys
import time
from collections.abc import Iterator
from typing import Any

from analysis.build.buildlist import Item
from analysis.model import paths
from analysis.model.atomic import atomic_write


def block_slow_imports() -> None:
    """jsonschema imports ``rfc3987_syntax`` (2.3 s, a lark grammar) only to check the
    'uri-reference' format; notebooks never need it. Blocking the import makes jsonschema skip that
    one format checker and saves 2.3 s per worker."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


_PR_SET_PDEATHSIG = 1
_LIBC: Any = None


def _libc() -> Any:
    """The C library (loaded once, in the parent: a forked child must not ``dlopen``)."""
    global _LIBC
    if _LIBC is None and sys.platform.startswith("linux"):
        import ctypes

        try:
            _LIBC = ctypes.CDLL(None, use_errno=True)
        except OSError:
            _LIBC = False
    return _LIBC or None


def die_with_parent(parent: int | None = None, sig: int = signal.SIGKILL) -> None:
    """Linux: have the kernel send ``sig`` to this process when its parent dies
    (``prctl(PR_SET_PDEATHSIG)``), and exit now if the parent (pid ``parent``) is already gone.
    Elsewhere a no-op. Safe to call between ``fork`` and ``exec`` (the C library is loaded
    beforehand)."""
    libc = _LIBC if _LIBC is not None else _libc()
    if not libc:
        return
    libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def _kernel_preexec() -> Any:
    """A ``preexec_fn`` for the kernel process: it dies with the process that started it, so a
    build killed with ``kill -9`` (and its workers) leaves no kernel behind."""
    if not _libc():
        return None
    parent = os.getpid()
    return lambda: die_with_parent(parent)


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


def read_notebook(item: Item) -> Any:
    """The notebook to execute: the jupytext ``.py`` source (its inputs are the truth; ``make``
    regenerates the ``.ipynb`` from it) or, without one, the ``.ipynb``."""
    import nbformat

    src = item.source
    if src.suffix == ".py":
        import jupytext

        return jupytext.read(str(src), as_version=4)
    return nbformat.read(str(src), as_version=4)


def inject_parameters(nb: Any, parameters: dict[str, Any], kernel_name: str = "multisee") -> Any:
    """Insert papermill's ``injected-parameters`` cell after the ``parameters`` cell."""
    import nbformat

    nb = copy.deepcopy(nb)
    lines = ["# Parameters"] + [f"{k} = {v!r}" for k, v in parameters.items()]
    cell = nbformat.v4.new_code_cell(source="\n".join(lines) + "\n")
    cell.metadata["tags"] = ["injected-parameters"]
    nb.cells = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    idx = next(
        (i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), -1
    )
    nb.cells.insert(idx + 1, cell)
    nb.metadata.setdefault("papermill", {})["parameters"] = parameters
    nb.metadata["kernelspec"] = {
        "name": kernel_name,
        "display_name": kernel_name,
        "language": "python",
    }
    return nb


#: nbconvert templates of the report pages (``multisee``: lab without network scripts or
#: inlined CSS).
TEMPLATES = paths.ASSETS / "templates"


def to_html(nb: Any, title: str) -> str:
    """The report page of an executed notebook: no code, no request leaving the page's folder
    (no require.js, MathJax or widget scripts from a CDN; the CSS linked from ``reports/assets/``),
    with the site's navigation, breadcrumbs and footer (data year, Kosovo* footnote where XK
    appears, the cite line)."""
    import re

    from nbconvert import HTMLExporter

    from analysis.products.pages import report_chrome

    exporter = HTMLExporter(template_name="multisee", extra_template_basedirs=[str(TEMPLATES)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    nb = copy.deepcopy(nb)
    text = "\n".join(
        str(o.get("data", {}).get("text/html", "")) + str(o.get("text", ""))
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
    ) + "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    shown, header, footer = report_chrome(dict(nb.metadata.get("multisee", {})), title, text)
    nb.metadata["title"] = shown
    resources = {"multisee": {"root": "../", "header": header, "footer": footer}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    # belt and braces: no script or stylesheet from the network, whatever the template did
    body = re.sub(r'<script[^>]*\ssrc="https?://[^"]*"[^>]*>\s*</script>', "", body)
    body = re.sub(r'<link[^>]*\shref="https?://[^"]*"[^>]*>', "", body)
    return body


def escape_text(text: str) -> str:
    """``text`` as inert HTML text on one line: markup escaped, and the characters Markdown or
    MathJax would interpret (backtick, ``$``, ``*``, ``_``, ``[``, ``]``, ``\\``) as entities."""
    special = "&<>\"'`$*_[]\\{}|~#"
    out = "".join(f"&#{ord(ch)};" if ch in special else ch for ch in str(text))
    return "<br>".join(out.splitlines())


def error_banner(nb: Any, index: int, ename: str, evalue: str) -> None:
    """Mark the failing cell (an anchor before it) and put a banner linking to it at the top.

    The banner is one raw HTML block (no blank line, so Markdown leaves it alone) and the
    exception's name and text are escaped (:func:`escape_text`): a message or parameter holding
    markup shows as text."""
    import nbformat

    anchor = nbformat.v4.new_markdown_cell(
        source='<span id="multisee-failed-cell"></span>\n**The cell below failed.**'
    )
    nb.cells.insert(index, anchor)
    banner = nbformat.v4.new_markdown_cell(
        source=(
            '<div style="border:3px solid #c00;padding:0.5em">'
            f"<p><strong>Execution failed</strong>: <code>{escape_text(ename)}: "
            f"{escape_text(evalue)}</code></p>"
            '<p><a href="#multisee-failed-cell">Go to the failing cell</a>. '
            "The outputs above it are kept; the cells after it did not run.</p></div>"
        )
    )
    banner.metadata["tags"] = ["multisee-error"]
    nb.cells.insert(0, banner)


class WarmKernel:
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
        """Whether the warm kernel's process is running and its manager says it is alive (the
        manager's ``is_alive`` is a coroutine with the asynchronous manager: it is awaited)."""
        if self.client is None:
            return False
        try:
            km = self.client.km
            process = getattr(getattr(km, "provisioner", None), "process", None)
            if process is not None and process.poll() is not None:
                return False  # exited (killed, crashed)
            from nbclient.util import ensure_async, run_sync

            async def check() -> bool:
                return bool(await ensure_async(km.is_alive()))

            return bool(run_sync(check)())
        except Exception:
            return False

    def acquire(self, nb: Any, kernel_name: str, timeout: int, quiet: bool = False) -> Any:
        from nbclient import NotebookClient

        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name=kernel_name,
            resources={"metadata": {"path": str(paths.ROOT)}},
        )
        if self.kernel_name == kernel_name and self.alive():
            client.km, client.kc = self.client.km, self.client.kc
            import nbformat

            client.execute_cell(nbformat.v4.new_code_cell(self.RESET), 0, store_history=False)
            client.reset_execution_trackers()
            client.nb = nb
            return client
        self.discard()
        with _kernel_lock():  # start and wait for ready while holding the lock: no port races
            launch: dict[str, Any] = {
                "cwd": str(paths.ROOT),
                "env": {**os.environ, "MULTISEE_ROOT": str(paths.ROOT)},
            }
            preexec = _kernel_preexec()
            if preexec is not None:
                launch["preexec_fn"] = preexec
            if quiet:  # the kernel's own log lines (e.g. IPKernelApp warnings) stay out of sight
                import subprocess

                launch["stderr"] = subprocess.DEVNULL
            # the kernel logs errors only (not ipykernel's notice about local TCP sockets)
            client.extra_arguments = [*client.extra_arguments, "--IPKernelApp.log_level=ERROR"]
            setup = client.setup_kernel(**launch)
            setup.__enter__()
        self.client, self.setup, self.kernel_name = client, setup, kernel_name
        return client

    def discard(self) -> None:
        if self.setup is not None:
            with contextlib.suppress(Exception):
                self.setup.__exit__(None, None, None)
        self.client = self.setup = self.kernel_name = None


_WARM = WarmKernel()
atexit.register(_WARM.discard)


def worker_init(build_pid: int | None = None) -> None:
    """Worker start-up: die with the parent (the forkserver, which exits when the build does), skip
    the slow import, and shut the warm kernel down at worker exit (pool workers leave through
    multiprocessing's exit path, which runs Finalize hooks, not atexit)."""
    import multiprocessing.util

    die_with_parent(os.getppid())
    if build_pid is not None:
        _watch_build(build_pid)
    block_slow_imports()
    multiprocessing.util.Finalize(None, _WARM.discard, exitpriority=100)


def _watch_build(build_pid: int) -> None:
    """A daemon thread that ends this worker (and its kernel) once the build process is gone,
    for platforms without ``PR_SET_PDEATHSIG`` and for a forkserver that outlives the build."""
    import threading

    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(build_pid, 0)
            except ProcessLookupError:
                break
            except PermissionError:
                pass
        proc = getattr(getattr(_WARM.client, "km", None), "provisioner", None)
        proc = getattr(proc, "process", None)
        if proc is not None:
            with contextlib.suppress(Exception):
                proc.kill()
        os._exit(1)

    threading.Thread(target=watch, name="multisee-watch-build", daemon=True).start()


def _stamp(t: float) -> str:
    return dt.datetime.fromtimestamp(t, dt.timezone.utc).isoformat(timespec="seconds")


def execute_item(job: dict[str, Any]) -> dict[str, Any]:
    """Run one item in this process (a worker, or the main process for a single item) and write
    its products. Never raises for a notebook failure; returns the item's provenance."""
    block_slow_imports()
    import nbformat
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    item = Item(**job["item"])
    out_base = paths.REPORTS / item.id
    start = time.time()
    limit = job.get("timeout", 600)
    status, error = "ok", None
    index = 0
    nb = nbformat.v4.new_notebook()
    try:
        source = inject_parameters(read_notebook(item), item.parameters)
        for attempt in (1, 2):  # a kernel that died under the item: restart it, retry once
            nb = copy.deepcopy(source)
            try:
                client = _WARM.acquire(
                    nb, job.get("kernel", "multisee"), limit, quiet=bool(job.get("quiet"))
                )
                for index, cell in enumerate(nb.cells):
                    if cell.cell_type != "code":
                        continue
                    remaining = limit - (time.time() - start)
                    if remaining <= 0:
                        raise CellTimeoutError(f"the notebook ran longer than {limit} s")
                    client.timeout = max(1, int(remaining))
                    client.execute_cell(cell, index)
                break
            except DeadKernelError:
                _WARM.discard()
                if attempt == 2 or time.time() - start >= limit:
                    raise
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        status = "failed"
        ename = type(exc).__name__
        evalue = str(exc).strip().splitlines()[-1] if str(exc).strip() else ename
        if isinstance(exc, CellExecutionError):
            ename, evalue = exc.ename, exc.evalue
        if isinstance(exc, CellTimeoutError):
            evalue = f"the notebook ran longer than its {limit} s timeout"
        error = f"{ename}: {evalue}"
        error_banner(nb, index, ename, evalue)
        _WARM.discard()
    except Exception as exc:  # unreadable notebook, kernel failed to start, etc.
        status, error = "failed", f"{type(exc).__name__}: {exc}"
        _WARM.discard()
    if job.get("fresh_kernels"):
        _WARM.discard()
    end = time.time()
    prov: dict[str, Any] = {
        "id": item.id,
        "notebook": paths.rel(item.source),
        "parameters": item.parameters,
        "reads": item.reads,
        "inputs": job["key"],
        "data_hash": job["data_hash"],
        "library": job.get("library"),
        "git_commit": job.get("git_commit"),
        "packages": job.get("packages"),
        "start": _stamp(start),
        "end": _stamp(end),
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
    from analysis.products.record import recorded

    prov["recorded"] = recorded(nb)
    return prov
