"""The models the reference's examples use, with the columns those examples read.

The table names are the reference's (`edges`, `devices`, `offerings` …) because its
examples write URLs such as "/edges/{id}/deploy" and "/offerings/bulk-delete"; no other
module of this test process maps these names on the shared `Base`. Relationships name
their class by a lambda instead of the reference's string ("Site"): the test process's
shared registry also holds the CRUD test app's Site, Device and Customer.
"""

import enum
from datetime import datetime

from sqlalchemy import Boolean, Column, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import relationship

from fasthx_ui.crud import Base


class DeviceStatus(str, enum.Enum):
    ONLINE = "online"
    OFFLINE = "offline"
    ERROR = "error"


class BuildStatus(str, enum.Enum):
    PENDING = "pending"
    BUILDING = "building"
    BUILT = "built"


class OrderStatus(str, enum.Enum):
    NEW = "new"
    SHIPPED = "shipped"


class Site(Base):
    __tablename__ = "sites"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)

    devices = relationship(lambda: Device, back_populates="site")

    __admin_category__ = "Network"
    __admin_icon__ = "building"

    def __repr__(self):
        return f"<Site {self.name}>"


class Device(Base):
    __tablename__ = "devices"

    id = Column(Integer, primary_key=True, index=True)
    hostname = Column(String(100), nullable=False)
    ip_address = Column(String(45))
    status = Column(SAEnum(DeviceStatus), default=DeviceStatus.OFFLINE)
    site_id = Column(Integer, ForeignKey("sites.id"))
    device_id = Column(Integer, ForeignKey("devices.id"))  # the uplink: the dependent dropdown's target
    serial_number = Column(String(50))
    password = Column(String(100))
    api_key = Column(String(100))
    deploy_progress = Column(Integer)
    created_at = Column(DateTime, default=datetime.utcnow)
    updated_at = Column(DateTime)

    site = relationship(lambda: Site, back_populates="devices")

    # --- Admin UI metadata ---
    __admin_category__ = "Network"     # Sidebar group heading
    __admin_icon__ = "router"          # Bootstrap Icons name (https://icons.getbootstrap.com)
    __admin_name__ = "Devices"         # Display label in sidebar

    def __repr__(self):
        return f"<Device {self.hostname}>"


class Customer(Base):
    __tablename__ = "customers"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    email = Column(String(200))
    sid = Column(String(20))
    status = Column(String(20), default="active")
    currentstatus = Column(String(20))
    region = Column(String(50))
    prisma_tsg_id = Column(String(50))
    contract_end = Column(Date)

    __admin_category__ = "CRM"
    __admin_icon__ = "people"
    __admin_name__ = "Customers"

    def __repr__(self):
        return f"<Customer {self.name}>"


class Region(Base):
    __tablename__ = "regions"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    customer_id = Column(Integer, ForeignKey("customers.id"))

    def __repr__(self):
        return f"<Region {self.name}>"


class Orchestrator(Base):
    __tablename__ = "orchestrators"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    customer_id = Column(Integer, ForeignKey("customers.id"))
    build_status = Column(SAEnum(BuildStatus), default=BuildStatus.PENDING)

    def __repr__(self):
        return f"<Orchestrator {self.name}>"


class FortiEdge(Base):
    __tablename__ = "edges"
    id = Column(Integer, primary_key=True)
    hostname = Column(String(100), nullable=False)
    serial_number = Column(String(50), nullable=False)
    firmware_version = Column(String(10))
    notes = Column(String(500))
    wan_ip = Column(String(45))
    status = Column(String(20), default="offline")
    customer_id = Column(Integer, ForeignKey("customers.id"))
    orchestrator_id = Column(Integer, ForeignKey("orchestrators.id"))
    region_id = Column(Integer, ForeignKey("regions.id"))

    __admin_category__ = "Network"
    __admin_icon__ = "shield"
    __admin_name__ = "FortiEdges"

    def __repr__(self):
        return f"<FortiEdge {self.hostname}>"


Edge = FortiEdge  # the reference calls the same model both names


class Server(Base):
    __tablename__ = "servers"
    id = Column(Integer, primary_key=True)
    hostname = Column(String(100), nullable=False)
    ipaddress = Column(String(45))
    status = Column(String(20))
    datacenter = Column(String(50))
    os_type = Column(String(50))

    def getnextip(self, serverid):
        return f"10.{serverid}.0.10"

    def __repr__(self):
        return f"<Server {self.hostname}>"


class Product(Base):
    __tablename__ = "products"
    id = Column(Integer, primary_key=True)
    name = Column(String(50), nullable=False)

    def __repr__(self):
        return f"<Product {self.name}>"


class VnfLicenses(Base):
    __tablename__ = "vnf_licenses"
    id = Column(Integer, primary_key=True)
    license = Column(String(100), nullable=False)

    def __repr__(self):
        return f"<VnfLicenses {self.license}>"


class Offering(Base):
    __tablename__ = "offerings"
    id = Column(Integer, primary_key=True)
    hostname = Column(String(100))
    ipaddress = Column(String(45))
    status = Column(String(20), default="inactive")
    serverid = Column(Integer, ForeignKey("servers.id"))
    productid = Column(Integer, ForeignKey("products.id"))
    vnflicensesid = Column(Integer, ForeignKey("vnf_licenses.id"))

    server = relationship(lambda: Server)

    def __repr__(self):
        return f"<Offering {self.hostname}>"


class LaunchPad(Base):
    __tablename__ = "launchpads"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    is_ha = Column(Boolean, default=False, nullable=False)
    ha_mode = Column(String(20))
    ha_switch_mode = Column(String(20))


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False)
    total = Column(Float, default=0.0)
    status = Column(SAEnum(OrderStatus), default=OrderStatus.NEW)

    customer = relationship(lambda: Customer)


class AuditLog(Base):
    __tablename__ = "audit_log"
    id = Column(Integer, primary_key=True)
    entity = Column(String(50))
    entity_id = Column(Integer)
    action = Column(String(20))
    user = Column(String(50))


class Ticket(Base):
    __tablename__ = "tickets"
    id = Column(Integer, primary_key=True)
    title = Column(String(200), nullable=False)
    created_by = Column(String(50))


class InternalTool(Base):
    __tablename__ = "internal_tools"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)


class NetworkDevice(Base):
    __tablename__ = "network_devices"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)


class MyModel(Base):
    __tablename__ = "my_models"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    body = Column(Text)


class Article(Base):
    """The starlette-admin actions page's articles (its examples name no columns but these)."""

    __tablename__ = "article"
    id = Column(Integer, primary_key=True)
    title = Column(String(200), nullable=False)
    status = Column(String(20), default="draft")
