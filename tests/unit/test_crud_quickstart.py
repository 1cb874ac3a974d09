"""The reference's Quick Start app, with only its import line changed, runs on
fasthx_ui.crud: served by uvicorn as the reference says (`AUTH_DISABLED=1 uvicorn app:app`)."""

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from helpers import serve

QUICK_START = '''
import os
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Column, Integer, String
from starlette.middleware.sessions import SessionMiddleware

from fasthx_ui.crud import Admin, CRUDView, Base, init_db

# 1. Initialise the database
engine = init_db("sqlite:///DB_PATH", connect_args={"check_same_thread": False})

# 2. Define a model
class Customer(Base):
    __tablename__ = "customers"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    email = Column(String(200))

    __admin_category__ = "CRM"
    __admin_icon__ = "people"
    __admin_name__ = "Customers"

    def __repr__(self):
        return f"<Customer {self.name}>"

# 3. Create the app with lifespan
@asynccontextmanager
async def lifespan(app):
    Base.metadata.create_all(bind=engine)
    yield

app = FastAPI(lifespan=lifespan)
app.add_middleware(SessionMiddleware, secret_key=os.environ.get("SESSION_SECRET", "change-me"))

# 4. Create admin and register views
admin = Admin(app, title="My Admin")

class CustomerView(CRUDView):
    model = Customer
    column_list = ["id", "name", "email"]

admin.add_view(CustomerView)
'''


def quick_start(folder: Path, auth_disabled: str) -> tuple[object, str]:
    (folder / "app.py").write_text(QUICK_START.replace("DB_PATH", str(folder / "app.db")))
    return serve(["-m", "uvicorn", "app:app", "--app-dir", str(folder)], env={"AUTH_DISABLED": auth_disabled})


@pytest.fixture
def dev_app(tmp_path) -> Iterator[str]:
    process, url = quick_start(tmp_path, "1")
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_quick_start_lists_creates_shows_edits_and_deletes_customers(dev_app):
    with httpx.Client(base_url=dev_app) as client:
        page = client.get("/customers")
        assert page.status_code == 200
        html = page.text
        assert "<title>Customers · My Admin</title>" in html
        sidebar = re.sub(r"\s+", " ", html[html.index("<nav"):html.index("</nav>")])
        assert "<span>My Admin</span>" in sidebar and "<span>CRM</span>" in sidebar
        assert 'href="/customers" class="fhx-nav-link active"' in sidebar and "bi-people" in sidebar
        assert '<span class="fhx-user"><i class="bi bi-person-circle" aria-hidden="true"></i> dev</span>' in html
        token = re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)
        created = client.post("/customers/create", data={"name": "Ada <Lovelace>", "email": "ada@example.org"},
                              headers={"X-CSRF-Token": token})
        assert created.status_code == 303, created.text
        assert created.headers["location"] == "/customers"
        listing = client.get("/customers?q=ada").text
        assert "Ada &lt;Lovelace&gt;" in listing and "ada@example.org" in listing
        assert client.get("/customers/1").status_code == 200
        edited = client.post("/customers/1/edit", data={"name": "Ada Inc"}, headers={"X-CSRF-Token": token})
        assert edited.status_code == 303 and "Ada Inc" in client.get("/customers/1").text
        deleted = client.post("/customers/1/delete", headers={"X-CSRF-Token": token})
        assert deleted.status_code == 303 and client.get("/customers/1").status_code == 404


def test_quick_start_without_auth_disabled_sends_to_sign_in(tmp_path):
    process, url = quick_start(tmp_path, "0")
    try:
        response = httpx.get(url + "/customers", headers={"Accept": "text/html"})
        assert response.status_code == 303 and response.headers["location"] == "/login?next=/customers"
    finally:
        process.terminate()
        process.wait(timeout=10)
