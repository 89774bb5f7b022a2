"""`coach setup` (pull what is missing, then index) and `coach doctor` (is everything in place)."""

import typer

from coach.cli.common import err, make_services, out
from coach.errors import CoachError


def doctor() -> None:
    """Report versions, model files and hashes, the index, threads and paths."""
    from coach.startup.doctor import run_doctor

    checks = run_doctor(make_services())
    for check in checks:
        out.print(f"{'ok ' if check.ok else '!! '} {check.name:<20} {check.value}")
    if not all(check.ok for check in checks):
        raise typer.Exit(1)


def setup() -> None:
    """Pull the default chat model and the embedding model, then index the shipped corpus."""
    from coach.cli.progress import byte_progress, count_progress
    from coach.startup.first_run import check_readiness, index_shipped_corpus, pull_missing

    services = make_services()
    readiness = check_readiness(services)
    if readiness.chat_model_problem:
        raise CoachError(readiness.chat_model_problem)
    if readiness.models_to_pull:
        with byte_progress(err, "models") as update:
            pull_missing(services, readiness, update)
    with count_progress(err, "indexing") as update:
        report = index_shipped_corpus(services, update)  # also picks up notes edited since last time
    out.print(f"Ready. Index: {report.summary()}")
