import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinmun.settings")
application = get_wsgi_application()

if os.environ.get("SINMUN_PRELOAD_ANALYZER") == "1":
    # Loaded once in gunicorn's master (`--preload`), the ~500 MB model is shared by every
    # worker copy-on-write instead of loaded again in each.
    from sinmun.korean import analyzer

    analyzer.warm()
