"""The reference's CRUDView examples (CRUDView Configuration, Multi Row Actions, Permissions,
Sidebar Visibility, Column Filters, Inline Header Filters, Export, Custom Endpoints,
Dependent Dropdowns, Validation, Model Lifecycle Hooks) as written there, imports changed.

Where the reference configures one model in several snippets, they are one class here;
where two snippets contradict (Option A / Option B, three `column_searchable`s), the
second is a view of its own with a `name` of its own.
"""

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from fasthx_ui.crud import CRUDView, ValidationError, get_current_user, get_db, toast_response

from .models import (AuditLog, BuildStatus, Customer, Device, DeviceStatus, InternalTool, LaunchPad, MyModel,
                     NetworkDevice, Offering, Orchestrator, Order, Product, Server, Site, Ticket, VnfLicenses)

DNS_UPDATES = []  # what update_dns_record was asked to do


def update_dns_record(hostname, ipaddress):
    DNS_UPDATES.append((hostname, ipaddress))


def format_status_badge(value, obj):
    """Render an enum value as a coloured badge."""
    colors = {
        DeviceStatus.ONLINE: "success",
        DeviceStatus.OFFLINE: "secondary",
        DeviceStatus.ERROR: "danger",
    }
    color = colors.get(value, "secondary")
    label = value.value.title() if hasattr(value, "value") else str(value)
    return f'<span class="badge bg-{color}">{label}</span>'


def format_ip_code(value, obj):
    """Render a value in monospace."""
    return f'<code>{value}</code>'


def format_site_link(value, obj):
    """Render a foreign key as a clickable link to the related item."""
    if obj.site:
        return f'<a href="/sites/{obj.site.id}">{obj.site.name}</a>'
    return str(value) if value else ""


def format_external_link(value, obj):
    """Render a URL as a clickable external link."""
    return f'<a href="https://{value}" target="_blank">{value} <i class="bi bi-box-arrow-up-right"></i></a>'


class SiteView(CRUDView):
    model = Site


class DeviceView(CRUDView):
    model = Device                  # Required: SQLAlchemy model class
    name = "devices"                # URL prefix (default: model.__tablename__)
    display_name = "Network Devices"  # Sidebar + page title (default: model.__admin_name__)
    category = "Network"            # Sidebar group (default: model.__admin_category__)
    icon = "hdd-network"            # Overrides model's __admin_icon__
    page_size = 25                  # Records per page (default: 20)

    # Option A: Explicitly list columns to show (in order)
    column_list = ["id", "hostname", "ip_address", "status", "site_id"]

    # Rename column headers
    column_labels = {
        "site_id": "Site",
        "ip_address": "IP Address",
    }

    # Restrict which columns are searchable (default: all String columns)
    column_searchable = ["hostname", "ip_address"]

    # Restrict which columns are sortable (default: all columns)
    column_sortable = ["id", "hostname", "status"]

    column_formatters = {
        "status": format_status_badge,
        "ip_address": format_ip_code,
        "site_id": format_site_link,
    }

    # Explicitly list form fields (default: all columns except 'id')
    form_columns = ["hostname", "ip_address", "status", "site_id", "device_id"]

    # Or customize which columns appear in the detail view:
    detail_columns = ["id", "hostname", "ip_address", "serial_number",
                      "status", "site_id", "created_at", "updated_at"]

    form_sections = {
        "Device Info": ["hostname", "ip_address"],
        "Status": ["status"],
        "Relationships": ["site_id", "device_id"],
    }

    form_widget_overrides = {
        "site_id": {
            "hx_get": "/api/devices-for-site",   # Endpoint to call on change
            "hx_target": "#device_id",            # Target <select> to update
        },
    }

    @CRUDView.endpoint("/api/devices-for-site", methods=["GET"], response_class=HTMLResponse)
    async def devices_for_site(self, request: Request, site_id: int = 0, db: Session = Depends(get_db)):
        options = []
        if site_id:
            items = db.query(Device).filter(Device.site_id == site_id).all()
            options = [{"id": d.id, "label": d.hostname} for d in items]
        return self.templates.TemplateResponse("partials/dropdown_options.html", {
            "request": request,
            "options": options,
            "selected": None,
        })


class AllDeviceColumnsView(CRUDView):
    """Option B of Column Configuration and the detail exclusions."""

    model = Device
    name = "all_devices"

    # Option B: Exclude specific columns (show everything else)
    column_exclude = ["deploy_progress"]

    detail_columns_exclude = ["password", "api_key", "created_at"]


class CustomerView(CRUDView):
    model = Customer
    column_list = ["id", "name", "email"]
    column_filters = ["currentstatus", "region"]
    export_types = ["csv", "xlsx"]
    form_widget_overrides = {
        "prisma_tsg_id": {
            "type": "select",
            "description": "The Prisma tenant service group to associate with this customer",
        },
        "contract_end": {
            "description": "Leave blank for month-to-month agreements",
        },
    }

    def on_model_change(self, item, form_data, is_new, db, request=None):
        if not item.name or len(item.name.strip()) < 2:
            raise ValidationError("Customer name must be at least 2 characters")
        if is_new and not item.sid:
            raise ValidationError("SID is required for new customers")

    def after_model_change(self, item, form_data, is_new, db, request=None):
        user = get_current_user(request) or {}
        action = "created" if is_new else "updated"
        db.add(AuditLog(entity="customer", entity_id=item.id, action=action, user=user.get("username")))
        db.commit()

    def after_model_delete(self, item, db):
        db.add(AuditLog(entity="customer", entity_id=item.id, action="deleted"))
        db.commit()


class OrchestratorView(CRUDView):
    model = Orchestrator

    # Custom action: trigger a build
    @CRUDView.endpoint("/{name}/{item_id}/build", methods=["POST"], response_class=HTMLResponse)
    async def build(self, request: Request, item_id: int, db: Session = Depends(get_db)):
        orch = db.query(self.model).filter(self.model.id == item_id).first()
        if not orch:
            return HTMLResponse("Not found", status_code=404)
        orch.build_status = BuildStatus.BUILDING
        db.commit()
        # HX-Redirect tells HTMX to do a full page navigation
        return HTMLResponse("", headers={"HX-Redirect": f"/{self.name}"})


class OfferingView(CRUDView):
    model = Offering
    column_list = ["id", "serverid", "ipaddress", "status"]

    # Search through foreign key relationships using dotted notation
    column_searchable = ["hostname", "serverid.hostname"]

    # Filter the serverid column by searching server.hostname
    column_header_filters = ["serverid.hostname", "ipaddress", "status"]

    form_ajax_refs = {
        "serverid": {
            "model": Server,           # The related SQLAlchemy model
            "fields": ["hostname"],     # Columns to search against (ilike)
            "placeholder": "Please select uCPE",  # Search input placeholder
            "page_size": 10,            # Results per page (default: 10)
        }
    }

    multi_row_actions = [
        {
            "label": "Delete Selected",
            "icon": "trash",
            "hx_post": "/offerings/bulk-delete",
            "confirm": "Delete {count} items?",
            "class": "text-danger",
        },
        {
            "label": "Activate Selected",
            "icon": "check-circle",
            "hx_post": "/offerings/bulk-activate",
        },
    ]
    multi_row_select_all_pages = True

    @CRUDView.endpoint("/{name}/bulk-delete", methods=["POST"], response_class=HTMLResponse)
    async def bulk_delete(self, request: Request, db: Session = Depends(get_db)):
        form = await request.form()
        ids = form.getlist("ids")
        db.query(self.model).filter(self.model.id.in_(ids)).delete(synchronize_session=False)
        db.commit()
        return toast_response(f"Deleted {len(ids)} items", type="success")

    @CRUDView.endpoint("/{name}/bulk-activate", methods=["POST"], response_class=HTMLResponse)
    async def bulk_activate(self, request: Request, db: Session = Depends(get_db)):
        form = await request.form()
        ids = form.getlist("ids")
        db.query(self.model).filter(self.model.id.in_(ids)).update({"status": "active"}, synchronize_session=False)
        db.commit()
        return toast_response(f"Activated {len(ids)} items", type="success")

    def on_model_change(self, item, form_data, is_new, db, request=None):
        # Validate
        if not item.hostname:
            raise ValidationError("Hostname is required")

        product = db.query(Product).get(item.productid)
        if product and product.name == "Fortigate":
            license_obj = db.query(VnfLicenses).get(item.vnflicensesid)
            if license_obj and "Forti" not in license_obj.license:
                raise ValidationError("Please select a Forti license")

        # Mutate
        if is_new and item.serverid:
            server = db.query(Server).get(item.serverid)
            item.ipaddress = server.getnextip(serverid=server.id)


class OfferingByServerView(CRUDView):
    """`column_searchable` naming a relationship without a dot: all its string columns."""

    model = Offering
    name = "offerings_by_server"

    # Or search all string columns on the related table (no dot)
    column_searchable = ["hostname", "serverid"]
    column_header_filters = ["ipaddress", "status"]


class ServerView(CRUDView):
    model = Server
    column_filters = ["status", "datacenter", "os_type"]
    column_labels = {
        "status": "Status",
        "datacenter": "Data Center",
        "os_type": "OS Type",
    }
    column_formatters = {"hostname": format_external_link}
    export_types = ["csv"]  # export respects active filters

    def on_model_change(self, item, form_data, is_new, db, request=None):
        if not is_new and item.ipaddress != form_data.get("ipaddress"):
            # Update DNS before commit
            update_dns_record(item.hostname, form_data.get("ipaddress"))


class LaunchPadView(CRUDView):
    model = LaunchPad
    form_widget_overrides = {
        # These fields are hidden unless the "is_ha" checkbox is checked
        "ha_mode": {
            "depends_on": "is_ha",
            "type": "select",
            "choices": [("active-standby", "Active-Standby"), ("active-active", "Active-Active")],
        },
        "ha_switch_mode": {
            "depends_on": "is_ha",
            "type": "select",
            "choices": [("manual", "Manual"), ("automatic", "Automatic")],
        },
    }


class AuditLogView(CRUDView):
    model = AuditLog
    can_create = False    # Hide "Create" button
    can_edit = False      # Hide "Edit" button on each row
    can_delete = False    # Hide "Delete" button on each row


class InternalToolsView(CRUDView):
    model = InternalTool
    allowed_users = ["admin", "devops"]         # Only these usernames see this view


class NetworkView(CRUDView):
    model = NetworkDevice
    allowed_groups = ["/Edge-Admins", "/NOC"]    # Only members of these groups see this view


class OrderView(CRUDView):
    model = Order
    form_ajax_refs = {"customer_id": {"model": Customer, "fields": ["name"]}}

    def on_model_delete(self, item, db):
        if item.status == "shipped":
            raise ValidationError("Cannot delete a shipped order")


class TicketView(CRUDView):
    model = Ticket

    def on_model_change(self, item, form_data, is_new, db, request=None):
        if is_new:
            user = get_current_user(request) or {}
            item.created_by = user.get("username", "Unknown")


class MyView(CRUDView):
    model = MyModel

    def setup_endpoints(self):
        @self.router.post(f"/{self.name}/{{item_id}}/action", response_class=HTMLResponse)
        async def action(request: Request, item_id: int, db: Session = Depends(get_db)):
            item = db.get(MyModel, item_id)
            return HTMLResponse(f"action on {item.name}" if item else "Not found", status_code=200 if item else 404)
