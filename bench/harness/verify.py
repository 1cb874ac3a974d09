"""Before anything is measured: each app's pages must show the right rows. The expected
rows come from the SQLite file itself (emails are unique; an order shows its customer's name)."""

from __future__ import annotations

import html
import sqlite3

from harness.servers import DATA, Server


def expected(search: str, order: str) -> dict[str, list[str]]:
    """The values page (a)-(d) must show when the list is ordered by id `order` ("asc"/"desc")."""
    assert order in ("asc", "desc")
    con = sqlite3.connect(DATA / "bench.db")
    emails = lambda sql, *args: [row[0] for row in con.execute(sql, args)]
    found = {
        "a": emails(f"SELECT email FROM customers ORDER BY id {order} LIMIT 20"),
        "b": emails(f"SELECT email FROM customers ORDER BY id {order} LIMIT 20 OFFSET 79980"),
        "c": emails(f"SELECT email FROM customers WHERE name LIKE ?1 OR email LIKE ?1 ORDER BY id {order} LIMIT 20",
                    f"%{search}%"),
        "d": emails(f"SELECT c.name FROM orders o JOIN customers c ON c.id = o.customer_id ORDER BY o.id {order} LIMIT 20"),
    }
    con.close()
    return found


def check(server: Server, search: str) -> list[str]:
    """Problems found on `server`'s pages (empty when every page shows its rows)."""
    problems = []
    wanted = expected(search, server.framework.order)
    for scenario, values in wanted.items():
        status, body = server.get(server.framework.url(scenario, search))
        text = html.unescape(body)
        missing = [value for value in values if value not in text]
        if status != 200 or missing:
            problems.append(f"{server.framework.name} ({scenario}): status {status}, missing {missing[:3]}")
    return problems
