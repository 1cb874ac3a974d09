"""The demo's data: customers with orders, and sites with network devices."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Column, DateTime, Enum, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import relationship

from fasthx_ui.crud import Base


REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")  # where a site (and so its devices) can be
FIRMWARE = ("6.4", "7.2", "7.4")  # the firmware versions a device can run


class CustomerStatus(str, enum.Enum):
    ACTIVE = "active"
    TRIAL = "trial"
    SUSPENDED = "suspended"


class DeviceStatus(str, enum.Enum):
    ONLINE = "online"
    OFFLINE = "offline"
    DEPLOYING = "deploying"
    ERROR = "error"


class OrderStatus(str, enum.Enum):
    PENDING = "pending"
    PAID = "paid"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


class Customer(Base):
    __tablename__ = "customers"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False, index=True)
    email = Column(String(200), index=True)
    status = Column(Enum(CustomerStatus), nullable=False, default=CustomerStatus.ACTIVE)
    notes = Column(Text)
    created_at = Column(DateTime, nullable=False, default=datetime.now)

    orders = relationship("Order", back_populates="customer")

    __admin_category__ = "CRM"
    __admin_icon__ = "people"
    __admin_name__ = "Customers"

    def __repr__(self) -> str:
        return self.name


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    total = Column(Numeric(10, 2), nullable=False)
    status = Column(Enum(OrderStatus), nullable=False, default=OrderStatus.PENDING)
    created_at = Column(DateTime, nullable=False, default=datetime.now)

    customer = relationship("Customer", back_populates="orders")

    __admin_category__ = "CRM"
    __admin_icon__ = "cart"
    __admin_name__ = "Orders"

    def __repr__(self) -> str:
        return f"Order {self.id}"


class Site(Base):
    __tablename__ = "sites"
    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False)
    region = Column(String(40), nullable=False)
    address = Column(String(200))

    devices = relationship("Device", back_populates="site")

    __admin_category__ = "Network"
    __admin_icon__ = "building"
    __admin_name__ = "Sites"

    def __repr__(self) -> str:
        return self.name


class Device(Base):
    __tablename__ = "devices"
    id = Column(Integer, primary_key=True)
    hostname = Column(String(100), nullable=False, index=True)
    ip_address = Column(String(45))
    serial_number = Column(String(40))
    status = Column(Enum(DeviceStatus), nullable=False, default=DeviceStatus.OFFLINE)
    firmware_version = Column(String(20))
    is_ha = Column(Boolean, nullable=False, default=False)
    ha_mode = Column(String(20))
    region = Column(String(40))
    site_id = Column(Integer, ForeignKey("sites.id"))
    notes = Column(Text)
    last_seen = Column(DateTime)

    site = relationship("Site", back_populates="devices")

    __admin_category__ = "Network"
    __admin_icon__ = "router"
    __admin_name__ = "Devices"

    def __repr__(self) -> str:
        return self.hostname


class AuditEntry(Base):
    """One event of the admin's audit log (written by `views.record_audit`)."""

    __tablename__ = "audit_log"
    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime, nullable=False, default=datetime.now)
    username = Column(String(100))
    action = Column(String(40), nullable=False)
    model_name = Column(String(60), nullable=False)
    item_id = Column(String(40))
    changes = Column(Text)

    __admin_category__ = "Overview"
    __admin_icon__ = "journal-text"
    __admin_name__ = "Audit log"
