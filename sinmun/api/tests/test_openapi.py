"""The OpenAPI document and the browsable docs: a valid OpenAPI 3 schema at /api/openapi.json,
docs served from the site's own static files (no CDN, no external URL at all)."""

import re

import pytest

EXTERNAL = re.compile(r"""(?:https?:)?//[^/\s"'<>]+""")


@pytest.mark.django_db
def test_the_schema_is_openapi_3_with_every_endpoint(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "신문 API"
    assert set(schema["paths"]) == {
        "/api/v1/articles",
        "/api/v1/articles/{public_id}",
        "/api/v1/sections",
        "/api/v1/reporters",
        "/api/v1/search",
        "/api/v1/items",
        "/api/v1/items/{key}",
    }
    assert schema["components"]["securitySchemes"] == {
        "ClientToken": {"type": "http", "scheme": "bearer"}
    }
    assert schema["paths"]["/api/v1/items"]["post"]["security"] == [{"ClientToken": []}]
    assert {} in schema["paths"]["/api/v1/articles"]["get"]["security"]


@pytest.mark.django_db
def test_the_docs_page_loads_nothing_from_elsewhere(client, settings):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/ninja/swagger-ui.css" in html
    assert EXTERNAL.findall(html) == []
    # Swagger UI would otherwise send the schema to validator.swagger.io for a badge.
    assert '"validatorUrl": null' in html


@pytest.mark.django_db
def test_the_docs_assets_are_served_by_the_site_itself(client):
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-init.js"):
        response = client.get(f"/static/ninja/{name}")
        assert response.status_code == 200, name
