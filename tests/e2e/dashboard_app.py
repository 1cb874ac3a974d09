"""The CRUD preset's dashboard.html in its real shell, fed the way the reference's full
example feeds it (objects as rows), and a customer page on base.html with a DetailList.
`python tests/e2e/dashboard_app.py --port N` (run with AUTH_DISABLED=1)."""

import argparse
from dataclasses import dataclass

import jinja2
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from fasthx_ui import Column, detail_items
from fasthx_ui.crud.admin import Admin

CUSTOMER_PAGE = """{% extends "base.html" %}
{% block title %}{{ customer.name }}{% endblock %}
{% block content %}<ui:DetailList items={{ items }} id="customer" />{% endblock %}
"""


@dataclass
class Customer:
    id: int
    name: str
    email: str
    status: str


CUSTOMERS = [Customer(i, f"Customer {i}", f"c{i}@example.org", "active" if i % 3 else "inactive") for i in range(1, 7)]

app = FastAPI()
admin = Admin(app, templates=Jinja2Templates(env=jinja2.Environment(loader=jinja2.DictLoader({"customer.html": CUSTOMER_PAGE}))),
              title="Dashboard test")
admin.add_link("dashboard", "/dashboard", "Dashboard", icon="speedometer2", category="Main")
admin.add_link("customers", "/customers/1", "First customer", icon="people", category="Main")


@app.get("/")
def root():
    return RedirectResponse("/dashboard")


@app.get("/dashboard", response_class=HTMLResponse)
async def dashboard(request: Request):
    active = sum(c.status == "active" for c in CUSTOMERS)
    return admin.templates.TemplateResponse("dashboard.html", {
        "request": request,
        "active_page": "dashboard",
        "dashboard_cards": [
            {"label": "Total", "value": len(CUSTOMERS), "icon": "people", "link": "/customers/1"},
            {"label": "Active", "value": active, "icon": "check-circle", "color": "text-success", "icon_color": "text-success",
             "bg": "bg-success-subtle", "link": "/customers/2"},
        ],
        "dashboard_table": {
            "title": "Recent Customers",
            "link": "/customers/1",
            "columns": [
                {"key": "name", "label": "Name", "link": "/customers/{id}"},
                {"key": "email", "label": "Email"},
                {"key": "status", "label": "Status", "status": True},
            ],
            "rows": list(reversed(CUSTOMERS)),
        },
        "dashboard_stats": {
            "status_breakdown": {"active": active, "inactive": len(CUSTOMERS) - active},
            "counters": [{"label": "Total Customers", "value": len(CUSTOMERS)}],
        },
        "dashboard_actions": [{"label": "Add Customer", "url": "/customers/1", "icon": "plus-lg", "class": "btn-primary"}],
    })


@app.get("/customers/{customer_id}", response_class=HTMLResponse)
async def customer(request: Request, customer_id: int):
    found = next((c for c in CUSTOMERS if c.id == customer_id), None)
    if found is None:
        return HTMLResponse("No such customer.", status_code=404)
    items = detail_items(found, ["name", "email", Column("status", status=True)])
    return admin.templates.TemplateResponse(request, "customer.html", {"customer": found, "items": items, "active_page": "customers"})


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    uvicorn.run(app, host="127.0.0.1", port=parser.parse_args().port, log_level="warning")
