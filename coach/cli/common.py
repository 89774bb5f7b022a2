"""What every command group shares: the two consoles and the services factory."""

from typing import TYPE_CHECKING

from rich.console import Console

from coach.config import load_settings

if TYPE_CHECKING:
    from coach.services import Services

# Model and corpus text is printed without Rich markup, so "[bold]" in a note stays literal.
out = Console(markup=False, highlight=False, soft_wrap=True)
err = Console(stderr=True, markup=False, highlight=False, soft_wrap=True)


def make_services(**collaborators) -> "Services":
    """Services from the user's settings; `collaborators` replace defaults (a scratch session store)."""
    from coach.services import build_services  # imported late: `coach --help` stays fast

    return build_services(load_settings(), **collaborators)
