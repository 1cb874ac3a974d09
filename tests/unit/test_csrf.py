"""CSRF: an unsafe request needs the page's token unless the browser marks it same-origin
(Fetch Metadata, else Origin) or it comes from no browser at all; a refused request changes nothing."""

import re

import httpx
import pytest
from fastapi import FastAPI, Form, Request

from fasthx_ui import UI

pytestmark = pytest.mark.anyio

CROSS_SITE = {"Sec-Fetch-Site": "cross-site"}


@pytest.fixture
def anyio_backend():
    return "asyncio"


def make_app(secret: str = "s3cret") -> tuple[FastAPI, list[str]]:
    app = FastAPI()
    ui = UI(secret_key=secret)
    ui.install(app)
    changes: list[str] = []

    @app.get("/")
    def page(request: Request):
        return ui.fragment(request, "ui:Layout", title="CSRF", _content="")

    @app.post("/items")
    def create(name: str = Form(...)):
        changes.append(name)
        return {"created": name}

    @app.api_route("/items/1", methods=["PUT", "PATCH", "DELETE"])
    def change(request: Request):
        changes.append(request.method)
        return {"ok": True}

    return app, changes


async def client_with_token(app: FastAPI) -> tuple[httpx.AsyncClient, str]:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
    response = await client.get("/")
    token = re.search(r'<meta name="csrf-token" content="([0-9a-f]{64})">', response.text).group(1)
    return client, token


async def test_post_without_token_is_refused_and_changes_nothing():
    app, changes = make_app()
    client, _ = await client_with_token(app)
    response = await client.post("/items", data={"name": "x"}, headers=CROSS_SITE)
    assert response.status_code == 403
    assert changes == []


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
async def test_every_unsafe_method_needs_the_token(method):
    app, changes = make_app()
    client, token = await client_with_token(app)
    assert (await client.request(method, "/items/1", headers=CROSS_SITE)).status_code == 403
    assert (await client.request(method, "/items/1", headers={**CROSS_SITE, "X-CSRF-Token": token})).status_code == 200
    assert changes == [method]


async def test_header_token_is_accepted():
    app, changes = make_app()
    client, token = await client_with_token(app)
    response = await client.post("/items", data={"name": "a"}, headers={**CROSS_SITE, "X-CSRF-Token": token})
    assert response.json() == {"created": "a"}
    assert changes == ["a"]


async def test_form_field_token_is_accepted_and_the_form_still_reaches_the_route():
    app, changes = make_app()
    client, token = await client_with_token(app)
    response = await client.post("/items", data={"name": "from form", "csrf_token": token}, headers=CROSS_SITE)
    assert response.json() == {"created": "from form"}
    response = await client.post(
        "/items", data={"name": "multi", "csrf_token": token}, files={"f": ("a.txt", b"hi")}, headers=CROSS_SITE
    )
    assert response.json() == {"created": "multi"}
    assert changes == ["from form", "multi"]


async def test_wrong_token_and_token_without_cookie_are_refused():
    app, changes = make_app()
    client, token = await client_with_token(app)
    wrong = {**CROSS_SITE, "X-CSRF-Token": "0" * 64}
    assert (await client.post("/items", data={"name": "x"}, headers=wrong)).status_code == 403
    stranger = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
    stolen = {**CROSS_SITE, "X-CSRF-Token": token}
    assert (await stranger.post("/items", data={"name": "x"}, headers=stolen)).status_code == 403
    assert changes == []


async def test_htmx_refusal_shows_a_toast_and_swaps_nothing():
    app, _ = make_app()
    client, _ = await client_with_token(app)
    response = await client.post("/items", data={"name": "x"}, headers={**CROSS_SITE, "HX-Request": "true"})
    assert response.status_code == 403
    assert response.headers["HX-Reswap"] == "none"
    assert '"showToast"' in response.headers["HX-Trigger"]


async def test_processes_sharing_the_secret_accept_each_others_tokens():
    first, _ = make_app("shared")
    second, changes = make_app("shared")
    client, token = await client_with_token(first)
    other = httpx.AsyncClient(transport=httpx.ASGITransport(app=second), base_url="http://test", cookies=client.cookies)
    headers = {**CROSS_SITE, "X-CSRF-Token": token}
    assert (await other.post("/items", data={"name": "b"}, headers=headers)).status_code == 200
    assert changes == ["b"]
    third, _ = make_app("other secret")
    other = httpx.AsyncClient(transport=httpx.ASGITransport(app=third), base_url="http://test", cookies=client.cookies)
    assert (await other.post("/items", data={"name": "c"}, headers=headers)).status_code == 403


async def test_a_non_ascii_token_is_refused_not_a_crash():
    app, changes = make_app()
    client, _ = await client_with_token(app)
    response = await client.post("/items", data={"name": "x", "csrf_token": "é" * 64}, headers=CROSS_SITE)
    assert response.status_code == 403
    assert changes == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},
        {"Origin": "http://test"},
        {"Origin": "HTTP://Test:80"},
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://elsewhere.example"},
        {},
    ],
    ids=["same-origin", "typed-url", "own-origin", "own-origin-default-port", "fetch-metadata-wins", "no-browser"],
)
async def test_same_origin_and_non_browser_requests_pass_without_a_token(headers):
    app, changes = make_app()
    client, _ = await client_with_token(app)
    response = await client.post("/items", data={"name": "mine"}, headers=headers)
    assert response.json() == {"created": "mine"}
    assert changes == ["mine"]


async def test_same_origin_passes_without_a_cookie_and_gets_one():
    app, changes = make_app()
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
    response = await client.post("/items", data={"name": "first"}, headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 200 and "fasthx_csrf=" in response.headers["set-cookie"]
    assert changes == ["first"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://test"},
        {"Origin": "http://evil.example"},
        {"Origin": "https://test"},
        {"Origin": "http://test:8080"},
        {"Origin": "null"},
    ],
    ids=["cross-site", "same-site", "fetch-metadata-wins", "foreign-origin", "other-scheme", "other-port", "opaque"],
)
async def test_cross_origin_requests_without_a_token_are_refused_and_change_nothing(headers):
    app, changes = make_app()
    client, _ = await client_with_token(app)
    response = await client.post("/items", data={"name": "forged"}, headers=headers)
    assert response.status_code == 403
    assert changes == []


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"}, {"Origin": "http://evil.example"}])
async def test_a_valid_token_passes_cross_origin(headers):
    app, changes = make_app()
    client, token = await client_with_token(app)
    response = await client.post("/items", data={"name": "ok", "csrf_token": token}, headers=headers)
    assert response.json() == {"created": "ok"}
    assert changes == ["ok"]


async def test_origin_is_compared_with_the_host_the_request_was_sent_to():
    app, changes = make_app()
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://admin.example:8443")
    await client.get("/")
    mine = {"Origin": "https://admin.example:8443"}
    assert (await client.post("/items", data={"name": "a"}, headers=mine)).status_code == 200
    theirs = {"Origin": "https://admin.example"}
    assert (await client.post("/items", data={"name": "b"}, headers=theirs)).status_code == 403
    assert changes == ["a"]
