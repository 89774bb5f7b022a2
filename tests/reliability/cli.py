"""Run the real `coach` command in a subprocess, as a user would, with the test's own folders."""

import os
import subprocess
import sys


def run_coach(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coach", *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})
