"""The demo's AI assistant: three tools over the demo data (one asks before it changes
anything) and the connection seeded from the environment.

`AI_BASE_URL` (an OpenAI-compatible API, e.g. `http://127.0.0.1:11434/v1` for Ollama),
`AI_MODEL` and `AI_API_KEY` are written to the AI settings at start-up when set, and the
chat switched on; without them the connection is whatever the AI Settings page holds.
"""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from examples.demo.models import Customer, CustomerStatus, Order, OrderStatus
from fasthx_ui.crud import tool_registry
from fasthx_ui.crud.ai.settings import save_settings

CANCELLERS = "/Edge-Admins"  # the group whose members may cancel orders, in the chat as in the app


@tool_registry.tool(description="Count the customers in each status (active, trial, suspended).")
def count_customers_by_status(db: Session) -> dict[str, int]:
    counts = dict(db.execute(select(Customer.status, func.count()).group_by(Customer.status)).all())
    return {status.value: counts.get(status, 0) for status in CustomerStatus}


@tool_registry.tool(description="Look up one order by its number: customer, total, status and date.")
def look_up_order(order_id: int, db: Session) -> dict[str, Any] | str:
    order = db.get(Order, order_id)
    if order is None:
        return f"There is no order {order_id}."
    return {"order": order.id, "customer": order.customer.name, "total": f"{order.total:.2f}",
            "status": order.status.value, "created": order.created_at.date().isoformat()}


@tool_registry.tool(description="Cancel an order that has not shipped yet.", confirm=True)
def cancel_order(order_id: int, db: Session, user: dict[str, Any]) -> str:
    if CANCELLERS not in (user.get("groups") or ()):
        return f"{user.get('username')} may not cancel orders."
    order = db.get(Order, order_id)
    if order is None:
        return f"There is no order {order_id}."
    if order.status in (OrderStatus.SHIPPED, OrderStatus.CANCELLED):
        return f"Order {order_id} is {order.status.value} and cannot be cancelled."
    order.status = OrderStatus.CANCELLED
    db.commit()
    return f"Order {order_id} is cancelled."


def seed_ai_settings(db: Session) -> bool:
    """Write the connection from `AI_BASE_URL`/`AI_MODEL`/`AI_API_KEY` when the first is set."""
    base_url = os.environ.get("AI_BASE_URL")
    if not base_url:
        return False
    values: dict[str, Any] = {"enabled": True, "base_url": base_url}
    if os.environ.get("AI_MODEL"):
        values["model"] = os.environ["AI_MODEL"]
    if os.environ.get("AI_API_KEY"):
        values["api_key"] = os.environ["AI_API_KEY"]
    save_settings(db, **values)
    return True
