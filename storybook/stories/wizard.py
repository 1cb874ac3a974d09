"""Wizard stories: a four-step "new server" wizard (basics, capacity, options, review) at its
first step, at a middle step that came back with errors, and at its review step.

One route of this module (`{api}/wizard`) answers every post the way an app writes it:
`wizard.advance(form)`, then `wizard_response(...)` for the next step, the same step with its
errors (422) or the previous one; on a finished wizard, a summary of what would be created.
"""

from __future__ import annotations

import enum
from dataclasses import replace

from fastapi import Request
from fastapi.responses import HTMLResponse

from fasthx_ui import FieldSpec, Wizard, WizardStep, toast_payload, trigger, ui_for, wizard_response
from storybook.book import Stories

stories = Stories(
    "Wizard",
    "A form in steps: indicators, per-step validation, Back keeps what was typed, Finish re-checks every step.",
    category="Forms",
)


class Environment(enum.Enum):
    PRODUCTION = "Production"
    STAGING = "Staging"
    DEVELOPMENT = "Development"


STEPS = [
    WizardStep("basics", "Basics", [
        FieldSpec("name", required=True, max_length=30, placeholder="e.g. web-01"),
        FieldSpec("environment", enum=Environment, required=True),
    ], description="What the server is called and where it runs."),
    WizardStep("capacity", "Capacity", [
        FieldSpec("cpus", "number", label="CPUs", required=True, min_value=1, max_value=64),
        FieldSpec("memory", "number", label="Memory (GB)", number_type=float, min_value=0.5, max_value=512),
        FieldSpec("start_date", "date", label="In service from", required=True),
    ]),
    WizardStep("options", "Options", [
        FieldSpec("monitoring", "checkbox", label="Monitoring", value=True),
        FieldSpec("alert_email", "email", label="Alert email", required=True, depends_on="monitoring"),
        FieldSpec("notes", "textarea", max_length=200),
    ]),
    WizardStep("review", "Review", description="Check what you entered, then create the server."),
]
GOOD = {"name": "web-01", "environment": "PRODUCTION", "cpus": "4", "memory": "16", "start_date": "2025-01-15",
        "monitoring": "on", "alert_email": "ops@example.com", "notes": "Rack 4"}
SCENARIOS = {
    "first": {},
    "errors": {"wizard_step": "1", "wizard_nav": "next", "name": "web-01", "environment": "PRODUCTION",
               "cpus": "lots", "memory": "2.5", "start_date": "2025-02-30"},
    "review": {**GOOD, "wizard_step": "2", "wizard_nav": "next"},
}


def server_wizard(request: Request) -> Wizard:
    """The story's wizard, posting to this module's route."""
    return Wizard(STEPS, action=stories.url(request, "/wizard"), id="server-wizard", finish_label="Create server")


def load(scenario: str) -> str:
    """A story template that loads the wizard at `scenario` from its route, as a page would include it."""
    return f'<div hx-get="{{{{ api }}}}/show?at={scenario}" hx-trigger="load" hx-swap="outerHTML">Loading the wizard…</div>'


@stories.story()
def first_step():
    """The first step: Next with an empty or bad field keeps you here with the field's error;
    Enter in a field is Next."""
    return load("first")


@stories.story()
def middle_step_with_errors():
    """The Capacity step after a Next with a word for a number and 30 February: each field
    shows its error and what was typed. Back goes to Basics without checking, keeping both."""
    return load("errors")


@stories.story()
def last_step():
    """The review step lists what the steps hold; Create server re-checks every step."""
    return load("review")


@stories.story(args={"steps": ["Site", "Device", "Configuration", "Review"], "current": 2})
def indicators_alone():
    """`<ui:WizardIndicators>` on its own, to show a process's progress outside a wizard:
    steps before `current` completed, `current` active, the rest upcoming."""
    return "<ui:WizardIndicators steps={{ steps }} current={{ current }} label=\"Deployment steps\" />"


@stories.router.get("/show")
def show(request: Request, at: str = "first"):
    """The wizard at a scenario's state, computed by posting the scenario's data."""
    wizard = server_wizard(request)
    data = SCENARIOS.get(at, {})
    state = replace(wizard.advance(data), moved=False) if data else wizard.start()
    return wizard_response(request, wizard, state, status_code=200)


@stories.router.post("/wizard")
async def post(request: Request):
    wizard = server_wizard(request)
    state = wizard.advance(await request.form())
    if not state.finished:
        return wizard_response(request, wizard, state)
    values = state.values
    summary = ui_for(request).component("ui:DetailList", request, items=[
        ("Name", values["name"]), ("Environment", values["environment"].value), ("CPUs", values["cpus"]),
        ("Memory (GB)", values["memory"]), ("In service from", values["start_date"].isoformat()),
        ("Alert email", values.get("alert_email")),
    ])
    html = f'<section id="server-wizard" class="fhx-wizard-done" aria-label="Server created"><h2 class="h5">Server created</h2>{summary}</section>'
    return trigger(HTMLResponse(html), "showToast", toast_payload(f"Server {values['name']} created.", "success"))
