"""The models of the CRUD preset's test app (`app.py`). They use table names of their own
so they never meet other tests' models on the shared `Base`."""

import enum

from sqlalchemy import Boolean, Column, Date, DateTime, Float, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import relationship

from fasthx_ui.crud import Base


class DeviceStatus(str, enum.Enum):
    ONLINE = "online"
    OFFLINE = "offline"
    ERROR = "error"


class Site(Base):
    __tablename__ = "crud_sites"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False, unique=True)
    region = Column(String(50))

    devices = relationship(lambda: Device, back_populates="site")

    __admin_category__ = "Network"
    __admin_icon__ = "building"

    def __repr__(self):
        return f"<Site {self.name}>"


class Device(Base):
    __tablename__ = "crud_devices"
    id = Column(Integer, primary_key=True, index=True)
    hostname = Column(String(100), nullable=False)
    ip_address = Column(String(45))
    status = Column(SAEnum(DeviceStatus), default=DeviceStatus.OFFLINE)
    site_id = Column(Integer, ForeignKey("crud_sites.id"))
    is_ha = Column(Boolean, default=False, nullable=False)
    ha_mode = Column(String(20))
    installed = Column(Date)
    last_seen = Column(DateTime)
    notes = Column(Text)
    weight = Column(Float)

    site = relationship(lambda: Site, back_populates="devices")

    __admin_category__ = "Network"
    __admin_icon__ = "router"
    __admin_name__ = "Devices"

    def __repr__(self):
        return f"<Device {self.hostname}>"


class Customer(Base):
    __tablename__ = "crud_customers"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    email = Column(String(200), unique=True)

    __admin_category__ = "CRM"
    __admin_icon__ = "people"
    __admin_name__ = "Customers"

    def __repr__(self):
        return f"<Customer {self.name}>"


class Port(Base):
    __tablename__ = "crud_ports"
    id = Column(Integer, primary_key=True)
    label = Column(String(50), nullable=False)
    kind = Column(String(20))
    device_id = Column(Integer, ForeignKey("crud_devices.id"), nullable=False)

    device = relationship(lambda: Device)


class Note(Base):
    __tablename__ = "crud_notes"
    id = Column(Integer, primary_key=True)
    tenant = Column(String(50), nullable=False)
    body = Column(String(200), nullable=False)


class Project(Base):
    __tablename__ = "crud_projects"
    id = Column(Integer, primary_key=True)
    tenant = Column(String(50), nullable=False)
    name = Column(String(100), nullable=False)

    def __repr__(self):
        return f"<Project {self.name}>"


class Ticket(Base):
    __tablename__ = "crud_tickets"
    id = Column(Integer, primary_key=True)
    tenant = Column(String(50), nullable=False)
    title = Column(String(100), nullable=False)
    link = Column(String(200))
    body = Column(Text)
    state = Column(String(30), default="open")
    kind = Column(String(20))
    priority = Column(Integer)
    budget = Column(Numeric(10, 2))
    due = Column(Date)
    urgent = Column(Boolean, default=False, nullable=False)
    project_id = Column(Integer, ForeignKey("crud_projects.id"))
    parent_id = Column(Integer, ForeignKey("crud_tickets.id"))

    project = relationship("Project")

    def __repr__(self):
        return f"<Ticket {self.title}>"


class Tag(Base):
    """A model whose primary key is text chosen by the user."""

    __tablename__ = "crud_tags"
    code = Column(String(20), primary_key=True)
    label = Column(String(100), nullable=False)

    def __repr__(self):
        return f"<Tag {self.label}>"
