"""The reference's app-level examples (Quick Start's app, The Admin Class, Custom Pages,
Custom Navigation Links, Templates, Authentication) around the views of views.py and
edges.py, imports changed. The database is whatever `init_db` the caller ran.

Sign-in is the reference's: `oidc_login` against the provider named by the
client_secrets.json at `OIDC_SECRETS` (the tests start one, tests/oidc_provider.py), and
the allowed groups set at startup as the Authentication section shows.
"""

import os
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session
from starlette.middleware.sessions import SessionMiddleware

from fasthx_ui.crud import Admin, AuthError, CRUDView, get_current_user, get_db, oidc_login
from fasthx_ui.crud.auth import ALLOWED_GROUPS

from .edges import EdgeView
from .models import Customer, Device, Order, Region
from .views import (AllDeviceColumnsView, AuditLogView, CustomerView, DeviceView, InternalToolsView, LaunchPadView,
                    MyView, NetworkView, OfferingByServerView, OfferingView, OrchestratorView, OrderView, ServerView,
                    SiteView, TicketView)

HERE = Path(__file__).parent

ALLOWED_GROUPS.clear()
ALLOWED_GROUPS.extend(["/Edge-Admins", "/NOC", "/Staff"])

app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key=os.environ.get("SESSION_SECRET", "change-me"))

admin = Admin(
    app,                                    # Your FastAPI app (required)
    title="My Admin",                       # Brand name in sidebar + page titles
    static_url="/static/fasthx-admin",      # Where package CSS/JS are served
    mount_statics=True,                     # Auto-mount built-in static files
    public_pages={"login.html"},            # Templates that skip auth check
    extra_templates_dirs=[str(HERE / "templates")],
)

for view_class in (CustomerView, SiteView, DeviceView, AllDeviceColumnsView, EdgeView, OrchestratorView,
                   OfferingView, OfferingByServerView, ServerView, LaunchPadView, AuditLogView,
                   InternalToolsView, NetworkView, OrderView, TicketView, MyView):
    admin.add_view(view_class)

admin.add_link("dashboard", "/dashboard", "Dashboard", icon="speedometer2", category="Overview")
admin.add_link("reports", "/reports", "Reports", icon="graph-up", category="Analytics")
admin.add_link("docs", "/docs", "API Docs", icon="book", category="Tools")
admin.add_link("debug", "/debug", "Debug Tools", icon="bug", category="Dev",
               allowed_users=["admin"])


@app.get("/dashboard", response_class=HTMLResponse)
async def dashboard(request: Request, db: Session = Depends(get_db)):
    total = db.query(Customer).count()
    active = db.query(Customer).filter(Customer.status == "active").count()

    return admin.templates.TemplateResponse("dashboard.html", {
        "request": request,
        "active_page": "dashboard",
        "dashboard_cards": [
            {"label": "Total", "value": total, "icon": "people", "link": "/customers"},
            {"label": "Active", "value": active, "icon": "check-circle",
             "color": "text-success", "icon_color": "text-success",
             "bg": "bg-success-subtle", "link": "/customers?q=active"},
        ],
        "dashboard_table": {
            "title": "Recent Customers",
            "link": "/customers",
            "columns": [
                {"key": "name", "label": "Name", "link": "/customers/{id}"},
                {"key": "email", "label": "Email"},
                {"key": "status", "label": "Status", "status": True},
            ],
            "rows": db.query(Customer).order_by(Customer.id.desc()).limit(10).all(),
        },
        "dashboard_stats": {
            "status_breakdown": {"active": active, "inactive": total - active},
            "counters": [{"label": "Total Customers", "value": total}],
        },
        "dashboard_actions": [
            {"label": "Add Customer", "url": "/customers/create", "icon": "plus-lg", "class": "btn-primary"},
        ],
    })


@app.get("/dashboard/network", response_class=HTMLResponse)
async def network_dashboard(request: Request, db: Session = Depends(get_db)):
    """The section examples of Custom Pages: device cards, orders as dicts, regions."""
    total = db.query(Device).count()
    online = db.query(Device).filter(Device.status == "online").count()
    error = db.query(Device).filter(Device.status == "error").count()
    dashboard_cards = [
        {"label": "Total Devices", "value": total, "icon": "shield", "link": "/devices"},
        {"label": "Online", "value": online, "color": "text-success", "icon": "check-circle",
         "icon_color": "text-success", "bg": "bg-success-subtle", "link": "/devices?q=online"},
        {"label": "Errors", "value": error, "color": "text-danger", "icon": "exclamation-triangle",
         "icon_color": "text-danger", "bg": "bg-danger-subtle", "link": "/devices?q=error"},
    ]
    dashboard_table = {
        "title": "Recent Orders",
        "link": "/orders",
        "columns": [
            {"key": "id", "label": "Order #", "link": "/orders/{id}"},
            {"key": "customer_name", "label": "Customer"},
            {"key": "total", "label": "Total"},
            {"key": "status", "label": "Status", "status": True},
        ],
        "rows": [
            {
                "id": o.id,
                "customer_name": o.customer.name,
                "total": f"${o.total:.2f}",
                "status": o.status.value,
            }
            for o in db.query(Order).order_by(Order.id.desc()).limit(10).all()
        ],
    }
    dashboard_stats = {
        "title": "Status Breakdown",
        "status_breakdown": {
            "online": online,
            "deploying": 3,
            "error": error,
        },
        "counters_title": "Summary",
        "counters": [
            {"label": "Total Customers", "value": db.query(Customer).count()},
            {"label": "Total Regions", "value": db.query(Region).count()},
        ],
    }
    dashboard_actions = [
        {"label": "Deploy Wizard", "url": "/wizard", "icon": "magic", "class": "btn-primary"},
        {"label": "Add Device", "url": "/devices/create", "icon": "plus-lg"},
        {"label": "Add Customer", "url": "/customers/create", "icon": "plus-lg"},
    ]
    return admin.templates.TemplateResponse("dashboard.html", {
        "request": request,
        "active_page": "dashboard",
        "dashboard_cards": dashboard_cards,
        "dashboard_table": dashboard_table,
        "dashboard_stats": dashboard_stats,
        "dashboard_actions": dashboard_actions,
    })


@app.get("/reports", response_class=HTMLResponse)
async def reports(request: Request, db: Session = Depends(get_db)):
    """A page of ours from extra_templates_dirs, extending the built-in base.html."""
    return admin.templates.TemplateResponse("reports.html", {
        "request": request,
        "active_page": "reports",
        "customer_count": db.query(Customer).count(),
    })


@app.get("/")
async def root():
    return RedirectResponse("/dashboard")


@app.get("/login", response_class=HTMLResponse)
async def login_page(request: Request):
    if get_current_user(request):
        return RedirectResponse("/dashboard", status_code=303)
    return admin.templates.TemplateResponse("login.html", {
        "request": request,
        "error": None,
        "username": None,
    })


@app.post("/login", response_class=HTMLResponse)
async def login_submit(request: Request):
    form = await request.form()
    username = form.get("username", "").strip()
    password = form.get("password", "")

    try:
        user = oidc_login(username, password)
    except AuthError as e:
        return admin.templates.TemplateResponse("login.html", {
            "request": request,
            "error": str(e),
            "username": username,
        })

    request.session["user"] = user
    return RedirectResponse("/dashboard", status_code=303)


@app.get("/logout")
async def logout(request: Request):
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


def create_own_templates_app():
    """The Templates section's other way: the caller's own Jinja2Templates."""
    own = FastAPI()
    own.add_middleware(SessionMiddleware, secret_key="change-me")
    templates = Jinja2Templates(directory=str(HERE / "own_templates"))
    own_admin = Admin(own, templates=templates, mount_statics=True)

    class CustomerListView(CRUDView):
        model = Customer
        name = "own_customers"

    own_admin.add_view(CustomerListView)

    @own.get("/welcome", response_class=HTMLResponse)
    async def welcome(request: Request):
        return own_admin.templates.TemplateResponse("welcome.html", {"request": request, "who": "<b>you</b>"})

    @own.get("/test-login")
    async def test_login(request: Request):
        request.session["user"] = {"username": "dev", "groups": ["/Edge-Admins"]}
        return {"ok": True}

    return own, own_admin
