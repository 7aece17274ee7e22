"""Format dates and times the way Korean newspapers print them, always in KST.

Written by hand instead of using Django's ``date`` filter, ``naturaltime`` or the
``ko`` locale because those follow general-purpose Korean, not news style: the
locale spells weekdays out (``수요일`` where a date strip wants ``(수)``) and
``naturaltime`` puts a space between the number and the unit (``3 분 전``
where news copy writes ``3분 전``). Formatting by hand also keeps the output
independent of the active language and ``TIME_ZONE`` setting: readers of a Korean
paper expect Seoul time whatever the server runs in.

Naive datetimes are refused rather than guessed at: a naive value reaching this
module means some code lost its time zone, and silently treating it as UTC or as
KST would print a wrong time that nobody notices.

The relative-time rule (:func:`relative`) works on KST calendar days, not on
24-hour spans, because readers think in days: an article from 23:00 read at 01:30
is "어제", not "2시간 전".

1. More than one minute in the future (clock skew, scheduled items): the full
   :func:`timestamp`, since "N분 후" would look like a bug on a news site.
2. Less than 60 seconds ago (or up to a minute ahead): ``방금 전``.
3. Less than 60 minutes ago: ``N분 전`` — even across midnight, so 23:50 read at
   00:10 is ``20분 전``.
4. Same KST calendar day: ``N시간 전`` (whole hours, rounded down).
5. Previous KST calendar day: ``어제``.
6. Two to six KST calendar days back: ``N일 전``.
7. Anything older: the date, ``2025.06.13``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")

WEEKDAYS = "월화수목금토일"

NAIVE_DATETIME = "시간대 정보가 없는 시각입니다 (naive datetime)."

_MINUTE = timedelta(minutes=1)
_HOUR = timedelta(hours=1)


def to_kst(dt: datetime) -> datetime:
    """Return ``dt`` converted to Korea Standard Time; refuse naive datetimes."""
    # utcoffset() is the authoritative test: a tzinfo that returns None is naive too.
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(NAIVE_DATETIME)
    return dt.astimezone(KST)


def _kst_date(value: datetime | date) -> date:
    # datetime is a subclass of date, so it must be checked first.
    if isinstance(value, datetime):
        return to_kst(value).date()
    return value


def weekday(value: datetime | date) -> str:
    """Return the one-syllable weekday (``"수"``) of a date or of a datetime in KST."""
    return WEEKDAYS[_kst_date(value).weekday()]


def date_strip(value: datetime | date) -> str:
    """Return the dateline form ``"2025.12.31 (수)"``.

    A ``date`` is taken as a calendar date as is; a ``datetime`` is converted to
    KST first, so 2025-12-31 15:30 UTC prints as ``2026.01.01 (목)``.
    """
    day = _kst_date(value)
    return f"{_dotted(day)} ({WEEKDAYS[day.weekday()]})"


def timestamp(dt: datetime) -> str:
    """Return ``"2025.06.13 10:12"``: KST, 24-hour clock, zero-padded."""
    local = to_kst(dt)
    return f"{_dotted(local.date())} {local.hour:02d}:{local.minute:02d}"


def relative(dt: datetime, *, now: datetime | None = None) -> str:
    """Describe how long ago ``dt`` was, in news style (see the module docstring)."""
    if now is None:
        # Imported here so this module loads without Django settings configured.
        from django.utils import timezone

        now = timezone.now()
    then_kst = to_kst(dt)
    now_kst = to_kst(now)
    elapsed = now_kst - then_kst

    if elapsed < -_MINUTE:
        return timestamp(dt)
    if elapsed < _MINUTE:
        return "방금 전"
    if elapsed < _HOUR:
        return f"{elapsed // _MINUTE}분 전"

    days = (now_kst.date() - then_kst.date()).days
    if days == 0:
        return f"{elapsed // _HOUR}시간 전"
    if days == 1:
        return "어제"
    if days < 7:
        return f"{days}일 전"
    return _dotted(then_kst.date())


def _dotted(day: date) -> str:
    return f"{day.year:04d}.{day.month:02d}.{day.day:02d}"
