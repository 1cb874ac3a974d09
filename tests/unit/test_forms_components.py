"""Field, Form, FormSections and AjaxSelect rendered to HTML, and the dependent-dropdown
partials: attributes per type, escaping of every user value, errors, depends_on state."""

import enum
import re
from datetime import date

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from markupsafe import Markup

from fasthx_ui.form_fields import FieldSpec
from fasthx_ui.forms import form_response, parse_form
from fasthx_ui.ui import UI

HOSTILE = '"><script>alert(1)</script>'


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


@pytest.fixture(scope="module")
def ui() -> UI:
    return UI(secret_key="test-secret")


def field(ui: UI, spec: FieldSpec, **props) -> str:
    return str(ui.component("ui:Field", None, field=spec, **props))


def input_tag(html: str, name: str) -> str:
    return re.search(rf'<(?:input|select|textarea)[^>]*\bid="{name}"[^>]*>', html).group(0)


def test_text_field_attributes_and_required_mark(ui):
    html = field(ui, FieldSpec("hostname", required=True, max_length=20, placeholder="e.g. edge-001"), value="edge-1")
    tag = input_tag(html, "hostname")
    for part in ('type="text"', 'name="hostname"', 'value="edge-1"', "required", 'aria-required="true"',
                 'maxlength="20"', 'placeholder="e.g. edge-001"'):
        assert part in tag
    assert '<label class="form-label" for="hostname">Hostname<span class="text-danger fhx-required" aria-hidden="true"> *</span>' in html


@pytest.mark.parametrize(("spec", "expected"), [
    (FieldSpec("n", "number", min_value=1, max_value=9), ['type="number"', 'step="1"', 'min="1"', 'max="9"']),
    (FieldSpec("x", "number", number_type=float), ['type="number"', 'step="any"']),
    (FieldSpec("e", "email"), ['type="email"']),
    (FieldSpec("d", "date"), ['type="date"']),
    (FieldSpec("t", "datetime-local"), ['type="datetime-local"']),
    (FieldSpec("f", "file", accept=".cfg"), ['type="file"', 'accept=".cfg"']),
    (FieldSpec("c", "checkbox"), ['type="checkbox"', 'role="switch"', 'value="on"']),
])
def test_input_type_per_field_type(ui, spec, expected):
    tag = input_tag(field(ui, spec), spec.name)
    for part in expected:
        assert part in tag


def test_checkbox_is_never_required_and_shows_checked(ui):
    html = field(ui, FieldSpec("active", "checkbox", required=True), value=True)
    tag = input_tag(html, "active")
    assert " checked" in tag and "required" not in tag
    assert "fhx-required" not in html
    assert " checked" not in input_tag(field(ui, FieldSpec("active", "checkbox"), value=False), "active")


def test_select_marks_the_current_choice_and_enum_by_name(ui):
    html = field(ui, FieldSpec("color", enum=Color), value=Color.BLUE)
    assert '<option value="BLUE" selected>blue</option>' in html
    assert '<option value="RED">red</option>' in html
    assert '<option value="">Select…</option>' in html
    fk = field(ui, FieldSpec("site_id", "select", choices=[(1, "Oslo"), (2, "Lima")], searchable=True), value=2)
    assert '<option value="2" selected>Lima</option>' in fk and "data-fhx-searchable" in fk


def test_select_without_choices_keeps_the_current_value(ui):
    html = field(ui, FieldSpec("site_id", "select"), value=7, selected_label="Kyoto")
    assert '<option value="7" selected>Kyoto</option>' in html


def test_textarea_and_date_values(ui):
    assert ">line\n2</textarea>" in field(ui, FieldSpec("notes", "textarea"), value="line\n2")
    assert 'value="2024-02-29"' in field(ui, FieldSpec("d", "date"), value=date(2024, 2, 29))


def test_error_marks_the_input_and_keeps_the_raw_text(ui):
    html = field(ui, FieldSpec("port", "number"), raw="eighty", error="Enter a number.")
    tag = input_tag(html, "port")
    assert 'type="text"' in tag and 'inputmode="decimal"' in tag and 'value="eighty"' in tag
    assert 'aria-invalid="true"' in tag and 'aria-describedby="port-error"' in tag and "is-invalid" in tag
    assert '<div id="port-error" class="invalid-feedback d-block">Enter a number.</div>' in html
    assert 'type="number"' in input_tag(field(ui, FieldSpec("port", "number"), raw="", error="Required."), "port")


def test_description_tooltip_text_and_trusted_html(ui):
    html = field(ui, FieldSpec("wan_ip", description="Must be <public>"))
    assert 'data-bs-title="Must be &lt;public&gt;"' in html and "data-bs-html" not in html
    assert '<span id="wan_ip-help" class="visually-hidden">Must be &lt;public&gt;</span>' in html
    assert 'aria-describedby="wan_ip-help"' in input_tag(html, "wan_ip")
    trusted = field(ui, FieldSpec("wan_ip", description=Markup("Must be <b>public</b>")))
    assert 'data-bs-title="Must be &lt;b&gt;public&lt;/b&gt;" data-bs-html="true"' in trusted
    assert '<span id="wan_ip-help" class="visually-hidden">Must be <b>public</b></span>' in trusted


def test_hx_attributes_for_dependent_dropdowns(ui):
    spec = FieldSpec("site_id", "select", choices=[(1, "A")], hx_get="/api/devices-for-site", hx_target="#device_id")
    tag = input_tag(field(ui, spec), "site_id")
    for part in ('hx-get="/api/devices-for-site"', 'hx-trigger="change"', 'hx-swap="innerHTML"', 'hx-target="#device_id"'):
        assert part in tag
    assert 'hx-get="#"' in field(ui, FieldSpec("x", hx_get="javascript:alert(1)"))


def test_extra_input_attributes(ui):
    tag = input_tag(field(ui, FieldSpec("price", "number", attrs={"step": "0.01", "autofocus": True,
                                                               "data-note": HOSTILE, "bad name": "x"})), "price")
    assert ' step="0.01"' in tag and " autofocus" in tag and "bad" not in tag
    assert 'data-note="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in tag


def test_every_user_value_is_escaped(ui):
    spec = FieldSpec("name", label=HOSTILE, placeholder=HOSTILE, description=HOSTILE, choices=None)
    html = field(ui, spec, raw=HOSTILE, error=HOSTILE)
    assert "<script>" not in html
    select = field(ui, FieldSpec("s", "select", choices=[(HOSTILE, HOSTILE)]), value=HOSTILE)
    assert "<script>" not in select and "&lt;script&gt;" in select
    ajax = str(ui.component("ui:AjaxSelect", None, name="s", url="/x", value=HOSTILE, label=HOSTILE, placeholder=HOSTILE))
    assert "<script>" not in ajax
    form = str(ui.component("ui:Form", None, fields=[FieldSpec("a")], action="/save", error=HOSTILE,
                            errors={"a": HOSTILE}, raw={"a": HOSTILE}))
    assert "<script>" not in form


def test_ajax_select_prefills_value_and_label(ui):
    html = str(ui.component("ui:AjaxSelect", None, name="server_id", url="/servers?kind=edge&x=1", value="42", label="edge-042"))
    assert 'data-url="/servers?kind=edge&amp;x=1"' in html
    assert '<option value="42" selected>edge-042</option>' in html
    empty = str(ui.component("ui:AjaxSelect", None, name="server_id", url="/servers"))
    assert "selected" not in empty


def test_form_hides_fields_whose_checkbox_is_off_and_reports_errors(ui):
    fields = [FieldSpec("is_ha", "checkbox"), FieldSpec("ha_mode", depends_on="is_ha"), FieldSpec("name")]
    off = str(ui.component("ui:Form", None, fields=fields, action="/save"))
    assert re.search(r'<div class="mb-3 fhx-field" data-fhx-field="ha_mode" data-type="text" data-fhx-depends-on="is_ha" hidden>', off)
    on = str(ui.component("ui:Form", None, fields=fields, action="/save", values={"is_ha": True}))
    assert not re.search(r'data-fhx-field="ha_mode"[^>]*hidden', on)
    typed = str(ui.component("ui:Form", None, fields=fields, action="/save", raw={"is_ha": "on"}, errors={"name": "Bad."}))
    assert not re.search(r'data-fhx-field="ha_mode"[^>]*hidden', typed)
    assert 'data-fhx-form-error="Please correct the highlighted fields."' in typed
    assert 'hx-post="/save"' in off and 'hx-sync="this:drop"' in off and "hx-disable=\"find button[type='submit']\"" in off
    assert "data-fhx-form-error" not in off and "enctype" not in off


def test_form_with_a_file_field_posts_multipart(ui):
    html = str(ui.component("ui:Form", None, fields=[FieldSpec("doc", "file")], action="/upload"))
    assert 'enctype="multipart/form-data"' in html


def test_sections_first_open_error_section_open_rest_after(ui):
    fields = [FieldSpec("a"), FieldSpec("b"), FieldSpec("c"), FieldSpec("d")]
    html = str(ui.component("ui:Form", None, fields=fields, action="/s", sections={"One": ["a"], "Two": ["b"], "Three": ["c"]},
                            errors={"c": "Bad."}))
    buttons = re.findall(r'<button class="accordion-button( collapsed)?"[^>]*aria-expanded="(true|false)"', html)
    assert buttons == [("", "true"), (" collapsed", "false"), ("", "true")]
    assert html.index('id="c"') < html.index('id="d"')
    assert html.index("accordion-item") < html.index('data-fhx-field="d"')


def render(ui: UI, template: str, context: dict) -> str:
    return re.sub(r"\s+", " ", ui.render(None, template, context)).strip()


def test_dropdown_options_partial(ui):
    options = [{"id": 1, "label": "Edge <1>"}, {"value": 2, "label": "Two"}, (3, "Three"), "four"]
    html = render(ui, "partials/dropdown_options.html", {"options": options, "selected": 2})
    assert html == ('<option value="">Select…</option> <option value="1">Edge &lt;1&gt;</option> '
                    '<option value="2" selected>Two</option> <option value="3">Three</option> <option value="four">four</option>')
    assert render(ui, "partials/dropdown_options.html", {"options": [], "selected": None}) == '<option value="">Select…</option>'


def test_dropdown_options_multi_partial(ui):
    context = {"options": [{"id": 1, "label": "O1"}], "selected": 1,
               "oob_targets": [{"id": "region_id", "options": [{"id": 5, "label": "R5"}], "selected": 5},
                               {"id": "rack_id", "options": []}]}
    html = render(ui, "partials/dropdown_options_multi.html", context)
    assert html.startswith('<option value="">Select…</option> <option value="1" selected>O1</option>')
    assert ('<hx-partial hx-target="#region_id" hx-swap="innerHTML"> <option value="">Select…</option> '
            '<option value="5" selected>R5</option> </hx-partial>') in html
    assert '<hx-partial hx-target="#rack_id" hx-swap="innerHTML"> <option value="">Select…</option> </hx-partial>' in html


def test_form_response_renders_with_the_ui_of_the_requests_app(tmp_path):
    (tmp_path / "Form.jinja").write_text('{#def fields, action, errors={}, **rest #}<form data-own="yes">{{ errors | length }}</form>')
    fields = [FieldSpec("name", required=True)]
    clients = []
    for ui in (UI(secret_key="k", components=[tmp_path]), UI(secret_key="k")):
        app = FastAPI()
        ui.install(app)

        @app.get("/form")
        def answer(request: Request):
            return form_response(request, fields, action="/save", parsed=parse_form(fields, {}))

        clients.append(TestClient(app))
    own, default = (client.get("/form") for client in clients)
    assert own.status_code == default.status_code == 422
    assert own.text == '<form data-own="yes">1</form>'
    assert 'data-fhx-form' in default.text and "data-own" not in default.text


def test_one_part_overridden_changes_only_its_type(tmp_path):
    (tmp_path / "FieldSelect.jinja").write_text('{#def field, text="", invalid=False, describedby="", selected_label="" #}'
                                                '<my-select name="{{ field.name }}" value="{{ text }}"></my-select>')
    own = UI(secret_key="k", components=[tmp_path])
    fields = [FieldSpec("site_id", "select", choices=[(1, "Oslo")]), FieldSpec("name"), FieldSpec("on", "checkbox")]
    html = str(own.component("ui:Form", None, fields=fields, action="/save", values={"site_id": 1}))
    assert '<my-select name="site_id" value="1"></my-select>' in html and "<select" not in html
    assert '<label class="form-label" for="site_id">Site</label>' in html
    assert input_tag(html, "name").startswith('<input type="text" class="form-control"')
    assert 'type="checkbox" role="switch"' in input_tag(html, "on")


@pytest.mark.parametrize(("component", "spec", "props", "expected"), [
    ("ui:FieldInput", FieldSpec("port", "number"), {"text": "80"},
     '<input type="number" class="extra form-control" value="80" id="port" name="port" data-x="1" step="1">'),
    ("ui:FieldTextarea", FieldSpec("notes", "textarea", max_length=9), {"text": " a\n"},
     '<textarea class="extra form-control" rows="3" id="notes" name="notes" data-x="1" maxlength="9"> a\n</textarea>'),
    ("ui:FieldCheckbox", FieldSpec("on", "checkbox"), {"checked": True},
     '<input class="extra form-check-input" type="checkbox" role="switch" value="on" id="on" name="on" data-x="1" checked>'),
    ("ui:FieldSelect", FieldSpec("s", "select", choices=["a"]), {"text": "a", "invalid": True},
     '<select class="extra form-select is-invalid" id="s" name="s" aria-invalid="true" data-x="1">'),
])
def test_parts_alone_take_extra_classes_and_attrs(ui, component, spec, props, expected):
    spec.attrs = {"data-x": 1}
    html = str(ui.component(component, None, field=spec, **props, **{"class": "extra"}))
    assert html.startswith(expected)
