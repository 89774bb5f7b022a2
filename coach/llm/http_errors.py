"""What went wrong talking to a model server, as one sentence a person can act on."""

import httpx

from coach.errors import CoachError


class ModelServerError(CoachError):
    """The model server could not be reached, refused the request, or failed mid-answer."""


def for_status(url: str, status: int, detail: str = "") -> ModelServerError:
    """An HTTP error answer from the server."""
    if status in (401, 403):
        return ModelServerError(f"The model server at {url} refused the API key (HTTP {status}); "
                                "set COACH_MODEL_API_KEY to a key it accepts.")
    if status == 404:
        return ModelServerError(f"The model server at {url} has no such model or endpoint (HTTP 404); "
                                "check model_url (it should end in /v1) and model_name.")
    if status == 429:
        return ModelServerError(f"The model server at {url} is busy (HTTP 429, too many requests); "
                                "wait a moment and try again.")
    if status >= 500:
        return ModelServerError(f"The model server at {url} failed (HTTP {status}); try again, or ask whoever "
                                "runs it to check its log.")
    reason = f": {detail[:160]}" if detail else ""
    return ModelServerError(f"The model server at {url} rejected the request (HTTP {status}{reason}); "
                            "check model_name and n_ctx against the server's.")


def for_transport(url: str, error: httpx.HTTPError, timeout: float) -> ModelServerError:
    """A connection that failed, timed out or broke off; never the traceback."""
    if isinstance(error, httpx.ConnectTimeout | httpx.ConnectError):
        return ModelServerError(f"Could not connect to the model server at {url}; check model_url and that "
                                "the server is running.")
    if isinstance(error, httpx.TimeoutException):
        return ModelServerError(f"The model server at {url} did not answer within {timeout:g} s; try again, or "
                                "raise server_timeout if it is slow.")
    return ModelServerError(f"The connection to the model server at {url} broke off mid-answer "
                            f"({error.__class__.__name__}); try again.")
