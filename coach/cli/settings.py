"""`coach config`: show every setting, its value and what it does."""

import typer
from rich.table import Table

from coach.cli.common import out
from coach.config import load_settings

config_app = typer.Typer(help="Show the settings.", no_args_is_help=True)


@config_app.command("show")
def config_show() -> None:
    """Print every setting, its value and what it does."""
    settings = load_settings()
    table = Table("setting", "value", "meaning")
    for name, field in type(settings).model_fields.items():
        table.add_row(name, str(getattr(settings, name)), field.description or "")
    out.print(table)
