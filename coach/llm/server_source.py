"""The chat model on an OpenAI-compatible server, as a BackendSource: `model_url`, `model_name`
and the API key from COACH_MODEL_API_KEY. Health is a GET of /v1/models; nothing is downloaded."""

import httpx

from coach.config import Settings
from coach.formats.http import bearer
from coach.llm.base import BackendHealth
from coach.llm.http_errors import ModelServerError, for_status, for_transport
from coach.llm.openai_backend import OpenAICompatibleBackend

HEALTH_TIMEOUT = 5.0  # asked at start-up and by `coach doctor`: a dead server must not hold them up


def api_base(url: str) -> str:
    """The server's OpenAI path: `http://host:8080` and `http://host:8080/v1` both mean .../v1."""
    url = url.rstrip("/")
    return url if url.endswith("/v1") else f"{url}/v1"


class ServerModelSource:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.url = api_base(settings.model_url or "")
        key = settings.model_api_key
        self._headers = bearer(key.get_secret_value() if key else None)

    @property
    def name(self) -> str:
        return self.settings.model_name or "the server's model"

    def location(self) -> str:
        return self.url

    def health(self) -> BackendHealth:
        try:
            self.models(HEALTH_TIMEOUT)
        except ModelServerError as error:
            return BackendHealth(ok=False, problem=str(error))
        return BackendHealth(ok=True)

    def models(self, timeout: float) -> list[str]:
        """The model ids the server lists."""
        try:
            response = httpx.get(f"{self.url}/models", headers=self._headers, timeout=timeout)
        except httpx.HTTPError as error:
            raise for_transport(self.url, error, timeout) from None
        if response.status_code >= 400:
            raise for_status(self.url, response.status_code)
        try:
            return [entry["id"] for entry in response.json()["data"]]
        except (ValueError, KeyError, TypeError):
            raise ModelServerError(f"{self.url}/models did not answer like an OpenAI-compatible server; "
                                   "check model_url.") from None

    def version(self) -> str:
        """What the server says it is, where it says: vLLM's /version, llama.cpp's /props."""
        root = self.url.removesuffix("/v1")
        for path, field, server in (("/version", "version", "vLLM"), ("/props", "build_info", "llama.cpp")):
            try:
                response = httpx.get(root + path, headers=self._headers, timeout=HEALTH_TIMEOUT)
                if response.status_code == 200 and (found := response.json().get(field)):
                    return f"{server} {found}"
            except (httpx.HTTPError, ValueError, AttributeError):
                continue
        return "version not reported"  # llama-cpp-python's server, for one, has no version endpoint

    def load(self) -> OpenAICompatibleBackend:
        s = self.settings
        available = self.models(s.server_timeout)
        model = s.model_name or (available[0] if available else "")
        if not model:
            raise ModelServerError(f"The model server at {self.url} lists no models; set model_name.")
        return OpenAICompatibleBackend(self.url, model, n_ctx=s.n_ctx, temperature=s.temperature,
                                       api_key=s.model_api_key.get_secret_value() if s.model_api_key else None,
                                       timeout=s.server_timeout)
