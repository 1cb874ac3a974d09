"""UI: static files, full page or fragment from one route, user overrides, response helpers."""

import gzip
import json
import re
from pathlib import Path

import jinja2
import pytest
from fastapi import FastAPI, Request
from starlette.responses import HTMLResponse
from starlette.testclient import TestClient

from fasthx_ui import UI, console_response, current_ui, modal_response, toast_response, trigger
from fasthx_ui.assets import STATIC_DIR, content_version
from fasthx_ui.flash import Flashes
from fasthx_ui.ui import ICONS_CSS, ui_for
from fasthx_ui.ui import TEMPLATES_DIR

ROOT = Path(__file__).resolve().parents[2]


def make_client(tmp_path: Path) -> tuple[TestClient, UI]:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "orders.html").write_text(
        '<ui:Layout title="Orders">{% block table %}<table id="t"><tr><td>{{ who }}</td></tr></table>{% endblock %}</ui:Layout>'
    )
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "ThemeToggle.jinja").write_text('<button class="my-toggle">{{ url_for("orders") }}</button>')
    app = FastAPI()
    ui = UI(components=[mine], templates=[pages], secret_key="k")
    ui.install(app)

    @app.get("/orders", name="orders")
    def orders(request: Request):
        return ui.page(request, "orders.html", {"who": "<b>ada</b>"}, block="table")

    return TestClient(app), ui


def test_one_route_serves_the_page_or_its_fragment(tmp_path):
    client, _ = make_client(tmp_path)
    full = client.get("/orders")
    assert full.text.startswith("<!doctype html>") and '<table id="t">' in full.text
    assert "&lt;b&gt;ada&lt;/b&gt;" in full.text
    fragment = client.get("/orders", headers={"HX-Request": "true", "HX-Request-Type": "partial"})
    assert fragment.text.startswith('<table id="t">') and "<html" not in fragment.text
    restore = client.get("/orders", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert restore.text.startswith("<!doctype html>")
    boosted = client.get("/orders", headers={"HX-Request": "true", "HX-Request-Type": "full"})
    assert boosted.text.startswith("<!doctype html>")


def test_user_components_override_ours_and_see_url_for(tmp_path):
    client, _ = make_client(tmp_path)
    html = client.get("/orders").text
    assert '<button class="my-toggle">http://testserver/orders</button>' in html
    assert "data-fhx-theme-toggle" not in html


def test_static_files_are_versioned_gzipped_and_cached_forever(tmp_path):
    client, ui = make_client(tmp_path)
    page = client.get("/orders").text
    urls = re.findall(r'(?:src|href)="(/_fasthx/[^"]+)"', page)
    assert any(u.endswith("bundle/fasthx_ui.js") for u in urls) and any(u.endswith("bundle/fasthx_ui.css") for u in urls)
    for url in urls:
        assert url.startswith(f"/_fasthx/{ui.version}/")
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    raw = client.get(ui.static_url("vendor/htmx/htmx.min.js"), headers={"Accept-Encoding": "gzip"})
    assert raw.headers["content-encoding"] == "gzip"
    assert raw.content == (STATIC_DIR / "vendor/htmx/htmx.min.js").read_bytes()
    font = client.get(ui.static_url("vendor/bootstrap-icons/fonts/bootstrap-icons.woff2"))
    assert font.headers["content-type"] == "font/woff2" and "content-encoding" not in font.headers


def test_a_page_loads_the_toolkit_as_one_script_and_one_stylesheet(tmp_path):
    client, ui = make_client(tmp_path)
    page = client.get("/orders").text
    scripts = re.findall(r'<script src="([^"]+)"', page)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert scripts == [ui.static_url("bundle/fasthx_ui.js")]
    assert styles == [ui.static_url("bundle/fasthx_ui.css"), ui.static_url(ICONS_CSS)]
    for bundle, files in ui.bundles.items():
        body = client.get(ui.static_url(f"bundle/{bundle}"), headers={"Accept-Encoding": "gzip"})
        assert body.headers["content-encoding"] == "gzip" and body.headers["cache-control"].endswith("immutable")
        text = body.text
        for name in files:
            assert f"/* {name} */\n" + (STATIC_DIR / name).read_text()[:200] in text
        positions = [text.index(f"/* {name} */") for name in files]
        assert positions == sorted(positions), "the files keep their order"
        assert "sourceMappingURL" not in text
    assert "vendor/htmx/htmx.min.js" in ui.bundles["fasthx_ui.js"] and ui.bundles["fasthx_ui.js"][4] == "fasthx_ui/core.js"
    assert client.get(ui.static_url("bundle/nope.js")).status_code == 404


def test_only_the_toolkit_stylesheet_holds_up_the_first_paint(tmp_path):
    """In <head>: the theme script inline (no request before the first paint) and the one
    bundle stylesheet; the icons' stylesheet after the page's content, before the scripts."""
    client, ui = make_client(tmp_path)
    page = client.get("/orders").text
    head, body = page.split("</head>")
    theme_script = (STATIC_DIR / "fasthx_ui/theme-init.js").read_text().strip()
    assert f"<script>{theme_script}</script>" in head
    assert head.index("<script>") < head.index('rel="stylesheet"'), "the theme is set before any stylesheet applies"
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', head) == [ui.static_url("bundle/fasthx_ui.css")]
    icons = body.index(f'<link rel="stylesheet" href="{ui.static_url(ICONS_CSS)}">')
    assert body.index('<table id="t">') < body.index("</main>") < icons < body.index(ui.static_url("bundle/fasthx_ui.js"))
    assert "theme-init.js" not in page


def test_a_stylesheet_added_before_install_joins_the_bundle_and_after_it_gets_a_link(tmp_path):
    early, late = UI(secret_key="k"), UI(secret_key="k")
    early.add_style("crud/admin.css")
    early.add_style("crud/admin.css")
    apps = {ui: FastAPI() for ui in (early, late)}
    for ui, app in apps.items():
        ui.install(app)
    late.add_style("crud/admin.css")
    assert early.bundles["fasthx_ui.css"][-1] == "crud/admin.css" and early.styles == ["bundle/fasthx_ui.css"]
    assert "crud/admin.css" not in late.bundles["fasthx_ui.css"]
    assert late.styles == ["bundle/fasthx_ui.css", "crud/admin.css"], "linked after the bundle built at install"
    bundle = TestClient(apps[early]).get(early.static_url("bundle/fasthx_ui.css")).text
    assert bundle.count("--bg-surface: var(--fhx-bg-surface)") == 1
    assert TestClient(apps[late]).get(late.static_url("crud/admin.css")).status_code == 200


def test_install_builds_the_bundles_before_the_first_request(tmp_path, monkeypatch):
    from fasthx_ui.assets import _bundled

    _bundled.cache_clear()  # built by earlier tests in this process otherwise
    client, ui = make_client(tmp_path)

    def no_joining(*args):
        raise AssertionError("a bundle was joined while a request waited for it")

    monkeypatch.setattr("fasthx_ui.assets.join_files", no_joining)
    for bundle in ui.bundles:
        assert client.get(ui.static_url(f"bundle/{bundle}")).status_code == 200


def test_warming_a_file_that_is_not_there_is_an_error():
    from fasthx_ui.assets import StaticAssets

    with pytest.raises(ValueError, match="nope.css is neither a file"):
        StaticAssets(STATIC_DIR, bundles={}).warm(["fasthx_ui/nope.css"])


def test_the_icon_font_is_preloaded_at_the_url_its_stylesheet_asks_for(tmp_path):
    client, ui = make_client(tmp_path)
    page = client.get("/orders").text
    preload = re.search(r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" crossorigin>', page).group(1)
    css = client.get(ui.static_url(ICONS_CSS)).text
    relative = re.search(r'url\("(fonts/[^"]+\.woff2[^"]*)"\)', css).group(1)
    assert preload == ui.static_url(ICONS_CSS).rsplit("/", 1)[0] + "/" + relative
    font = client.get(preload)
    assert font.status_code == 200 and font.headers["content-type"] == "font/woff2"


def test_static_files_do_not_escape_their_folder(tmp_path):
    client, ui = make_client(tmp_path)
    assert client.get(ui.static_url("../ui.py")).status_code == 404
    assert client.get(ui.static_url("../components/Layout.jinja")).status_code == 404
    assert client.get(ui.static_url("nope.js")).status_code == 404


def test_version_follows_content(tmp_path):
    (tmp_path / "a.js").write_text("1")
    before = content_version(tmp_path)
    (tmp_path / "a.js").write_text("2")
    assert content_version(tmp_path) != before


def test_toast_response_sends_one_trigger_header_and_swaps_nothing():
    response = toast_response("<b>hi</b>", type="bogus")
    assert response.headers["HX-Reswap"] == "none"
    events = json.loads(response.headers["HX-Trigger"])
    assert events == {"showToast": {"message": "<b>hi</b>", "type": "info", "title": "Info", "target": "body"}}
    trigger(response, "refreshTable", {"id": 3})
    assert len(response.headers.getlist("HX-Trigger")) == 1
    assert set(json.loads(response.headers["HX-Trigger"])) == {"showToast", "refreshTable"}


def test_trigger_header_is_ascii_and_never_carries_raw_markup():
    message = '<img src=x onerror="alert(1)"> & Ünïcødé 日本'
    header = toast_response(message).headers["HX-Trigger"]
    assert header.isascii()
    assert not {"<", ">", "&"} & set(header)
    assert "\\u003cimg src=x onerror=" in header and "\\u0026" in header
    assert json.loads(header)["showToast"]["message"] == message
    response = toast_response(message)
    trigger(response, "refresh<x>", {"note": "a&b"})
    events = json.loads(response.headers["HX-Trigger"])
    assert events["refresh<x>"]["note"] == "a&b" and events["showToast"]["message"] == message


def test_x_toast_header_states_the_toast_for_non_browser_clients():
    response = toast_response("Gespeichert – ✓ <ok>", type="success", title="Fertig", redirect="/orders")
    header = response.headers["X-Toast"]
    assert header.isascii() and "<" not in header
    assert json.loads(header) == {"message": "Gespeichert – ✓ <ok>", "type": "success", "title": "Fertig"}
    assert json.loads(toast_response("plain").headers["X-Toast"]) == {"message": "plain", "type": "info", "title": "Info"}


def test_a_redirect_to_a_non_ascii_path_is_a_valid_header():
    response = toast_response("Moved", redirect="/dossiers/été?q=a b")
    assert response.headers["HX-Redirect"] == "/dossiers/%C3%A9t%C3%A9?q=a%20b"


def test_toast_with_redirect_leaves_a_signed_flash(tmp_path):
    client, _ = make_client(tmp_path)
    response = toast_response("Moved", type="success", redirect="/orders", status_code=200)
    assert response.headers["HX-Redirect"] == "/orders"
    assert "HX-Trigger" not in response.headers
    cookie = response.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    client.cookies.set("fasthx_flash", cookie)
    first = client.get("/orders")
    assert "Moved" in first.text and "fasthx_flash=;" in first.headers["set-cookie"]
    client.cookies.set("fasthx_flash", cookie[:-2] + "xx")
    assert "Moved" not in client.get("/orders").text


@pytest.mark.parametrize("secure", [True, False])
def test_the_flash_cookie_is_secure_when_the_app_marks_its_cookies_secure(secure):
    app = FastAPI()
    UI(secret_key="k").install(app, secure_cookies=secure)

    @app.get("/save")
    def save(request: Request):
        return toast_response("Saved", redirect="/list", request=request)

    @app.get("/list")
    def listing(request: Request):
        return HTMLResponse(str(Flashes(request, ui_for(request).flash_serializer).take()))

    client = TestClient(app, base_url="https://testserver")
    written = client.get("/save").headers["set-cookie"]
    deleted = client.get("/list").headers["set-cookie"]
    assert written.startswith("fasthx_flash=") and deleted.startswith("fasthx_flash=;")
    assert ("secure" in written.lower()) is secure and ("secure" in deleted.lower()) is secure


@pytest.mark.parametrize("size,expected", [("modal-lg", "modal-lg"), ("modal-huge", ""), (None, "")])
def test_modal_response_retargets_into_the_modal(size, expected):
    UI(secret_key="k").install(FastAPI())
    response = modal_response("<i>T</i>", "<p>trusted</p>", actions=[{"label": "Go", "href": "javascript:alert(1)"}], size=size)
    assert response.headers["HX-Retarget"] == "#admin-modal .modal-content"
    assert response.headers["HX-Reswap"] == "innerHTML"
    assert json.loads(response.headers["HX-Trigger"])["showModal"]["size"] == expected
    body = response.body.decode()
    assert "&lt;i&gt;T&lt;/i&gt;" in body and "<p>trusted</p>" in body and 'href="#"' in body


def test_no_cdn_anywhere():
    pattern = re.compile(r"https?://(cdn|unpkg|cdnjs|jsdelivr|fonts\.googleapis|fonts\.gstatic)", re.I)
    offenders = []
    for folder in ("fasthx_ui", "storybook", "examples"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "vendor" not in path.parts and path.suffix in {".py", ".jinja", ".html", ".js", ".css"}:
                if pattern.search(path.read_text(errors="ignore")):
                    offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_vendored_files_record_version_and_license():
    vendor = STATIC_DIR / "vendor"
    versions = (vendor / "VERSIONS").read_text()
    for name, folder in [("htmx.org 4.0", "htmx"), ("bootstrap 5.3", "bootstrap"), ("bootstrap-icons 1.13", "bootstrap-icons"), ("tom-select 2.6", "tom-select")]:
        assert name in versions
        assert (vendor / folder / "LICENSE").is_file()
    assert gzip.compress((vendor / "htmx/htmx.min.js").read_bytes())


def overriding_app(tmp_path: Path, name: str) -> FastAPI:
    """An app whose UI overrides ModalContent and Toast with components that name `name`."""
    folder = tmp_path / name
    folder.mkdir()
    (folder / "ModalContent.jinja").write_text(
        '{#def title, body="", actions=[] #}<section class="by-' + name + '">{{ title }}|{{ body }}</section>'
    )
    (folder / "Toast.jinja").write_text('{#def message, type="info", title="", delay=5000 #}<p class="by-' + name + '">{{ message }}</p>')
    app = FastAPI()
    UI(components=[folder], secret_key=name).install(app)

    @app.get("/modal")
    def modal(request: Request):
        return modal_response("Hi", "<b>body</b>", request=request)

    @app.get("/modal-without-request")
    def modal_without_request():
        return modal_response("Hi", "<b>body</b>")

    @app.get("/console-without-request")
    async def console_without_request():
        return console_response("Log", "line")

    @app.get("/console")
    def console(request: Request):
        return console_response("Log", "line", request=request)

    @app.get("/toast")
    def toast(request: Request):
        return ui_for(request).fragment(request, "ui:Toast", message="saved")

    return app


def test_two_apps_in_one_process_render_through_their_own_ui(tmp_path):
    apps = {name: TestClient(overriding_app(tmp_path, name)) for name in ("north", "south")}
    last = current_ui()
    for name, client in apps.items():
        other = "south" if name == "north" else "north"
        for path in ("/modal", "/modal-without-request", "/console", "/console-without-request", "/toast"):
            html = client.get(path).text
            assert f'class="by-{name}"' in html, path
            assert f"by-{other}" not in html, path
        assert client.get("/modal").text == '<section class="by-' + name + '">Hi|<b>body</b></section>'
    assert current_ui() is last  # outside a request: the UI installed last


def test_install_twice_adds_nothing_and_a_second_ui_is_refused():
    app = FastAPI()
    ui = UI(secret_key="k")
    ui.install(app)
    ui.install(app)
    middleware = [m.cls.__name__ for m in app.user_middleware]
    assert sorted(middleware) == ["CSRFMiddleware", "FlashMiddleware", "ServingUI"]
    assert [r.name for r in app.router.routes].count("fasthx_static") == 1
    with pytest.raises(RuntimeError, match="already has a fasthx_ui UI"):
        UI(secret_key="other").install(app)
    with pytest.raises(RuntimeError, match="already has a fasthx_ui UI"):
        ui.install(app, csrf_exempt=("/hooks",))
    assert app.state.fasthx_ui is ui and len(app.user_middleware) == 3
    second = FastAPI()
    ui.install(second)
    assert second.state.fasthx_ui is ui
def test_template_sources_may_be_loaders_and_be_added_later(tmp_path):
    first, late, early = (tmp_path / name for name in ("first", "late", "early"))
    for folder in (first, late, early):
        folder.mkdir()
        (folder / "who.html").write_text(folder.name)
    (late / "only_late.html").write_text("late only")
    ui = UI(templates=[jinja2.DictLoader({"dict.html": "from a loader"}), first], secret_key="k")
    assert ui.render(None, "dict.html") == "from a loader"
    assert ui.render(None, "who.html") == "first"
    ui.add_templates(late)
    assert ui.render(None, "who.html") == "first", "added after the user's, before the toolkit's"
    assert ui.render(None, "only_late.html") == "late only"
    assert ui.env.loader.loaders[-1].searchpath == [str(TEMPLATES_DIR)]
    ui.add_templates(early, first=True)
    assert ui.render(None, "who.html") == "early", "a cached template is looked up again"


def test_install_twice_is_harmless_and_a_second_ui_is_refused():
    app = FastAPI()
    ui = UI(secret_key="k")
    ui.install(app)
    routes, middleware = len(app.router.routes), len(app.user_middleware)
    ui.install(app)
    assert (len(app.router.routes), len(app.user_middleware)) == (routes, middleware)
    with pytest.raises(RuntimeError, match="already has a fasthx_ui UI"):
        UI(secret_key="k").install(app)
    assert app.state.fasthx_ui is ui


def test_layout_names_an_icon_that_is_served():
    app = FastAPI()
    ui = UI(secret_key="k")
    ui.install(app)

    @app.get("/page")
    def page(request: Request):
        return ui.fragment(request, "ui:Layout", title="T", sidebar=False)

    client = TestClient(app)
    icon = re.search(r'<link rel="icon" href="([^"]+)"', client.get("/page").text).group(1)
    served = client.get(icon)
    assert served.status_code == 200 and served.headers["content-type"].startswith("image/svg+xml")
