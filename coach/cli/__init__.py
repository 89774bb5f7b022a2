"""The command line: parse, build services, call the library, print. No logic lives here."""

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from coach import __version__
from coach.cli.ask import ask
from coach.cli.bench import bench
from coach.cli.common import err, make_services, out
from coach.cli.corpus import corpus_app
from coach.cli.debrief import debrief_app
from coach.cli.drill import drill
from coach.cli.models import models_app
from coach.cli.practice import practice
from coach.cli.progress_report import progress
from coach.cli.scenarios import scenarios_app
from coach.cli.serve import serve
from coach.cli.sessions import sessions_app
from coach.cli.settings import config_app
from coach.cli.setup import doctor, setup
from coach.errors import CoachError, DiskFull, disk_full, is_disk_full

app = typer.Typer(add_completion=False, no_args_is_help=False, pretty_exceptions_enable=False,
                  help="coach: rehearse being a mentor, with answers grounded in curated guidance.")
app.add_typer(models_app, name="models")
app.add_typer(corpus_app, name="corpus")
app.add_typer(config_app, name="config")
app.add_typer(scenarios_app, name="scenarios")
app.add_typer(sessions_app, name="sessions")
app.add_typer(debrief_app, name="debrief")
for command in (practice, progress, drill, ask, serve, doctor, setup, bench):  # in the order `coach --help` lists them
    app.command(command.__name__)(command)


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
        from coach.startup.app_lock import single_instance
        from coach.ui.app import run_app

        services = make_services()
        with single_instance(services.settings.data_dir):
            run_app(services)


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
        if is_disk_full(error):  # a write deep in a library, say: still only the disk to blame
            err.print(str(disk_full("coach's files")))
            sys.exit(DiskFull.exit_code)
        if os.environ.get("COACH_DEBUG"):
            raise
        err.print(f"Something went wrong ({error.__class__.__name__}: {error}); run again with "
                  "COACH_DEBUG=1 to see the details, and please report it.")
        sys.exit(1)
