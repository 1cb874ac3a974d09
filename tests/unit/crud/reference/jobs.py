"""The reference's "Audit Logging" and "Progress Bar" examples as one app of their own,
imports changed: the UserLog sink, an audited CustomerView, ServerView's audited `reset`
and explicit `approve`, and the EdgeView whose Deploy shows a progress bar.

The reference's `deploy_task.delay(item_id)` is a Celery task; here it queues the id in
`DEPLOYS`, and the tests play the worker by writing the Redis key as the reference shows.
`progress_redis_url` is the test Redis (the reference writes redis://localhost:6379/0).
"""

import os
from datetime import datetime

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Column, DateTime, Integer, String
from sqlalchemy.orm import Session
from starlette.middleware.sessions import SessionMiddleware

from fasthx_ui.crud import Admin, Base, CRUDView, get_db, toast_response

from ....redis_keys import REDIS_URL
from .models import Customer, FortiEdge, Server

DEPLOYS: list[int] = []


class UserLog(Base):
    __tablename__ = "user_log"
    id = Column(Integer, primary_key=True)
    username = Column(String)
    category = Column(String)
    action = Column(String)
    log = Column(String)
    date = Column(DateTime, default=datetime.utcnow)


def audit_logger(event: dict) -> None:
    user = event.get("user") or {}
    db = next(get_db())
    try:
        db.add(UserLog(
            username=user.get("username", "anonymous"),
            category=f"admin.{event['model_name']}",
            action=event["action"],
            log=repr(event["data"]),
        ))
        db.commit()
    finally:
        db.close()


class CustomerView(CRUDView):
    model = Customer
    audit_log = True
    audit_log_exclude = ["prisma_tsg_id"]  # optional — drop sensitive fields


class ServerView(CRUDView):
    model = Server
    audit_log = True

    @CRUDView.endpoint("/{name}/{item_id}/reset", methods=["POST"], audit=True)
    async def reset(self, request: Request, item_id: int, db: Session = Depends(get_db)):
        server = db.get(self.model, item_id)
        server.status = "reset"
        db.commit()
        return HTMLResponse("")

    @CRUDView.endpoint("/{name}/{item_id}/approve", methods=["POST"])
    async def approve(self, request: Request, item_id: int, db: Session = Depends(get_db)):
        item = db.get(self.model, item_id)
        old = self._audit_snapshot(item)
        item.status = "approved"
        db.commit()
        self.audit(
            "approve",
            item=item,
            request=request,
            data={"old": old, "new": self._audit_snapshot(item)},
        )
        return HTMLResponse("")


def format_edge_status(value, obj):
    return f'<span class="badge">{value}</span>'


class deploy_task:  # noqa: N801 - the reference's Celery task name
    @staticmethod
    def delay(item_id):
        DEPLOYS.append(item_id)


class EdgeView(CRUDView):
    model = FortiEdge
    progress_redis_url = REDIS_URL

    htmx_columns = {
        "status": {
            "url": "/edges/{id}/status",
            "trigger": "every 5s",
            "terminal_states": ["online", "failed", "error"],
        },
    }

    column_formatters = {
        "status": format_edge_status,
    }

    row_actions = [
        {
            "label": "Deploy",
            "icon": "rocket",
            "hx_post": "/edges/{id}/deploy",
            "progress": True,            # enables the progress bar
            "confirm": "Start deployment?",
        },
        {
            "label": "Reset",
            "icon": "arrow-counterclockwise",
            "hx_post": "/edges/{id}/reset",
            "hx_swap": "none",
            "confirm": "Reset status?",
        },
    ]

    @CRUDView.endpoint("/{name}/{item_id}/deploy", methods=["POST"], response_class=HTMLResponse)
    async def deploy(self, request: Request, item_id: int, db: Session = Depends(get_db)):
        item = db.query(self.model).filter(self.model.id == item_id).first()
        if not item:
            return toast_response("Not found", type="danger")

        item.status = "deploying"
        db.commit()

        # Kick off background work (Celery, HTTP call, etc.)
        deploy_task.delay(item_id)

        # Return progress bar + auto-restart any htmx_columns polling
        return self.progress_response(request, item_id, item=item)


app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key=os.environ.get("SESSION_SECRET", "change-me"))


@app.get("/test-login")
async def test_login(request: Request, username: str = "dev"):
    """Sign in for the tests (the reference's login is in app.py)."""
    request.session["user"] = {"username": username, "groups": []}
    return {"ok": True}


admin = Admin(app, audit_logger=audit_logger)
for view_class in (CustomerView, ServerView, EdgeView):
    admin.add_view(view_class)
