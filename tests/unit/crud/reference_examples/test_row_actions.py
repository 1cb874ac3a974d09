"""The reference's Row Actions, Multi Row Actions, Cross-page selection, Polling and Permissions
examples."""

import re

import pytest

from ..reference.app import admin
from ..reference.models import AuditLog, FortiEdge, Offering
from .answers import triggered


def test_row_actions_render_per_row(client, edges):
    edge = edges[1][1]
    text = client.get("/edges").text
    assert f'hx-post="/edges/{edge.id}/deploy"' in text
    deploy = re.search(rf'<button[^>]*hx-post="/edges/{edge.id}/deploy"[^>]*>', text).group(0)
    assert 'hx-target="closest tr"' in deploy and 'hx-swap="afterend"' in deploy and "btn-outline-success" in deploy
    reset = re.search(rf'<button[^>]*hx-post="/edges/{edge.id}/reset"[^>]*>', text).group(0)
    assert 'hx-swap="outerHTML"' in reset and "Reset this edge device?" in reset
    link = re.search(rf'<a[^>]*href="/edges/{edge.id}/template/download"[^>]*>', text).group(0)
    assert "Download onboarding template?" in link and " download " in link and " hx-" not in link
    manual = re.search(rf'<a[^>]*href="https://docs.example.org/edges/{edge.id}"[^>]*>', text).group(0)
    assert 'target="_blank"' in manual and "noopener" in manual
    assert f'hx-get="/edges/{edge.id}/template"' in text and f'hx-get="/edges/{edge.id}/logs"' in text
    assert re.search(rf'href="/edges/{edge.id}(\?[^"]*)?"', text)
    assert f"/edges/{edge.id}/edit" in text and f"/edges/{edge.id}/delete" in text


def test_deploy_toast_with_redirect_and_instance_state(client, edges):
    edge = edges[1][1]
    answer = client.htmx_post(f"/edges/{edge.id}/deploy")
    assert answer.status_code == 200 and answer.headers["HX-Redirect"] == "/edges"
    assert admin.get_view("edges").deploy_progress[edge.id] == {"progress": 0, "status": "deploying"}
    page = client.get("/edges")
    assert "Deployment started!" in page.text
    missing = client.htmx_post("/edges/999/deploy")
    assert missing.status_code == 404
    assert triggered(missing)["showToast"].items() >= {"message": "Edge not found", "type": "danger", "title": "Danger"}.items()


def test_reset_toast(client, edges, db):
    edge = edges[1][1]
    answer = client.htmx_post(f"/edges/{edge.id}/reset")
    assert triggered(answer)["showToast"]["type"] == "warning"
    db.expire_all()
    assert db.get(FortiEdge, edge.id).status == "offline"


def test_polling_column_and_its_route(client, edges):
    edge = edges[1][1]
    text = client.get("/edges").text
    assert f'hx-get="/edges/{edge.id}/status"' in text and 'hx-trigger="every 5s"' in text
    cell = client.htmx_get(f"/edges/{edge.id}/status")
    assert cell.status_code == 200 and "deploying" in cell.text
    assert cell.template.name == "partials/status_cell.html"
    assert client.htmx_get("/edges/999/status").status_code == 404


def test_permissions_hide_buttons_and_refuse_routes(client, db):
    db.add(AuditLog(entity="customer", entity_id=1, action="created", user="dev"))
    db.commit()
    row = db.query(AuditLog).one()
    page = client.get("/audit_log").text
    assert "/audit_log/create" not in page and f"/audit_log/{row.id}/edit" not in page
    assert f"/audit_log/{row.id}/delete" not in page and f"/audit_log/{row.id}" in page
    assert client.get("/audit_log/create").status_code == 403
    assert client.post("/audit_log/create", data={"entity": "x"}).status_code == 403
    assert client.post(f"/audit_log/{row.id}/edit", data={"entity": "x"}).status_code == 403
    assert client.post(f"/audit_log/{row.id}/delete").status_code == 403
    assert db.query(AuditLog).count() == 1


# The reference's bulk-delete passes the posted ids (strings) to `id.in_(...)`: PostgreSQL
# through psycopg 3 refuses integer = varchar, so this example runs on SQLite only.
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_multi_row_actions_menu_and_bulk_delete(client, offerings, db):
    page = client.get("/offerings").text
    assert "data-fhx-select-page" in page and f'data-fhx-select value="{offerings[0].id}"' in page
    assert "Delete Selected" in page and "Activate Selected" in page
    assert "/offerings/bulk-delete" in page and "Delete {count} items?" in page
    ids = [str(o.id) for o in offerings[:3]]
    answer = client.htmx_post("/offerings/bulk-delete", data={"ids": ids})
    assert answer.status_code == 200
    assert triggered(answer)["showToast"].items() >= {"message": "Deleted 3 items", "type": "success"}.items()
    assert db.query(Offering).count() == 22
    answer = client.htmx_post("/offerings/bulk-activate", data={"ids": [str(offerings[5].id)]})
    assert triggered(answer)["showToast"]["message"] == "Activated 1 items"
    db.expire_all()
    assert db.get(Offering, offerings[5].id).status == "active"


def test_select_all_ids_follows_search_and_header_filters(client, offerings):
    everything = client.get("/offerings/select-all-ids").json()
    assert set(everything) == {"ids", "total"} and all(isinstance(i, int) for i in everything["ids"])
    assert everything["total"] == 25 and len(everything["ids"]) == 25
    on_server = client.get("/offerings/select-all-ids", params={"q": "ucpe-01"}).json()
    expected = sorted(o.id for o in offerings if o.serverid == offerings[1].serverid)
    assert sorted(on_server["ids"]) == expected and on_server["total"] == len(expected)
    filtered = client.get("/offerings/select-all-ids", params={"cf_serverid.hostname": "ucpe-02"}).json()
    assert filtered["total"] == len([o for o in offerings if o.serverid == offerings[2].serverid])
    by_ip = client.get("/offerings/select-all-ids", params={"cf_ipaddress": "10.9.0.2"}).json()
    assert by_ip["total"] == 6  # contains: 10.9.0.2 and 10.9.0.20 … 10.9.0.24
    assert client.get("/devices/select-all-ids").status_code in (404, 405)


def test_select_all_ids_respects_the_views_access(anonymous, offerings):
    assert anonymous.get("/offerings/select-all-ids", headers={"Accept": "application/json"}).status_code == 401


def test_header_filters_in_the_list(client, offerings):
    page = client.get("/offerings", params={"cf_serverid.hostname": "ucpe-00"})
    assert page.status_code == 200
    shown = set(re.findall(r"10\.9\.0\.\d+", page.text))
    assert shown and all(int(ip.rsplit(".", 1)[1]) % 3 == 0 for ip in shown)
    assert 'name="cf_ipaddress"' in page.text and 'name="cf_status"' in page.text


def test_search_through_a_whole_related_row(client, offerings):
    page = client.get("/offerings_by_server", params={"q": "192.168.0.1"})
    assert page.status_code == 200
    assert "off-01" in page.text and "off-00" not in page.text


def test_polling_cell_starts_with_the_formatter(client, edges):
    edge = edges[1][1]
    text = client.get("/edges").text
    cell = re.search(rf'<[^>]*hx-get="/edges/{edge.id}/status"[^>]*>(.*?)</', text, re.S)
    assert cell and '<span class="badge">deploying</span>' in text
