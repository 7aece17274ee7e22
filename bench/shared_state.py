"""Micro-benchmark behind docs/decisions/0012: what a page-cache hit and a generation read cost.

Run: .venv/bin/python bench/shared_state.py  (needs Redis on 127.0.0.1:6379; uses its db 9)
"""

import os
import tempfile
import time


def bench(name, get, n=20000):
    start = time.perf_counter()
    for _ in range(n):
        get()
    print(f"{name}: {(time.perf_counter() - start) / n * 1e6:.1f} µs")


def main():
    os.environ["DJANGO_SETTINGS_MODULE"] = "sinmun.settings"
    os.environ["SINMUN_VAR_DIR"] = tempfile.mkdtemp()
    import django

    django.setup()
    import redis
    from django.core.cache.backends.filebased import FileBasedCache
    from django.core.cache.backends.locmem import LocMemCache
    from django.core.cache.backends.redis import RedisCache

    page = ("x" * 12918).encode()  # the demo's top article page
    local = LocMemCache("m", {})
    files = FileBasedCache(tempfile.mkdtemp(), {})
    shared = RedisCache("redis://127.0.0.1:6379/9", {})
    for cache in (local, files, shared):
        cache.set("p", (page, "text/html"), 600)
    bench("page get, local memory", lambda: local.get("p"))
    bench("page get, file-based cache", lambda: files.get("p"))
    bench("page get, Redis", lambda: shared.get("p"))
    path = os.path.join(os.environ["SINMUN_VAR_DIR"], "gen")
    open(path, "w").close()
    client = redis.Redis.from_url("redis://127.0.0.1:6379/9")
    client.set("g", 1)
    bench("generation read, stat", lambda: os.stat(path).st_mtime_ns)
    bench("generation read, Redis GET", lambda: client.get("g"))
    bench("generation read, file-cache get", lambda: files.get("g"))


if __name__ == "__main__":
    main()
