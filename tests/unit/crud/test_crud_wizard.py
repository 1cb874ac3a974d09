"""The reference's wizard templates (`wizard.html`, `partials/wizard_step.html`,
`partials/_wizard_indicators.html`), rendered through `admin.templates` with the context
docs/wizard.md documents."""

from fasthx_ui import FieldSpec, Wizard, WizardStep

WIZARD = Wizard([
    WizardStep("site", "Site", [FieldSpec("site", required=True)]),
    WizardStep("device", "Device", [FieldSpec("port", "number", required=True)]),
    WizardStep("review", "Review"),
], action="/wizard", id="deploy")


def render(crud_app, template, **context):
    return str(crud_app[1].templates.render(None, template, context))


def test_wizard_page_is_the_shell_around_the_first_step(crud_app):
    html = render(crud_app, "wizard.html", wizard=WIZARD, title="Deploy <now>", intro="Four steps.")
    assert "<title>Deploy &lt;now&gt;" in html and "Four steps." in html
    assert 'id="deploy"' in html and 'hx-post="/wizard"' in html and "Step 1 of 3:</span> Site" in html
    assert render(crud_app, "wizard.html", wizard=WIZARD).count("<title>Wizard") == 1


def test_wizard_step_partial_is_the_region_at_the_state_given(crud_app):
    state = WIZARD.advance({"wizard_step": "1", "wizard_nav": "next", "site": "A", "port": "x"})
    html = render(crud_app, "partials/wizard_step.html", wizard=WIZARD, wizard_state=state)
    assert html.lstrip().startswith('<section id="deploy"') and "<html" not in html
    assert "Enter a number." in html and '<input type="hidden" name="site" value="A">' in html


def test_wizard_indicators_partial_from_a_wizard_or_from_titles(crud_app):
    state = WIZARD.advance({"wizard_step": "0", "wizard_nav": "next", "site": "A"})
    html = render(crud_app, "partials/_wizard_indicators.html", wizard=WIZARD, wizard_state=state)
    assert html.count('data-state="complete"') == 1 and 'data-state="active" aria-current="step"' in html
    plain = render(crud_app, "partials/_wizard_indicators.html", steps=["One", "<Two>"], current=0)
    assert "&lt;Two&gt;" in plain and plain.count('data-state="upcoming"') == 1
