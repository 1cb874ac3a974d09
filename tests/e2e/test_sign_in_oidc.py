"""Signing in through an OpenID provider in Chromium, with the test provider
(tests/oidc_provider.py) as its own process: the reference's login page over the password
grant (`oidc_login`), and OIDCSignIn's code + PKCE round trip through the provider's own
login form, in a test app and in the demo set up by its environment."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from helpers import assert_accessible, serve

from ..oidc_provider import CLIENT_ID, CLIENT_SECRET, PASSWORD, Provider


@pytest.fixture(scope="module")
def reference(oidc_provider: Provider, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    database = tmp_path_factory.mktemp("reference") / "reference.db"
    process, url = serve(["-m", "tests.e2e.reference_app", "--database", f"sqlite:///{database}"],
                         env={"AUTH_DISABLED": "0", "OIDC_SECRETS": str(oidc_provider.secrets_file)})
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def code_flow_app(oidc_provider: Provider, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    database = tmp_path_factory.mktemp("oidc_app") / "notes.db"
    process, url = serve(["-m", "tests.unit.oidc_app", "--database", f"sqlite:///{database}"],
                         env={"AUTH_DISABLED": "0", "OIDC_ISSUER": oidc_provider.issuer})
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def demo_on_provider(oidc_provider: Provider, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo with sign-in through the test provider, set by its environment alone."""
    database = tmp_path_factory.mktemp("demo-oidc") / "demo.db"
    env = {"AUTH_DISABLED": "0", "DEMO_DATABASE_URL": f"sqlite:///{database}", "OIDC_ISSUER": oidc_provider.issuer,
           "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_PROVIDER_NAME": "the test provider"}
    process, url = serve(["-m", "examples.demo"], env=env, timeout=120)
    yield url
    process.terminate()
    process.wait(timeout=10)


def fill_login(page: Page, username: str, password: str, button: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=button).click()


def test_password_grant_through_the_reference_login_page(page: Page, reference: str):
    page.goto(reference + "/customers")
    expect(page).to_have_url(re.compile(r"/login\?next=/customers$"))
    assert_accessible(page)
    fill_login(page, "dev", "wrong", "Sign in")
    expect(page.locator(".fhx-login .alert")).to_have_text("Invalid username or password")
    expect(page.get_by_label("Username")).to_have_value("dev")
    fill_login(page, "outsider", PASSWORD, "Sign in")
    expect(page.locator(".fhx-login .alert")).to_contain_text("not in a group")
    fill_login(page, "dev", PASSWORD, "Sign in")
    expect(page).to_have_url(reference + "/dashboard")
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()
    page.goto(reference + "/logout")
    expect(page).to_have_url(reference + "/login")
    page.goto(reference + "/customers")
    expect(page).to_have_url(re.compile(r"/login\?next=/customers$"))


def test_code_flow_through_the_providers_login_form(page: Page, code_flow_app: str, oidc_provider: Provider):
    page.goto(code_flow_app + "/notes")
    expect(page).to_have_url(re.compile(re.escape(oidc_provider.issuer) + r"/authorize\?.*code_challenge_method=S256"))
    fill_login(page, "dev", "wrong", "Sign in to the test provider")
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
    fill_login(page, "dev", PASSWORD, "Sign in to the test provider")
    expect(page).to_have_url(code_flow_app + "/notes")
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()
    page.goto(code_flow_app + "/logout")
    expect(page.locator(".fhx-login .alert")).to_have_text("You are signed out.")
    assert_accessible(page)
    page.goto(code_flow_app + "/notes")
    expect(page).to_have_url(re.compile(re.escape(oidc_provider.issuer) + r"/authorize\?"))


def test_code_flow_refuses_a_user_outside_the_groups(page: Page, code_flow_app: str):
    page.goto(code_flow_app + "/dashboard")
    fill_login(page, "outsider", PASSWORD, "Sign in to the test provider")
    expect(page).to_have_url(re.compile(r"/auth/callback\?"))
    expect(page.locator(".fhx-login .alert")).to_contain_text("not in a group")
    assert_accessible(page)
    page.get_by_role("link", name="Sign in with the test provider").click()
    expect(page).to_have_url(re.compile(r"/authorize\?"))
    fill_login(page, "dev", PASSWORD, "Sign in to the test provider")
    expect(page).to_have_url(code_flow_app + "/dashboard")


def test_the_demo_signs_in_through_a_provider_by_configuration(page: Page, demo_on_provider: str, oidc_provider: Provider):
    page.goto(demo_on_provider + "/devices")
    expect(page).to_have_url(re.compile(re.escape(oidc_provider.issuer) + r"/authorize\?"))
    fill_login(page, "dev", PASSWORD, "Sign in to the test provider")
    expect(page).to_have_url(demo_on_provider + "/devices")
    expect(page.locator(".fhx-user")).to_have_text(re.compile("dev"))
    page.get_by_role("link", name="Sign out").click()
    expect(page.locator(".fhx-login .alert")).to_have_text("You are signed out.")
    expect(page.get_by_role("link", name="Sign in with the test provider")).to_be_visible()
