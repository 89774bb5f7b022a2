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

from coach.errors import CoachError
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
        headers = {"Authorization": f"Bearer {self._token}"} if self._token else None
        try:
            client = chromadb.HttpClient(
                host=parts.hostname, port=parts.port or (443 if parts.scheme == "https" else 8000),
                ssl=parts.scheme == "https", headers=headers, settings=ChromaSettings(anonymized_telemetry=False))
            _limit_waits(client, self._timeout)
            client.heartbeat()
        except Exception as error:  # chromadb wraps httpx's errors in its own, untyped ones
            raise server_error(self.url, error) from None
        return client

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
        session.timeout = httpx.Timeout(seconds, connect=min(seconds, 5.0))


def server_error(url: str, error: Exception) -> CoachError:
    """One sentence for what went wrong talking to the Chroma server."""
    text = f"{error.__class__.__name__} {error}".lower()
    if "401" in text or "403" in text or "unauthorized" in text or "forbidden" in text:
        return ServerUnreachable(f"The Chroma server at {url} refused the token; set COACH_INDEX_TOKEN to a valid one.")
    if "timeout" in text or "timed out" in text:
        return ServerUnreachable(f"The Chroma server at {url} did not answer in time; check it is running and try again.")
    return ServerUnreachable(f"Could not reach the Chroma server at {url}; check index_url and that the server is running.")
