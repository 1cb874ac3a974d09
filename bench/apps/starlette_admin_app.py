"""starlette-admin 1.0.3 serving the benchmark tables, as its quickstart and user guide
write a model view; the order's customer shows through the relation field and the
customer's `__admin_repr__` (starlette-admin's documented display hook)."""

from fastapi import FastAPI
from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase
from starlette_admin.contrib.sqla import Admin, ModelView
from starlette_admin.fields import FloatField

from models import define
from settings import DB_URL, PAGE_SIZE, engine_kwargs
from sqlcount import counted


class Base(DeclarativeBase):
    pass


engine = create_engine(DB_URL, **engine_kwargs())
Customer, Order = define(Base)


class CustomerView(ModelView):
    fields = ["id", "name", "email", "status", "created_at"]
    searchable_fields = ("name", "email")
    page_size = PAGE_SIZE


class OrderView(ModelView):
    fields = ["id", "customer", FloatField("total"), "status", "created_at"]
    page_size = PAGE_SIZE


app = FastAPI()
admin = Admin(engine, title="Bench", secret_key="bench-secret")
admin.add_view(CustomerView(Customer))
admin.add_view(OrderView(Order))
admin.mount_to(app)
app = counted(app, engine)
