"""sqladmin 0.32 serving the benchmark tables, as its docs write a ModelView: the order's
customer is the `Order.customer` relationship column, shown by name through
`column_formatters` (sqladmin loads listed relationships with the rows)."""

from fastapi import FastAPI
from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase
from sqladmin import Admin, ModelView

from models import define
from settings import DB_URL, PAGE_SIZE, engine_kwargs
from sqlcount import counted


class Base(DeclarativeBase):
    pass


engine = create_engine(DB_URL, **engine_kwargs())
Customer, Order = define(Base)


class CustomerAdmin(ModelView, model=Customer):
    column_list = [Customer.id, Customer.name, Customer.email, Customer.status, Customer.created_at]
    column_searchable_list = [Customer.name, Customer.email]
    page_size = PAGE_SIZE
    can_export = True
    export_types = ["csv", "json"]


class OrderAdmin(ModelView, model=Order):
    column_list = [Order.id, Order.customer, Order.total, Order.status, Order.created_at]
    column_formatters = {Order.customer: lambda m, a: m.customer.name}
    page_size = PAGE_SIZE


app = FastAPI()
admin = Admin(app, engine, title="Bench")
admin.add_view(CustomerAdmin)
admin.add_view(OrderAdmin)
app = counted(app, engine)
