"""The demo's CRUD views, configured the documented way (class attributes, hooks and
`@CRUDView.endpoint` methods). Customers and orders are audited into the `audit_log`
table (`record_audit`, read-only under Overview); a device's Deploy shows a progress bar
under its row (in this process, or in `DEMO_REDIS_URL` when set)."""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import os

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, StreamingResponse
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from examples.demo import formatters
from examples.demo.models import FIRMWARE, REGIONS, AuditEntry, Customer, Device, DeviceStatus, Order, OrderStatus, Site
from fasthx_ui import ProgressUnavailable, toast_payload, trigger
from fasthx_ui.crud import (
    ActionFailed,
    CRUDView,
    ValidationError,
    action,
    console_response,
    console_sse_message,
    get_db,
    modal_response,
    row_action,
    toast_response,
)
from fasthx_ui.crud.db import open_session

DEPLOY_SECONDS = float(os.environ.get("DEMO_DEPLOY_SECONDS", "4"))  # how long a Deploy keeps a device "deploying"
DEPLOY_STEPS = 4  # progress updates of a Deploy
LABELS = {"id": "ID", "created_at": "Created"}  # labels the column names do not spell well
ORDER_STATUS_FORM = ('<label class="form-label mt-3" for="order-status">New status</label>'
                     '<select class="form-select" id="order-status" name="status">'
                     + "".join(f'<option value="{status.value}">{status.value.title()}</option>' for status in OrderStatus) + "</select>")


def record_audit(event: dict) -> None:
    """The Admin's audit_logger: one `audit_log` row per event, its data as JSON."""
    with open_session() as db:
        db.add(AuditEntry(
            username=(event["user"] or {}).get("username"), action=event["action"], model_name=event["model_name"],
            item_id=None if event["item_id"] is None else str(event["item_id"]),
            changes=json.dumps(event["data"], default=lambda value: getattr(value, "value", str(value))),
        ))
        db.commit()


class CustomerView(CRUDView):
    model = Customer
    audit_log = True
    column_list = ["id", "name", "email", "status", "created_at"]
    column_labels = LABELS
    column_searchable = ["name", "email"]
    column_filters = ["status"]
    column_header_filters = ["name", "email"]
    column_formatters = {"status": formatters.status}
    export_types = ["csv", "xlsx"]
    form_columns = ["name", "email", "status", "notes"]
    form_widget_overrides = {
        "email": {"type": "email", "placeholder": "name@example.org"},
        "notes": {"description": "Internal notes; customers never see them"},
    }

    def on_model_change(self, item, form_data, is_new, db, request=None):
        if not item.name or len(item.name.strip()) < 2:
            raise ValidationError("Customer name must be at least 2 characters")


class OrderView(CRUDView):
    model = Order
    audit_log = True
    column_list = ["id", "customer_id", "total", "status", "created_at"]
    column_labels = {**LABELS, "customer_id": "Customer"}
    column_searchable = ["customer_id.name"]
    column_filters = ["status"]
    column_header_filters = ["customer_id.name"]
    column_formatters = {"customer_id": formatters.customer_link, "total": formatters.money,
                         "status": formatters.status}
    form_columns = ["customer_id", "total", "status"]
    form_ajax_refs = {"customer_id": {"model": Customer, "fields": ["name", "email"], "placeholder": "Search customers"}}

    def on_model_delete(self, item, db):
        if item.status.value == "shipped":
            raise ValidationError("Cannot delete a shipped order")

    # --- starlette-admin style actions (docs/actions.md) ---------------------------------
    @action("set_status", "Set status", confirmation="Set the status of {count} orders?", submit_btn_text="Set status",
            icon_class="tag", form=ORDER_STATUS_FORM)
    async def set_status_action(self, request: Request, pks):
        chosen = (await request.form()).get("status")
        if chosen not in {status.value for status in OrderStatus}:
            raise ActionFailed("Choose one of the offered statuses.")
        session = request.state.session
        for order in session.scalars(select(Order).where(Order.id.in_(pks))):
            order.status = OrderStatus(chosen)
        return f"{len(pks)} orders are now {chosen}"

    @row_action("mark_paid", "Mark paid", confirmation="Mark this order as paid?", submit_btn_text="Mark paid",
                icon_class="cash-coin", action_btn_class="btn-outline-success")
    def mark_paid_row_action(self, request: Request, pk):
        order = request.state.session.get(Order, pk)
        if order.status is not OrderStatus.PENDING:
            raise ActionFailed(f"Order #{pk} is {order.status.value}, not pending.")
        order.status = OrderStatus.PAID
        return f"Order #{pk} is paid"


class AuditLogView(CRUDView):
    model = AuditEntry
    column_list = ["id", "created_at", "username", "action", "model_name", "item_id", "changes"]
    column_labels = {**LABELS, "model_name": "Model", "item_id": "Record"}
    column_searchable = ["username", "changes"]
    column_filters = ["action", "model_name"]
    column_formatters = {"changes": formatters.code}
    can_create = can_edit = can_delete = False


class SiteView(CRUDView):
    model = Site
    column_list = ["id", "name", "region", "address"]
    column_labels = LABELS
    column_filters = ["region"]
    column_header_filters = ["name"]


class DeviceView(CRUDView):
    model = Device
    page_size = 25
    progress_redis_url = os.environ.get("DEMO_REDIS_URL") or None
    column_list = ["id", "hostname", "ip_address", "status", "site_id", "firmware_version"]
    column_labels = {**LABELS, "site_id": "Site", "ip_address": "IP address", "firmware_version": "Firmware",
                     "is_ha": "HA", "ha_mode": "HA mode"}
    column_searchable = ["hostname", "ip_address", "site_id.name"]
    column_filters = ["status", "firmware_version", "region"]
    column_header_filters = ["hostname", "site_id.name"]
    column_formatters = {"ip_address": formatters.code, "site_id": formatters.site_link, "status": formatters.status}
    htmx_columns = {
        "status": {"url": "/devices/{id}/status", "trigger": "every 2s", "terminal_states": ["online", "offline", "error"]},
    }
    form_sections = {
        "Device": ["hostname", "ip_address", "serial_number", "firmware_version"],
        "Placement": ["region", "site_id", "status"],
        "High availability": ["is_ha", "ha_mode"],
        "Notes": ["notes", "last_seen"],
    }
    form_widget_overrides = {
        "hostname": {"placeholder": "e.g. edge-0001"},
        "ip_address": {"description": "The management address of the device"},
        "serial_number": {"label": "S/N", "required": False},
        "firmware_version": {"type": "select", "choices": [(v, f"Version {v}") for v in FIRMWARE]},
        "region": {"type": "select", "choices": [(r, r) for r in REGIONS], "hx_get": "/api/sites-for-region", "hx_target": "#site_id"},
        "ha_mode": {"depends_on": "is_ha", "type": "select",
                    "choices": [("active-standby", "Active-Standby"), ("active-active", "Active-Active")]},
    }
    row_actions = [
        {"label": "Deploy", "icon": "rocket", "hx_post": "/devices/{id}/deploy", "progress": True,
         "class": "btn-outline-success", "confirm": "Deploy this device?"},
        {"label": "Logs", "icon": "terminal", "hx_get": "/devices/{id}/logs"},
        {"label": "Config", "icon": "file-earmark-code", "hx_get": "/devices/{id}/config"},
        {"label": "Ping", "icon": "broadcast", "hx_post": "/devices/{id}/ping", "hx_swap": "none",
         "class": "btn-outline-info"},
    ]
    multi_row_actions = [
        {"label": "Mark offline", "icon": "power", "hx_post": "/devices/bulk-offline",
         "confirm": "Mark {count} devices offline?", "class": "text-danger"},
    ]
    multi_row_select_all_pages = True
    export_types = ["csv", "xlsx"]

    def _device(self, request: Request, db: Session, item_id: int) -> Device | None:
        return db.scalars(self.scope(request, select(Device).where(Device.id == item_id))).first()

    @CRUDView.endpoint("/{name}/{item_id}/deploy", methods=["POST"])
    async def deploy(self, request: Request, item_id: int, db: Session = Depends(get_db)):
        device = self._device(request, db, item_id)
        if device is None:
            return toast_response("Device not found", type="danger", status_code=404)
        try:
            self.progress_store.set(self.name, item_id, 0)  # a new task: not the last one's 100
        except ProgressUnavailable:
            return toast_response("Deploy needs the progress store, which cannot be reached", type="danger",
                                  status_code=503)
        device.status = DeviceStatus.DEPLOYING
        db.commit()
        asyncio.get_running_loop().create_task(self._deploy_work(item_id))
        # The bar under the row, the row's status cell polling again, and a toast.
        answer = self.progress_response(request, item_id, item=device)
        return trigger(answer, "showToast", toast_payload(f"Deployment of {device.hostname} started", "success"))

    async def _deploy_work(self, item_id: int) -> None:
        """The pretend deployment: progress in steps, then the device is online."""
        for step in range(1, DEPLOY_STEPS):
            await asyncio.sleep(DEPLOY_SECONDS / DEPLOY_STEPS)
            self._report(item_id, 100 * step // DEPLOY_STEPS)
        await asyncio.sleep(DEPLOY_SECONDS / DEPLOY_STEPS)
        with open_session() as db:
            db.execute(update(Device).where(Device.id == item_id).values(status=DeviceStatus.ONLINE))
            db.commit()
        self._report(item_id, 100)

    def _report(self, item_id: int, percent: int) -> None:
        """Write progress; a Redis gone away loses the bar's update, not the deployment."""
        with contextlib.suppress(ProgressUnavailable):
            self.progress_store.set(self.name, item_id, percent)

    @CRUDView.endpoint("/{name}/{item_id}/ping", methods=["POST"])
    async def ping(self, request: Request, item_id: int, db: Session = Depends(get_db)):
        device = self._device(request, db, item_id)
        if device is None:
            return toast_response("Device not found", type="danger", status_code=404)
        return toast_response(f"{device.hostname} answered in 12 ms", type="info", title="Ping")

    @CRUDView.endpoint("/{name}/{item_id}/config", methods=["GET"])
    async def config(self, request: Request, item_id: int, db: Session = Depends(get_db)):
        device = self._device(request, db, item_id)
        if device is None:
            return toast_response("Device not found", type="danger", status_code=404)
        text = f"hostname {device.hostname}\ninterface mgmt\n  ip address {device.ip_address}\n"
        return modal_response(
            title=f"Config — {device.hostname}",
            body=f"<pre>{html.escape(text)}</pre>",
            actions=[{"label": "Run checks", "icon": "play", "hx_post": f"/devices/{item_id}/check",
                      "css_class": "btn btn-primary"}],
            size="modal-lg",
        )

    @CRUDView.endpoint("/{name}/{item_id}/logs", methods=["GET"])
    async def logs(self, request: Request, item_id: int, db: Session = Depends(get_db)):
        device = self._device(request, db, item_id)
        if device is None:
            return toast_response("Device not found", type="danger", status_code=404)
        text = (f"\033[32m[INFO]\033[0m {device.hostname} booted\n"
                f"\033[32m[ OK ]\033[0m services started\n\033[33m[WARN]\033[0m fan 2 at 80%\n")
        return console_response(title=f"Logs — {device.hostname}", output=text)

    @CRUDView.endpoint("/{name}/{item_id}/check", methods=["POST"])
    async def check(self, request: Request, item_id: int):
        return console_response(title="Running diagnostics…", output="", stream_url=f"/devices/{item_id}/check-stream")

    @CRUDView.endpoint("/{name}/{item_id}/check-stream", methods=["GET"])
    async def check_stream(self, request: Request, item_id: int):
        async def generate():
            yield console_sse_message("Starting diagnostics...\n", css_class="ansi-green")
            for step in ("Checking connectivity", "Verifying config", "Running tests"):
                await asyncio.sleep(0.3)
                yield console_sse_message(f"  {step}... OK\n")
            yield console_sse_message("\nAll checks passed.\n", css_class="ansi-green")

        return StreamingResponse(generate(), media_type="text/event-stream")

    @CRUDView.endpoint("/{name}/bulk-offline", methods=["POST"])
    async def bulk_offline(self, request: Request, db: Session = Depends(get_db)):
        form = await request.form()
        ids = [int(i) for i in form.getlist("ids") if str(i).isdigit()]
        stmt = self.scope(request, select(Device.id).where(Device.id.in_(ids)))
        allowed = list(db.scalars(stmt))
        db.execute(update(Device).where(Device.id.in_(allowed)).values(status=DeviceStatus.OFFLINE))
        db.commit()
        return toast_response(f"{len(allowed)} devices marked offline", type="success")

    @CRUDView.endpoint("/api/sites-for-region", methods=["GET"], response_class=HTMLResponse)
    async def sites_for_region(self, request: Request, region: str = "", db: Session = Depends(get_db)):
        sites = db.scalars(select(Site).where(Site.region == region).order_by(Site.name)).all() if region else []
        return self.templates.TemplateResponse("partials/dropdown_options.html", {
            "request": request,
            "options": [{"id": s.id, "label": s.name} for s in sites],
            "selected": None,
        })
