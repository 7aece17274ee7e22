"""A process that counts views into a store, for the concurrency test (no Django needed)."""

from sinmun.audience import counting
from sinmun.audience import store as stores


def count(kind: str, where: str, prefix: str, readers: range, articles: list[str], now: float):
    """Count every reader of every article twice (the repeat must not count)."""
    store = stores.EmbeddedStore(where) if kind == "embedded" else stores.RedisStore(where, prefix)
    salt = b"s" * 32
    for _ in range(2):
        for reader in readers:
            for public_id in articles:
                store.record(
                    key=counting.reader_key(
                        salt=salt,
                        address=f"10.0.{reader // 250}.{reader % 250}",
                        user_agent="Mozilla/5.0 test",
                        public_id=public_id,
                    ),
                    public_id=public_id,
                    bucket=counting.bucket_of(now),
                    domain="direct",
                    now=now,
                )
