"""The floor: the same pages written by hand with FastAPI, SQLAlchemy Core and one
Jinja2 template (columns-only selects, a plain count, a join for the customer's name,
a streamed CSV). No admin framework: what the pages cost at the least."""

from __future__ import annotations

import csv
import io
import math

from fastapi import FastAPI, Query
from fastapi.responses import HTMLResponse, StreamingResponse
from jinja2 import Environment
from sqlalchemy import create_engine, func, or_, select
from sqlalchemy.orm import DeclarativeBase

from models import define
from settings import DB_URL, PAGE_SIZE, engine_kwargs
from sqlcount import counted

PAGE = Environment(autoescape=True).from_string("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head><body>
<h1>{{ title }}</h1>
<form><input type="search" name="q" value="{{ q }}" aria-label="Search"></form>
<p>{{ total }} records, page {{ page }} of {{ pages }}</p>
<table><thead><tr>{% for h in headers %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>
<nav>{% if page > 1 %}<a href="?page={{ page - 1 }}&amp;q={{ q|urlencode }}">Previous</a>{% endif %}
{% if page < pages %}<a href="?page={{ page + 1 }}&amp;q={{ q|urlencode }}">Next</a>{% endif %}</nav>
</body></html>""")


class Base(DeclarativeBase):
    pass


engine = create_engine(DB_URL, **engine_kwargs())
Customer, Order = define(Base)
CUSTOMER_COLUMNS = (Customer.id, Customer.name, Customer.email, Customer.status, Customer.created_at)
app = FastAPI()


def render(title, headers, stmt, count_stmt, page, q):
    with engine.connect() as con:
        total = con.scalar(count_stmt)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        page = min(max(1, page), pages)
        rows = con.execute(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    rows = [[getattr(v, "value", v) for v in row] for row in rows]
    return HTMLResponse(PAGE.render(title=title, headers=headers, rows=rows, total=total,
                                    page=page, pages=pages, q=q))


def customer_search(q):
    return or_(Customer.name.contains(q, autoescape=True), Customer.email.contains(q, autoescape=True))


@app.get("/customers")
def customers(page: int = Query(1), q: str = ""):
    stmt = select(*CUSTOMER_COLUMNS).order_by(Customer.id)
    count = select(func.count()).select_from(Customer)
    if q:
        stmt, count = stmt.where(customer_search(q)), count.where(customer_search(q))
    return render("Customers", ["Id", "Name", "Email", "Status", "Created at"], stmt, count, page, q)


@app.get("/orders")
def orders(page: int = Query(1)):
    stmt = (select(Order.id, Customer.name, Order.total, Order.status, Order.created_at)
            .join(Customer, Order.customer_id == Customer.id).order_by(Order.id))
    count = select(func.count()).select_from(Order)
    return render("Orders", ["Id", "Customer", "Total", "Status", "Created at"], stmt, count, page, "")


@app.get("/customers/export/csv")
def export_csv():
    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["id", "name", "email", "status", "created_at"])
        with engine.connect() as con:
            result = con.execution_options(stream_results=True, yield_per=1000).execute(
                select(*CUSTOMER_COLUMNS).order_by(Customer.id))
            for chunk in result.partitions():
                for row in chunk:
                    writer.writerow([getattr(v, "value", v) for v in row])
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return StreamingResponse(lines(), media_type="text/csv",
                             headers={"content-disposition": 'attachment; filename="customers.csv"'})


app = counted(app, engine)
