"""What every command group shares: the two consoles and the services factory."""

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from coach.config import load_settings
from coach.formats.display import display_safe

if TYPE_CHECKING:
    from coach.services import Services



class SafeConsole(Console):
    """A console for text coach did not write: no markup ("[bold]" in a note stays literal), and
    every string, table cells included, made display-safe, so a note or a model reply cannot clear
    the screen, rename the window or forge a link."""

    def render_str(self, text: str, **options) -> Text:
        return super().render_str(display_safe(text), **options)


out = SafeConsole(markup=False, highlight=False, soft_wrap=True)
err = SafeConsole(stderr=True, markup=False, highlight=False, soft_wrap=True)


def make_services(**collaborators) -> "Services":
    """Services from the user's settings; `collaborators` replace defaults (a scratch session store)."""
    from coach.services import build_services  # imported late: `coach --help` stays fast

    return build_services(load_settings(), **collaborators)


def typed_lines(interactive: bool, prompt: str = "you> ") -> Iterator[str]:
    """Non-empty lines from the keyboard (with a prompt) or from standard input, until it ends."""
    while True:
        try:
            line = input(prompt) if interactive else sys.stdin.readline()
        except EOFError:
            return
        if not interactive and not line:
            return
        if line.strip():
            yield line.strip()
