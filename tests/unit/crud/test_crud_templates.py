"""The reference's partial templates, rendered through `admin.templates` as a user's
endpoint or page would render them."""

import re

from fasthx_ui import FieldSpec

from .models import Device, DeviceStatus


def render(crud_app, template, **context):
    return str(crud_app[1].templates.render(None, template, context))


def test_status_cell_is_a_badge_and_polls_only_while_asked_to(crud_app):
    badge = render(crud_app, "partials/status_cell.html", value=DeviceStatus.ONLINE)
    assert 'class="badge text-bg-success"' in badge and "hx-get" not in badge
    unknown = render(crud_app, "partials/status_cell.html", value="<b>weird</b>")
    assert "text-bg-secondary" in unknown and "&lt;b&gt;weird&lt;/b&gt;" in unknown
    poll = {"id": "t-poll-status-1", "url": "/d/1/status", "trigger": "every 2s", "active": True}
    polling = render(crud_app, "partials/status_cell.html", value="deploying", poll=poll)
    assert 'id="t-poll-status-1"' in polling and 'hx-trigger="every 2s"' in polling and "text-bg-warning" in polling
    done = render(crud_app, "partials/status_cell.html", value="online", poll={**poll, "active": False})
    assert 'data-state="done"' in done and "hx-get" not in done


def test_row_actions_renders_the_actions_of_one_item(crud_app):
    view = crud_app[1].views["devices"]
    device = Device(id=7, hostname="edge-7")
    html = render(crud_app, "partials/row_actions.html", item=device, view=view,
                  actions=[{"label": "Deploy", "icon": "rocket", "hx_post": "/devices/{id}/deploy"}])
    assert 'hx-post="/devices/7/deploy"' in html and 'aria-label="Deploy row 7"' in html


def test_form_field_renders_one_field_with_its_error(crud_app):
    html = render(crud_app, "partials/_form_field.html", field=FieldSpec("port", "number"), value=None,
                  error="Enter a number.", raw="abc")
    assert 'name="port"' in html and 'value="abc"' in html and "Enter a number." in html


def test_dropdown_options_single_and_multi(crud_app):
    single = render(crud_app, "partials/dropdown_options.html", options=[{"id": 1, "label": "<A>"}], selected=1)
    assert re.findall(r"<option[^>]*>[^<]*</option>", single) == ['<option value="">Select…</option>',
                                                                   '<option value="1" selected>&lt;A&gt;</option>']
    multi = render(crud_app, "partials/dropdown_options_multi.html", options=[], selected=None,
                   oob_targets=[{"id": "region_id", "options": [{"id": 3, "label": "North"}], "selected": None}])
    assert '<hx-partial hx-target="#region_id" hx-swap="innerHTML">' in multi and '<option value="3">North</option>' in multi


def test_progress_bar_polls_its_view_route_until_done(crud_app):
    running = render(crud_app, "partials/progress_bar.html", view_name="edges", item_id=42, progress=40, status="Deploying...")
    assert 'aria-valuenow="40"' in running and 'hx-get="/edges/42/progress"' in running and "Deploying..." in running
    complete = render(crud_app, "partials/progress_bar.html", name="edges", item_id=42, progress=100, status="Complete")
    assert 'data-status="complete"' in complete and "hx-get" not in complete
    failed = render(crud_app, "partials/progress_bar.html", view_name="edges", item_id=42, progress=100,
                    status="Failed", failed=True)
    assert 'data-status="failed"' in failed and "hx-get" not in failed
