"""crud.admin: Admin's parameters, views, links, the sidebar per user, statics and the UI it installs."""

import logging

import pytest
from fastapi import FastAPI, Request
from fastapi.templating import Jinja2Templates
from starlette.testclient import TestClient

from fasthx_ui import UI
from fasthx_ui.crud import auth
from fasthx_ui.crud.admin import STATIC_ROUTE_NAME, Admin, NavLink
from fasthx_ui.csrf import CSRFMiddleware

from .crud_apps import PAGE, admin_app, client_for, pets_db, view_class  # noqa: F401 (pets_db is a fixture)

ADA = {"username": "ada", "groups": ["/NOC"]}
BOB = {"username": "bob", "groups": ["/Sales"]}


@pytest.fixture(autouse=True)
def auth_on(monkeypatch):
    monkeypatch.setattr(auth, "AUTH_DISABLED", False)
    monkeypatch.setenv("SESSION_SECRET", "test-secret")


def test_defaults():
    app = FastAPI()
    admin = Admin(app)
    assert admin.app is app
    assert admin.title == "Admin"
    assert admin.static_url == "/static/fasthx-admin"
    assert admin.mount_statics is True
    assert admin.public_pages == {"login.html"}
    assert admin.ai_chat is False
    assert admin.settings_admin_groups is None and admin.settings_admin_users is None
    assert admin.audit_logger is None
    assert admin.views == {} and admin.get_nav_categories() == {}


def test_every_parameter_is_kept(tmp_path):
    def audit(event):
        pass

    admin = Admin(
        FastAPI(),
        title="Ops",
        static_url="/assets/admin",
        mount_statics=False,
        public_pages={"login.html", "about.html"},
        ai_chat=True,
        extra_templates_dirs=[str(tmp_path)],
        settings_admin_groups=["/Edge-Admins"],
        settings_admin_users=["root"],
        audit_logger=audit,
    )
    assert (admin.title, admin.static_url, admin.mount_statics) == ("Ops", "/assets/admin", False)
    assert admin.public_pages == {"login.html", "about.html"}
    assert admin.ai_chat is True
    assert admin.settings_admin_groups == ["/Edge-Admins"] and admin.settings_admin_users == ["root"]
    assert admin.audit_logger is audit


def test_admin_installs_the_ui_and_its_secret():
    app = FastAPI()
    admin = Admin(app)
    assert app.state.fasthx_ui is admin.ui
    assert admin.ui.secret_key == "test-secret"
    assert any(m.cls is CSRFMiddleware for m in app.user_middleware)
    css = TestClient(app).get(admin.ui.static_url("fasthx_ui/fasthx_ui.css"))
    assert css.status_code == 200 and "immutable" in css.headers["cache-control"]


def test_secret_falls_back_to_fasthx_ui_secret_key(monkeypatch):
    monkeypatch.delenv("SESSION_SECRET")
    monkeypatch.setenv("FASTHX_UI_SECRET_KEY", "ui-secret")
    assert Admin(FastAPI()).ui.secret_key == "ui-secret"


def test_no_secret_warns_once(monkeypatch, caplog):
    monkeypatch.delenv("SESSION_SECRET")
    monkeypatch.delenv("FASTHX_UI_SECRET_KEY", raising=False)
    with caplog.at_level(logging.WARNING):
        first = Admin(FastAPI()).ui.secret_key
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "SESSION_SECRET" in warnings[0] and "FASTHX_UI_SECRET_KEY" in warnings[0]
    assert len(first) >= 32 and first != Admin(FastAPI()).ui.secret_key


def test_mount_statics_serves_the_toolkit_files_at_static_url():
    app = FastAPI()
    Admin(app, static_url="/assets/admin")
    client = TestClient(app)
    response = client.get("/assets/admin/fasthx_ui/fasthx_ui.css")
    assert response.status_code == 200 and "--fhx-accent" in response.text
    assert client.get("/assets/admin/vendor/htmx/htmx.min.js").status_code == 200
    assert app.url_path_for(STATIC_ROUTE_NAME, path="crud/admin.css") == "/assets/admin/crud/admin.css"


def test_mount_statics_false_mounts_nothing():
    app = FastAPI()
    admin = Admin(app, mount_statics=False)
    client = TestClient(app)
    assert client.get("/static/fasthx-admin/fasthx_ui/fasthx_ui.css").status_code == 404
    assert all(getattr(route, "name", None) != STATIC_ROUTE_NAME for route in app.routes)
    assert client.get(admin.ui.static_url("fasthx_ui/fasthx_ui.css")).status_code == 200, "the pages' own assets stay"


def test_admin_joins_a_ui_already_installed(tmp_path, monkeypatch, pets_db):
    monkeypatch.setattr(auth, "AUTH_DISABLED", True)
    (tmp_path / "list.html").write_text("app's own list: {{ view.display_name }}")
    app = FastAPI()
    ui = UI(templates=[tmp_path], secret_key="app-key")
    ui.install(app)
    middleware = len(app.user_middleware)
    admin = Admin(app)
    admin.add_view(view_class("pets"))
    assert admin.ui is ui and app.state.fasthx_ui is ui
    assert len(app.user_middleware) == middleware, "no second CSRF middleware"
    assert client_for(app).get("/pets").text == "app's own list: Pets", "the app's folders come before the preset's"
    assert "fhx-sidebar" in admin.templates.render(_request(app), "base.html", {}), "the preset's templates were added"


def test_add_view_registers_routes_and_returns_the_view(pets_db):
    app, admin = admin_app()
    view = admin.add_view(view_class("pets", category="Zoo", icon="heart"))
    assert view.admin is admin and view.templates is admin.templates
    assert admin.get_view("pets") is view and admin.get_view("nope") is None
    client = client_for(app, ADA)
    assert client.get("/pets").status_code == 200
    assert admin.get_nav_categories() == {"Zoo": [{"name": "pets", "url": "/pets", "display_name": "Pets", "icon": "heart"}]}


def test_names_are_unique_across_views_and_links():
    _, admin = admin_app()
    admin.add_view(view_class("pets"))
    with pytest.raises(ValueError, match="'pets'"):
        admin.add_view(view_class("pets"))
    with pytest.raises(ValueError, match="'pets'"):
        admin.add_link("pets", "/x", "X")


def test_add_link_defaults_and_category_order():
    _, admin = admin_app()
    admin.add_view(view_class("customers", category="CRM", icon="people"))
    admin.add_link("reports", "/reports", "Reports", icon="graph-up", category="Analytics")
    admin.add_link("docs", "/docs", "API Docs")
    admin.add_view(view_class("leads", category="CRM"))
    nav = admin.get_nav_categories()
    assert list(nav) == ["CRM", "Analytics", "Other"]
    assert [item["name"] for item in nav["CRM"]] == ["customers", "leads"]
    assert nav["Other"] == [{"name": "docs", "url": "/docs", "display_name": "API Docs", "icon": "link"}]


def test_nav_is_filtered_by_each_users_allow_lists():
    _, admin = admin_app()
    admin.add_view(view_class("open"))
    admin.add_view(view_class("noc", allowed_groups=["/NOC"]))
    admin.add_view(view_class("bobs", allowed_users=["bob"]))
    admin.add_view(view_class("either", allowed_users=["bob"], allowed_groups=["/NOC"]))
    admin.add_link("debug", "/debug", "Debug", category="Dev", allowed_users=["ada"])
    admin.add_link("sales", "/sales", "Sales", category="Dev", allowed_groups=["/Sales"])

    def names(user):
        return {category: [i["name"] for i in items] for category, items in admin.get_nav_categories(user).items()}

    assert names(ADA) == {"Other": ["open", "noc", "either"], "Dev": ["debug"]}
    assert names(BOB) == {"Other": ["open", "bobs", "either"], "Dev": ["sales"]}
    assert names({"username": "eve", "groups": []}) == {"Other": ["open"]}
    assert names(None) == {"Other": ["open", "noc", "bobs", "either"], "Dev": ["debug", "sales"]}


def test_a_views_lists_are_read_when_the_nav_is_built():
    _, admin = admin_app()
    view = admin.add_view(view_class("pets"))
    assert "Other" in admin.get_nav_categories(BOB)
    view.allowed_users = ["ada"]
    assert admin.get_nav_categories(BOB) == {}


def test_settings_category_is_hidden_without_an_allow_list_match():
    _, admin = admin_app(ai_chat=True, settings_admin_users=["ada"])
    assert "Settings" not in admin.get_nav_categories(BOB)
    assert [item["name"] for item in admin.get_nav_categories(ADA)["Settings"]] == ["ai_settings", "ai_context"]


def test_nav_hooks_add_entries_per_user_after_the_views_and_links():
    _, admin = admin_app()
    admin.add_nav_hook(lambda user: [NavLink("mine", "/mine", "Mine", category="Other")] if user is ADA else [])
    admin.add_link("docs", "/docs", "API Docs", category="Other")
    assert [item["name"] for item in admin.get_nav_categories(ADA)["Other"]] == ["docs", "mine"]
    assert [item["name"] for item in admin.get_nav_categories(BOB)["Other"]] == ["docs"]


def test_view_routes_answer_with_the_guard(pets_db):
    app, admin = admin_app()
    admin.add_view(view_class("pets", allowed_groups=["/NOC"], can_edit=False))
    assert client_for(app).get("/pets", headers=PAGE).headers["location"] == "/login?next=/pets"
    assert client_for(app).get("/pets", headers={"HX-Request": "true"}).status_code == 401
    assert client_for(app).get("/pets", headers={"Accept": "application/json"}).status_code == 401
    forbidden = client_for(app, BOB).get("/pets", headers=PAGE)
    assert forbidden.status_code == 403
    assert "You do not have access to Pets." in forbidden.text and "fhx-sidebar" in forbidden.text
    ada = client_for(app, ADA)
    assert ada.get("/pets").status_code == 200
    for method in ("GET", "POST"):
        refused = ada.request(method, "/pets/1/edit")
        assert refused.status_code == 403 and "Editing is not allowed in Pets." in refused.text, method


def test_the_callers_jinja_filters_and_globals_are_kept(tmp_path):
    (tmp_path / "shout.html").write_text("{{ word | shout }} {{ company }} {{ url_for('where') }}")
    templates = Jinja2Templates(directory=str(tmp_path))
    templates.env.filters["shout"] = lambda text: text.upper() + "!"
    templates.env.globals["company"] = "Acme"
    app, admin = admin_app(templates=templates)

    @app.get("/shout", name="where")
    def shout(request: Request):
        return admin.templates.TemplateResponse(request, "shout.html", {"word": "hi"})

    assert client_for(app, ADA).get("/shout").text == "HI! Acme http://testserver/shout"


def _request(app: FastAPI) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b"", "app": app})
