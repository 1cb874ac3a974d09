"""Wizard: steps validated one at a time with the form parsing (field errors, text kept),
Back without checks, Finish re-checking every step from what the browser sent (a tampered
earlier value is refused), values escaped wherever they are shown; the story's route over HTTP."""

import asyncio
import re
from datetime import date

import httpx
import pytest

from fasthx_ui import UI, FieldSpec, Wizard, WizardStep
from fasthx_ui.wizard import FIX_STEP, LOST_PLACE
from storybook.app import create_app
from storybook.stories.wizard import GOOD, STEPS, Environment

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
WIZARD = Wizard(STEPS, action="/wizard", id="w")


def post(step, nav, **fields):
    return {"wizard_step": str(step), "wizard_nav": nav, **fields}


def render(state) -> str:
    return str(UI().component("ui:Wizard", wizard=WIZARD, state=state))


def control(html: str, name: str) -> str:
    """The first input, select or textarea tag named `name`."""
    match = re.search(rf'<(input|select|textarea)\b[^>]*\bname="{name}"[^>]*>', html)
    assert match, f"no control named {name}"
    return match.group(0)


@pytest.mark.parametrize(("field", "text", "message"), [
    ("cpus", "lots", "Enter a number."),
    ("cpus", "2.5", "Enter a whole number."),
    ("cpus", "65", "Enter a number no larger than 64."),
    ("start_date", "2025-02-30", "Enter a date like 2024-05-31."),
    ("start_date", "", "This field is required."),
])
def test_next_with_a_bad_value_stays_on_the_step_with_the_error_and_the_text(field, text, message):
    data = post(1, "next", **{**GOOD, field: text})
    state = WIZARD.advance(data)
    assert (state.step, state.finished, state.errors) == (1, False, {field: message})
    assert state.raw[field] == text and state.raw["name"] == "web-01"
    html = render(state)
    assert message in html and 'aria-current="step"' in html
    assert f'value="{text}"' in control(html, field) or text == ""


def test_a_bad_enum_value_is_a_field_error_on_its_step():
    state = WIZARD.advance(post(0, "next", name="web-01", environment="MOON"))
    assert state.step == 0
    assert state.errors == {"environment": "“MOON” is not one of: PRODUCTION, STAGING, DEVELOPMENT."}


def test_next_with_good_values_moves_on_and_carries_the_text_in_hidden_fields():
    state = WIZARD.advance(post(0, "next", name="web-01", environment="STAGING"))
    assert (state.step, state.errors, state.moved) == (1, {}, True)
    html = render(state)
    assert '<input type="hidden" name="name" value="web-01">' in html
    assert '<input type="hidden" name="environment" value="STAGING">' in html
    assert '<input type="hidden" name="wizard_step" value="1">' in html
    assert 'data-state="complete"' in html and "Step 2 of 4:</span> Capacity" in html


def test_back_checks_nothing_and_keeps_what_was_typed_on_the_step_it_leaves():
    typed = {"name": "web-01", "environment": "STAGING", "cpus": "lots", "start_date": "2025-13-01"}
    state = WIZARD.advance(post(1, "back", **typed))
    assert (state.step, state.errors, state.error) == (0, {}, "")
    html = render(state)
    assert 'value="web-01"' in control(html, "name")
    assert '<option value="STAGING" selected>' in html
    assert '<input type="hidden" name="cpus" value="lots">' in html
    assert '<input type="hidden" name="start_date" value="2025-13-01">' in html
    forward = WIZARD.advance(post(0, "next", **typed))
    assert forward.step == 1 and forward.errors == {"cpus": "Enter a number.", "start_date": "Enter a date like 2024-05-31."}
    assert 'type="text"' in control(render(forward), "cpus") and 'value="lots"' in control(render(forward), "cpus")


def test_a_step_reached_again_shows_only_the_errors_of_text_typed_there():
    state = WIZARD.advance(post(0, "next", name="web-01", environment="STAGING", cpus="", memory="lots"))
    assert (state.step, state.errors) == (1, {"memory": "Enter a number."})
    assert WIZARD.advance(post(0, "next", name="web-01", environment="STAGING")).errors == {}


def test_finish_re_validates_every_step_and_refuses_a_tampered_earlier_value():
    tampered = {**GOOD, "cpus": "999"}  # the Capacity step passed with 4; the hidden field was edited since
    state = WIZARD.advance(post(3, "finish", **tampered))
    assert not state.finished and state.values == {}
    assert (state.step, state.errors) == (1, {"cpus": "Enter a number no larger than 64."})
    assert state.error == FIX_STEP.format(number=2, title="Capacity")
    html = render(state)
    assert 'role="alert">Please correct step 2, “Capacity”.' in html and 'value="999"' in control(html, "cpus")


def test_finish_with_every_step_valid_gives_every_typed_value():
    state = WIZARD.advance(post(3, "finish", **GOOD))
    assert state.finished and state.ok
    assert state.values == {"name": "web-01", "environment": Environment.PRODUCTION, "cpus": 4, "memory": 16.0,
                            "start_date": date(2025, 1, 15), "monitoring": True, "alert_email": "ops@example.com",
                            "notes": "Rack 4"}


def test_an_unchecked_controller_skips_its_dependent_field_in_checks_and_in_the_review():
    data = {key: value for key, value in GOOD.items() if key not in ("monitoring", "alert_email")}
    finished = WIZARD.advance(post(3, "finish", **data, monitoring=""))
    assert finished.finished and "alert_email" not in finished.values and finished.values["monitoring"] is False
    review = WIZARD.advance(post(2, "next", **data))  # the Options step on screen, its checkbox left off
    assert review.step == 3 and review.raw["monitoring"] == ""
    labels = [label for _title, rows in WIZARD.summary(review) for label, _text in rows]
    assert "Monitoring" in labels and "Alert email" not in labels


def test_the_review_lists_option_labels_and_yes_no():
    state = WIZARD.advance(post(2, "next", **GOOD))
    summary = dict(WIZARD.summary(state))
    assert summary["Basics"] == [("Name", "web-01"), ("Environment", "Production")]
    assert summary["Options"][0] == ("Monitoring", "Yes")


@pytest.mark.parametrize("data", [
    {"wizard_nav": "next"}, post("9", "next"), post("-1", "next"), post("x", "back"), post("1" * 5000, "next"),
])
def test_a_step_number_the_wizard_does_not_have_restarts_with_a_message(data):
    state = WIZARD.advance(data)
    assert (state.step, state.error, state.finished) == (0, LOST_PLACE, False)


def test_an_unknown_nav_value_on_the_last_step_is_finish_and_elsewhere_is_next():
    assert WIZARD.advance(post(3, "sideways", **GOOD)).finished
    moved = WIZARD.advance(post(0, "sideways", name="a", environment="STAGING"))
    assert (moved.step, moved.errors, moved.error) == (1, {}, "")
    assert WIZARD.advance(post(0, "", name="", environment="STAGING")).errors == {"name": "This field is required."}


def test_values_are_escaped_in_fields_hidden_fields_and_the_review():
    evil = '"><script>alert(1)</script>'
    state = WIZARD.advance(post(2, "next", **{**GOOD, "name": evil, "notes": evil}))
    html = render(state)
    assert "<script>" not in html
    assert '<input type="hidden" name="name" value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">' in html
    assert "<dd>&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</dd>" in html
    on_screen = render(WIZARD.advance(post(0, "back", **{**GOOD, "name": evil})))
    assert "<script>" not in on_screen and "&lt;script&gt;" in control(on_screen, "name")


def test_enter_submits_forward_the_first_submit_button_is_next_or_finish():
    first = re.findall(r'<button type="submit" name="wizard_nav" value="(\w+)"', render(WIZARD.advance(post(0, "next", name="a", environment="STAGING"))))
    assert first[0] == "next" and "back" in first
    last = re.findall(r'<button type="submit" name="wizard_nav" value="(\w+)"', render(WIZARD.advance(post(2, "next", **GOOD))))
    assert last[0] == "finish"


def test_start_shows_given_values_and_field_defaults():
    state = WIZARD.start({"name": "db-02", "environment": Environment.STAGING})
    html = render(state)
    assert 'value="db-02"' in control(html, "name") and '<option value="STAGING" selected>' in html
    assert "data-fhx-wizard-moved" not in html


@pytest.mark.parametrize(("steps", "problem"), [
    ([], "at least one step"),
    ([WizardStep("a", "A", [FieldSpec("x")]), WizardStep("b", "B", [FieldSpec("x")])], "used twice"),
    ([WizardStep("a", "A", [FieldSpec("wizard_step")])], "reserved"),
    ([WizardStep("a", "A", [FieldSpec("upload", "file")])], "file"),
    ([WizardStep("a", "A"), WizardStep("a", "B")], "unique"),
])
def test_a_wizard_that_cannot_work_is_refused_when_it_is_built(steps, problem):
    with pytest.raises(ValueError, match=problem):
        Wizard(steps, action="/w")


@pytest.mark.parametrize("bad_id", ["", "1st", "a b", "w#x", 'w"><script>'])
def test_a_wizard_id_must_be_a_plain_html_id(bad_id):
    with pytest.raises(ValueError, match="htmx target"):
        Wizard(STEPS, action="/w", id=bad_id)


def exchange(requests):
    app = create_app()

    async def main():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://storybook") as client:
            return [await client.request(method, url, data=data, headers=SAME_ORIGIN) for method, url, data in requests]

    return asyncio.run(main())


def test_the_story_route_answers_each_move_and_finishes_with_a_summary():
    bad, good, back, done, lost = exchange([
        ("POST", "/api/wizard/wizard", post(1, "next", **{**GOOD, "cpus": "lots"})),
        ("POST", "/api/wizard/wizard", post(1, "next", **GOOD)),
        ("POST", "/api/wizard/wizard", post(1, "back", **GOOD)),
        ("POST", "/api/wizard/wizard", post(3, "finish", **GOOD)),
        ("POST", "/api/wizard/wizard", {"wizard_step": "<b>", "name": "x"}),
    ])
    assert bad.status_code == 422 and "Enter a number." in bad.text and 'data-fhx-form-error="Please correct' in bad.text
    assert good.status_code == 200 and "Step 3 of 4:</span> Options" in good.text
    assert back.status_code == 200 and "Step 1 of 4:</span> Basics" in back.text
    assert done.status_code == 200 and "Server created" in done.text and "showToast" in done.headers["HX-Trigger"]
    assert lost.status_code == 422 and LOST_PLACE in lost.text


def test_the_story_route_refuses_a_cross_site_post():
    app = create_app()

    async def main():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://storybook") as client:
            return await client.post("/api/wizard/wizard", data=post(3, "finish", **GOOD), headers={"Sec-Fetch-Site": "cross-site"})

    assert asyncio.run(main()).status_code == 403
