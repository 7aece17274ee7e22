"""Who is asking: the client's address, from the proxy's header when one is configured.

The API's rate limit, the desk login's lockout and the audience's reader hash all need it, and
all must read it the same way (``SINMUN_API_CLIENT_IP_HEADER``: behind nginx, the header it puts
the reader's address in; otherwise every reader would be the proxy). Kept out of the apps so
that none imports another for it.
"""

from django.conf import settings

MAX_LENGTH = 64


def _first(forwarded: str) -> str:
    # A chain "client, proxy1, proxy2": the first is the client as the first proxy saw it.
    return forwarded.split(",")[0].strip()[:MAX_LENGTH]


def environ_address(environ: dict) -> str:
    """Return the client's address from a WSGI ``environ`` (the fronts before Django)."""
    header = settings.API_CLIENT_IP_HEADER
    if header:
        forwarded = _first(environ.get("HTTP_" + header.upper().replace("-", "_"), ""))
        if forwarded:
            return forwarded
    return environ.get("REMOTE_ADDR", "")[:MAX_LENGTH]


def client_address(request) -> str:
    """Return the same for a Django ``request`` (its ``META`` is the WSGI environ)."""
    return environ_address(request.META)
