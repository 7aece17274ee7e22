"""gunicorn settings for ``sinmun serve``.

The master loads the Korean analyzer's model before forking (``--preload`` and
``SINMUN_PRELOAD_ANALYZER``, see sinmun/wsgi.py); each worker then runs its first analysis and
loads the user dictionary while booting, so that no reader waits the ~8 s kiwipiepy takes to
build its per-process state on first use. Workers are recycled every ~5,000 requests
(``max_requests``) so that names added since they booted reach their user dictionary.
"""

import os


def post_worker_init(worker):
    if os.environ.get("SINMUN_PRELOAD_ANALYZER") != "1":
        return
    from django.db import connections

    from sinmun.korean import analyzer
    from sinmun.search import dictionary

    # Dictionary first: every added word makes the next analysis rebuild (seconds).
    dictionary.ensure_user_dictionary()
    analyzer.terms("준비")
    # The worker must not keep a connection opened while booting.
    connections.close_all()


max_requests = 5000
max_requests_jitter = 500
