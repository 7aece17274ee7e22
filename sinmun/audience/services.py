"""Every write of the audience app: count a view, flush counts, refresh the rankings.

- ``view_record``: the beacon endpoint's one call; a store write, never the content database.
- ``views_count``: what the worker does with the page views the web processes handed it
  (``handover``): hashed and counted (the 30-minute dedup) in one transaction.
- ``views_spool``: what a web process does with its page views where no worker receives them
  (``pageviews``): a second's worth hashed and appended to the store's spool, no dedup.
- ``views_flush``: the worker's job every 15 s. It counts the spool (``store.drain``: the
  30-minute dedup, in one transaction with the spool's deletion), finishes batches a dead worker
  left (``store.batches``), then claims the open counts as a new batch, adds the batch to the
  database together with a ``FlushedBatch`` row in one transaction, and only then forgets the
  batch in the store. Dying at any point loses nothing and adds nothing twice.
- ``rankings_refresh``: the worker's job every minute (``ranking``).
"""

import contextlib
import logging
import time
from collections import Counter
from contextlib import nullcontext
from datetime import UTC, date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from sinmun.newsroom import selectors as newsroom_selectors

from . import counting, ranking
from . import store as stores
from .models import (
    BUCKET_SECONDS,
    KEEP_BUCKET_DAYS,
    DailyViews,
    FlushedBatch,
    ReferrerDaily,
    ViewBucket,
)

logger = logging.getLogger(__name__)

KEEP_BATCH_MARKS = timedelta(days=2)
STORE_DOWN = "지금은 조회수를 셀 수 없습니다. 잠시 뒤 다시 시도하세요."


def view_record(
    *,
    public_id: str,
    referrer: str,
    user_agent: str,
    address: str,
    headers,
    host: str,
    now: float | None = None,
    store=None,
) -> str | None:
    """Count one beacon; return why it was not counted as a reader's view, or None.

    A repeat within the dedup window is not an error: it returns None and counts nothing.
    """
    reason = counting.refusal(public_id=public_id, user_agent=user_agent, headers=headers)
    if reason:
        return reason
    try:
        _record(
            store or stores.current(),
            public_id=public_id,
            referrer=referrer,
            user_agent=user_agent,
            address=address,
            host=host,
            now=now,
        )
    except Exception:
        # Redis down, the disk full: the reader's page is not affected; say so to the beacon.
        logger.exception("조회수 기록 실패")
        return STORE_DOWN
    return None


def _salt(store, epoch: float) -> bytes:
    """Return the salt of the Seoul day ``epoch`` falls in (in Redis it expires with the day)."""
    moment = datetime.fromtimestamp(epoch, UTC)
    day = counting.day_of(moment)
    if isinstance(store, stores.RedisStore):
        return store.salt(day, expires_at=counting.day_end(moment))
    return store.salt(day)


def _record(store, *, public_id, referrer, user_agent, address, host, now) -> None:
    epoch = time.time() if now is None else now
    salt = _salt(store, epoch)
    store.record(
        key=counting.reader_key(
            salt=salt, address=address, user_agent=user_agent, public_id=public_id
        ),
        public_id=public_id,
        bucket=counting.bucket_of(epoch),
        domain=counting.referrer_domain(referrer, host),
        now=epoch,
    )


def _hashed(views, store, *, as_integer: bool = False) -> list:
    """Return ``(key, public_id, bucket, domain, epoch)`` for ``views`` ``(public_id, address,
    user_agent, referrer, host, epoch)``: ``key`` the reader's keyed hash (bytes), or the
    integer the embedded store keeps it as (``as_integer``).

    A list built in one loop, not a generator: the counting process runs it for every view
    (decision 0020, revision 9).
    """
    # A second's views share their second and most share a referrer (none, a portal's page):
    # each second's keyed hasher (the day's salt) and each referrer's domain is made once.
    hashers: dict[int, object] = {}
    domains: dict[tuple[str, str], str] = {}
    message = counting.reader_message
    integer_key = stores.integer_key
    hashed = []
    keep = hashed.append
    for public_id, address, user_agent, referrer, host, epoch in views:
        second = int(epoch)
        hasher = hashers.get(second)
        if hasher is None:
            hasher = hashers[second] = counting.reader_hasher(_salt(store, second))
        domain = domains.get((referrer, host))
        if domain is None:
            domain = domains[(referrer, host)] = counting.referrer_domain(referrer, host)
        key = hasher.copy()
        key.update(message(address, user_agent, public_id))
        key = key.digest()
        if as_integer:
            key = integer_key(key)
        keep((key, public_id, second - second % counting.BUCKET_SECONDS, domain, epoch))
    return hashed


def views_spool(views, *, store=None) -> int:
    """Put page views the server saw, ``(public_id, address, user_agent, referrer, host,
    epoch)`` each, already judged to be readers' (``pageviews``), in the store's spool for the
    worker to count (``views_flush``); return how many.

    What is spooled is the reader's keyed hash, never the address or the User-Agent: one row
    (SQLite) or one list entry (Redis) per ``SPOOL_VIEWS``. The 30-minute dedup is the
    worker's (``store.drain``), so a web process does no more than hash and append.
    Raises when the store is down (the caller keeps the views).
    """
    store = store or stores.current()
    lines = [
        stores.spool_line(key.hex(), public_id, bucket, domain, epoch)
        for key, public_id, bucket, domain, epoch in _hashed(views, store)
    ]
    for at in range(0, len(lines), stores.SPOOL_VIEWS):
        store.spool_add("\n".join(lines[at : at + stores.SPOOL_VIEWS]))
    return len(lines)


def views_count(views, *, store=None, holding=contextlib.nullcontext) -> int:
    """Count readers' page views (as ``views_spool`` takes them) that the worker received from
    the web processes (``handover``); return how many were new (the embedded store) or spooled
    (Redis).

    The embedded store is this machine's: the views are hashed and counted at once, the
    30-minute dedup in the same transaction as the counts (``EmbeddedStore.count``), with no
    spool between. With Redis several boxes share the dedup, which is Redis's own script: the
    views are spooled there and counted by the drain, as every box's are.
    Raises when the store is down (the caller keeps the views).
    """
    store = store or stores.current()
    if not isinstance(store, stores.EmbeddedStore):
        return views_spool(views, store=store)
    # Judged and hashed first (``list``), so that only the dedup and the writes happen inside
    # ``holding``, with the write lock held.
    return store.count(_hashed(views, store, as_integer=True), holding=holding)


def counters_add(model, key_columns: tuple[str, ...], rows: dict[tuple, int]) -> None:
    """Add ``rows`` ({key values: views}) to ``model``'s counters in one statement."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in (*key_columns, "views"))
    conflict = ", ".join(connection.ops.quote_name(c) for c in key_columns)
    marks = ", ".join(["%s"] * (len(key_columns) + 1))
    # The same statement on SQLite (3.24+) and PostgreSQL: add, never overwrite.
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES ({marks}) "  # noqa: S608 (names from _meta)
        f"ON CONFLICT ({conflict}) DO UPDATE SET views = {table}.views + excluded.views"
    )
    ops = connection.ops

    def adapt(value):
        # As the ORM writes them, so a row written here and one written by the ORM are one key.
        if isinstance(value, datetime):
            return ops.adapt_datetimefield_value(value)
        if isinstance(value, date):
            return ops.adapt_datefield_value(value)
        return value

    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*(adapt(v) for v in key), views) for key, views in rows.items()])


def _apply(store, batch: str, now: datetime) -> int:
    """Add one claimed batch to the database (once), then forget it in the store."""
    if FlushedBatch.objects.filter(batch=batch).exists():
        store.finish(batch)
        return 0
    counts = store.batch(batch)
    ids = dict(
        newsroom_selectors.published_articles()
        .filter(public_id__in={c.public_id for c in counts})
        .values_list("public_id", "pk")
    )
    buckets: Counter = Counter()
    days: Counter = Counter()
    referrers: Counter = Counter()
    added = 0
    for count in counts:
        pk = ids.get(count.public_id)
        if pk is None:  # unknown, withdrawn or not yet released: never counted
            continue
        start = datetime.fromtimestamp(count.bucket, UTC)
        day = datetime.fromisoformat(counting.day_of(start)).date()
        buckets[(pk, start)] += count.views
        days[(pk, day)] += count.views
        referrers[(day, count.domain)] += count.views
        added += count.views
    with transaction.atomic():
        FlushedBatch.objects.create(batch=batch, at=now)
        counters_add(ViewBucket, ("article_id", "start"), buckets)
        counters_add(DailyViews, ("article_id", "day"), days)
        counters_add(ReferrerDaily, ("day", "domain"), referrers)
    store.finish(batch)
    return added


def views_flush(*, store=None, now: datetime | None = None, patience: float | None = None) -> int:
    """Move every counted view from the store to the database; return how many were added.

    With ``patience`` (seconds), a store whose write lock another process holds longer than
    that is left as it is until the next call (logged), having added what was done so far:
    the worker's tick, which must not wait behind the counting process (``handover``).
    """
    store = store or stores.current()
    now = now or timezone.now()
    added = 0
    waiting = store.waiting_at_most(patience) if patience is not None else nullcontext()
    try:
        with waiting:
            # The web processes' spooled views first (their dedup), so this flush takes them.
            store.drain()
            for batch in store.batches():
                added += _apply(store, batch, now)
            batch = store.claim()
            if batch:
                added += _apply(store, batch, now)
            store.prune(now.timestamp())
    except stores.StoreBusy:
        # A batch already in the database and not yet forgotten is finished next time, once.
        logger.info("조회수 저장소를 다른 프로세스가 쓰고 있어 다음 틱에 마저 옮깁니다")
    FlushedBatch.objects.filter(at__lt=now - KEEP_BATCH_MARKS).delete()
    return added


def rankings_refresh(*, store=None, now: datetime | None = None) -> dict[str, list[int]]:
    """Compute every ranking from the flushed counts and put them where pages read them."""
    store = store or stores.current()
    now = now or timezone.now()
    rankings = ranking.compute(now=now)
    store.put_rankings(rankings)
    ViewBucket.objects.filter(
        start__lt=now - timedelta(days=KEEP_BUCKET_DAYS, seconds=BUCKET_SECONDS)
    ).delete()
    return rankings
