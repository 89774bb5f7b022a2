"""`coach serve`: the app in a browser, through textual-serve, for mentors who would rather not use
a terminal. Every browser session gets its own app process (textual-serve starts one per
connection) with this machine's settings, so all of them talk to the same model and index servers.

Each session runs `python -m coach.cli.web_session`: the app without the one-app-per-folder lock,
since the sessions of one server share its data folder on purpose (SQLite's WAL and the index's
writer lock keep their writes apart), and without the Trainer screen unless `--trainer` is given.
"""

import ipaddress
import shlex
import socket
import sys
from typing import Annotated, Optional

import typer

from coach.cli.common import make_services, out
from coach.errors import CoachError

LOCAL_NAMES = ("localhost",)


class UnsafeBind(CoachError):
    exit_code = 2


def serve(host: Annotated[str, typer.Option("--host", help="Address to listen on (this machine only by default).")] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
          allow_remote: Annotated[bool, typer.Option("--allow-remote", help="Allow an address other machines can reach; "
                                                     "only behind your organisation's proxy and login.")] = False,
          public_url: Annotated[Optional[str], typer.Option("--public-url", help="The address browsers use, when a proxy "
                                                            "sits in front (https://coach.example.org).")] = None,
          trainer: Annotated[bool, typer.Option("--trainer", help="Give every browser session the Trainer screen "
                                                "(edit, sync and remove the shared notes).")] = False) -> None:
    """Serve the app to browsers; each browser session runs its own coach."""
    check_bind(host, allow_remote)
    make_services()  # a bad setting fails here, in one sentence, not in every browser session
    check_port_free(host, port)
    from textual_serve.server import Server  # imported late: aiohttp is slow to import

    shown = f"[{host}]" if ":" in host else host  # an IPv6 address goes in brackets in a URL
    out.print(f"coach is served at {public_url or f'http://{shown}:{port}'}; Ctrl+C stops it.")
    Server(session_command(trainer), host=host, port=port, title="coach",
           public_url=public_url).serve()


def session_command(trainer: bool = False) -> str:
    """What textual-serve runs for each browser connection. Without --trainer the session has no
    Trainer screen: anyone who reaches the page could otherwise edit and remove the shared notes."""
    command = f"{shlex.quote(sys.executable)} -m coach.cli.web_session"
    return f"{command} --trainer" if trainer else command


def is_local(host: str) -> bool:
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: only `localhost` is known to stay on this machine
        return False


def check_bind(host: str, allow_remote: bool) -> None:
    if not is_local(host) and not allow_remote:
        raise UnsafeBind(f"Serving on {host} would let anyone who can reach this machine use coach; serve on "
                         "127.0.0.1, or add --allow-remote and put it behind your organisation's proxy and login.")


def check_port_free(host: str, port: int) -> None:
    try:
        # The host's own family: create_server alone assumes IPv4, so `--host ::1` could never pass.
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.create_server((host, port), family=family):
            pass
    except OSError as error:
        raise CoachError(f"Cannot listen on {host}:{port} ({error.strerror}); choose another --port or --host.") from None
