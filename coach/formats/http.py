"""What every request to a team server (model or index) carries: the bearer token and the waits."""

import httpx

# A server that is up accepts a connection at once; only a dead or filtered address waits this long.
CONNECT_SECONDS = 5.0


def bearer(token: str | None) -> dict[str, str]:
    """The Authorization header for `token`, or none without one."""
    return {"Authorization": f"Bearer {token}"} if token else {}


def waits(seconds: float) -> httpx.Timeout:
    """`seconds` for every read and write, and no more than CONNECT_SECONDS to connect."""
    return httpx.Timeout(seconds, connect=min(seconds, CONNECT_SECONDS))
