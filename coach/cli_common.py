"""What every command group shares: the two consoles and the services factory."""

from rich.console import Console

from coach.config import load_settings

# Model and corpus text is printed without Rich markup, so "[bold]" in a note stays literal.
out = Console(markup=False, highlight=False, soft_wrap=True)
err = Console(stderr=True, markup=False, highlight=False, soft_wrap=True)


def make_services():
    from coach.services import build_services  # imported late: `coach --help` stays fast

    return build_services(load_settings())
