"""Make the benchmark's data: 100,000 customers and 300,000 orders, the same rows every
time (a fixed seed), written to bench/data/bench.db (SQLite) and, with --pg URL, into a
PostgreSQL database. The search term that matches about 1 % of customers (one of 100
surnames, in both name and email) is written to bench/data/meta.json.

    python bench/make_data.py [--pg postgresql://postgres@127.0.0.1:5432/bench]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
from pathlib import Path

DATA = Path(__file__).parent / "data"
DB = DATA / "bench.db"
CUSTOMERS, ORDERS, SEED = 100_000, 300_000, 20261201
CUSTOMER_STATUSES = ("active", "inactive", "lead")
ORDER_STATUSES = ("pending", "paid", "shipped", "cancelled")
FIRST = ("Ada", "Ben", "Cleo", "Dan", "Eva", "Finn", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lena", "Milo",
         "Nora", "Otto", "Pia", "Rui", "Sara", "Theo", "Uma", "Vera", "Wes", "Yara", "Zeno")
SYLLABLES = ("bar", "cor", "dun", "fel", "gar", "hol", "kin", "lor", "mar", "nor", "pel", "quin",
             "ros", "sal", "tor", "vel", "wyn", "zan")
SEARCH_INDEX = 42  # which of the 100 surnames the 1 % search looks for

DDL = (
    "CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL, "
    "email VARCHAR(200) NOT NULL, status VARCHAR(8) NOT NULL, created_at {ts} NOT NULL)",
    "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), "
    "total {real} NOT NULL, status VARCHAR(9) NOT NULL, created_at {ts} NOT NULL)",
    "CREATE INDEX ix_orders_customer_id ON orders (customer_id)",
)


def surnames() -> list[str]:
    """100 surnames, none a substring of another name part or of the email's fixed parts."""
    rng = random.Random(SEED)
    found: list[str] = []
    taken = {f.lower() for f in FIRST} | {"example", "com"}
    while len(found) < 100:
        name = "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()
        low = name.lower()
        if any(low in other or other in low for other in taken | {f.lower() for f in found}):
            continue
        found.append(name)
    return found


def rows() -> tuple[list[tuple], list[tuple]]:
    rng = random.Random(SEED)
    lasts = surnames()
    start = dt.datetime(2024, 1, 1)
    customers = []
    for i in range(1, CUSTOMERS + 1):
        first, last = rng.choice(FIRST), rng.choice(lasts)
        created = start + dt.timedelta(seconds=rng.randrange(0, 700 * 86400))
        customers.append((i, f"{first} {last}", f"{first.lower()}.{last.lower()}{i}@example.com",
                          rng.choice(CUSTOMER_STATUSES), created))
    orders = []
    for i in range(1, ORDERS + 1):
        created = start + dt.timedelta(seconds=rng.randrange(0, 700 * 86400))
        orders.append((i, rng.randint(1, CUSTOMERS), round(rng.uniform(5, 2000), 2),
                       rng.choice(ORDER_STATUSES), created))
    return customers, orders


def write_sqlite(customers: list[tuple], orders: list[tuple]) -> None:
    DATA.mkdir(exist_ok=True)
    tmp = DB.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    for stmt in DDL:
        con.execute(stmt.format(ts="DATETIME", real="FLOAT"))
    fmt = "%Y-%m-%d %H:%M:%S.%f"
    con.executemany("INSERT INTO customers VALUES (?,?,?,?,?)", [(*r[:4], r[4].strftime(fmt)) for r in customers])
    con.executemany("INSERT INTO orders VALUES (?,?,?,?,?)", [(*r[:4], r[4].strftime(fmt)) for r in orders])
    con.commit()
    con.execute("ANALYZE")
    con.close()
    tmp.replace(DB)


def write_pg(url: str, customers: list[tuple], orders: list[tuple]) -> None:
    """(Re)create the tables in the database of `url` (created when missing) and COPY the rows."""
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url) as con:
        con.execute("DROP TABLE IF EXISTS orders, customers")
        for stmt in DDL:
            con.execute(stmt.format(ts="TIMESTAMP", real="DOUBLE PRECISION"))
        for table, data in (("customers", customers), ("orders", orders)):
            with con.cursor().copy(f"COPY {table} FROM STDIN") as copy:
                for row in data:
                    copy.write_row(row)
        con.commit()
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("VACUUM ANALYZE customers")
        con.execute("VACUUM ANALYZE orders")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="also load into this PostgreSQL database (created if missing)")
    args = parser.parse_args()
    customers, orders = rows()
    term = surnames()[SEARCH_INDEX]
    matches = sum(1 for c in customers if term.lower() in c[1].lower() or term.lower() in c[2])
    write_sqlite(customers, orders)
    if args.pg:
        write_pg(args.pg, customers, orders)
    meta = {"customers": CUSTOMERS, "orders": ORDERS, "search": term, "search_matches": matches, "seed": SEED}
    (DATA / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
