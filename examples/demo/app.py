"""The demo admin: customers and orders, sites and devices on the CRUD preset, a
dashboard, a custom report page built from components, a Deploy wizard (examples/demo/wizard.py)
and the storybook at /storybook.

Run from the repository root: `scripts/run` (or `python -m examples.demo`).
The database is SQLite (`DEMO_DATABASE_URL`, default `./demo.db`), seeded on first start.
Sign-in is with local users: the first start creates the demo user `admin` (password
`fasthx-demo`); `python -m fasthx_ui.crud.users create NAME --database-url URL` adds more.
With `OIDC_ISSUER` (and `OIDC_CLIENT_ID`, `OIDC_CLIENT_SECRET`, docs/sign_in.md) set, sign-in
goes through that OpenID provider instead (code + PKCE).
`AUTH_DISABLED=1` turns sign-in off (every request is the development user).
`SESSION_SECRET` signs the session, CSRF tokens and flash cookies (a fixed demo value by default).
The AI assistant's tools and connection: examples/demo/assistant.py (`AI_BASE_URL`, `AI_MODEL`,
`AI_API_KEY`); `DEMO_AI_REDIS_URL` keeps its conversations in Redis.
"""

from __future__ import annotations

import os
from pathlib import Path
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from examples.demo import views
from examples.demo.assistant import seed_ai_settings
from examples.demo.wizard import add_wizard
from examples.demo.models import Customer, Device, DeviceStatus, Order, Site
from examples.demo.seed import seed
from fasthx_ui import UI, Column, SQLSource, TableSpec, is_partial, render_table
from fasthx_ui.crud import Admin, Base, LocalSignIn, OIDCSignIn, get_db, init_db
from fasthx_ui.crud.db import open_session
from fasthx_ui.crud.users import Passwords, User, create_tables, save_user
from storybook.app import add_storybook

TEMPLATES = Path(__file__).parent / "templates"
DATABASE_URL = os.environ.get("DEMO_DATABASE_URL", "sqlite:///./demo.db")
SECRET = os.environ.get("SESSION_SECRET", "demo-session-secret")
DEMO_USER, DEMO_PASSWORD = "admin", "fasthx-demo"
SIGN_IN = OIDCSignIn.from_env() if os.environ.get("OIDC_ISSUER") else LocalSignIn(home="/dashboard")
engine = init_db(DATABASE_URL, connect_args={"check_same_thread": False} if DATABASE_URL.startswith("sqlite") else {})


@asynccontextmanager
async def lifespan(app: FastAPI):
    Base.metadata.create_all(bind=engine)
    create_tables(engine)
    with open_session() as session:
        if seed(session):
            print("fasthx_ui demo: seeded an empty database with ~10,000 rows", flush=True)
        if isinstance(SIGN_IN, LocalSignIn) and session.scalar(select(func.count()).select_from(User)) == 0:
            save_user(session, Passwords(), DEMO_USER, DEMO_PASSWORD, ["/Edge-Admins"])
            print(f"fasthx_ui demo: created the user {DEMO_USER!r} (password {DEMO_PASSWORD!r})", flush=True)
        if seed_ai_settings(session):
            print("fasthx_ui demo: AI assistant connected from AI_BASE_URL", flush=True)
        # A deploy's task dies with the process: finish those a previous run left behind.
        session.execute(update(Device).where(Device.status == DeviceStatus.DEPLOYING).values(status=DeviceStatus.ONLINE))
        session.commit()
    yield


app = FastAPI(title="fasthx_ui demo", lifespan=lifespan, docs_url=None, redoc_url=None)
UI(secret_key=SECRET).install(app)  # before Admin, which then keeps this UI (and its secret)
# Jobs of batch actions on all matching rows: in-process, or on RQ with DEMO_JOBS_REDIS_URL
# (then start `python -m fasthx_ui.job_worker --app examples.demo.app:app`).
admin = Admin(app, title="fasthx_ui demo", extra_templates_dirs=[str(TEMPLATES)], audit_logger=views.record_audit,
              sign_in=SIGN_IN, session_secret=SECRET,
              jobs_redis_url=os.environ.get("DEMO_JOBS_REDIS_URL"),
              ai_chat=True, ai_redis_url=os.environ.get("DEMO_AI_REDIS_URL"), settings_admin_users=[DEMO_USER])
admin.add_link("dashboard", "/dashboard", "Dashboard", icon="speedometer2", category="Overview")
admin.add_link("site-report", "/reports/sites", "Site report", icon="graph-up", category="Overview")
admin.add_link("wizard", "/wizard", "Deploy wizard", icon="magic", category="Overview")
admin.add_view(views.AuditLogView)
for view in (views.CustomerView, views.OrderView, views.SiteView, views.DeviceView):
    admin.add_view(view)
add_wizard(app, admin)
admin.add_link("storybook", "/storybook/", "Storybook", icon="book", category="Toolkit")
# The storybook's routes join the demo's, rendered by the demo's one UI.
add_storybook(app, admin.ui, prefix="/storybook",
              links=[{"name": "demo", "label": "Back to the demo", "url": "/dashboard", "icon": "arrow-left"}])

SITE_REPORT = TableSpec(
    columns=[
        Column("id", label="ID"),
        Column("name", header_filter=True),
        Column("region", filter=True),
        Column("address", sortable=False),
    ],
    page_size=10,
)


@app.get("/")
async def root():
    return RedirectResponse("/dashboard")


@app.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, db: Session = Depends(get_db)):
    devices = db.scalar(select(func.count()).select_from(Device)) or 0
    by_status = dict(db.execute(select(Device.status, func.count()).group_by(Device.status)).all())
    online, error = by_status.get(DeviceStatus.ONLINE, 0), by_status.get(DeviceStatus.ERROR, 0)
    recent = db.scalars(select(Order).order_by(Order.id.desc()).limit(8)).all()
    return admin.templates.TemplateResponse("dashboard.html", {
        "request": request,
        "active_page": "dashboard",
        "dashboard_cards": [
            {"label": "Devices", "value": devices, "icon": "router", "link": "/devices"},
            {"label": "Online", "value": online, "color": "text-success", "icon": "check-circle",
             "icon_color": "text-success", "bg": "bg-success-subtle", "link": "/devices?flt_status=online"},
            {"label": "Errors", "value": error, "color": "text-danger", "icon": "exclamation-triangle",
             "icon_color": "text-danger", "bg": "bg-danger-subtle", "link": "/devices?flt_status=error"},
            {"label": "Customers", "value": db.scalar(select(func.count()).select_from(Customer)),
             "icon": "people", "link": "/customers"},
        ],
        "dashboard_table": {
            "title": "Recent orders",
            "link": "/orders",
            "columns": [
                {"key": "id", "label": "Order #", "link": "/orders/{id}"},
                {"key": "customer_name", "label": "Customer"},
                {"key": "total", "label": "Total", "code": True},
                {"key": "status", "label": "Status", "status": True},
            ],
            "rows": [{"id": o.id, "customer_name": o.customer.name, "total": f"{o.total:,.2f}",
                      "status": o.status.value} for o in recent],
        },
        "dashboard_stats": {
            "status_breakdown": {status.value: by_status.get(status, 0) for status in DeviceStatus},
            "counters_title": "Totals",
            "counters": [
                {"label": "Sites", "value": db.scalar(select(func.count()).select_from(Site))},
                {"label": "Orders", "value": db.scalar(select(func.count()).select_from(Order))},
            ],
        },
        "dashboard_actions": [
            {"label": "Deploy wizard", "url": "/wizard", "icon": "magic", "class": "btn-primary"},
            {"label": "Add device", "url": "/devices/create", "icon": "plus-lg"},
            {"label": "Add customer", "url": "/customers/create", "icon": "plus-lg"},
            {"label": "Site report", "url": "/reports/sites", "icon": "graph-up"},
        ],
    })


@app.get("/reports/sites", response_class=HTMLResponse)
def site_report(request: Request, db: Session = Depends(get_db)):
    """A custom page composed from components: a searchable, filterable table of sites."""
    table, _ = render_table(request, SQLSource(db, select(Site), SITE_REPORT), url="/reports/sites",
                            id="site-report", caption="Sites")
    if is_partial(request):
        return HTMLResponse(table)
    return admin.templates.TemplateResponse(request, "site_report.html", {"table": table, "active_page": "site-report"})
