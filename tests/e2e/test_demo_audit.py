"""The demo's audit log in the browser: editing a customer writes an `update` row holding
only the changed column, old and new, that the read-only Audit log page lists."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from helpers import assert_accessible, wait_ready


def test_an_edit_shows_up_in_the_audit_log_with_old_and_new(page: Page, demo: str):
    page.goto(f"{demo}/customers/2/edit")
    wait_ready(page)
    old = page.get_by_label("Name").input_value()
    new = f"Audited {uuid.uuid4().hex[:8]}"
    page.get_by_label("Name").fill(new)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#fhx-toasts-status .fhx-toast")).to_contain_text("Saved Customer #2")
    page.goto(f"{demo}/audit_log?q={new}")
    wait_ready(page)
    rows = page.locator("#audit_log-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("update")
    expect(rows.first).to_contain_text("Customer")
    changes = rows.first.locator("code")
    expect(changes).to_have_text(re.compile(r'^\{"old": \{"name": ".*"\}, "new": \{"name": "' + new + r'"\}\}$'))
    expect(changes).to_contain_text(old)
    expect(page.get_by_role("link", name="Create")).to_have_count(0)
    assert_accessible(page)
