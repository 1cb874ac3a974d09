"""An app written against the reference's documented AI API (its `ai_complete` section:
the CustomerView `summarize` and `draft_reminder` endpoints, the `open_invoice_count` tool,
a standalone release-notes route), in our own words, with only the import line naming
fasthx_ui.crud. Its tables have names of their own on the shared `Base`."""

import os

from fastapi import Depends, FastAPI, Request
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Session
from starlette.middleware.sessions import SessionMiddleware

from fasthx_ui.crud import Admin, Base, CRUDView, ai_complete, get_db, tool_registry


class Customer(Base):
    __tablename__ = "ai_ref_customers"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    notes = Column(String(500))


class Invoice(Base):
    __tablename__ = "ai_ref_invoices"
    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("ai_ref_customers.id"), nullable=False)
    status = Column(String(20), nullable=False)


TABLES = [Customer.__table__, Invoice.__table__]


@tool_registry.tool(description="Look up a customer's open invoice count by ID.")
def open_invoice_count(customer_id: int, db: Session) -> str:
    n = db.query(Invoice).filter(Invoice.customer_id == customer_id, Invoice.status == "open").count()
    return f"{n} open invoices"


class CustomerView(CRUDView):
    model = Customer
    name = "ai_ref_customers"

    @CRUDView.endpoint("/{item_id}/summarize", methods=["POST"])
    async def summarize(self, item_id: int, db: Session = Depends(get_db)):
        customer = db.get(Customer, item_id)
        text = await self.ai_complete(
            f"Summarize this customer in one sentence:\n\n{customer.notes}",
            system="You are a concise CRM assistant.",
            db=db,
        )
        return {"summary": text}

    @CRUDView.endpoint("/{item_id}/draft-reminder", methods=["POST"])
    async def draft_reminder(self, item_id: int, db: Session = Depends(get_db)):
        customer = db.get(Customer, item_id)
        body = await self.ai_complete(
            f"Draft a polite reminder email for customer #{customer.id} ({customer.name}).",
            system="You write professional, concise customer emails.",
            tools=["open_invoice_count"],
            db=db,
        )
        return {"body": body}


def create_app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(SessionMiddleware, secret_key=os.environ.get("SESSION_SECRET", "change-me"))

    @app.get("/test-login")
    async def test_login(request: Request):
        request.session["user"] = {"username": "dev", "groups": ["/Edge-Admins"]}
        return {"ok": True}

    @app.post("/tools/release-notes")
    async def draft_release_notes(since_tag: str, commits: list[str], db: Session = Depends(get_db)):
        bullets = "\n".join(f"- {c}" for c in commits)
        notes = await ai_complete(
            f"Write release notes for the changes since {since_tag}:\n\n{bullets}",
            system="You write crisp, user-facing changelogs in markdown.",
            db=db,
        )
        return {"notes": notes}

    admin = Admin(app, title="AI reference")
    admin.add_view(CustomerView)
    return app
