"""`make lab` works as root: a headless Jupyter server finds the notebooks and starts the kernel."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import BIN, ROOT

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(base: str, token: str, path: str, method: str = "GET", body: dict | None = None):
    req = urllib.request.Request(
        f"{base}{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        text = resp.read().decode()
        return json.loads(text) if text else None


def test_jupyter_server_lists_notebooks_and_starts_project_kernel(tmp_path: Path) -> None:
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [
        str(BIN / "jupyter"),
        "lab",
        "--no-browser",
        "--allow-root",
        f"--port={port}",
        "--ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        f"--notebook-dir={ROOT / 'notebooks'}",
    ]
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt")}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                _api(base, token, "/api/status")
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(
                "Jupyter server did not start: " + proc.stdout.read1().decode(errors="replace")
            )
        names = {c["name"] for c in _api(base, token, "/api/contents/")["content"]}
        assert "country_profile.ipynb" in names
        specs = _api(base, token, "/api/kernelspecs")
        assert "multisee" in specs["kernelspecs"]
        kernel = _api(base, token, "/api/kernels", "POST", {"name": "multisee"})
        assert kernel["name"] == "multisee"
        _api(base, token, f"/api/kernels/{kernel['id']}", "DELETE")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
