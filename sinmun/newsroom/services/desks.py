"""Which 데스크 runs which section: the ``Section.desk_editors`` assignment.

``access.desk_covers`` reads the assignment (a 데스크 with none covers every section), so it is
a taxonomy change like a rename and needs the same right: changing sections. It changes no
page readers see, so nothing is announced.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .. import access, roles
from ..actors import Actor
from ..models import Section
from .taxonomy import NOT_ALLOWED_TAXONOMY

NOT_A_DESK = "담당 데스크는 데스크 역할의 활성 계정만 맡을 수 있습니다: {names}"


@transaction.atomic
def section_set_desk_editors(*, by: Actor, section: Section, users: Iterable) -> Section:
    """Make ``users`` (데스크 accounts) the desk editors of ``section``, replacing the old set."""
    if not access.may_manage(by, "section", creating=False):
        raise PermissionDenied(NOT_ALLOWED_TAXONOMY)
    users = list(users)
    # A 기자 put on a section would gain nothing (release rights come from the role) and a
    # 관리자 covers every section anyway: only a 데스크 makes the assignment mean something.
    wrong = [u.get_username() for u in users if roles.role_of(u) != roles.DESK]
    if wrong:
        raise ValidationError(NOT_A_DESK.format(names=", ".join(wrong)), code="desk_editors")
    section.desk_editors.set(users)
    return section
