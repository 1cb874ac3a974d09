"""The reference's Custom Endpoints, Dependent Dropdowns and Toasts, Modals, Console examples."""

import re

from ..reference.models import BuildStatus, MyModel, Orchestrator
from .answers import options, triggered


# --- Custom Endpoints, Dependent Dropdowns --------------------------------------------------


def test_endpoint_with_hx_redirect(client, db):
    db.add(Orchestrator(name="orch-1"))
    db.commit()
    orch = db.query(Orchestrator).one()
    answer = client.htmx_post(f"/orchestrators/{orch.id}/build")
    assert answer.status_code == 200 and answer.headers["HX-Redirect"] == "/orchestrators"
    db.expire_all()
    assert db.get(Orchestrator, orch.id).build_status == BuildStatus.BUILDING
    assert client.htmx_post("/orchestrators/999/build").status_code == 404


def test_legacy_setup_endpoints_route(client, db):
    db.add(MyModel(name="thing"))
    db.commit()
    item = db.query(MyModel).one()
    answer = client.post(f"/my_models/{item.id}/action")
    assert answer.status_code == 200 and answer.text == "action on thing"
    client.get("/logout")
    assert client.post(f"/my_models/{item.id}/action", headers={"Accept": "application/json"}).status_code == 401


def test_dependent_dropdown_single_target(client, network):
    oslo = network[0]
    answer = client.htmx_get("/api/devices-for-site", params={"site_id": oslo.id})
    assert answer.status_code == 200
    assert [label for value, label in options(answer.text) if value] == ["edge-0", "edge-1", "edge-2"]
    assert [label for value, label in options(client.htmx_get("/api/devices-for-site").text) if value] == []
    form = client.get("/devices/create").text
    site = re.search(r'<select[^>]*name="site_id"[^>]*>', form).group(0)
    assert 'hx-get="/api/devices-for-site"' in site and 'hx-target="#device_id"' in site
    assert re.search(r'<select[^>]*id="device_id"', form)


def test_dependent_dropdown_multiple_targets(client, edges):
    acme = edges[0]
    answer = client.htmx_get("/api/options-for-customer", params={"customer_id": acme.id})
    assert answer.status_code == 200
    primary, _, rest = answer.text.partition("<hx-partial")
    assert [label for value, label in options(primary) if value] == ["orch-a"]
    assert 'hx-target="#region_id"' in rest
    assert [label for value, label in options(rest) if value] == ["EMEA", "APAC"]
    form = client.get("/edges/create").text
    assert re.search(r'<select[^>]*id="orchestrator_id"', form) and re.search(r'<select[^>]*id="region_id"', form)


# --- Toasts, Modals, Console ---------------------------------------------------------------------


def test_modal_response(client, edges):
    edge = edges[1][1]
    answer = client.htmx_get(f"/edges/{edge.id}/template")
    assert answer.status_code == 200
    assert answer.headers["HX-Retarget"] == "#admin-modal .modal-content"
    assert triggered(answer)["showModal"]["size"] == "modal-lg"
    assert f"Template — {edge.hostname}" in answer.text
    assert f"<pre># Generated config for {edge.hostname}</pre>" in answer.text
    assert f'href="/edges/{edge.id}/template/download"' in answer.text and "Close" in answer.text
    download = client.get(f"/edges/{edge.id}/template/download")
    assert download.headers["content-disposition"] == f'attachment; filename="{edge.hostname}.conf"'
    assert download.text.startswith("# Generated config")


def test_console_response(client, edges):
    edge = edges[1][1]
    answer = client.htmx_get(f"/edges/{edge.id}/logs")
    assert answer.headers["HX-Retarget"] == "#admin-modal .modal-content"
    assert triggered(answer)["showConsole"]["size"] == "modal-xl"
    assert "console-output" in answer.text and f"[INFO] Device {edge.hostname} booted" in answer.text
    colours = client.htmx_get("/edges/results").text
    assert "ansi-green" in colours and "\033" not in colours


def test_console_stream(client, edges):
    edge = edges[1][1]
    answer = client.htmx_post(f"/edges/{edge.id}/run-check")
    assert triggered(answer)["showConsole"] and f"/edges/{edge.id}/check-stream" in answer.text
    stream = client.get(f"/edges/{edge.id}/check-stream")
    assert stream.headers["content-type"].startswith("text/event-stream")
    events = [block for block in stream.text.split("\n\n") if block.strip()]
    assert len(events) == 5 and all(block.startswith("event: output") for block in events)
    assert "ansi-green" in events[0] and "Checking connectivity... OK" in events[1]


def test_modal_action_buttons_size_and_status(client, edges):
    edge = edges[1][1]
    answer = client.htmx_get(f"/edges/{edge.id}/choices")
    assert answer.status_code == 409 and triggered(answer)["showModal"]["size"] == "modal-sm"
    assert "Choose &lt;one&gt;" in answer.text and "<p>What next?</p>" in answer.text
    reset = re.search(rf'<button[^>]*hx-post="/edges/{edge.id}/reset"[^>]*>', answer.text).group(0)
    logs = re.search(rf'<button[^>]*hx-get="/edges/{edge.id}/logs"[^>]*>', answer.text).group(0)
    assert "btn btn-secondary" in reset and "btn btn-secondary" in logs  # the documented default css_class


def test_console_parameters_and_a_named_stream_event(client, edges):
    edge = edges[1][1]
    answer = client.htmx_get(f"/edges/{edge.id}/tail")
    assert answer.status_code == 202 and triggered(answer)["showConsole"]["size"] == "modal-lg"
    assert 'placeholder="edge&gt; "' in answer.text and 'hx-post="/edges/shell/exec"' in answer.text
    assert f'data-stream-url="/edges/{edge.id}/tail-stream"' in answer.text
    assert 'data-stream-event="log"' in answer.text
    assert "\033[33mraw" in answer.text and "ansi-yellow" not in answer.text  # ansi=False: the codes as written
    stream = client.get(f"/edges/{edge.id}/tail-stream").text
    assert stream.startswith("event: log") and "ansi-red" not in stream


def test_console_interactive_input(client):
    shell = client.htmx_get("/edges/shell")
    assert shell.status_code == 200 and 'hx-post="/edges/shell/exec"' in shell.text and "Ready." in shell.text
    answer = client.htmx_post("/edges/shell/exec", data={"command": "<ls>"})
    assert answer.text == "<pre>$ &lt;ls&gt;\necho: &lt;ls&gt;\n</pre>"
