"""Running a check in a fresh interpreter.

Work is forked only from a process with a single thread (see
``kommunal_digital.io.forked``). A test worker may hold threads other tests
left behind (a Dask client's event loop, a batch worker's watch thread),
so checks of forked work run in an interpreter of their own: a module-level
function of a test module, called with JSON arguments. It exits with
:data:`SKIP` where nothing can be forked here (one CPU, not Linux).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kommunal_digital.io.forked import can_fork

ROOT = Path(__file__).resolve().parent.parent
#: The exit status of a check that cannot run here.
SKIP = 77


def run_isolated(check: Callable[..., None], *args: Any) -> None:
    """Run ``check(*args)`` in a fresh interpreter; fail with its error output, or skip."""
    code = (
        "import json, sys\n"
        f"from {check.__module__} import {check.__name__}\n"
        f"{check.__name__}(*json.loads(sys.argv[1]))\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode == SKIP:
        pytest.skip(done.stdout.strip())
    assert done.returncode == 0, done.stderr[-4000:]


def require_fork() -> None:
    """In a check: end it as skipped where nothing can be forked."""
    if not can_fork():
        print("forked work needs Linux, two CPUs and KOMMUNAL_DIGITAL_FORK not off")
        sys.exit(SKIP)
