"""Build hardening (issue 12): a killed build leaves no process behind; two builds at once; a
damaged ``reports/`` is recovered with a warning, never a traceback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import BIN, multisee

pytestmark = pytest.mark.slow


def _processes_of(root: Path, pgid: int) -> list[int]:
    """Processes in the process group ``pgid`` or with ``root`` in their environment/command."""
    needle = str(root).encode()
    found = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit() or int(d.name) == os.getpid():
            continue
        try:
            if os.getpgid(int(d.name)) == pgid:
                found.append(int(d.name))
                continue
            blob = (d / "environ").read_bytes() + (d / "cmdline").read_bytes()
        except (OSError, ProcessLookupError):
            continue
        if needle in blob:
            found.append(int(d.name))
    return found


def _kernels(pids: list[int]) -> list[int]:
    out = []
    for pid in pids:
        try:
            if b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes():
                out.append(pid)
        except OSError:
            continue
    return out


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc (Linux)")
def test_a_build_that_ends_normally_leaves_no_process_behind(scratch_root: Path) -> None:
    """The forkserver, the resource tracker, the workers and the kernels end before the build
    returns: none is left in its process group or with the project in its environment the moment
    it exits (issue 23)."""
    proc = subprocess.Popen(
        [str(BIN / "multisee"), "build", "-j", "2", "--countries", "RS,AM", "--quiet"],
        env={**os.environ, "MULTISEE_ROOT": str(scratch_root)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    left = _processes_of(scratch_root, proc.pid)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert left == [], f"processes left behind by a normal exit: {left}"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_kill_9_of_a_build_leaves_no_process_behind(scratch_root: Path, jobs: str) -> None:
    proc = subprocess.Popen(
        [str(BIN / "multisee"), "build", "--force", "-j", jobs, "--countries", "RS,AM,AL,BA"],
        env={**os.environ, "MULTISEE_ROOT": str(scratch_root)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.time() + 120
    while time.time() < deadline and not _kernels(_processes_of(scratch_root, proc.pid)):
        time.sleep(0.2)  # wait for a kernel to start (the forkserver and tracker come first)
    time.sleep(1.0)
    assert proc.poll() is None, "the build finished before it was killed"
    running = _processes_of(scratch_root, proc.pid)
    assert _kernels(running), "no kernel was running"
    if jobs != "1":
        assert len(running) >= 4, "the build, its forkserver, a worker and a kernel"
    os.kill(proc.pid, signal.SIGKILL)  # the build alone, not its group
    proc.wait(timeout=10)
    left: list[int] = []
    for _ in range(50):
        left = _processes_of(scratch_root, proc.pid)
        if not left:
            break
        time.sleep(0.2)
    for pid in left:  # do not leak them into the rest of the test run
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert not left, f"processes left behind: {left}"
    # ... and the next build runs (the lock died with the build).
    again = multisee(
        "build", "--countries", "RS", "--quiet", env={"MULTISEE_ROOT": str(scratch_root)}
    )
    assert again.returncode == 0, again.stderr


def test_two_builds_at_once(scratch_root: Path) -> None:
    env = {**os.environ, "MULTISEE_ROOT": str(scratch_root)}
    cmd = [str(BIN / "multisee"), "build", "--quiet"]
    first = subprocess.Popen(
        [*cmd, "--countries", "RS"], env=env, stderr=subprocess.PIPE, text=True
    )
    deadline = time.time() + 60  # the first build holds the lock once its kernel runs
    while time.time() < deadline and len(_processes_of(scratch_root, -1)) < 2:
        time.sleep(0.2)
    second = multisee("build", "--countries", "AM", "--quiet", env=env, timeout=300)
    waited = multisee("build", "--countries", "AM", "--quiet", "--wait", env=env, timeout=600)
    assert first.wait(timeout=600) == 0, first.stderr.read() if first.stderr else ""
    assert second.returncode == 2
    assert second.stderr.strip() == (
        "multisee build: error: another multisee build is writing reports/; wait for it to"
        " finish (or use --wait)"
    )
    assert waited.returncode == 0, waited.stderr
    manifest = json.loads((scratch_root / "reports" / "manifest.json").read_text())
    assert {"countries/RS", "countries/AM"} <= set(manifest["products"])


def test_damaged_reports_are_recovered(built_copy: Path) -> None:
    scratch_root = built_copy  # a copy of the session's shared build (RS and AM in it)
    env = {"MULTISEE_ROOT": str(scratch_root)}
    first = multisee("build", "--countries", "RS", "--quiet", env=env)
    assert first.returncode == 0, first.stderr
    reports = scratch_root / "reports"
    (reports / "manifest.json").write_text("[]", encoding="utf-8")
    cache = reports / ".cache"
    for p in cache.iterdir():
        p.unlink()
    cache.rmdir()
    cache.write_text("not a folder", encoding="utf-8")
    res = multisee("build", "--countries", "RS,AM", "--quiet", env=env)
    assert res.returncode == 0, res.stderr
    lines = [line for line in res.stderr.splitlines() if line.startswith("warning:")]
    assert len(lines) == 2 and "Traceback" not in res.stderr, res.stderr
    assert "reports/.cache was not a folder" in res.stderr
    assert "reports/manifest.json was unusable (it holds a JSON list" in res.stderr
    manifest = json.loads((reports / "manifest.json").read_text())
    assert {"countries/RS", "countries/AM"} <= set(manifest["products"])
    assert manifest["products"]["countries/RS"]["title"], "title restored from the build list"
    (reports / ".cache" / "kernel.lock").unlink(missing_ok=True)
    (reports / ".cache" / "kernel.lock").mkdir()
    res = multisee("build", "--countries", "RS", "--force", "--quiet", env=env)
    assert res.returncode == 0 and "reports/.cache/kernel.lock was a folder" in res.stderr


DEAD_KERNEL_DRIVER = """
import dataclasses, os, signal, time, warnings
warnings.simplefilter("error", RuntimeWarning)  # 'coroutine ... was never awaited' fails the run
import nbformat
from analysis.build import execute
from analysis.model import paths
from analysis.build.buildlist import Item

nb = nbformat.v4.new_notebook()
p = nbformat.v4.new_code_cell("n = 1")
p.metadata["tags"] = ["parameters"]
nb.cells = [p, nbformat.v4.new_code_cell("print(n * 2)")]
nb.metadata["kernelspec"] = {"name": "multisee", "display_name": "multisee"}
nbformat.write(nb, str(paths.NOTEBOOKS / "tiny.ipynb"))

def job(i):
    item = Item(id=f"t/tiny{i}", notebook="tiny", parameters={"n": i})
    return {"item": dataclasses.asdict(item), "key": {}, "data_hash": "x", "quiet": True}

def kill_kernel():
    os.kill(execute._WARM.client.km.provisioner.process.pid, signal.SIGKILL)
    time.sleep(1)

print(execute.execute_item(job(1))["status"])
print(execute._WARM.alive())
kill_kernel()
print(execute._WARM.alive())                 # the check sees the dead kernel
print(execute.execute_item(job(2))["status"])  # ... and the next item gets a fresh one
kill_kernel()
execute._WARM.alive = lambda: True           # a kernel that dies unnoticed, under the item
print(execute.execute_item(job(3))["status"])  # restarted, the item retried once
"""


def test_a_dead_warm_kernel_is_restarted(scratch_root: Path) -> None:
    res = subprocess.run(
        [str(BIN / "python"), "-c", DEAD_KERNEL_DRIVER],
        env={**os.environ, "MULTISEE_ROOT": str(scratch_root)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["ok", "True", "False", "ok", "ok"]
    assert "never awaited" not in res.stderr
