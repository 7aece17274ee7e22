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


def environ_key(header: str) -> str:
    """Return the WSGI environ's key of an HTTP header ('X-Real-IP' → 'HTTP_X_REAL_IP')."""
    return "HTTP_" + header.upper().replace("-", "_")


def header_key() -> str:
    """Return the environ's key of the configured client-address header ('' when none is)."""
    header = settings.API_CLIENT_IP_HEADER
    return environ_key(header) if header else ""


def address_of(forwarded: str | None, remote: str | None) -> str:
    """Return the client's address from the header's value (or None) and ``REMOTE_ADDR``."""
    if forwarded and (first := _first(forwarded)):
        return first
    return (remote or "")[:MAX_LENGTH]


def environ_address(environ: dict) -> str:
    """Return the client's address from a WSGI ``environ`` (the fronts before Django)."""
    key = header_key()
    return address_of(environ.get(key) if key else None, environ.get("REMOTE_ADDR"))


def client_address(request) -> str:
    """Return the same for a Django ``request`` (its ``META`` is the WSGI environ)."""
    return environ_address(request.META)
