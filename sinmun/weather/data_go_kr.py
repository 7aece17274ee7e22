"""Parse data.go.kr 초단기실황 (``VilageFcstInfoService_2.0/getUltraSrtNcst``), the fallback.

One request per station's 5 km grid cell. Rules from the service guide:
- ``base_time`` is on the hour (``HH00``); an hour's nowcast is served from HH:40, so before
  :40 ask for the previous hour, and on ``03 NO_DATA`` ask once more for the hour before.
- Result codes: ``00`` normal, ``03`` no data, ``22`` daily quota exceeded, ``30`` key not
  registered (``31`` expired, ``32`` IP not registered, ``20`` access denied).
- Errors come as XML even when JSON was asked: the gateway's ``<OpenAPI_ServiceResponse>``
  envelope (``returnReasonCode``) or ``<response><header><resultCode>``.
- ``items.item`` is a list, but a single object when there is one item.
- The nowcast has no cloud amount, so a reading from here has no sky word (only ``PTY``).

``parse`` is pure: bytes in, a ``Nowcast`` out, or ``DataGoKrError`` with a constant message.
"""

import json
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from . import sky
from .readings import BadResponse

KST = ZoneInfo("Asia/Seoul")

# The hour's nowcast is served from HH:40 (초단기실황 API 제공 시간).
PUBLISHED_AT_MINUTE = 40

NORMAL = "00"
NO_DATA_CODE = "03"
QUOTA_CODE = "22"
KEY_CODES = {"20", "30", "31", "32"}

NO_DATA = "공공데이터포털 초단기실황: 요청한 시각의 자료가 아직 없습니다 (03 NO_DATA)."
QUOTA_EXCEEDED = "공공데이터포털 초단기실황: 하루 호출 한도를 넘었습니다 (22)."
KEY_REJECTED = (
    "공공데이터포털 초단기실황: 인증키가 등록되지 않았거나 쓸 수 없습니다 ({code}): "
    "SINMUN_KMA_DATA_GO_KR_KEY와 활용신청을 확인하세요."
)
SERVICE_ERROR = "공공데이터포털 초단기실황 오류 {code} {message}"
UNREADABLE = "공공데이터포털 응답이 JSON도 XML도 아닙니다."
NO_TEMPERATURE = "공공데이터포털 초단기실황에 기온(T1H)이 없습니다."

# Grid products flag a missing value with a number far outside nature (e.g. -999).
_MISSING_BEYOND = 900.0
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


class DataGoKrError(BadResponse):
    """A data.go.kr answer that carries no nowcast; ``code`` is its result code when it had one."""

    def __init__(self, message: str, *, code: str = "", detail: str = "") -> None:
        super().__init__(message, detail=detail)
        self.code = code


@dataclass(frozen=True)
class Nowcast:
    observed_at: datetime  # aware, UTC
    nx: int
    ny: int
    temperature: float | None
    precipitation: str


def base_time(now: datetime) -> datetime:
    """Return the newest ``base_date``/``base_time`` served at ``now`` (aware, in KST)."""
    local = now.astimezone(KST).replace(minute=0, second=0, microsecond=0)
    if now.astimezone(KST).minute < PUBLISHED_AT_MINUTE:
        local -= timedelta(hours=1)
    return local


def request_params(*, key: str, at: datetime, nx: int, ny: int) -> dict[str, str]:
    """Return the query for one grid cell at base time ``at`` (KST)."""
    local = at.astimezone(KST)
    return {
        "serviceKey": key,
        "pageNo": "1",
        "numOfRows": "10",
        "dataType": "JSON",
        "base_date": local.strftime("%Y%m%d"),
        "base_time": local.strftime("%H00"),
        "nx": str(nx),
        "ny": str(ny),
    }


def parse(body: bytes) -> Nowcast:
    """Return the nowcast in a ``getUltraSrtNcst`` answer (JSON, or XML)."""
    text = body.decode("utf-8-sig", errors="replace").strip()
    if text.startswith("{"):
        code, message, items = _from_json(text)
    elif text.startswith("<"):
        code, message, items = _from_xml(body)
    else:
        raise DataGoKrError(UNREADABLE, detail=text[:120])
    if code == NO_DATA_CODE:
        raise DataGoKrError(NO_DATA, code=code)
    if code == QUOTA_CODE:
        raise DataGoKrError(QUOTA_EXCEEDED, code=code, detail=message)
    if code in KEY_CODES:
        raise DataGoKrError(KEY_REJECTED.format(code=code), code=code, detail=message)
    if code != NORMAL:
        raise DataGoKrError(SERVICE_ERROR.format(code=code, message=message), code=code)
    values = {item.get("category"): item for item in items}
    if "T1H" not in values:
        raise DataGoKrError(NO_TEMPERATURE)
    first = values["T1H"]
    day, hour = str(first.get("baseDate", "")), str(first.get("baseTime", ""))
    if not (len(day) == 8 and day.isdigit() and len(hour) == 4 and hour.isdigit()):
        raise DataGoKrError(SERVICE_ERROR.format(code=code, message=f"baseDate {day} {hour}"))
    observed_at = datetime(
        int(day[:4]), int(day[4:6]), int(day[6:]), int(hour[:2]), int(hour[2:]), tzinfo=KST
    ).astimezone(UTC)
    return Nowcast(
        observed_at=observed_at,
        nx=int(first.get("nx", 0)),
        ny=int(first.get("ny", 0)),
        temperature=_number(values["T1H"].get("obsrValue")),
        precipitation=sky.precipitation_from_pty(_code(values.get("PTY", {}).get("obsrValue"))),
    )


def _from_json(text: str) -> tuple[str, str, list[dict]]:
    try:
        data = json.loads(text)
        response = data["response"]
        header = response["header"]
    except (ValueError, KeyError, TypeError):
        raise DataGoKrError(UNREADABLE, detail=text[:120]) from None
    code, message = str(header.get("resultCode", "")), str(header.get("resultMsg", ""))
    items = ((response.get("body") or {}).get("items") or {}) if code == NORMAL else {}
    item = items.get("item", []) if isinstance(items, dict) else []
    return code, message, item if isinstance(item, list) else [item]


def _from_xml(body: bytes) -> tuple[str, str, list[dict]]:
    # A service answer never declares a DTD; refusing one rules out entity tricks before parsing.
    if _DOCTYPE.search(body):
        raise DataGoKrError(UNREADABLE, detail="DTD")
    try:
        # Stdlib XML: no DTD (checked above), so no entity expansion or external fetch.
        root = ElementTree.fromstring(body)  # noqa: S314
    except ElementTree.ParseError:
        raise DataGoKrError(UNREADABLE, detail=body[:120].decode(errors="replace")) from None
    if root.tag == "OpenAPI_ServiceResponse":
        code = root.findtext(".//returnReasonCode", "").strip()
        message = root.findtext(".//returnAuthMsg", "") or root.findtext(".//errMsg", "")
        return code, message.strip(), []
    code = (root.findtext("header/resultCode") or root.findtext(".//resultCode") or "").strip()
    message = (root.findtext("header/resultMsg") or root.findtext(".//resultMsg") or "").strip()
    items = [
        {child.tag: (child.text or "").strip() for child in item} for item in root.iter("item")
    ]
    return code, message, items


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if abs(number) >= _MISSING_BEYOND else number


def _code(value) -> int | None:
    number = _number(value)
    return int(number) if number is not None and number.is_integer() else None
