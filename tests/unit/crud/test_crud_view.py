"""CRUDView configuration and wiring: defaults, custom endpoints, route order, the
access check on every route, and clear errors for configuration mistakes."""

import re

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import Column, ForeignKey, Integer, String
from starlette.routing import Route

from fasthx_ui.crud import Base, CRUDView

from .conftest import CrudClient
from .models import Customer, Device, Note, Site


class Pair(Base):
    __tablename__ = "crud_view_pairs"
    left = Column(Integer, primary_key=True)
    right = Column(Integer, primary_key=True)


class Gadget(Base):
    __tablename__ = "crud_view_gadget_parts"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    site_id = Column(Integer, ForeignKey("crud_sites.id"))


def test_names_come_from_the_view_or_the_model(views):
    devices, customers, sites, notes = views["devices"], views["crud_customers"], views["crud_sites"], views["notes"]
    assert (devices.display_name, devices.category, devices.icon) == ("Devices", "Network", "router")
    assert (customers.name, customers.category, customers.icon) == ("crud_customers", "CRM", "people")
    assert (sites.display_name, sites.icon) == ("Crud Sites", "building")
    assert (notes.display_name, notes.category, notes.icon) == ("Crud Notes", "Other", "table")
    assert devices.page_size == 5 and customers.page_size == 20


def test_custom_endpoints_are_bound_methods_with_fastapi_parameters(client, db, devices, views):
    response = client.post("/devices/2/deploy")
    assert response.status_code == 200 and "Deployment started!" in response.headers["HX-Trigger"]
    assert views["devices"].deployed[-1] == 2
    assert client.post("/devices/abc/deploy").status_code == 422  # FastAPI validates `item_id: int`


def test_a_literal_endpoint_path_is_kept_and_renders_reference_partials(client, devices):
    response = client.get("/api/devices-for-site", params={"site_id": 2})
    assert response.status_code == 200
    assert '<option value="">' in response.text
    assert '<option value="5">edge-4</option>' in response.text and "edge-0" not in response.text


def test_literal_paths_win_over_item_ids(client, devices):
    assert client.get("/devices/shell").text == "shell of devices"
    assert client.get("/devices/create").status_code == 200
    assert client.get("/devices/select-all-ids").json()["total"] == 7


def test_setup_endpoints_routes_work_and_are_guarded(client, crud_app, database):
    assert client.post("/devices/4/reset").text == "reset 4"
    with CrudClient(crud_app[0], follow_redirects=False) as anonymous:
        anonymous.sign_in().sign_out()
        assert anonymous.post("/devices/4/reset", headers={"HX-Request": "true"}).status_code == 401


def test_every_route_of_every_view_carries_its_access_check(crud_app, database):
    app, admin = crud_app
    routes = [r for r in app.routes if isinstance(r, APIRoute)]
    guarded = [r for r in routes if any(v.is_guard(d) for v in admin.views.values() for d in r.dependencies)]
    assert {r.path for r in routes} - {r.path for r in guarded} == {"/test-login"}
    with CrudClient(app, follow_redirects=False) as anonymous:
        anonymous.sign_in().sign_out()
        for route in guarded:
            path = route.path.replace("{item_id}", "1")
            method = sorted(route.methods)[0]
            headers = {"HX-Request": "true", "X-CSRF-Token": anonymous.token}
            response = anonymous.request(method, path, headers=headers)
            assert response.status_code == 401, (method, path)


def test_item_routes_come_after_every_literal_route(views):
    paths = [route.path for route in views["devices"].router.routes]
    assert paths.index("/devices/shell") < paths.index("/devices/{item_id}")
    assert paths.index("/devices/select-all-ids") < paths.index("/devices/{item_id}")
    assert paths[-1] == "/devices/{item_id}"


def test_a_route_without_the_access_check_is_refused():
    class Leaky(CRUDView):
        model = Site
        name = "leaky"

        def setup_endpoints(self):
            self.router.routes.append(Route("/leaky/raw", lambda request: None))

    with pytest.raises(TypeError, match="route /leaky/raw cannot carry the view's access check"):
        Leaky(None)


@pytest.mark.parametrize("settings, message", [
    ({"column_list": ["id", "hostnme"]}, "column_list: 'hostnme' is not a column"),
    ({"column_searchable": ["nope.name"]}, "column_searchable: 'nope.name'"),
    ({"column_header_filters": ["nope"]}, "column_header_filters: 'nope'"),
    ({"form_columns": ["hostname", "site"]}, "form_columns: 'site' is not a column"),
    ({"form_sections": {"Main": ["hostname", "ghost"]}}, "form_sections['Main']: 'ghost'"),
    ({"form_widget_overrides": {"ghost": {"label": "G"}}}, "'ghost' is configured but is not a field"),
    ({"form_ajax_refs": {"site_id": {"fields": ["name"]}}}, "needs a 'model'"),
    ({"htmx_columns": {"status": {"url": "/d/{id}/status", "trigger": "sometimes"}}}, "is not like 'every 5s'"),
    ({"column_list": ["id"], "htmx_columns": {"notes": {"url": "/d/{id}/notes"}}}, "'notes' is not a column of the list"),
    ({"detail_columns": ["ghost"]}, "detail_columns: 'ghost'"),
    ({"row_actions": [{"label": "Go", "hx_pst": "/go"}]}, "BadView.row_actions: Action 'Go': unknown key(s) hx_pst"),
    ({"multi_row_actions": [{"label": "All"}]}, "BadView.multi_row_actions: Action 'All' needs a url"),
    ({"count_strategy": "maybe"}, "count_strategy must be one of exact, capped, deferred"),
    ({"name": "my devices"}, "BadView.name 'my devices': use letters, digits"),
])
def test_configuration_mistakes_are_clear_errors(settings, message):
    view_class = type("BadView", (CRUDView,), {"model": Device, "name": "bad_devices", **settings})
    with pytest.raises(ValueError, match=re.escape(message)):
        view_class(None)


def test_a_view_needs_a_model_with_one_primary_key():
    with pytest.raises(TypeError, match="needs a `model`"):
        type("NoModel", (CRUDView,), {})(None)
    with pytest.raises(TypeError, match="single-column primary key"):
        type("PairView", (CRUDView,), {"model": Pair})(None)


def test_foreign_key_columns_of_the_list_are_loaded_with_the_rows(views):
    assert views["devices"].eager_paths == ["site"]
    assert type("G", (CRUDView,), {"model": Gadget})(None).eager_paths == []
    assert type("N", (CRUDView,), {"model": Note})(None).eager_paths == []
    assert type("C", (CRUDView,), {"model": Customer, "column_eager": []})(None).eager_paths == []
    listed = type("R", (CRUDView,), {"model": Device, "name": "r", "column_list": ["id", "site", "site_id"]})(None)
    assert listed.eager_paths == ["site"]


def make(**settings):
    return type("ConfiguredView", (CRUDView,), {"model": Device, "name": "configured", **settings})(None)


def test_column_exclude_and_defaults_of_the_list_and_the_detail_page():
    every = ["id", "hostname", "ip_address", "status", "site_id", "is_ha", "ha_mode", "installed", "last_seen", "notes", "weight"]
    assert [c.key for c in make().table_spec.visible_columns] == every
    excluded = make(column_exclude=["notes", "weight"])
    assert [c.key for c in excluded.table_spec.visible_columns] == every[:-2]
    assert [c.key for c in make(detail_columns_exclude=["notes"]).detail_columns_spec] == [k for k in every if k != "notes"]
    listed = make(column_list=["hostname", "id"], column_exclude=["id"])
    assert [c.key for c in listed.table_spec.visible_columns] == ["hostname"]


def test_search_and_sort_defaults():
    spec = make(column_list=["id", "hostname", "notes", "site_id"]).table_spec
    assert [c.key for c in spec.columns if c.searchable] == ["hostname", "notes"]  # the listed String columns
    assert all(c.sortable for c in spec.columns)
    chosen = make(column_list=["id", "hostname"], column_sortable=["id"]).table_spec
    assert [c.key for c in chosen.columns if c.sortable] == ["id"]


class DeviceView(CRUDView):
    model = Device

    @CRUDView.endpoint("/api/lookup")
    async def lookup(self):
        return {}


class OtherDeviceView(DeviceView):
    name = "other_devices"


class RenamedSiteView(CRUDView):
    model = Site
    name = "crud_devices"


class ItemLikeView(CRUDView):
    model = Customer
    name = "customers"

    @CRUDView.endpoint("/{name}/{id}/edit")
    async def edit_again(self, id: str):
        return {}


def test_two_views_with_one_path_or_one_name_are_clear_errors_when_added():
    from fastapi import FastAPI

    from fasthx_ui.crud import Admin

    app = FastAPI()
    admin = Admin(app, title="Clashes")
    admin.add_view(DeviceView)
    with pytest.raises(ValueError, match=r"OtherDeviceView: the route GET /api/lookup \(lookup\) is taken already "
                                         r"\(lookup of DeviceView\)"):
        admin.add_view(OtherDeviceView)
    with pytest.raises(ValueError, match="the sidebar already has an entry named 'crud_devices'"):
        admin.add_view(RenamedSiteView)
    with pytest.raises(ValueError, match=r"ItemLikeView: the route GET /customers/\{item_id\}/edit \(customers:edit\) "
                                         r"is taken already \(edit_again of ItemLikeView\)"):
        admin.add_view(ItemLikeView)
    assert list(admin.views) == ["crud_devices"]
