"""HTTP GET for the two KMA sources, with timeouts and retries with exponential backoff.

Standard library only (``urllib``): the ticker makes two kinds of plain GET requests an hour,
which does not justify a dependency such as requests. Runs only in ``sinmun weather refresh`` /
``sinmun worker``), never during a page request.

The answer comes back whatever its HTTP status (a 401 body says why the key was refused);
only network failures and 5xx/429 answers are retried, and ``FetchError`` is raised when the
retries run out. Log lines name the host and path, never the query (it holds the key).
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
ATTEMPTS = 3
BACKOFF_SECONDS = 2.0  # waits 2 s, then 4 s
MAX_BODY_BYTES = 2 * 1024 * 1024
USER_AGENT = "Sinmun weather ticker (urllib)"

UNREACHABLE = "기상청 서버에 연결하지 못했습니다 ({attempts}번 시도): {reason}"


class FetchError(Exception):
    """The source could not be reached (network error, timeout, 5xx) after every retry."""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes


def fetch(
    url: str,
    params: dict[str, str],
    *,
    timeout: float = TIMEOUT_SECONDS,
    attempts: int = ATTEMPTS,
    backoff: float = BACKOFF_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> Response:
    """GET ``url`` with ``params``; retry network errors, timeouts, 429 and 5xx with backoff."""
    parts = urlsplit(url)
    if parts.scheme != "https":
        raise ValueError(f"KMA sources are fetched over https only, not {url!r}")
    where = f"{parts.netloc}{parts.path}"
    request = Request(f"{url}?{urlencode(params)}", headers={"User-Agent": USER_AGENT})  # noqa: S310
    reason = ""
    for attempt in range(1, attempts + 1):
        try:
            # https only (checked above); the URL is built from constants and our own params.
            with urlopen(request, timeout=timeout) as answer:  # noqa: S310
                return Response(answer.status, answer.read(MAX_BODY_BYTES))
        except HTTPError as error:
            body = error.read(MAX_BODY_BYTES) if error.fp else b""
            if error.code != 429 and error.code < 500:
                return Response(error.code, body)
            reason = f"HTTP {error.code}"
        except (URLError, TimeoutError, OSError) as error:
            reason = str(getattr(error, "reason", error))
        logger.warning("%s: %d번째 시도 실패 (%s)", where, attempt, reason)
        if attempt < attempts:
            sleep(backoff * 2 ** (attempt - 1))
    raise FetchError(UNREACHABLE.format(attempts=attempts, reason=reason))
