"""Wizard: a form split into steps, validated step by step, answered with the Wizard component.

Steps are data (`WizardStep(name, title, fields)` with the `FieldSpec`s of forms.py). The
browser carries what was typed on the other steps in hidden fields; nothing in them is
trusted: Next checks the step on screen, Back checks nothing (and keeps what was typed),
and Finish parses every step again from the submitted text, so a value changed in a
hidden field after its step passed is refused there. `Wizard.advance(form)` turns a post
into a `WizardState`; `wizard_response(request, wizard, state)` renders it (422 with errors).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from fasthx_ui.field_values import raw_text, submitted_values
from fasthx_ui.form_fields import FieldSpec, Validator
from fasthx_ui.forms import parse_form
from fasthx_ui.htmx import PLAIN_ID
from fasthx_ui.ui import ui_for

STEP_FIELD = "wizard_step"
"""The hidden field holding the index of the step the browser shows."""
NAV_FIELD = "wizard_nav"
"""The name of the Back / Next / Finish buttons; their values are "back", "next" and "finish"."""
LOST_PLACE = "The wizard lost its place; please check this step and go on."
FIX_STEP = "Please correct step {number}, “{title}”."


@dataclass(frozen=True)
class WizardStep:
    """One step: its name, the title its indicator and heading show, and its fields.
    A step without fields is a review step: it lists what the other steps hold."""

    name: str
    title: str
    fields: Sequence[FieldSpec] = ()
    description: str = ""


@dataclass
class WizardState:
    """Where a wizard is: the step shown, the text of every field typed so far, the
    errors of the step shown, and, once `finished`, every step's typed `values`.

    `moved` marks the answer to a post: the browser moves focus into the new step."""

    step: int = 0
    raw: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    error: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    finished: bool = False
    moved: bool = False

    @property
    def ok(self) -> bool:
        """True when the step shown has no error."""
        return not self.errors and not self.error


@dataclass
class Wizard:
    """The steps of one wizard and where it posts; see the module docstring.

    Field names are unique across steps (they share one form). File fields cannot be
    carried from step to step and are refused. `id` is the region htmx replaces."""

    steps: Sequence[WizardStep]
    action: str
    id: str = "fhx-wizard"
    back_label: str = "Back"
    next_label: str = "Next"
    finish_label: str = "Finish"

    def __post_init__(self) -> None:
        self.steps = list(self.steps)
        if not self.steps:
            raise ValueError("a Wizard needs at least one step")
        seen: set[str] = set()
        for spec in self.fields:
            if spec.name in seen or spec.name in (STEP_FIELD, NAV_FIELD, "csrf_token"):
                raise ValueError(f"wizard field name {spec.name!r} is used twice or reserved")
            if spec.type == "file":
                raise ValueError(f"wizard field {spec.name!r}: a file cannot be carried between steps")
            seen.add(spec.name)
        if len({step.name for step in self.steps}) != len(self.steps):
            raise ValueError("wizard step names must be unique")
        if not PLAIN_ID.fullmatch(self.id):
            raise ValueError(f"a wizard's id is its htmx target: use letters, digits, - and _, not {self.id!r}")

    @property
    def fields(self) -> list[FieldSpec]:
        """Every step's fields, in order."""
        return [spec for step in self.steps for spec in step.fields]

    @property
    def titles(self) -> list[str]:
        """The steps' titles, in order (what the indicators show)."""
        return [step.title for step in self.steps]

    @property
    def last(self) -> int:
        """The index of the last step."""
        return len(self.steps) - 1

    def start(self, values: Mapping[str, Any] | None = None) -> WizardState:
        """The first step, its fields showing `values` (Python values by field name) or their defaults."""
        specs = {spec.name: spec for spec in self.fields}
        return WizardState(raw={name: specs[name].display(value) for name, value in (values or {}).items() if name in specs})

    def advance(self, data: Mapping[str, Any], *, validators: Mapping[str, Validator] | None = None) -> WizardState:
        """The state after a post of this wizard's form (Starlette `FormData` or a mapping).

        Back: the previous step; the step left is not checked. Next (or no known button): the
        step on screen is parsed; with an error it stays, else the next step shows. A step
        reached by Back or Next shows the errors of text typed there before (see `_arrive`).
        Finish (or Next on the last step): every step is parsed again; the first step with an
        error is shown with it, else the state is `finished` with every typed value.
        `validators` are per-call checks (a database lookup), as for `parse_form`. Never
        raises for what the browser sent.
        """
        index = self._step_index(data.get(STEP_FIELD))
        nav = data.get(NAV_FIELD)
        raw = self._raw(data, index or 0)
        if index is None:
            return WizardState(0, raw, error=LOST_PLACE, moved=True)
        if nav == "back":
            return self._arrive(max(index - 1, 0), raw, data, validators)
        if nav != "finish" and index < self.last:
            parsed = parse_form(self.steps[index].fields, data, validators=validators)
            if parsed.errors:
                return WizardState(index, raw, parsed.errors, moved=True)
            return self._arrive(index + 1, raw, data, validators)
        values: dict[str, Any] = {}
        for number, step in enumerate(self.steps):
            parsed = parse_form(step.fields, data, validators=validators)
            if parsed.errors:
                error = "" if number == index else FIX_STEP.format(number=number + 1, title=step.title)
                return WizardState(number, raw, parsed.errors, error, moved=True)
            values.update(parsed.values)
        return WizardState(index, raw, values=values, finished=True, moved=True)

    def carried(self, state: WizardState) -> list[tuple[str, str]]:
        """The (name, text) pairs of the hidden fields: what was typed on the other steps."""
        shown = {spec.name for spec in self.steps[state.step].fields}
        return [(spec.name, state.raw[spec.name]) for spec in self.fields if spec.name not in shown and spec.name in state.raw]

    def summary(self, state: WizardState) -> list[tuple[str, list[tuple[str, str]]]]:
        """What a review step lists: (step title, [(field label, text shown)]) for each step with fields."""
        return [(step.title, [(spec.label, shown_text(spec, state.raw.get(spec.name)))
                              for spec in step.fields if self._shown(spec, state)])
                for step in self.steps if step.fields]

    def _shown(self, spec: FieldSpec, state: WizardState) -> bool:
        """False for a field whose `depends_on` checkbox is off (the form hides it and skips it)."""
        controller = next((c for c in self.fields if c.name == spec.depends_on), None)
        if controller is None:
            return True
        return state.raw.get(controller.name, controller.display(controller.value)) == "on"

    def _arrive(self, index: int, raw: dict[str, str], data: Mapping[str, Any], validators: Mapping[str, Validator] | None) -> WizardState:
        """The state at step `index` reached by Back or Next: text typed there before that does
        not parse shows its error at once (a number input could not even show it); an empty
        field is not an error yet."""
        parsed = parse_form(self.steps[index].fields, data, validators=validators)
        errors = {name: message for name, message in parsed.errors.items() if raw.get(name)}
        return WizardState(index, raw, errors, moved=True)

    def _step_index(self, value: Any) -> int | None:
        text = value.strip() if isinstance(value, str) else ""
        if not text.isdecimal() or len(text) > 4 or int(text) > self.last:
            return None
        return int(text)

    def _raw(self, data: Mapping[str, Any], index: int) -> dict[str, str]:
        """The text of every submitted field; an absent checkbox of the step on screen is off."""
        on_screen = {spec.name for spec in self.steps[index].fields}
        raw = {}
        for spec in self.fields:
            values = submitted_values(data, spec.name)
            if values or spec.name in on_screen:
                raw[spec.name] = raw_text(spec, values)
        return raw


def shown_text(spec: FieldSpec, text: str | None) -> str:
    """How a review lists a field's text: the option's label, Yes/No, a masked password."""
    if text is None:
        text = spec.display(spec.value)
    if spec.type == "checkbox":
        return "Yes" if text == "on" else "No"
    if spec.type == "password":
        return "••••••" if text else ""
    if not text:
        return ""
    return dict(spec.options).get(text) or spec.label_of(text) or text


def wizard_response(
    request: Request,
    wizard: Wizard,
    state: WizardState | None = None,
    *,
    status_code: int | None = None,
    **props: Any,
) -> HTMLResponse:
    """The Wizard component at `state` (default: the first step) as a response: 422 when the
    step shown has an error (htmx swaps it in), else 200. Extra `props` go to the component."""
    state = state or wizard.start()
    status = status_code or (200 if state.ok else 422)
    return ui_for(request).fragment(request, "ui:Wizard", status_code=status, wizard=wizard, state=state, **props)
