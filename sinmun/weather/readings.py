"""What the source parsers return: one reading per station, or a rejected response."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Reading:
    """One station's observation as a source reported it (``temperature`` None when missing)."""

    stn_id: int
    observed_at: datetime  # aware, UTC
    temperature: float | None
    sky: str = ""
    precipitation: str = ""


class BadResponse(Exception):
    """A source answered with something that is not observations; nothing may be stored.

    ``str(error)`` is one of the parser module's message constants; ``detail`` says what was
    seen (a status, the start of the body) for the log.
    """

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message
