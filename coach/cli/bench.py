"""`coach bench`: the speed figures, as ratios against baselines run in the same process."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from coach.cli.common import out
from coach.config import load_settings
from coach.errors import CoachError


def bench(model: Annotated[Optional[str], typer.Option(help="Chat model to measure (default: the configured one).")] = None,
          json_file: Annotated[Optional[Path], typer.Option("--json", help="Also write the figures here.")] = None,
          only: Annotated[str, typer.Option("--only", help="all, ask, practice, debrief, corpus or quarantine.")] = "all") -> None:
    """Measure load time, Ask latency, streaming overhead, retrieval and embedding speed, and the
    practice loop (KV reuse, time-out return, in-character rate) and corpus sync, as ratios; the
    line labeller's test-split figures and the debrief's time; and quarantine's held-out recall and
    false alarms."""
    from coach.bench import run_bench

    if only not in ("all", "ask", "practice", "debrief", "corpus", "quarantine"):
        raise CoachError(f"Unknown bench part '{only}'; use --only all, ask, practice, debrief, corpus or quarantine.")
    settings = load_settings(**({"model": model} if model else {}))
    run_bench(settings, out, json_file, only)
