"""The test app of the CRUD preset, written like the reference's examples (only the
import line says fasthx_ui.crud); its models are in `models.py`.

Projects and tickets belong to a tenant (the signed-in username): their views narrow
every statement with `scope()`, and the ticket view uses every list and form feature
(searches plain, through a foreign key and over a whole related row, filters, header
filters, a polling column, an ajax select, select-all-ids, a count route, row and bulk
actions, custom item and literal endpoints), so the route sweeps meet each of them."""

import os

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.middleware.sessions import SessionMiddleware

from fasthx_ui.crud import Admin, CRUDView, ValidationError, get_db, toast_response

from .models import Customer, Device, DeviceStatus, Note, Port, Project, Site, Tag, Ticket


def format_status_badge(value, obj):
    colors = {DeviceStatus.ONLINE: "success", DeviceStatus.OFFLINE: "secondary", DeviceStatus.ERROR: "danger"}
    label = value.value.title() if hasattr(value, "value") else str(value)
    return f'<span class="badge bg-{colors.get(value, "secondary")}">{label}</span>'


def format_site_link(value, obj):
    if obj.site:
        return f'<a href="/crud_sites/{obj.site.id}">{escape(obj.site.name)}</a>'
    return str(value) if value else ""


class SiteView(CRUDView):
    model = Site


class DeviceView(CRUDView):
    model = Device
    name = "devices"
    page_size = 5
    column_list = ["id", "hostname", "ip_address", "status", "site_id"]
    column_labels = {"site_id": "Site", "ip_address": "IP Address"}
    column_searchable = ["hostname", "ip_address"]
    column_sortable = ["id", "hostname", "status"]
    column_formatters = {"site_id": format_site_link}
    column_filters = ["status", "site_id"]
    column_header_filters = ["hostname", "site_id.name"]
    htmx_columns = {"status": {"url": "/devices/{id}/status", "trigger": "every 5s",
                               "terminal_states": ["online", "error"]}}
    row_actions = [{"label": "Deploy", "icon": "rocket", "hx_post": "/devices/{id}/deploy",
                    "class": "btn-outline-success", "confirm": "Deploy?"}]
    multi_row_actions = [{"label": "Delete Selected", "icon": "trash", "hx_post": "/devices/bulk-delete",
                          "confirm": "Delete {count} items?", "class": "text-danger"}]
    multi_row_select_all_pages = True
    export_types = ["csv", "xlsx"]
    form_sections = {"Device Info": ["hostname", "ip_address"], "Status": ["status", "is_ha", "ha_mode"]}
    form_widget_overrides = {
        "hostname": {"placeholder": "e.g. edge-001"},
        "ha_mode": {"depends_on": "is_ha", "type": "select",
                    "choices": [("active-standby", "Active-Standby"), ("active-active", "Active-Active")]},
        "site_id": {"hx_get": "/api/devices-for-site", "hx_target": "#ip_address"},
        "notes": {"description": "Free text"},
    }

    def __init__(self, templates):
        self.deployed = []
        super().__init__(templates)

    @CRUDView.endpoint("/{name}/{item_id}/deploy", methods=["POST"], response_class=HTMLResponse)
    async def deploy(self, request: Request, item_id: int, db: Session = Depends(get_db)):
        device = db.query(self.model).filter(self.model.id == item_id).first()
        if not device:
            return toast_response("Device not found", type="danger", status_code=404)
        self.deployed.append(item_id)
        return toast_response("Deployment started!", type="success")

    @CRUDView.endpoint("/{name}/bulk-delete", methods=["POST"], response_class=HTMLResponse)
    async def bulk_delete(self, request: Request, db: Session = Depends(get_db)):
        form = await request.form()
        ids = [int(i) for i in form.getlist("ids")]
        db.query(self.model).filter(self.model.id.in_(ids)).delete(synchronize_session=False)
        db.commit()
        return toast_response(f"Deleted {len(ids)} items", type="success")

    @CRUDView.endpoint("/{name}/shell", methods=["GET"], response_class=HTMLResponse)
    async def shell(self, request: Request):
        return HTMLResponse(f"shell of {self.name}")

    @CRUDView.endpoint("/api/devices-for-site", methods=["GET"], response_class=HTMLResponse)
    async def devices_for_site(self, request: Request, site_id: int = 0, db: Session = Depends(get_db)):
        options = []
        if site_id:
            devices = db.query(Device).filter(Device.site_id == site_id).all()
            options = [{"id": d.id, "label": d.hostname} for d in devices]
        return self.templates.TemplateResponse("partials/dropdown_options.html", {
            "request": request,
            "options": options,
            "selected": None,
        })

    def setup_endpoints(self):
        @self.router.post(f"/{self.name}/{{item_id}}/reset", response_class=HTMLResponse)
        async def reset(request: Request, item_id: int):
            return HTMLResponse(f"reset {item_id}")


class CustomerView(CRUDView):
    model = Customer
    column_list = ["id", "name", "email"]

    def __init__(self, templates):
        self.calls = []
        super().__init__(templates)

    def on_model_change(self, item, form_data, is_new, db, request=None):
        self.calls.append(("on_model_change", item.name, dict(form_data), is_new, request is not None))
        if not item.name or len(item.name.strip()) < 2:
            raise ValidationError("Customer name must be at least 2 characters")

    def after_model_change(self, item, form_data, is_new, db, request=None):
        self.calls.append(("after_model_change", item.id, is_new))

    def on_model_delete(self, item, db):
        self.calls.append(("on_model_delete", item.id))
        if item.name == "Keep":
            raise ValidationError("Cannot delete a kept customer")

    def after_model_delete(self, item, db):
        self.calls.append(("after_model_delete", item.id))


class SiteArchiveView(CRUDView):
    """The same sites, read-only, with a chosen detail page."""

    model = Site
    name = "site_archive"
    can_create = False
    can_edit = False
    can_delete = False
    column_list = ["id", "name"]
    column_searchable = ["name", "region"]
    column_header_filters = ["region"]
    detail_columns = ["name", "region", "id"]
    detail_columns_exclude = ["region"]
    column_labels = {"name": "Site name"}
    column_formatters = {"name": lambda value, obj: f"<strong>{escape(value)}</strong>"}
    export_types = ["csv"]


class PortView(CRUDView):
    model = Port
    column_list = ["id", "label", "device_id"]
    column_searchable = ["label", "device_id"]
    column_filters = ["kind", "device_id"]
    column_header_filters = ["device_id.ip_address"]
    form_ajax_refs = {
        "device_id": {"model": Device, "fields": ["hostname"], "placeholder": "Pick a device", "page_size": 2},
    }


class NoteView(CRUDView):
    """Each user sees only the notes of their tenant (their username)."""

    model = Note
    name = "notes"
    count_strategy = "deferred"

    def scope(self, request, stmt):
        user = (request.session.get("user") or {}).get("username", "")
        return stmt.where(Note.tenant == user)


class TagView(CRUDView):
    model = Tag
    name = "tags"


def tenant_of(request):
    return (request.session.get("user") or {}).get("username", "")


class TenantScoped:
    """Rows of the signed-in user's tenant only: `scope()` narrows the statements over the
    view's model and over the tenant-owned models its forms and filters offer."""

    def scope(self, request, stmt):
        entity = stmt.column_descriptions[0]["entity"]
        return stmt.where(entity.tenant == tenant_of(request))

    def on_model_change(self, item, form_data, is_new, db, request=None):
        if is_new:
            item.tenant = tenant_of(request)


class ProjectView(TenantScoped, CRUDView):
    model = Project
    name = "projects"
    form_columns = ["name"]


class TicketView(TenantScoped, CRUDView):
    model = Ticket
    name = "tickets"
    page_size = 5
    count_strategy = "capped"
    column_list = ["id", "title", "link", "state", "kind", "project_id"]
    column_searchable = ["title", "project_id.name", "project_id"]
    column_filters = ["kind", "project_id", "priority", "budget", "due", "urgent"]
    column_header_filters = ["title", "project_id.name", "priority", "budget", "due", "urgent"]
    htmx_columns = {"state": {"url": "/tickets/{id}/state", "trigger": "every 5s", "terminal_states": ["closed"]}}
    form_columns = ["title", "link", "body", "state", "kind", "priority", "budget", "due", "urgent", "project_id",
                    "parent_id"]
    form_ajax_refs = {"project_id": {"model": Project, "fields": ["name"], "page_size": 5}}
    row_actions = [{"label": "Close", "icon": "x-circle", "hx_post": "/tickets/{id}/close"}]
    multi_row_actions = [{"label": "Close Selected", "icon": "x-circle", "hx_post": "/tickets/bulk-close"}]
    multi_row_select_all_pages = True
    export_types = ["csv", "xlsx"]

    def on_model_change(self, item, form_data, is_new, db, request=None):
        super().on_model_change(item, form_data, is_new, db, request)
        if item.title.lower().startswith("reject"):
            raise ValidationError(f"<b>Refused</b>: {item.title}")

    def on_model_delete(self, item, db):
        if item.title.lower().startswith("keep"):
            raise ValidationError(f"<b>Kept</b>: {item.title}")

    def own(self, request, db, item_id):
        return db.scalars(self.scope(request, select(Ticket).where(Ticket.id == item_id))).first()

    @CRUDView.endpoint("/{name}/{item_id}/close", methods=["POST"], response_class=HTMLResponse)
    async def close(self, request: Request, item_id: str, db: Session = Depends(get_db)):
        ticket = self.get_item(request, db, item_id)  # a bad or out-of-scope id is the view's 404
        ticket.state = "closed"
        db.commit()
        return toast_response(f"Closed {ticket.title}", type="success")

    @CRUDView.endpoint("/{name}/{item_id}/summary", methods=["GET"], response_class=HTMLResponse)
    async def summary(self, request: Request, item_id: int, db: Session = Depends(get_db)):
        ticket = self.own(request, db, item_id)
        if ticket is None:
            return HTMLResponse("Ticket not found", status_code=404)
        return self.templates.TemplateResponse(request, "not_found.html", {
            "view": self, "title": "Summary", "message": ticket.title, "back_url": "/tickets"})

    @CRUDView.endpoint("/{name}/bulk-close", methods=["POST"], response_class=HTMLResponse)
    async def bulk_close(self, request: Request, db: Session = Depends(get_db)):
        form = await request.form()
        tickets = self.get_items(request, db, form.getlist("ids"))  # a bad id is a 400
        for ticket in tickets:
            ticket.state = "closed"
        db.commit()
        return toast_response(f"Closed {len(tickets)} tickets", type="success")

    @CRUDView.endpoint("/api/ticket-kinds", methods=["GET"], response_class=HTMLResponse)
    async def ticket_kinds(self, request: Request, db: Session = Depends(get_db)):
        stmt = self.scope(request, select(Ticket)).where(Ticket.kind.is_not(None))
        kinds = sorted({ticket.kind for ticket in db.scalars(stmt)})
        return self.templates.TemplateResponse("partials/dropdown_options.html", {
            "request": request, "options": [{"id": kind, "label": kind} for kind in kinds], "selected": None})

    @CRUDView.endpoint("/dashboard", methods=["GET"], response_class=HTMLResponse)
    async def dashboard(self, request: Request, db: Session = Depends(get_db)):
        rows = db.scalars(self.scope(request, select(Ticket)).order_by(Ticket.id.desc()).limit(10)).all()
        states = {}
        for ticket in rows:
            states[ticket.state] = states.get(ticket.state, 0) + 1
        return self.templates.TemplateResponse("dashboard.html", {
            "request": request, "active_page": "dashboard",
            "dashboard_cards": [{"label": "Latest ticket", "value": rows[0].title if rows else "", "link": "/tickets"}],
            "dashboard_table": {"title": "Recent tickets", "link": "/tickets", "rows": rows,
                                "columns": [{"key": "title", "link": "/tickets/{id}"}, {"key": "link", "code": True},
                                            {"key": "state", "status": True}, {"key": "project.name"}]},
            "dashboard_stats": {"status_breakdown": states},
        })

    def setup_endpoints(self):
        @self.router.get(f"/{self.name}/{{item_id}}/history", response_class=HTMLResponse)
        async def history(request: Request, item_id: int, db: Session = Depends(get_db)):
            ticket = self.own(request, db, item_id)
            if ticket is None:
                return HTMLResponse("Ticket not found", status_code=404)
            return HTMLResponse(f"history of ticket {ticket.id}")


def create_app():
    app = FastAPI()
    app.add_middleware(SessionMiddleware, secret_key=os.environ.get("SESSION_SECRET", "change-me"))

    @app.get("/test-login")
    async def test_login(request: Request, username: str = "dev", groups: str = "/Edge-Admins"):
        request.session["user"] = {"username": username, "groups": groups.split(",")}
        return {"ok": True}

    admin = Admin(app, title="My Admin")
    admin.add_view(SiteView)
    admin.add_view(DeviceView)
    admin.add_view(CustomerView)
    admin.add_view(NoteView)
    admin.add_view(SiteArchiveView)
    admin.add_view(PortView)
    admin.add_view(ProjectView)
    admin.add_view(TicketView)
    admin.add_view(TagView)
    return app, admin
