"""Counting banner views and clicks without a database write per event.

Each view or click is one increment in a store every process shares; the worker's
``tasks.flush`` (every 15 s, and whenever it starts) takes what the store holds and adds it to
``DailyStat`` rows (day × creative × slot) in one transaction. Web processes keep nothing in
memory, so stopping one loses nothing.

Stores:
- ``SINMUN_REDIS_URL`` set: one Redis hash, ``HINCRBY`` per event (atomic). A flush renames
  the hash to a batch key (atomic: later events go to a fresh hash) and reads it.
- otherwise: append-only spool files under ``SINMUN_VAR_DIR/ads-spool``, one per process,
  one line per event, written under an exclusive ``flock`` with one ``write``. A flush renames
  each file to a batch, then takes the lock once so a writer still holding the old file has
  finished; a writer that locked a file and finds it renamed writes again to the new one.

Exactly once: a batch is applied in the same transaction that records its id
(``FlushMark``), and removed from the store only after that commit. A worker killed between
the two finds the batch again at its next flush and removes it without adding it twice; one
killed before the commit adds it then. Bounds on a crash: a web process killed mid-request
loses at most the events of that request (the browser does not resend a beacon); a machine
that loses power loses what the operating system had not yet written of the spool files
(Linux writes dirty pages back within ~30 s), or what Redis had not persisted (with
``appendfsync everysec``, about 1 s).
"""

import fcntl
import logging
import os
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Creative, DailyStat, FlushMark

logger = logging.getLogger(__name__)

VIEW = "v"
CLICK = "c"
KINDS = (VIEW, CLICK)
# Marks of applied batches are kept this long: a batch is retried within seconds, not weeks.
MARK_DAYS = 7
UNKNOWN_CREATIVE = "광고 집계: 없는 소재 %s의 %d건은 버립니다."


def event_key(*, day: date, campaign_id: int, creative_id: int, slot: str, kind: str) -> str:
    return f"{day.isoformat()}|{campaign_id}|{creative_id}|{slot}|{kind}"


class SpoolStore:
    """Append-only files under ``folder``, one per writing process."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def add(self, key: str, n: int = 1) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{os.getpid()}.log"
        line = f"{key} {n}\n".encode()
        while True:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    same = os.stat(path).st_ino == os.fstat(fd).st_ino
                except FileNotFoundError:
                    same = False
                if same:
                    os.write(fd, line)
                    return
            finally:
                os.close(fd)

    def take(self) -> Iterator[tuple[str, Counter]]:
        if not self.folder.exists():
            return
        for live in sorted(self.folder.glob("*.log")):
            taken = live.with_name(f"{live.stem}.{uuid.uuid4().hex}.batch")
            try:
                live.rename(taken)
            except FileNotFoundError:
                continue
            # Wait for a writer that opened the file before the rename to finish its line.
            with open(taken, "rb") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
        for batch in sorted(self.folder.glob("*.batch")):
            counts: Counter = Counter()
            for raw in batch.read_bytes().splitlines():
                key, _, n = raw.decode().rpartition(" ")
                if key and n.isdigit():
                    counts[key] += int(n)
            yield batch.name, counts

    def done(self, batch: str) -> None:
        (self.folder / batch).unlink(missing_ok=True)


class RedisStore:
    """One Redis hash of pending counts; batches renamed away from it."""

    def __init__(self, url: str, prefix: str = "sinmun:ads:"):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        self.pending = f"{prefix}pending"
        self.batch_prefix = f"{prefix}batch:"

    def add(self, key: str, n: int = 1) -> None:
        self.client.hincrby(self.pending, key, n)

    def take(self) -> Iterator[tuple[str, Counter]]:
        import redis

        try:
            self.client.rename(self.pending, f"{self.batch_prefix}{uuid.uuid4().hex}")
        except redis.ResponseError:
            pass  # nothing pending
        for name in sorted(self.client.scan_iter(match=f"{self.batch_prefix}*")):
            raw = self.client.hgetall(name)
            counts = Counter({k.decode(): int(v) for k, v in raw.items()})
            yield name.decode(), counts

    def done(self, batch: str) -> None:
        self.client.delete(batch)


def default_store():
    if settings.REDIS_URL:
        return RedisStore(settings.REDIS_URL)
    return SpoolStore(settings.VAR_DIR / "ads-spool")


def record(
    kind: str,
    *,
    campaign_id: int,
    creative_id: int,
    slot: str,
    at: datetime | None = None,
    store=None,
) -> None:
    """Count one view or click of a banner (no database write)."""
    day = timezone.localdate(at or timezone.now())
    key = event_key(day=day, campaign_id=campaign_id, creative_id=creative_id, slot=slot, kind=kind)
    (store or default_store()).add(key)


def _apply(counts: Counter) -> int:
    rows: dict[tuple[date, int, int, str], dict[str, int]] = {}
    for key, n in counts.items():
        try:
            day, campaign_id, creative_id, slot, kind = key.split("|")
            parsed = (date.fromisoformat(day), int(campaign_id), int(creative_id), slot)
        except ValueError:
            continue
        if kind not in KINDS or n <= 0:
            continue
        row = rows.setdefault(parsed, {VIEW: 0, CLICK: 0})
        row[kind] += n
    known = dict(
        Creative.objects.filter(pk__in={k[2] for k in rows}).values_list("pk", "campaign_id")
    )
    applied = 0
    for (day, _campaign_id, creative_id, slot), row in sorted(rows.items()):
        if creative_id not in known:
            logger.warning(UNKNOWN_CREATIVE, creative_id, row[VIEW] + row[CLICK])
            continue
        stat, _ = DailyStat.objects.get_or_create(
            day=day, creative_id=creative_id, slot=slot[:30],
            defaults={"campaign_id": known[creative_id]},
        )  # fmt: skip
        DailyStat.objects.filter(pk=stat.pk).update(
            impressions=F("impressions") + row[VIEW], clicks=F("clicks") + row[CLICK]
        )
        applied += row[VIEW] + row[CLICK]
    return applied


def flush(*, store=None) -> int:
    """Add every pending count to the daily rows; return how many events were added."""
    store = store or default_store()
    applied = 0
    for batch, counts in store.take():
        with transaction.atomic():
            _, new = FlushMark.objects.get_or_create(batch=batch)
            if new:
                applied += _apply(counts)
        store.done(batch)
    if applied:
        FlushMark.objects.filter(applied_at__lt=timezone.now() - timedelta(days=MARK_DAYS)).delete()
        from . import inventory

        inventory.bump()  # caps see the new counts in every process
    return applied
