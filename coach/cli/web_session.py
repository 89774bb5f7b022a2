"""One browser session's app, started by `coach serve` (textual-serve runs this once per browser
connection). It skips the one-app-per-folder lock on purpose, and has the Trainer screen only when
`coach serve --trainer` passed `--trainer`: see coach/cli/serve.py."""

import sys

from coach.cli.common import make_services
from coach.errors import CoachError


def run_browser_session(args: list[str]) -> None:
    from coach.ui.app import run_app  # imported late, as the `coach` command does

    try:
        run_app(make_services(), trainer=wants_trainer(args))
    except CoachError as error:  # a setting broken since the server started: one sentence in the server log
        print(str(error), file=sys.stderr)
        sys.exit(error.exit_code)


def wants_trainer(args: list[str]) -> bool:
    return "--trainer" in args


if __name__ == "__main__":
    run_browser_session(sys.argv[1:])
