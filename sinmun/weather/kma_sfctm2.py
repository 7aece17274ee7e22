"""Parse the KMA API Hub hourly surface observation, ``kma_sfctm2.php`` (지상관측 시간자료).

The answer is plain text between ``#START7777`` and ``#7777END``. Lines starting with ``#`` are
headers; two of them name the columns, the second qualifying the first (``CA`` over ``TOT`` is
``CA_TOT``); values are right-aligned under their names, so a name and its qualifier end in the
same character column. Rows are whitespace-separated: 46 columns today, 45 before ``RN_JUN`` was
added. Column positions are read from the header, never assumed.

Missing values are ``-9``, ``-9.0``, ``-99.0`` or ``-``, except that a temperature of ``-9.0`` is an
ordinary winter reading: temperatures use ``-99.0`` for missing (as the soil temperatures in live
answers show), so for ``TA`` only ``-``, ``-9`` and values at or below -90 count as missing.

``parse`` is pure: bytes in, readings out, or ``BadResponse`` with one of the constants below.
"""

import json
import logging
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from . import sky
from .readings import BadResponse, Reading

logger = logging.getLogger(__name__)

KST = ZoneInfo("Asia/Seoul")

START = "#START7777"
END = "#7777END"

EMPTY = "기상청 API허브 응답이 비어 있습니다."
UNDECODABLE = "기상청 API허브 응답의 문자 인코딩을 읽을 수 없습니다 (UTF-8도 EUC-KR도 아님)."
HTML_PAGE = "기상청 API허브가 관측 자료 대신 HTML 페이지를 보냈습니다."
KEY_REJECTED = (
    "기상청 API허브가 인증키를 거부했습니다 (401/403): "
    "SINMUN_KMA_API_HUB_KEY와 이 API의 활용신청을 확인하세요."
)
API_ERROR = "기상청 API허브가 관측 자료 대신 오류(JSON)를 보냈습니다."
NOT_OBSERVATIONS = "기상청 API허브 응답이 관측 자료 형식(#START7777)이 아닙니다."
TRUNCATED = "기상청 API허브 응답이 중간에 끊겼습니다 (#7777END 없음)."
NO_HEADER = "관측 자료에 열 이름 줄(# YYMMDDHHMI STN …)과 단위 줄이 없습니다."
MISSING_COLUMNS = "관측 자료에 필요한 열이 없습니다: {columns}"
NO_ROWS = "관측 자료에 읽을 수 있는 지점 행이 없습니다."
ROW_SKIPPED = "kma_sfctm2: %d번째 줄을 건너뜁니다 (%s)"

REQUIRED = ("TM", "STN", "TA", "WC", "CA_TOT")

_MISSING = {"-9", "-9.0", "-99.0", "-"}
# Second header line tokens that qualify the name above them (GST/WD → GST_WD, CA/TOT → CA_TOT).
_QUALIFIERS = {"WD", "WS", "TM", "DAY", "JUN", "INT", "HR3", "TOT", "MID", "MIN", "TOP", "LOW",
               "GD", "SEA"}  # fmt: skip
_SOIL_DEPTHS = {"5": "005", "10": "01", "20": "02", "30": "03"}
_TOKEN = re.compile(r"\S+")


def decode(body: bytes) -> str:
    """Return ``body`` as text: UTF-8 if it is valid UTF-8, else CP949 (a superset of EUC-KR)."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BadResponse(UNDECODABLE, detail=repr(body[:40]))


def parse(body: bytes) -> list[Reading]:
    """Return one reading per station in a ``kma_sfctm2.php`` answer (the latest row of each)."""
    if not body.strip():
        raise BadResponse(EMPTY)
    text = decode(body)
    head = text.lstrip()[:512].lower()
    if head.startswith("<!doctype") or "<html" in head:
        raise BadResponse(HTML_PAGE, detail=_snippet(text))
    if head.startswith("{"):
        raise _json_error(text)
    lines = text.splitlines()
    starts = [n for n, line in enumerate(lines) if line.strip() == START]
    if not starts:
        raise BadResponse(NOT_OBSERVATIONS, detail=_snippet(text))
    ends = [n for n, line in enumerate(lines) if line.strip() == END and n > starts[0]]
    if not ends:
        raise BadResponse(TRUNCATED, detail=f"{len(body)} bytes")
    block = lines[starts[0] + 1 : ends[0]]
    columns = _columns(block)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise BadResponse(MISSING_COLUMNS.format(columns=", ".join(missing)))
    index = {name: columns.index(name) for name in REQUIRED}

    latest: dict[int, Reading] = {}
    for number, line in enumerate(block, start=starts[0] + 2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        values = line.split()
        if len(values) != len(columns):
            logger.warning(ROW_SKIPPED, number, f"{len(values)}개 열, 머리글은 {len(columns)}개")
            continue
        try:
            reading = _reading(values, index)
        except ValueError as error:
            logger.warning(ROW_SKIPPED, number, error)
            continue
        known = latest.get(reading.stn_id)
        if known is None or known.observed_at <= reading.observed_at:
            latest[reading.stn_id] = reading
    if not latest:
        raise BadResponse(NO_ROWS)
    return list(latest.values())


def _columns(block: list[str]) -> list[str]:
    """Return the column names from the two header lines (``TM``, ``STN``, …, ``CA_TOT``, …)."""
    for n, line in enumerate(block):
        if not line.startswith("#"):
            continue
        names = " " + line[1:]  # keep character positions, drop the '#'
        if not names.split() or names.split()[0] != "YYMMDDHHMI":
            continue
        units_line = next((u for u in block[n + 1 :] if u.startswith("#")), None)
        if units_line is None:
            break
        units = {m.end(): m.group() for m in _TOKEN.finditer(" " + units_line[1:])}
        columns = []
        for match in _TOKEN.finditer(names):
            name, unit = match.group(), units.get(match.end(), "")
            if name == "YYMMDDHHMI":
                name = "TM"
            elif unit in _QUALIFIERS:
                name = f"{name}_{unit}"
            elif name == "TE" and unit in _SOIL_DEPTHS:
                name = f"TE_{_SOIL_DEPTHS[unit]}"
            columns.append(name)
        return columns
    raise BadResponse(NO_HEADER)


def _reading(values: list[str], index: dict[str, int]) -> Reading:
    tm = values[index["TM"]]
    if not (len(tm) == 12 and tm.isdigit()):
        raise ValueError(f"관측 시각 {tm!r}")
    observed_at = datetime(
        int(tm[0:4]), int(tm[4:6]), int(tm[6:8]), int(tm[8:10]), int(tm[10:12]), tzinfo=KST
    ).astimezone(UTC)
    return Reading(
        stn_id=int(values[index["STN"]]),
        observed_at=observed_at,
        temperature=_temperature(values[index["TA"]]),
        sky=sky.sky_word(_code(values[index["CA_TOT"]], high=10)),
        precipitation=sky.precipitation_from_wmo(_code(values[index["WC"]], high=99)),
    )


def _temperature(token: str) -> float | None:
    if token in {"-", "-9"}:
        return None
    value = float(token)
    return None if value <= -90 else value


def _code(token: str, *, high: int) -> int | None:
    if token in _MISSING:
        return None
    value = float(token)
    if not value.is_integer() or not 0 <= value <= high:
        return None
    return int(value)


def _json_error(text: str) -> BadResponse:
    try:
        status = json.loads(text).get("result", {}).get("status")
    except (ValueError, AttributeError):
        status = None
    if status in (401, 403):
        return BadResponse(KEY_REJECTED, detail=_snippet(text))
    return BadResponse(API_ERROR, detail=_snippet(text))


def _snippet(text: str) -> str:
    return " ".join(text.split())[:120]
