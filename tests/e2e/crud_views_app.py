"""A small app of CRUD views for the browser tests, written like the reference's examples:
devices on sites with an enum status that polls, a checkbox, a form section and a hook
that refuses some names. `python tests/e2e/crud_views_app.py --port N --db PATH`
(AUTH_DISABLED=1: every request is the dev user)."""

import enum

from fastapi import Depends, FastAPI
from fastapi.responses import PlainTextResponse, RedirectResponse
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import Session, relationship

from fasthx_ui.crud import Admin, Base, CRUDView, ValidationError, get_db, init_db

from app_main import run_app


class DeviceStatus(str, enum.Enum):
    ONLINE = "online"
    DEPLOYING = "deploying"
    ERROR = "error"


class Site(Base):
    __tablename__ = "e2e_sites"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)

    def __repr__(self):
        return f"<Site {self.name}>"


class Device(Base):
    __tablename__ = "e2e_devices"
    id = Column(Integer, primary_key=True)
    hostname = Column(String(100), nullable=False)
    status = Column(SAEnum(DeviceStatus), default=DeviceStatus.DEPLOYING)
    is_ha = Column(Boolean, default=False, nullable=False)
    site_id = Column(Integer, ForeignKey("e2e_sites.id"))
    site = relationship("Site")

    __admin_category__ = "Network"
    __admin_icon__ = "router"
    __admin_name__ = "Devices"


class DeviceView(CRUDView):
    model = Device
    name = "devices"
    page_size = 10
    column_list = ["id", "hostname", "status", "site_id"]
    column_filters = ["status"]
    htmx_columns = {"status": {"url": "/devices/{id}/status", "trigger": "every 1s", "terminal_states": ["online", "error"]}}
    form_sections = {"Device": ["hostname", "site_id"], "State": ["status", "is_ha"]}

    def on_model_change(self, item, form_data, is_new, db, request=None):
        if item.hostname == "forbidden":
            raise ValidationError("That hostname is reserved")


def create_app(db_path: str) -> FastAPI:
    engine = init_db(f"sqlite:///{db_path}", connect_args={"check_same_thread": False})
    Base.metadata.create_all(bind=engine)
    app = FastAPI()
    admin = Admin(app, title="CRUD test")
    admin.add_view(DeviceView)

    @app.get("/")
    def root():
        return RedirectResponse("/devices")

    @app.post("/test/seed")
    def seed(db: Session = Depends(get_db)):
        """Start every test from the same rows: 25 devices on two sites."""
        db.query(Device).delete()
        db.query(Site).delete()
        oslo, bergen = Site(id=1, name="Oslo"), Site(id=2, name="Bergen")
        db.add_all([oslo, bergen])
        db.add_all([Device(id=i, hostname=f"edge-{i:02d}", status=DeviceStatus.ONLINE, site_id=1 + i % 2,
                           is_ha=i == 3) for i in range(1, 26)])
        db.commit()
        return PlainTextResponse("seeded")

    @app.post("/test/devices/{item_id}/status/{status}")
    def set_status(item_id: int, status: str, db: Session = Depends(get_db)):
        db.get(Device, item_id).status = DeviceStatus(status)
        db.commit()
        return PlainTextResponse("ok")

    return app


if __name__ == "__main__":
    run_app(create_app)
