"""Who else has an article open in the desk editor ("○○○ 님도 이 기사를 열어 두었습니다").

Each open editor page sends a heartbeat every 15 s (:func:`touch`); a user counts as present
while their last heartbeat is at most :data:`PRESENCE_SECONDS` old, three heartbeats, so one
late or lost heartbeat does not make a name flicker. Closing the page calls :func:`leave`.

Storage is ``caches["default"]``, which every process shares (files under
``SINMUN_VAR_DIR/cache``, or Redis with ``SINMUN_REDIS_URL``): one key per article holding
``{user_id: (name, timestamp)}``, expiring :data:`PRESENCE_SECONDS` after the last heartbeat,
so an article nobody has open leaves nothing behind.

Decision: one key per article, read-modify-write, accepting that two writes at once may lose
one. Django's cache API has no atomic update that works on both backends, and the race costs
little here: the losing heartbeat is re-sent within 15 s, and an entry already present is
written back by the winner with its previous timestamp, still fresh. The worst cases are a
newly opened page unseen by others for one heartbeat, and a :func:`leave` undone by a
concurrent touch, so the name lingers until it expires (at most 45 s). Rejected: one key per
user plus an index of user ids, which costs a ``get_many`` per read and still needs a
read-modify-write on the index, with the same race; a Redis hash (atomic ``HSET``), which
would need a second implementation for the file cache.

Timestamps are wall-clock seconds (``time.time``) because processes on different app boxes
compare them; a few seconds of clock skew between boxes only shifts the 45 s window. Every
function takes ``now`` so tests can move the clock without sleeping.

Presence is per user, not per page: two tabs of one user are one entry, and leaving in one tab
hides the user until the other tab's next heartbeat.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable

from django.core.cache import caches

PRESENCE_SECONDS = 45

Clock = Callable[[], float]


def touch(*, article_id: int, user_id: int, name: str, now: Clock = time.time) -> None:
    """Record that ``user_id`` (shown as ``name``) has ``article_id`` open at this moment."""
    cache = caches["default"]
    key = _key(article_id)
    at = now()
    present = _fresh(cache.get(key), at)
    present[user_id] = (unicodedata.normalize("NFC", name), at)
    cache.set(key, present, PRESENCE_SECONDS)


def others(*, article_id: int, user_id: int, now: Clock = time.time) -> list[str]:
    """Return the names of the other users who have ``article_id`` open, in 가나다 order.

    NFC Hangul syllables are encoded in dictionary order, so sorting the code points is the
    Korean order; names in Latin letters come before Hangul ones.
    """
    present = _fresh(caches["default"].get(_key(article_id)), now())
    return sorted(name for other, (name, _) in present.items() if other != user_id)


def leave(*, article_id: int, user_id: int, now: Clock = time.time) -> None:
    """Record that ``user_id`` closed ``article_id``, so others stop seeing them at once."""
    cache = caches["default"]
    key = _key(article_id)
    present = _fresh(cache.get(key), now())
    if present.pop(user_id, None) is None:
        return
    if present:
        cache.set(key, present, PRESENCE_SECONDS)
    else:
        cache.delete(key)


def _key(article_id: int) -> str:
    return f"sinmun:presence:article:{article_id}"


def _fresh(present: dict[int, tuple[str, float]] | None, at: float) -> dict[int, tuple[str, float]]:
    """Return the entries of ``present`` whose last heartbeat is recent enough at ``at``."""
    return {
        user: (name, seen)
        for user, (name, seen) in (present or {}).items()
        if at - seen <= PRESENCE_SECONDS
    }
