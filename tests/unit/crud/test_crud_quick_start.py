"""The reference's Quick Start, with only its import line changed, runs on fasthx_ui.crud:
served with AUTH_DISABLED=1 it lists, creates, shows, edits and deletes customers. It runs
in a process of its own (AUTH_DISABLED is read at import; its model is `customers` on
the shared Base)."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

QUICK_START = '''
import os
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Column, Integer, String
from starlette.middleware.sessions import SessionMiddleware

from fasthx_ui.crud import Admin, CRUDView, Base, init_db

# 1. Initialise the database
engine = init_db("sqlite:///./app.db", connect_args={"check_same_thread": False})

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

DRIVE = '''
import json
from fastapi.testclient import TestClient
from app import app

seen = {}
with TestClient(app, follow_redirects=False) as client:
    seen["empty"] = client.get("/customers").status_code
    created = client.post("/customers/create", data={"name": "Acme", "email": "a@acme.test"})
    seen["create"] = [created.status_code, created.headers.get("location")]
    listed = client.get("/customers?q=acme")
    seen["listed"] = [listed.status_code, "Acme" in listed.text, "My Admin" in listed.text, "Customers" in listed.text]
    seen["detail"] = client.get("/customers/1").status_code
    seen["edit"] = client.post("/customers/1/edit", data={"name": "Acme Inc"}).status_code
    seen["renamed"] = "Acme Inc" in client.get("/customers/1").text
    seen["delete"] = client.post("/customers/1/delete").status_code
    seen["gone"] = client.get("/customers/1").status_code
print(json.dumps(seen))
'''


def test_the_quick_start_app_runs_unchanged_but_for_its_import(tmp_path):
    (tmp_path / "app.py").write_text(textwrap.dedent(QUICK_START))
    (tmp_path / "drive.py").write_text(textwrap.dedent(DRIVE))
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "AUTH_DISABLED": "1", "PYTHONPATH": str(root), "FASTHX_UI_SECRET_KEY": "quick-start"}
    result = subprocess.run([sys.executable, "drive.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {
        "empty": 200,
        "create": [303, "/customers"],
        "listed": [200, True, True, True],
        "detail": 200,
        "edit": 303,
        "renamed": True,
        "delete": 303,
        "gone": 404,
    }
