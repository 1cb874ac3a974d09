"""crud.templating: admin.templates (both TemplateResponse orders, the context, public
pages), the template search order, and base.html as the shell of users' own pages."""

import re

import pytest
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.background import BackgroundTask

from fasthx_ui.crud import auth
from fasthx_ui.crud.templating import sidebar_nav

from .crud_apps import PAGE, admin_app, client_for, pets_db, view_class  # noqa: F401 (pets_db is a fixture)

ADA = {"username": "ada", "groups": ["/NOC"]}

CONTEXT_PROBE = (
    "user={{ current_user.username }} nav=[{{ nav_categories | join(',') }}] active=[{{ active_page }}] "
    "static={{ static_url }} title={{ admin_title }} ai={{ ai_chat_enabled }} extra={{ extra }}"
)
TABLE_PAGE = """{% extends "base.html" %}
{% block title %}Pets of {{ owner }}{% endblock %}
{% block content %}<ui:Table page={{ page }} url="/pets" id="pets" caption="Pets" />{% endblock %}
{% block scripts %}<script>window.petsLoaded = true;</script>{% endblock %}
"""


@pytest.fixture(autouse=True)
def auth_on(monkeypatch):
    monkeypatch.setattr(auth, "AUTH_DISABLED", False)
    monkeypatch.setenv("SESSION_SECRET", "test-secret")


@pytest.fixture
def pages(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "probe.html").write_text(CONTEXT_PROBE)
    (folder / "pets.html").write_text(TABLE_PAGE)
    (folder / "plain.html").write_text('{% extends "base.html" %}{% block content %}<p id="plain">hi</p>{% endblock %}')
    return folder


def probe_app(pages, **admin_kwargs):
    app, admin = admin_app(extra_templates_dirs=[pages], title="Ops", static_url="/assets", ai_chat=True, **admin_kwargs)
    admin.add_view(view_class("pets", category="Zoo"))
    admin.add_view(view_class("secrets", allowed_users=["root"]))
    return app, admin


def test_request_first_order_with_response_options(pages):
    app, admin = probe_app(pages)
    tasks = []

    @app.get("/probe")
    def probe(request: Request):
        return admin.templates.TemplateResponse(
            request, "probe.html", {"extra": "x"}, status_code=202, headers={"X-One": "1"},
            background=BackgroundTask(tasks.append, "ran"),
        )

    response = client_for(app, ADA).get("/probe")
    assert response.status_code == 202 and response.headers["x-one"] == "1"
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == "user=ada nav=[Zoo] active=[] static=/assets title=Ops ai=True extra=x"
    assert tasks == ["ran"]


def test_name_first_order_takes_the_request_from_the_context(pages):
    app, admin = probe_app(pages)

    @app.get("/probe")
    def probe(request: Request):
        return admin.templates.TemplateResponse("probe.html", {"request": request, "active_page": "pets"}, 201)

    response = client_for(app, ADA).get("/probe")
    assert response.status_code == 201
    assert "active=[pets]" in response.text


def test_keyword_forms_and_the_test_clients_view_of_template_and_context(pages):
    app, admin = probe_app(pages)

    @app.get("/probe")
    def probe(request: Request):
        return admin.templates.TemplateResponse(request=request, name="probe.html", context={"extra": 1}, media_type="text/html")

    response = client_for(app, ADA).get("/probe")
    assert response.template.name == "probe.html"
    assert response.context["extra"] == 1 and response.context["current_user"] == ADA
    assert response.context["nav_categories"] == {"Zoo": [{"name": "pets", "url": "/pets", "display_name": "Pets", "icon": "table"}]}


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        (("probe.html", {}), {}, "needs the request"),
        ((), {"context": {}}, "needs a template name"),
        (("probe.html", {}), {"colour": "red"}, "unexpected keyword argument 'colour'"),
        (("probe.html", {}, 200), {"status_code": 201}, "multiple values for argument 'status_code'"),
        (("a", {}, 200, None, None, None, "extra"), {}, "at most"),
    ],
)
def test_wrong_calls_say_what_is_wrong(pages, args, kwargs, message):
    _, admin = probe_app(pages)
    with pytest.raises(TypeError, match=message):
        admin.templates.TemplateResponse(*args, **kwargs)


def test_the_callers_context_wins(pages):
    app, admin = probe_app(pages)

    @app.get("/probe")
    def probe(request: Request):
        return admin.templates.TemplateResponse(request, "probe.html", {"admin_title": "Mine", "nav_categories": {}})

    assert "nav=[] " in client_for(app, ADA).get("/probe").text
    assert "title=Mine" in client_for(app, ADA).get("/probe").text


def test_non_public_page_sends_anonymous_users_to_sign_in(pages):
    app, admin = probe_app(pages)

    @app.get("/probe")
    def probe(request: Request):
        return admin.templates.TemplateResponse(request, "probe.html", {})

    page = client_for(app).get("/probe?tab=2", headers=PAGE)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/probe%3Ftab%3D2"
    htmx = client_for(app).get("/probe", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["hx-redirect"] == "/login?next=/probe"


def test_public_pages_render_for_anonymous_users(pages):
    app, admin = probe_app(pages, public_pages={"login.html", "probe.html"})

    @app.get("/probe")
    def probe(request: Request):
        return admin.templates.TemplateResponse(request, "probe.html", {})

    response = client_for(app).get("/probe")
    assert response.status_code == 200
    assert response.text.startswith("user= nav=[] "), "nobody signed in sees no sidebar entries"


def test_reference_login_and_logout_routes_work(pages, pets_db):
    app, admin = probe_app(pages)

    def oidc_login(username, password):  # stands in for the sign-in of a later issue
        if password != "right":
            raise ValueError("Invalid username or password")
        return {"username": username, "groups": ["/NOC"]}

    @app.get("/login", response_class=HTMLResponse)
    async def login_page(request: Request):
        if auth.get_current_user(request):
            return RedirectResponse("/dashboard", status_code=303)
        return admin.templates.TemplateResponse("login.html", {"request": request, "error": None, "username": None})

    @app.post("/login", response_class=HTMLResponse)
    async def login_submit(request: Request):
        form = await request.form()
        username = form.get("username", "").strip()
        try:
            user = oidc_login(username, form.get("password", ""))
        except ValueError as e:
            return admin.templates.TemplateResponse("login.html", {"request": request, "error": str(e), "username": username})
        request.session["user"] = user
        return RedirectResponse("/dashboard", status_code=303)

    @app.get("/logout")
    async def logout(request: Request):
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    client = client_for(app)
    page = client.get("/login?next=/pets")
    assert page.status_code == 200
    assert re.search(r'<form id="fhx-login" action="/login\?next=/pets" method="post"', page.text) and 'name="csrf_token"' in page.text
    assert "fhx-sidebar" not in page.text and "Sign in to Ops" in page.text
    token = re.search(r'name="csrf_token" value="(\w+)"', page.text).group(1)
    wrong = client.post("/login", data={"username": "<ada>", "password": "wrong", "csrf_token": token})
    assert "Invalid username or password" in wrong.text and 'value="&lt;ada&gt;"' in wrong.text
    assert client.get("/pets", headers=PAGE).status_code == 303
    signed = client.post("/login", data={"username": "ada", "password": "right", "csrf_token": token})
    assert signed.status_code == 303 and signed.headers["location"] == "/dashboard"
    assert client.get("/pets").status_code == 200
    assert client.get("/login").headers["location"] == "/dashboard"
    assert client.get("/logout").headers["location"] == "/login"
    assert client.get("/pets", headers=PAGE).status_code == 303


def test_base_html_hosts_components_in_users_blocks(pages):
    from fasthx_ui import Column, ListSource, TableSpec

    app, admin = probe_app(pages)
    spec = TableSpec(columns=[Column("id"), Column("name")])
    rows = [{"id": 1, "name": "<Rex>"}, {"id": 2, "name": "Tom"}]

    @app.get("/pet-table")
    def pet_table(request: Request):
        page = ListSource(rows, spec).page(spec.parse(request.query_params))
        return admin.templates.TemplateResponse(request, "pets.html", {"page": page, "owner": "<ada>", "active_page": "pets"})

    html = client_for(app, ADA).get("/pet-table").text
    assert "<title>Pets of &lt;ada&gt; · Ops</title>" in html
    assert '<h1 class="fhx-title">Pets of &lt;ada&gt;</h1>' in html
    main = html[html.index('<main id="fhx-main"'):html.index("</main>")]
    assert 'id="pets"' in main and "&lt;Rex&gt;" in main and "Tom" in main
    assert html.index("window.petsLoaded") > html.index(admin.ui.static_url("bundle/fasthx_ui.js")), "page scripts run after the toolkit's"
    assert html.count("window.petsLoaded") == 1
    sidebar = html[html.index('<nav'):html.index("</nav>")]
    assert 'href="/pets" class="fhx-nav-link active"' in re.sub(r"\s+", " ", sidebar)
    assert "/secrets" not in sidebar, "only what ada may open"
    assert "<span>Ops</span>" in sidebar, "the admin title is the brand"
    assert '<span class="fhx-user"><i class="bi bi-person-circle" aria-hidden="true"></i> ada</span>' in html
    assert admin.ui.static_url("crud/admin.css") not in html, "the palette names come in the stylesheet bundle"
    bundle = client_for(app, ADA).get(admin.ui.static_url("bundle/fasthx_ui.css")).text
    assert bundle.index("--bg-surface: var(--fhx-bg-surface)") > bundle.index("--fhx-bg-surface:"), "after the toolkit's own"


def test_title_comes_from_the_context_without_a_title_block(pages):
    app, admin = probe_app(pages)

    @app.get("/plain")
    def plain(request: Request):
        return admin.templates.TemplateResponse(request, "plain.html", {"title": "Plain <page>"})

    html = client_for(app, ADA).get("/plain").text
    assert "<title>Plain &lt;page&gt; · Ops</title>" in html and '<p id="plain">hi</p>' in html


def test_render_gives_a_fragment_or_its_block(pages):
    app, admin = probe_app(pages)
    (pages / "frag.html").write_text("<div>{% block inner %}<b>{{ current_user.username }}</b>{% endblock %}</div>")
    seen = {}

    @app.get("/frag")
    def frag(request: Request):
        seen["html"] = admin.templates.render(request, "frag.html", {}, block="inner")
        return HTMLResponse(seen["html"])

    client = client_for(app, ADA)
    assert client.get("/frag").text == "<div><b>ada</b></div>"
    assert isinstance(seen["html"], Markup)
    assert client.get("/frag", headers={"HX-Request": "true"}).text == "<b>ada</b>"


def test_own_jinja2templates_come_first_and_can_use_components(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "login.html").write_text('<ui:Layout title="My sign-in" sidebar={{ false }}><p id="mine">{{ admin_title }}</p></ui:Layout>')
    app, admin = admin_app(templates=Jinja2Templates(directory=str(mine)), title="Ops")

    @app.get("/login")
    def login(request: Request):
        return admin.templates.TemplateResponse(request, "login.html", {})

    html = client_for(app).get("/login").text
    assert '<p id="mine">Ops</p>' in html and "<title>My sign-in · fasthx_ui</title>" in html
    assert 'name="csrf-token"' in html, "a component of the toolkit rendered it"


def test_extra_templates_dirs_override_built_in_and_own_templates(tmp_path, pets_db):
    extra, mine = tmp_path / "extra", tmp_path / "mine"
    for folder in (extra, mine):
        folder.mkdir()
        (folder / "list.html").write_text(f"{folder.name}: {{{{ view.display_name }}}}")
    (extra / "base.html").write_text("custom base {% block content %}{% endblock %}")
    (mine / "child.html").write_text('{% extends "base.html" %}{% block content %}child{% endblock %}')
    app, admin = admin_app(templates=Jinja2Templates(directory=str(mine)), extra_templates_dirs=[str(extra)])
    admin.add_view(view_class("pets"))

    @app.get("/child")
    def child(request: Request):
        return admin.templates.TemplateResponse(request, "child.html", {})

    client = client_for(app, ADA)
    assert client.get("/pets").text == "extra: Pets"
    assert client.get("/child").text == "custom base child"


def test_sidebar_nav_converts_to_the_layout_shape():
    nav = {"CRM": [{"name": "customers", "url": "/customers", "display_name": "Customers", "icon": "people"}]}
    assert sidebar_nav(nav) == [
        {"name": "CRM", "items": [{"name": "customers", "label": "Customers", "url": "/customers", "icon": "people"}]}
    ]
    assert sidebar_nav({}) == []


def test_render_without_a_request_is_rendered_for_nobody(pages):
    _, admin = probe_app(pages)
    assert admin.templates.render(None, "probe.html", {}).startswith("user= nav=[] active=[] static=/assets")
