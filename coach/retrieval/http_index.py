"""The index on a shared Chroma server (`chroma run`), reached with chromadb.HttpClient.

coach still embeds every passage and question itself (MiniLM, on this machine): collections are
made without an embedding function, so the server never downloads or runs a model. Writers take
turns through a lease stored on the server (server_lease.py), not a local file lock.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import chromadb
import httpx
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import ChromaError

from coach.errors import CoachError
from coach.formats.http import bearer, waits
from coach.retrieval.server_lease import ServerLease

# A sync of the whole corpus takes about a minute on 2 cores; a second trainer waits for it.
SERVER_WRITER_WAIT_SECONDS = 180.0


class ServerUnreachable(CoachError):
    """The Chroma server did not answer, or refused the token."""


class HttpIndex:
    """The index on a Chroma server; `shared` tells sync that other folders write to it too."""

    shared = True

    def __init__(self, url: str, token: str | None = None, timeout: float = 60.0,
                 wait_seconds: float = SERVER_WRITER_WAIT_SECONDS) -> None:
        self.url = self.location = url.rstrip("/")  # one server, one manifest key, however it is spelt
        self._token, self._timeout, self._wait_seconds = token, timeout, wait_seconds
        self._client: chromadb.ClientAPI | None = None

    def client(self) -> chromadb.ClientAPI:
        if self._client is None:
            self._client = self._connect()
        return self._client

    def _connect(self) -> chromadb.ClientAPI:
        parts = urlsplit(self.url if "://" in self.url else f"http://{self.url}")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CoachError(f"index_url '{self.url}' is not a server address; use http://HOST:PORT.")
        headers = bearer(self._token)
        self._check_answers(f"{parts.scheme}://{parts.netloc}", headers)
        try:
            client = chromadb.HttpClient(
                host=parts.hostname, port=parts.port or (443 if parts.scheme == "https" else 8000),
                ssl=parts.scheme == "https", headers=headers, settings=ChromaSettings(anonymized_telemetry=False))
            _limit_waits(client, self._timeout)
        except Exception as error:  # chromadb wraps httpx's errors in its own, untyped ones
            raise server_error(self.url, error) from None
        return client

    def _check_answers(self, base: str, headers: dict[str, str]) -> None:
        """chromadb.HttpClient sends requests while it is built, with no time limit: a server that
        accepts the connection and never answers would hang start-up, so ask it first, in time."""
        try:
            httpx.get(f"{base}/api/v2/heartbeat", headers=headers, timeout=waits(self._timeout)).raise_for_status()
        except httpx.HTTPError as error:
            raise server_error(self.url, error) from None

    def version(self) -> str:
        """The server's Chroma version (what `coach doctor` reports)."""
        try:
            return self.client().get_version()
        except CoachError:
            raise
        except Exception as error:
            raise server_error(self.url, error) from None

    def failure(self, error: Exception) -> CoachError:
        """What the store reports when a call to the server fails part-way."""
        return server_error(self.url, error)

    @contextmanager
    def writer(self) -> Iterator[None]:
        with ServerLease(self.client(), self.location, self._wait_seconds).held():
            yield


def _limit_waits(client: chromadb.ClientAPI, seconds: float) -> None:
    """chromadb's HTTP client waits forever (timeout=None) and has no setting for it; a server that
    hangs would freeze a sync or a search, so its httpx session gets our timeout."""
    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = waits(seconds)


def server_error(url: str, error: Exception) -> CoachError:
    """One sentence for what went wrong talking to the Chroma server."""
    text = f"{error.__class__.__name__} {error}".lower()
    if _status(error) in (401, 403) or "unauthorized" in text or "forbidden" in text:
        return ServerUnreachable(f"The Chroma server at {url} refused the token; set COACH_INDEX_TOKEN to a valid one.")
    if isinstance(error, httpx.TimeoutException) or "timeout" in text or "timed out" in text:
        return ServerUnreachable(f"The Chroma server at {url} did not answer in time; check it is running and try again.")
    return ServerUnreachable(f"Could not reach the Chroma server at {url}; check index_url and that the server is running.")


def _status(error: Exception) -> int | None:
    """The HTTP status behind `error`, where it has one: never digits in the text (a port like :4013)."""
    if isinstance(error, httpx.HTTPStatusError):
        return error.response.status_code
    if isinstance(error, ChromaError):
        return error.code()
    return None
