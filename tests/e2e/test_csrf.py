"""CSRF in Chromium: a plain same-origin form passes without a token; the same POST from
another site is refused before the route runs."""

import uuid

import httpx
from playwright.sync_api import Page, expect

from helpers import open_story, post_from_another_site


def test_plain_form_without_a_token_posts_same_origin(page: Page, storybook: str):
    note = f"note {uuid.uuid4().hex[:8]}"
    open_story(page, storybook, "layout", "plain_form")
    assert page.locator("form input[name=csrf_token]").count() == 0
    page.get_by_label("Note").fill(note)
    with page.expect_request("**/api/layout/notes") as info:
        page.get_by_role("button", name="Send").click()
    assert info.value.method == "POST" and "csrf_token" not in (info.value.post_data or "")
    assert info.value.header_value("sec-fetch-site") == "same-origin"
    expect(page.locator("#fhx-toasts .fhx-toast-message")).to_have_text(f"Received: {note}")
    assert note in httpx.get(f"{storybook}/api/layout/notes").json()


def test_the_same_post_from_another_site_is_refused_and_changes_nothing(page: Page, storybook: str):
    note = f"forged {uuid.uuid4().hex[:8]}"
    response = post_from_another_site(page, storybook, "/api/layout/notes", {"note": note})
    assert response.status == 403
    assert response.request.header_value("sec-fetch-site") == "cross-site"
    assert note not in httpx.get(f"{storybook}/api/layout/notes").json()
