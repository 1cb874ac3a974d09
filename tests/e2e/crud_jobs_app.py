"""A CRUD view with jobs, for the browser tests, written like the reference's examples:
Deploy (`"progress": True`) starts a task whose bar follows the row until it is complete
while the row's status cell polls again; Checks opens a console in the modal that
streams over SSE. `python tests/e2e/crud_jobs_app.py --port N --db PATH`
(AUTH_DISABLED=1: every request is the dev user). Progress lives in this process."""

import asyncio

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, StreamingResponse
from sqlalchemy import Column, Integer, String, update
from sqlalchemy.orm import Session

from fasthx_ui.crud import Admin, Base, CRUDView, console_response, console_sse_message, get_db, init_db, toast_response
from fasthx_ui.crud.db import open_session

from app_main import run_app

STEP_SECONDS = 0.2  # the pretend deployment's pace
deploys: dict[int, int] = {}
"""How many deployments each device was sent since the last seed."""


class Job(Base):
    __tablename__ = "e2e_job_devices"
    id = Column(Integer, primary_key=True)
    hostname = Column(String(100), nullable=False)
    status = Column(String(20), default="online")


class JobView(CRUDView):
    model = Job
    name = "devices"
    column_list = ["id", "hostname", "status"]
    htmx_columns = {"status": {"url": "/devices/{id}/status", "trigger": "every 1s", "terminal_states": ["online"]}}
    row_actions = [
        {"label": "Deploy", "icon": "rocket", "hx_post": "/devices/{id}/deploy", "progress": True,
         "confirm": "Start deployment?"},
        {"label": "Checks", "icon": "terminal", "hx_get": "/devices/{id}/checks"},
    ]

    @CRUDView.endpoint("/{name}/{item_id}/deploy", methods=["POST"], response_class=HTMLResponse)
    async def deploy(self, request: Request, item_id: int, db: Session = Depends(get_db)):
        item = db.get(self.model, item_id)
        if not item:
            return toast_response("Not found", type="danger", status_code=404)
        item.status = "deploying"
        db.commit()
        deploys[item_id] = deploys.get(item_id, 0) + 1
        asyncio.get_running_loop().create_task(self.work(item_id))
        return self.progress_response(request, item_id, item=item)

    async def work(self, item_id: int) -> None:
        """The worker: 25 % a step, then the row is online and the task complete."""
        for percent in (25, 50, 75):
            await asyncio.sleep(STEP_SECONDS)
            self.progress_store.set(self.name, item_id, percent)
        with open_session() as db:
            db.execute(update(Job).where(Job.id == item_id).values(status="online"))
            db.commit()
        self.progress_store.set(self.name, item_id, 100)

    @CRUDView.endpoint("/{name}/{item_id}/checks", methods=["GET"])
    async def checks(self, request: Request, item_id: int):
        return console_response(title=f"Checks — device {item_id}", output="",
                                stream_url=f"/devices/{item_id}/checks-stream")

    @CRUDView.endpoint("/{name}/{item_id}/checks-stream", methods=["GET"])
    async def checks_stream(self, request: Request, item_id: int):
        async def generate():
            yield console_sse_message(f"Checking device {item_id}...\n", css_class="ansi-green")
            for step in ("Connectivity", "Config", "Tests"):
                await asyncio.sleep(STEP_SECONDS)
                yield console_sse_message(f"  {step}... OK\n")
            yield console_sse_message("All checks passed.\n", css_class="ansi-green")

        return StreamingResponse(generate(), media_type="text/event-stream")


def create_app(db_path: str) -> FastAPI:
    engine = init_db(f"sqlite:///{db_path}", connect_args={"check_same_thread": False})
    Base.metadata.create_all(bind=engine)
    app = FastAPI()
    admin = Admin(app, title="Jobs test")
    view = admin.add_view(JobView)

    @app.get("/")
    def root():
        return RedirectResponse("/devices")

    @app.post("/test/seed")
    def seed(db: Session = Depends(get_db)):
        """Start every test from the same rows: three online devices, no progress."""
        db.query(Job).delete()
        db.add_all([Job(id=i, hostname=f"edge-{i}", status="online") for i in (1, 2, 3)])
        db.commit()
        for i in (1, 2, 3):
            view.progress_store.clear(view.name, i)
        deploys.clear()
        return PlainTextResponse("seeded")

    @app.get("/test/deploys")
    def deploy_counts():
        return deploys

    return app


if __name__ == "__main__":
    run_app(create_app)
