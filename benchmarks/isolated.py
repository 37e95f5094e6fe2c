"""Each measurement in a fresh process, so that its peak memory is its own:
``python -m benchmarks KIND ARGS…`` runs one step and prints its figures as JSON."""

from __future__ import annotations

import json
import subprocess
import sys

__all__ = ["run_isolated"]


def run_isolated(kind: str, *args: str) -> dict:
    """``python -m benchmarks KIND ARGS…`` in a fresh process; its last line of output, as JSON."""
    out = subprocess.run([sys.executable, "-m", "benchmarks", kind, *args], capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"benchmark step {kind} failed: {out.stderr.strip()[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])
