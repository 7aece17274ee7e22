"""The NinjaAPI: each endpoint parses its input, calls one selector or service, and shapes.

OpenAPI 3 at ``/api/openapi.json``, browsable docs at ``/api/docs`` (Swagger UI from the
package's own static files: no CDN, no validator badge calling out).
"""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Router, Status, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from sinmun.newsroom.models import Article
from sinmun.search import selectors as search
from sinmun.syndication import ninjs

from . import representations, schemas, selectors, writes
from .auth import READ, TOKEN_REQUIRED, WRITE, ApiRefusal
from .schemas import ErrorOut

NINJS_TYPE = "application/vnd.iptc.ninjs+json"

NOT_FOUND = "없는 기사입니다."
BAD_REQUEST = "요청에 잘못된 값이 있습니다."
UNKNOWN_PATH = "없는 주소입니다."

DESCRIPTION = """\
신문의 JSON API. 읽기는 토큰 없이도 되고(주소당 분당 한도), 쓰기는 관리자가 만든
클라이언트 토큰(`Authorization: Bearer sinmun_…`)으로 합니다.

- 목록은 `{"data": [...], "meta": {"page", "per_page", "total", "next"}}`,
  하나는 `{"data": {...}}`, 오류는 `{"error": {"code", "message", "details"}}`.
- 기사 하나를 ninjs 2.x로: `?format=ninjs` 또는 `Accept: application/vnd.iptc.ninjs+json`.
- 시각은 모두 한국 시간(`+09:00`), 날짜 필터(`since`, `until`)는 한국 날짜.
- 쓰기: `write` 권한은 송고까지(데스크가 출고), `publish` 권한은 항목의 pubstatus대로.
"""

api = NinjaAPI(
    title="신문 API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=Swagger(settings={"validatorUrl": None}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)

READ_ERRORS = {401: ErrorOut, 422: ErrorOut, 429: ErrorOut}
WRITE_ERRORS = {status: ErrorOut for status in (400, 401, 403, 413, 422, 429)}
# Reads need no token: the scheme is listed as optional.
OPTIONAL_TOKEN = {"security": [{"ClientToken": []}, {}]}


def _error_body(code: str, message: str, details: list[str] | None) -> dict[str, object]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def error(status: int, code: str, message: str, details: list[str] | None = None) -> HttpResponse:
    """Return the API's error response (for handlers and the unknown-address view)."""
    return api.create_response(None, _error_body(code, message, details), status=status)


def _failed(status: int, code: str, message: str, details: list[str] | None = None) -> Status:
    """Return an endpoint's own refusal, in the same shape as every other error."""
    return Status(status, _error_body(code, message, details))


@api.exception_handler(ApiRefusal)
def _refused(request: HttpRequest, exc: ApiRefusal) -> HttpResponse:
    response = error(exc.status, exc.code, exc.message)
    if exc.retry_after is not None:
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(writes.WriteRefused)
def _write_refused(request: HttpRequest, exc: writes.WriteRefused) -> HttpResponse:
    return error(exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    details = [
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors
    ]
    return error(422, "invalid", BAD_REQUEST, details)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(401, "token_required", TOKEN_REQUIRED)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(404, "not_found", str(exc) or UNKNOWN_PATH)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error(exc.status_code, "error", str(exc))


def _meta(request: HttpRequest, *, page: int, per_page: int, total: int, has_next: bool):
    following = None
    if has_next:
        query = request.GET.copy()
        query["page"] = str(page + 1)
        following = f"{settings.SITE_URL}{request.path}?{urlencode(sorted(query.items()))}"
    return {"page": page, "per_page": per_page, "total": total, "next": following}


def _paged(request, rows, total, *, page, per_page, shape):
    has_next = page * per_page < total
    meta = _meta(request, page=page, per_page=per_page, total=total, has_next=has_next)
    return {"data": [shape(r) for r in rows], "meta": meta}


v1 = Router(tags=["읽기"])


@v1.get(
    "/articles",
    auth=READ,
    response={200: schemas.ArticleList, **READ_ERRORS},
    openapi_extra=OPTIONAL_TOKEN,
    summary="기사 목록 (최신순)",
)
def article_list(request: HttpRequest, query: Query[schemas.ArticleQuery]):
    page, per_page = query.page, query.per_page
    filters = selectors.ArticleFilters(
        query.section, query.series, query.reporter, query.keyword, query.since, query.until
    )
    try:
        qs = selectors.articles(filters)
    except selectors.UnknownFilter as problem:
        return _failed(422, "unknown_filter", str(problem))
    rows, total = selectors.page_of(qs, page=page, per_page=per_page)
    return _paged(request, rows, total, page=page, per_page=per_page, shape=representations.article)


NINJS_RESPONSE = {
    "responses": {
        "200": {
            "content": {
                NINJS_TYPE: {"schema": {"type": "object", "description": "IPTC ninjs 2.x 항목"}}
            }
        }
    }
}


@v1.get(
    "/articles/{public_id}",
    auth=READ,
    response={200: schemas.ArticleOne, 404: ErrorOut, **READ_ERRORS},
    openapi_extra={**OPTIONAL_TOKEN, **NINJS_RESPONSE},
    summary="기사 하나 (본문 포함, 또는 ninjs)",
)
def article_detail(request: HttpRequest, public_id: str, query: Query[schemas.DetailQuery]):
    try:
        article = selectors.article(public_id)
    except Article.DoesNotExist:
        return _failed(404, "not_found", NOT_FOUND)
    if query.format == "ninjs" or NINJS_TYPE in request.headers.get("Accept", ""):
        body = json.dumps(ninjs.to_ninjs(article), ensure_ascii=False)
        return HttpResponse(body, content_type=f"{NINJS_TYPE}; charset=utf-8")
    return {"data": representations.article(article, detail=True)}


@v1.get(
    "/sections",
    auth=READ,
    response={200: schemas.SectionList, **READ_ERRORS},
    openapi_extra=OPTIONAL_TOKEN,
    summary="섹션 (메뉴 순서, 상위 다음에 하위)",
)
def section_list(request: HttpRequest):
    rows = selectors.sections()
    return _paged(
        request, rows, len(rows), page=1, per_page=max(len(rows), 1), shape=representations.section
    )


@v1.get(
    "/reporters",
    auth=READ,
    response={200: schemas.ReporterList, **READ_ERRORS},
    openapi_extra=OPTIONAL_TOKEN,
    summary="기자 (재직 중, 이름순)",
)
def reporter_list(request: HttpRequest, query: Query[schemas.PageQuery]):
    page, per_page = query.page, query.per_page
    rows, total = selectors.page_of(selectors.reporters(), page=page, per_page=per_page)
    return _paged(
        request, rows, total, page=page, per_page=per_page, shape=representations.reporter
    )


@v1.get(
    "/search",
    auth=READ,
    response={200: schemas.SearchList, **READ_ERRORS},
    openapi_extra=OPTIONAL_TOKEN,
    summary="검색 (사이트 검색과 같은 결과, 한 쪽에 20건)",
)
def search_list(request: HttpRequest, query: Query[schemas.SearchQuery]):
    found = search.search_articles(
        text=query.q,
        section=query.section,
        reporter=query.reporter,
        since=query.since.isoformat() if query.since else None,
        until=query.until.isoformat() if query.until else None,
        sort=query.sort,
        page=query.page,
    )
    if found.errors:
        return _failed(422, "unknown_filter", found.errors[0], found.errors)
    meta = _meta(
        request,
        page=found.page,
        per_page=search.PAGE_SIZE,
        total=found.total,
        has_next=found.has_next,
    )
    meta.update(capped=found.capped, suggestion=found.suggestion)
    data = [{**representations.article(r.article), "snippet": r.snippet} for r in found.results]
    return {"data": data, "meta": meta}


items = Router(tags=["쓰기"])
ITEM_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": schemas.NINJS_ITEM},
            NINJS_TYPE: {"schema": schemas.NINJS_ITEM},
        },
    }
}


@items.post(
    "/items",
    auth=WRITE,
    response={201: schemas.WrittenOne, 409: ErrorOut, **WRITE_ERRORS},
    openapi_extra=ITEM_BODY,
    summary="ninjs 항목 보내기 (write: 송고로, publish: pubstatus대로)",
)
def item_create(request: HttpRequest):
    item = writes.item_from_request(request)
    article, created = writes.item_write(client=request.auth, item=item)
    return Status(201, {"data": representations.written(article, created)})


@items.put(
    "/items/{path:key}",
    auth=WRITE,
    response={200: schemas.WrittenOne, 404: ErrorOut, **WRITE_ERRORS},
    openapi_extra=ITEM_BODY,
    summary="보낸 항목 고치기 (uri 또는 기사 id)",
)
def item_update(request: HttpRequest, key: str):
    item = writes.item_from_request(request)
    article, created = writes.item_write(client=request.auth, item=item, key=key)
    return {"data": representations.written(article, created)}


api.add_router("/v1", v1)
api.add_router("/v1", items)
