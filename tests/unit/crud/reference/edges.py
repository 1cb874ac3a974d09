"""The reference's EdgeView examples (Form Widget Overrides, Row Actions, HTMX Polling
Columns, Instance State, Multiple Targets, Toast Notifications, Modals, Terminal Console)
as one view of FortiEdge (the reference also calls it Edge), imports changed; `choices`
and `tail` use the parameters of the Modals and Terminal Console tables that no example
of the reference sets."""

import asyncio

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, StreamingResponse
from sqlalchemy.orm import Session

from fasthx_ui.crud import CRUDView, console_response, console_sse_message, get_db, modal_response, toast_response

from .models import FortiEdge, Orchestrator, Region

STEP_DELAY = 0.01  # the reference sleeps 1 s between the diagnostics' steps


def format_edge_status(value, obj):
    return f'<span class="badge">{value}</span>'


class EdgeView(CRUDView):
    model = FortiEdge

    form_widget_overrides = {
        # Turn a text field into a select with static choices
        "firmware_version": {
            "type": "select",
            "choices": [
                ("6.4", "Version 6.4"),
                ("7.2", "Version 7.2"),
                ("7.4", "Version 7.4"),
            ],
        },
        # Override the label and make a field optional
        "serial_number": {
            "label": "S/N",
            "required": False,
        },
        # Add placeholder text
        "hostname": {
            "placeholder": "e.g. edge-001",
        },
        # Change a text field to a textarea
        "notes": {
            "type": "textarea",
        },
        # Add HTMX attributes to trigger dependent dropdowns
        "customer_id": {
            "hx_get": "/api/options-for-customer",
            "hx_target": "#orchestrator_id",          # Primary target
        },
        # Add a tooltip to explain a field
        "wan_ip": {
            "description": "Must be a public routable IP address",
        },
    }

    row_actions = [
        {
            "label": "Deploy",              # Button text
            "icon": "rocket",               # Bootstrap Icons name
            "hx_post": "/edges/{id}/deploy",  # HTMX POST URL ({id} is replaced per row)
            "hx_target": "closest tr",      # HTMX target element
            "hx_swap": "afterend",          # HTMX swap strategy
            "class": "btn-outline-success", # Bootstrap button class
        },
        {
            "label": "Reset",
            "icon": "arrow-counterclockwise",
            "hx_post": "/edges/{id}/reset",
            "hx_target": "closest tr",
            "hx_swap": "outerHTML",
            "class": "btn-outline-warning",
            "confirm": "Reset this edge device?",  # Confirmation dialog
        },
        {
            "label": "Template",
            "icon": "download",
            "href": "/edges/{id}/template/download",   # Regular link ({id} replaced per row)
            "download": True,                           # Row action fields: the download attribute
            "confirm": "Download onboarding template?",
        },
        {
            "label": "Manual",
            "icon": "book",
            "href": "https://docs.example.org/edges/{id}",
            "target": "_blank",                         # Row action fields: a new tab
        },
        {
            "label": "Preview",
            "icon": "eye",
            "hx_get": "/edges/{id}/template",   # Uses hx_get — modal_response handles targeting
        },
        {
            "label": "Logs",
            "icon": "terminal",
            "hx_get": "/edges/{id}/logs",
        },
    ]

    htmx_columns = {
        "status": {
            "url": "/edges/{id}/status",    # Polling URL ({id} replaced per row)
            "trigger": "every 5s",          # HTMX trigger interval
        },
    }

    column_formatters = {
        "status": format_edge_status,
    }

    def __init__(self, templates):
        self.deploy_progress = {}   # Must be set BEFORE super().__init__
        super().__init__(templates)

    @CRUDView.endpoint("/{name}/{item_id}/deploy", methods=["POST"])
    async def deploy(self, request: Request, item_id: int, db: Session = Depends(get_db)):
        edge = db.query(self.model).filter(self.model.id == item_id).first()
        if not edge:
            return toast_response("Edge not found", type="danger", status_code=404)

        self.deploy_progress[item_id] = {"progress": 0, "status": "deploying"}
        return toast_response("Deployment started!", type="success", redirect=f"/{self.name}")

    @CRUDView.endpoint("/{name}/{item_id}/reset", methods=["POST"], response_class=HTMLResponse)
    async def reset(self, request: Request, item_id: int, db: Session = Depends(get_db)):
        edge = db.query(self.model).filter(self.model.id == item_id).first()
        if not edge:
            return toast_response("Edge not found", type="danger", status_code=404)
        edge.status = "offline"
        db.commit()
        return toast_response(f"{edge.hostname} reset", type="warning")

    @CRUDView.endpoint("/{name}/{item_id}/template", methods=["GET"])
    async def template_preview(self, request: Request, item_id: int, db: Session = Depends(get_db)):
        item = db.query(self.model).filter(self.model.id == item_id).first()
        if not item:
            return HTMLResponse("Not found", status_code=404)

        template_text = "# Generated config for " + item.hostname
        return modal_response(
            title=f"Template — {item.hostname}",
            body=f"<pre>{template_text}</pre>",
            actions=[
                {
                    "label": "Download",
                    "icon": "download",
                    "href": f"/edges/{item_id}/template/download",
                    "css_class": "btn btn-primary",
                },
            ],
            size="modal-lg",
        )

    @CRUDView.endpoint("/{name}/{item_id}/template/download", methods=["GET"])
    async def template_download(self, request: Request, item_id: int, db: Session = Depends(get_db)):
        item = db.query(self.model).filter(self.model.id == item_id).first()
        if not item:
            return HTMLResponse("Not found", status_code=404)
        text = "# Generated config for " + item.hostname + "\n"
        return StreamingResponse(iter([text]), media_type="text/plain",
                                 headers={"Content-Disposition": f'attachment; filename="{item.hostname}.conf"'})

    @CRUDView.endpoint("/{name}/{item_id}/logs", methods=["GET"])
    async def view_logs(self, request: Request, item_id: int, db: Session = Depends(get_db)):
        item = db.query(self.model).filter(self.model.id == item_id).first()
        if not item:
            return HTMLResponse("Not found", status_code=404)

        log_text = f"[INFO] Device {item.hostname} booted\n[OK] Services started\n"
        return console_response(
            title=f"Logs — {item.hostname}",
            output=log_text,
        )

    @CRUDView.endpoint("/{name}/{item_id}/run-check", methods=["POST"])
    async def run_check(self, request: Request, item_id: int, db: Session = Depends(get_db)):
        return console_response(
            title="Running diagnostics...",
            output="",
            stream_url=f"/edges/{item_id}/check-stream",
        )

    @CRUDView.endpoint("/{name}/{item_id}/check-stream", methods=["GET"])
    async def check_stream(self, request: Request, item_id: int):
        async def generate():
            yield console_sse_message("Starting diagnostics...\n", css_class="ansi-green")
            for step in ["Checking connectivity", "Verifying config", "Running tests"]:
                await asyncio.sleep(STEP_DELAY)
                yield console_sse_message(f"  {step}... OK\n")
            yield console_sse_message("\nAll checks passed.\n", css_class="ansi-green")
        return StreamingResponse(generate(), media_type="text/event-stream")

    @CRUDView.endpoint("/{name}/shell", methods=["GET"])
    async def admin_shell(self, request: Request):
        return console_response(
            title="Admin Shell",
            output="Ready.\n",
            input_enabled=True,
            input_action=f"/{self.name}/shell/exec",
        )

    @CRUDView.endpoint("/{name}/shell/exec", methods=["POST"])
    async def shell_exec(self, request: Request):
        import html
        form = await request.form()
        cmd = form.get("command", "")
        result = f"echo: {cmd}"
        return HTMLResponse(f"<pre>$ {html.escape(cmd)}\n{html.escape(result)}\n</pre>")

    @CRUDView.endpoint("/{name}/results", methods=["GET"])
    async def results(self, request: Request):
        text = "\033[32mSuccess\033[0m — \033[1;31mErrors: 0\033[0m"
        return console_response("Results", text)  # ansi=True by default

    @CRUDView.endpoint("/{name}/{item_id}/choices", methods=["GET"])
    async def choices(self, request: Request, item_id: int):
        """The Modals parameters and action fields the section's example leaves out."""
        return modal_response(
            title="Choose <one>",
            body="<p>What next?</p>",
            actions=[
                {"label": "Reset", "icon": "arrow-counterclockwise", "hx_post": f"/edges/{item_id}/reset"},
                {"label": "Logs", "hx_get": f"/edges/{item_id}/logs"},
            ],
            size="modal-sm",
            status_code=409,
        )

    @CRUDView.endpoint("/{name}/{item_id}/tail", methods=["GET"])
    async def tail(self, request: Request, item_id: int):
        """The Terminal Console parameters the section's examples leave at their defaults."""
        return console_response(
            title="Tail",
            output="\033[33mraw\033[0m\n",
            input_enabled=True,
            input_action=f"/{self.name}/shell/exec",
            input_placeholder="edge> ",
            stream_url=f"/edges/{item_id}/tail-stream",
            stream_event="log",
            ansi=False,
            size="modal-lg",
            status_code=202,
        )

    @CRUDView.endpoint("/{name}/{item_id}/tail-stream", methods=["GET"])
    async def tail_stream(self, request: Request, item_id: int):
        async def generate():
            yield console_sse_message("\033[31mas written\n", event="log", ansi=False)
        return StreamingResponse(generate(), media_type="text/event-stream")

    @CRUDView.endpoint("/api/options-for-customer", methods=["GET"], response_class=HTMLResponse)
    async def options_for_customer(self, request: Request, customer_id: int = 0, db: Session = Depends(get_db)):
        orch_options = []
        region_options = []
        if customer_id:
            orchs = db.query(Orchestrator).filter(Orchestrator.customer_id == customer_id).all()
            orch_options = [{"id": o.id, "label": o.name} for o in orchs]
            regions = db.query(Region).filter(Region.customer_id == customer_id).all()
            region_options = [{"id": r.id, "label": r.name} for r in regions]
        return self.templates.TemplateResponse("partials/dropdown_options_multi.html", {
            "request": request,
            "options": orch_options,              # Primary target options
            "selected": None,
            "oob_targets": [                      # Additional targets (out-of-band)
                {"id": "region_id", "options": region_options, "selected": None},
            ],
        })

