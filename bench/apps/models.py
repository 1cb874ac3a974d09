"""The benchmark's two tables as SQLAlchemy models on a framework's own declarative base
(`define(Base)`), so every app maps the same schema (bench/make_data.py writes it)."""

from __future__ import annotations

import enum

from sqlalchemy import Column, DateTime, Enum, Float, ForeignKey, Integer, String
from sqlalchemy.orm import relationship


class CustomerStatus(enum.Enum):
    active = "active"
    inactive = "inactive"
    lead = "lead"


class OrderStatus(enum.Enum):
    pending = "pending"
    paid = "paid"
    shipped = "shipped"
    cancelled = "cancelled"


def define(Base):
    """Customer and Order mapped on `Base` (a declarative base class)."""

    class Customer(Base):
        __tablename__ = "customers"
        __admin_name__ = "Customers"
        id = Column(Integer, primary_key=True)
        name = Column(String(100), nullable=False)
        email = Column(String(200), nullable=False)
        status = Column(Enum(CustomerStatus, native_enum=False, length=8, create_constraint=False), nullable=False)
        created_at = Column(DateTime, nullable=False)

        def __repr__(self):
            return self.name

        __str__ = __repr__

        async def __admin_repr__(self, request):  # starlette-admin's documented display hook
            return self.name

    class Order(Base):
        __tablename__ = "orders"
        __admin_name__ = "Orders"
        id = Column(Integer, primary_key=True)
        customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
        total = Column(Float, nullable=False)
        status = Column(Enum(OrderStatus, native_enum=False, length=9, create_constraint=False), nullable=False)
        created_at = Column(DateTime, nullable=False)
        customer = relationship(Customer)

        def __repr__(self):
            return f"Order {self.id}"

    return Customer, Order
