"""Wire and partner writes: one ninjs item per request, through the ninjs importer.

A client with the ``publish`` scope imports the item as it says (it may release, withhold or
cancel); any other client's item lands in 송고 for the desk, and a change to an article
readers see or saw is refused. Either way every revision names the client (``api:<name>``).
"""

import json
import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest

from sinmun.newsroom import actors
from sinmun.newsroom.models import Article
from sinmun.syndication import ninjs

from . import selectors
from .models import ApiClient

logger = logging.getLogger(__name__)

# A long feature with its HTML is well under 1 MB; a wire item larger than this is broken.
MAX_ITEM_BYTES = 2 * 1024 * 1024

TOO_LARGE = f"항목이 너무 큽니다 (최대 {MAX_ITEM_BYTES // 1024 // 1024} MB)."
NOT_UTF8 = "본문은 UTF-8로 인코딩한 JSON이어야 합니다."
NOT_JSON = "본문이 JSON이 아닙니다."
NOT_OBJECT = "본문은 ninjs 항목 하나(JSON 객체)여야 합니다."
ITEM_INVALID = "ninjs 항목에 잘못된 곳이 있어 아무것도 쓰지 않았습니다."
ITEM_EXISTS = "이미 있는 uri입니다. 고치려면 PUT /api/v1/items/{uri}로 보내세요."
ITEM_NOT_FOUND = "이 클라이언트가 보낸 항목 중에 없습니다."
URI_MISMATCH = "본문의 uri가 주소의 항목과 다릅니다."
LIVE_NEEDS_PUBLISH = (
    "출고되었거나 회수된 기사는 publish 권한이 있는 토큰으로만 고칠 수 있습니다. "
    "데스크에 수정을 요청하세요."
)


class WriteRefused(Exception):
    """A write refused with its HTTP status; nothing was written."""

    def __init__(self, status: int, code: str, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details = details or []


def item_from_request(request: HttpRequest) -> dict:
    """Return the one ninjs item a request's body holds, or raise ``WriteRefused``."""
    # Refused on the declared length before the body is read into memory.
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_ITEM_BYTES:
        raise WriteRefused(413, "too_large", TOO_LARGE)
    try:
        body = request.body
    except RequestDataTooBig:  # no length declared, and past Django's own limit
        raise WriteRefused(413, "too_large", TOO_LARGE) from None
    if len(body) > MAX_ITEM_BYTES:
        raise WriteRefused(413, "too_large", TOO_LARGE)
    try:
        value = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise WriteRefused(400, "not_utf8", NOT_UTF8) from None
    except RecursionError:
        raise WriteRefused(400, "not_json", f"{NOT_JSON} ({ninjs.TOO_DEEP})") from None
    except json.JSONDecodeError as error:
        raise WriteRefused(400, "not_json", f"{NOT_JSON} ({error.msg}, {error.pos})") from None
    if not isinstance(value, dict):
        raise WriteRefused(422, "not_object", NOT_OBJECT)
    return value


def _checked(item: dict) -> None:
    try:
        ninjs.parse_all([item])
    except ninjs.NinjsError as error:
        raise WriteRefused(
            422, "invalid_item", ITEM_INVALID, [str(e) for e in error.errors]
        ) from None


def item_write(*, client: ApiClient, item: dict, key: str | None = None) -> tuple[Article, bool]:
    """Create (``key`` None) or update the item ``key``; return (article, created)."""
    publish = client.has_scope(ApiClient.Scope.PUBLISH)
    if key is None:
        _checked(item)  # a clean uri before it is looked up
        if selectors.item_exists(uri=item["uri"]):
            raise WriteRefused(409, "exists", ITEM_EXISTS)
    else:
        uri = selectors.item_uri(key=key, client_name=client.name)
        if uri is None:
            raise WriteRefused(404, "not_found", ITEM_NOT_FOUND)
        item = {"uri": uri, **item}
        if item["uri"] != uri:
            raise WriteRefused(422, "uri_mismatch", URI_MISMATCH)
        _checked(item)
    actor = actors.api_client(client.name, may_publish=publish)
    try:
        [result] = ninjs.import_items([item], by=actor, submit=not publish)
    except ninjs.NinjsError as error:
        raise WriteRefused(
            422, "invalid_item", ITEM_INVALID, [str(e) for e in error.errors]
        ) from None
    except PermissionDenied as error:
        message = LIVE_NEEDS_PUBLISH if str(error) == ninjs.LIVE_NOT_SUBMITTABLE else str(error)
        raise WriteRefused(403, "not_allowed", message) from None
    # The revisions are the audit trail; the log line lets an operator follow a feed live.
    logger.info(
        "API %s: %s %s → %s",
        client.name,
        "created" if result.created else "updated",
        result.uri,
        result.article.status,
    )
    return result.article, result.created
