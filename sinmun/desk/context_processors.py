"""What every desk template may ask: the signed-in user's newsroom role (for the 관리 link)."""

from sinmun.newsroom import roles


def desk_role(request) -> dict[str, object]:
    """Give templates ``desk_role``: 기자, 데스크, 관리자 or None.

    A callable, which templates call when they first read it: reader pages, which never ask,
    pay no permission query for it.
    """
    return {"desk_role": lambda: roles.role_of(request.user)}
