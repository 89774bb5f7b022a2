"""`coach bench`: speed figures as ratios against baselines measured in the same process.

Not a test. The machine is noisy, so every figure is paired with its baseline and reported as a
ratio; absolute times are printed too but should only be compared within one run.
"""

import json
import resource
from pathlib import Path

from rich.console import Console
from rich.table import Table

from coach.config import Settings
from coach.services import Services
from coach.sessions.store import scratch_session_store


def run_bench(settings: Settings, out: Console, json_file: Path | None, part: str = "all") -> dict:
    # Scripted sessions go to a scratch store: they must not fill the user's History.
    with scratch_session_store("coach-bench-") as scratch:
        return _run(Services(settings, session_store=scratch), out, json_file, part)


def _run(services: Services, out: Console, json_file: Path | None, part: str) -> dict:
    settings = services.settings
    figures: dict = {"model": services.backend_source.name, "n_threads": settings.n_threads}
    out.print(f"Benchmarking {figures['model']} with {settings.n_threads} threads…")
    if part in ("all", "ask"):
        from coach.bench.ask import ask_figures

        figures |= ask_figures(services)
    if part in ("all", "corpus"):
        from coach.bench.corpus import corpus_figures

        figures |= corpus_figures(services)
    if part in ("all", "quarantine"):
        from coach.bench.quarantine import quarantine_figures

        figures |= quarantine_figures(services)
    if part in ("all", "debrief"):
        from coach.bench.debrief import debrief_figures, labeller_figures

        figures |= labeller_figures(services)
        debriefs, shown_debriefs = debrief_figures(services)
        figures |= debriefs
    played: list[dict] = []
    if part in ("all", "practice"):
        from coach.bench.practice import practice_figures

        practice, played = practice_figures(services)
        figures |= practice
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    _print(out, {k: v for k, v in figures.items() if k not in ("labeller_per_label", "labeller_confusion")})
    if "labeller_per_label" in figures:
        from coach.bench.debrief import print_labeller

        print_labeller(out, figures)
    if played:
        _print_transcript(out, played[0])
    if part in ("all", "debrief"):
        _print_debriefs(out, shown_debriefs)
    if json_file:
        json_file.write_text(json.dumps({**figures, "practice_sessions": played}, indent=2, ensure_ascii=False))
    return figures


def _print_transcript(out: Console, session: dict) -> None:
    out.print(f"\nOne scripted session ({session['scenario']}):")
    for turn in session["turns"]:
        retry = f"   [regenerated: {', '.join(turn['problems'])}]" if turn["retries"] else ""
        out.print(f"  mentor: {turn['mentor']}\n  mentee: {turn['mentee']}{retry}")
    out.print(f"  debrief scores: {session['debrief']['scores']}")
    out.print(f"  debrief narrative: {json.dumps(session['debrief']['narrative'], ensure_ascii=False)}")


def _print_debriefs(out: Console, shown: list[dict]) -> None:
    """One whole debrief per mentor style, as a mentor would read it."""
    from coach.coaching.debrief.markdown import debrief_markdown

    for style in dict.fromkeys(s["style"] for s in shown):
        session = next(s for s in shown if s["style"] == style)
        out.print(f"\nA {style}'s debrief ({session['scenario']}, {session['seconds']} s):")
        out.print("\n".join(debrief_markdown(session["debrief"])))


def _print(out: Console, figures: dict) -> None:
    table = Table("figure", "value")
    for key, value in figures.items():
        table.add_row(key, str(value))
    out.print(table)
