"""Startup warning while the outlet's required legal fields are empty (신문법 §21, 청소년보호법).

A Warning, not an Error: a new install must start so the 관리자 can fill them in; every
command and ``sinmun serve`` prints the list until they are.
"""

from django.core.checks import Warning, register
from django.db import DatabaseError

# 신문법 §21 (and §9-2 of 청소년보호법 for the 청소년보호책임자): what the footer must show.
REQUIRED_FIELDS = (
    ("title", "제호"),
    ("registration_number", "등록번호"),
    ("registration_date", "등록연월일"),
    ("publisher", "발행인"),
    ("editor", "편집인"),
    ("address", "발행소 주소"),
    ("phone", "발행소 전화"),
    ("youth_officer", "청소년보호책임자"),
)
LEGAL_FIELDS_EMPTY = "매체 설정의 법정 표시 항목이 비어 있습니다: {fields}"
LEGAL_FIELDS_HINT = (
    "신문법 제21조에 따라 모든 페이지에 표시해야 합니다. 데스크의 매체 설정에서 채우세요."
)


def empty_legal_fields() -> list[str]:
    """Return the labels of the required legal fields the outlet has left empty."""
    from sinmun.newsroom.models import OutletSettings

    outlet = OutletSettings.objects.filter(pk=1).first() or OutletSettings()
    return [label for name, label in REQUIRED_FIELDS if not getattr(outlet, name)]


@register()
def legal_fields_check(app_configs=None, **kwargs) -> list[Warning]:
    """Warn while any field of ``REQUIRED_FIELDS`` is empty."""
    try:
        empty = empty_legal_fields()
    except (DatabaseError, RuntimeError):
        # No database yet (before the first migrate), or a test that allows none: nothing
        # to read, so nothing to warn about.
        return []
    if not empty:
        return []
    return [
        Warning(
            LEGAL_FIELDS_EMPTY.format(fields=", ".join(empty)),
            hint=LEGAL_FIELDS_HINT,
            id="pages.W001",
        )
    ]
