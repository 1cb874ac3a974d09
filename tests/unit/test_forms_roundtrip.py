"""The validation round-trip over HTTP, against the storybook's device form: a bad value for
each field type answers 422 with that field's error, keeps what was typed and saves nothing;
good values save exactly one row. CSRF is on, as in any app."""

import asyncio
import json
import re

import httpx
import pytest

from storybook.app import create_app

GOOD = {
    "hostname": "edge-001", "port": "443", "weight": "2.5", "email": "noc@example.com", "notes": "fine",
    "active": "on", "firmware": "7.2", "status": "ONLINE", "installed": "2024-02-29", "seen_at": "2024-05-31T14:30",
    "site_id": "3", "server_id": "4242",
}
BAD = {
    "hostname": ("h" * 25, "Use at most 20 characters (this has 25)."),
    "port": ("eighty", "Enter a number."),
    "weight": ("heavy", "Enter a number."),
    "email": ("not-an-email", "Enter a valid email address, like name@example.com."),
    "notes": ("n" * 501, "Use at most 500 characters (this has 501)."),
    "firmware": ("9.9", "Select one of the offered options."),
    "status": ("EXPLODED", "“EXPLODED” is not one of: ONLINE, OFFLINE, DEPLOYING."),
    "installed": ("2023-02-30", "Enter a date like 2024-05-31."),
    "seen_at": ("yesterday", "Enter a date and time like 2024-05-31T14:30."),
    "site_id": ("999", "Select one of the offered options."),
    "server_id": ("99999", "Select one of the offered options."),
}
TYPED = ("hostname", "port", "weight", "email", "installed", "seen_at")


@pytest.fixture(scope="module")
def app():
    return create_app()


def run(app, steps):
    """Run `steps(client, token)` against the app with a CSRF cookie and token."""

    async def main():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://storybook") as client:
            page = await client.get("/preview/form/validation_round_trip")
            token = re.search(r'<meta name="csrf-token" content="([0-9a-f]+)"', page.text).group(1)
            return await steps(client, {"X-CSRF-Token": token, "HX-Request": "true"})

    return asyncio.run(main())


async def count(client) -> int:
    return (await client.get("/api/form/devices/count")).json()["count"]


@pytest.mark.parametrize("field", list(BAD))
def test_one_bad_value_is_refused_with_its_message(app, field):
    bad, message = BAD[field]

    async def steps(client, headers):
        before = await count(client)
        response = await client.post("/api/form/device", data={**GOOD, field: bad}, headers=headers)
        return before, response, await count(client)

    before, response, after = run(app, steps)
    assert response.status_code == 422
    assert after == before
    html = response.text
    errors = re.findall(r'<div id="([a-z_]+)-error" class="invalid-feedback d-block">([^<]*)</div>', html)
    assert [(name, text.replace("&#34;", '"')) for name, text in errors] == [(field, message)]
    assert f'id="{field}"' in html and 'aria-invalid="true"' in html
    assert 'data-fhx-form-error="Please correct the highlighted fields."' in html
    for name in TYPED:
        expected = bad if name == field else GOOD[name]
        assert f'value="{expected}"' in html, name
    assert ">fine</textarea>" in html or field == "notes"
    assert "checked" in html.split('id="active"')[1].split(">")[0]


def test_every_bad_value_at_once_keeps_everything_and_saves_nothing(app):
    async def steps(client, headers):
        before = await count(client)
        data = {name: bad for name, (bad, _message) in BAD.items()}
        files = {"config": ("big.cfg", b"x" * 20_000, "text/plain")}
        response = await client.post("/api/form/device", data=data, files=files, headers=headers)
        return before, response, await count(client)

    before, response, after = run(app, steps)
    assert response.status_code == 422 and after == before
    html = response.text
    for name, (bad, message) in BAD.items():
        assert f'<div id="{name}-error" class="invalid-feedback d-block">' in html, name
        if name in TYPED:
            assert f'value="{bad}"' in html, name
    assert "The file is too large (at most 10,000 bytes)." in html
    assert "n" * 501 + "</textarea>" in html
    for name in ("port", "weight", "installed", "seen_at"):
        assert re.search(rf'<input type="text"[^>]* value="{re.escape(BAD[name][0])}"[^>]* id="{name}"', html), name


def test_good_values_save_one_row_and_toast(app):
    async def steps(client, headers):
        before = await count(client)
        files = {"config": ("edge.cfg", b"hostname edge-001\n", "text/plain")}
        response = await client.post("/api/form/device", data=GOOD, files=files, headers=headers)
        return before, response, await count(client)

    before, response, after = run(app, steps)
    assert response.status_code == 200
    assert after == before + 1
    toast = json.loads(response.headers["HX-Trigger"])["showToast"]
    assert toast["type"] == "success" and "(edge-001)" in toast["message"]
    assert "invalid-feedback" not in response.text


def test_post_without_csrf_token_is_refused_and_saves_nothing(app):
    async def steps(client, headers):
        before = await count(client)
        cross_site = {"HX-Request": "true", "Sec-Fetch-Site": "cross-site"}  # a forged request from another site
        response = await client.post("/api/form/device", data=GOOD, headers=cross_site)
        return before, response, await count(client)

    before, response, after = run(app, steps)
    assert response.status_code == 403 and after == before


def test_required_fields_left_empty(app):
    async def steps(client, headers):
        return await client.post("/api/form/device", data={}, headers=headers)

    response = run(app, steps)
    assert response.status_code == 422
    errors = dict(re.findall(r'<div id="([a-z_]+)-error" class="invalid-feedback d-block">([^<]*)</div>', response.text))
    assert errors == {name: "This field is required." for name in ("hostname", "port", "status", "site_id")}


def test_edit_form_shows_values_as_inputs_expect_them(app):
    async def steps(client, headers):
        return await client.get("/api/form/device/edit")

    html = run(app, steps).text
    assert re.search(r'<input type="hidden" name="csrf_token" value="[0-9a-f]{64}">', html)
    assert 'value="edge-042"' in html and 'value="8443"' in html and 'value="2.5"' in html
    assert 'value="2024-02-29"' in html and 'value="2024-05-31T14:30"' in html
    assert '<option value="DEPLOYING" selected>deploying</option>' in html
    assert '<option value="7.2" selected>Version 7.2</option>' in html
    assert '<option value="4242" selected>server-04242</option>' in html
    assert "checked" in html.split('id="active"')[1].split(">")[0]
