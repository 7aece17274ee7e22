"""Who may enter the desk, and the 403 every wrong-role request gets.

The desk is for the newsroom's three roles (``newsroom.roles``); everyone else is sent to the
login page, or refused with 403 when signed in. What each role may do to an article is
answered by ``newsroom.access`` inside the services, never here: these decorators only keep
people without a role out of the desk's pages.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from sinmun.newsroom import roles

NO_ROLE = "데스크를 쓸 권한이 없습니다. 관리자에게 기자·데스크·관리자 역할을 받으세요."
ADMIN_ONLY = "관리자만 쓸 수 있는 화면입니다."


def desk_required(view):
    """Let in a signed-in user with a newsroom role; send others to the desk login."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if roles.role_of(request.user) is None:
            raise PermissionDenied(NO_ROLE)
        return view(request, *args, **kwargs)

    return wrapper


def admin_required(view):
    """Let in a 관리자 (or superuser) only."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if roles.role_of(request.user) != roles.ADMIN:
            raise PermissionDenied(ADMIN_ONLY)
        return view(request, *args, **kwargs)

    return wrapper
