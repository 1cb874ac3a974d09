"""The benchmark app written once against fasthx-admin's documented API; fasthx_ui_app
and fasthx_admin_app differ only in the module they take `Admin, CRUDView, Base, init_db`
from (the compatibility promise of fasthx_ui.crud)."""

from __future__ import annotations

from fastapi import FastAPI
from markupsafe import escape
from starlette.middleware.sessions import SessionMiddleware

from models import define
from settings import DB_URL, PAGE_SIZE, engine_kwargs
from sqlcount import counted


def customer_name(value, obj):
    """The order's customer by name: a column formatter, as the reference documents them."""
    return escape(obj.customer.name)


def build(Admin, CRUDView, Base, init_db):
    engine = init_db(DB_URL, **engine_kwargs())
    Customer, Order = define(Base)
    app = FastAPI()
    app.add_middleware(SessionMiddleware, secret_key="bench-secret")
    admin = Admin(app, title="Bench")

    class CustomerView(CRUDView):
        model = Customer
        page_size = PAGE_SIZE
        column_list = ["id", "name", "email", "status", "created_at"]
        column_searchable = ["name", "email"]
        export_types = ["csv", "xlsx"]
        count_strategy = "deferred"  # fasthx_ui's setting for large tables; fasthx-admin has none

    class OrderView(CRUDView):
        model = Order
        page_size = PAGE_SIZE
        column_list = ["id", "customer_id", "total", "status", "created_at"]
        column_labels = {"customer_id": "Customer"}
        column_formatters = {"customer_id": customer_name}
        count_strategy = "deferred"

    admin.add_view(CustomerView)
    admin.add_view(OrderView)
    return counted(app, engine)
