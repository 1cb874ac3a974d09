"""The reference's Authentication, Sidebar Visibility and Custom Navigation Links examples."""

import pytest

from ..reference.app import admin


def test_login_page_is_public_and_renders_login_html(anonymous):
    page = anonymous.get("/login")
    assert page.status_code == 200
    assert page.template.name == "login.html"
    assert page.context["error"] is None and page.context["current_user"] is None
    assert 'name="username"' in page.text and 'name="password"' in page.text


def test_login_refused_shows_the_error_and_keeps_the_username(anonymous):
    page = anonymous.post("/login", data={"username": "dev", "password": "wrong"})
    assert page.status_code == 200
    assert page.context["error"] == "Invalid username or password"
    assert "Invalid username or password" in page.text and 'value="dev"' in page.text
    assert anonymous.get("/customers").status_code == 303


def test_signed_in_user_is_sent_on_from_login_and_logout_signs_out(client):
    assert client.get("/login").headers["location"] == "/dashboard"
    out = client.get("/logout")
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert client.get("/customers").headers["location"].startswith("/login?next=")


def test_root_redirects_to_the_dashboard(client):
    answer = client.get("/")
    assert answer.status_code == 307 and answer.headers["location"] == "/dashboard"


def test_anonymous_pages_go_to_sign_in(anonymous):
    for url in ("/customers", "/dashboard", "/edges/1/logs", "/reports"):
        answer = anonymous.get(url)
        assert answer.status_code == 303, url
        assert answer.headers["location"].startswith("/login"), url


def nav_names(page):
    return {category: [entry["name"] for entry in entries] for category, entries in page.context["nav_categories"].items()}


@pytest.mark.parametrize("username, sees, hidden", [
    ("dev", {"network_devices"}, {"internal_tools", "debug"}),
    ("admin", {"internal_tools", "debug"}, {"network_devices"}),
    ("noc", {"network_devices"}, {"internal_tools", "debug"}),
    ("guest", set(), {"internal_tools", "debug", "network_devices"}),
])
def test_sidebar_per_user(anonymous, username, sees, hidden):
    page = anonymous.sign_in(username).get("/dashboard")
    names = {name for entries in nav_names(page).values() for name in entries}
    assert sees <= names and not hidden & names
    assert {"customers", "devices", "edges", "dashboard", "reports", "docs"} <= names


def test_sidebar_groups_views_and_links_by_category(client):
    nav = nav_names(client.get("/dashboard"))
    assert nav["CRM"] == ["customers"]
    assert nav["Analytics"] == ["reports"] and nav["Tools"] == ["docs"]
    assert {"sites", "devices", "all_devices", "edges"} <= set(nav["Network"])
    assert {"orchestrators", "offerings", "servers", "launchpads", "audit_log", "orders", "tickets"} <= set(nav["Other"])
    devices = next(e for e in client.get("/dashboard").context["nav_categories"]["Network"] if e["name"] == "devices")
    assert devices == {"name": "devices", "url": "/devices", "display_name": "Network Devices", "icon": "hdd-network"}
    assert admin.get_nav_categories({"username": "admin", "groups": []})["Dev"][0]["url"] == "/debug"
    assert "Dev" not in admin.get_nav_categories({"username": "dev", "groups": []})


@pytest.mark.parametrize("username, url, status", [
    ("dev", "/internal_tools", 403), ("admin", "/internal_tools", 200),
    ("guest", "/network_devices", 403), ("noc", "/network_devices", 200),
    ("guest", "/network_devices/create", 403),
])
def test_allowed_lists_guard_the_routes_too(anonymous, username, url, status):
    assert anonymous.sign_in(username).get(url).status_code == status


def test_every_page_gets_the_documented_context(client):
    page = client.get("/customers")
    context = page.context
    assert context["current_user"] == {"username": "dev", "groups": ["/Edge-Admins"]}
    assert context["static_url"] == "/static/fasthx-admin"
    assert context["admin_title"] == "My Admin" and context["ai_chat_enabled"] is False
    assert "active_page" in context and "My Admin" in page.text
    assert admin.get_view("customers").display_name == "Customers"
    assert admin.get_view("devices").page_size == 25


def test_nav_categories_without_a_user_lists_everything():
    names = {entry["name"] for entries in admin.get_nav_categories().values() for entry in entries}
    assert {"internal_tools", "network_devices", "debug", "customers"} <= names
