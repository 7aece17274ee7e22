"""Who does something: a signed-in user, or a named system actor — never nobody.

Every service takes ``by=`` and refuses ``None``: an action without an actor would skip the
permission check and leave an audit record that names no one. Work the system does on its own
(an import run from a shell, a schedule coming due, the weather refresh, the demo loader, an API
client) is done by a ``SystemActor`` with a fixed set of permissions, so the same checks in
``newsroom.access`` answer for it as for a person, and its revisions carry its name.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

ACTOR_REQUIRED = "작업하는 주체(사용자 또는 시스템)가 없습니다."

ADD = "newsroom.add_article"
CHANGE = "newsroom.change_article"
PUBLISH = "newsroom.publish_article"
MANAGE_OUTLET = "newsroom.change_outletsettings"
TAXONOMY = frozenset(
    f"newsroom.{verb}_{model}"
    for verb in ("add", "change")
    for model in ("section", "series", "reporter", "keyword")
)


@dataclass(frozen=True)
class SystemActor:
    """A part of the system acting on its own, with the permissions its job needs."""

    name: str
    label: str
    permissions: frozenset[str]

    # The attributes services and templates read from a user, answered for a system actor.
    is_authenticated = True
    is_active = True

    def __str__(self) -> str:
        return f"{self.label} (시스템)"

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return perm in self.permissions


# ninjs files and wire items: they carry their own status, so importing may release.
IMPORT = SystemActor("import", "가져오기", frozenset({ADD, CHANGE, PUBLISH}) | TAXONOMY)
# A schedule or embargo coming due releases what a desk editor already approved.
SCHEDULE = SystemActor("schedule", "예약 출고", frozenset({PUBLISH}))
# The weather refresh writes only observations; it may touch no article.
WEATHER = SystemActor("weather", "날씨 갱신", frozenset())
# The demo newsroom is built by the system, as a desk with every right would build it.
DEMO = SystemActor("demo", "데모", frozenset({ADD, CHANGE, PUBLISH, MANAGE_OUTLET}) | TAXONOMY)
# Search upkeep re-reads articles; it writes only its own index.
INDEXER = SystemActor("indexer", "검색 색인", frozenset())

SYSTEM_ACTORS = {actor.name: actor for actor in (IMPORT, SCHEDULE, WEATHER, DEMO, INDEXER)}


def api_client(name: str, *, may_publish: bool = False) -> SystemActor:
    """Return the actor for an API client; its revisions read ``api:<name>``."""
    permissions = frozenset({ADD, CHANGE} | ({PUBLISH} if may_publish else set()))
    return SystemActor(f"api:{name}", f"API {name}", permissions)


Actor = AbstractBaseUser | AnonymousUser | SystemActor


def name_of(actor: Actor) -> str:
    """Return how announcements and logs name ``actor``: a system actor's name or the username."""
    return actor.name if isinstance(actor, SystemActor) else actor.get_username()


def require(actor: object) -> Actor:
    """Return ``actor`` or raise ``TypeError`` when it is missing (``None``) or not an actor."""
    if not isinstance(actor, AbstractBaseUser | AnonymousUser | SystemActor):
        raise TypeError(ACTOR_REQUIRED)
    return actor
