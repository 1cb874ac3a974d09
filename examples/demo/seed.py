"""Made-up demo data, the same on every run: 40 sites, 3,000 devices, 2,000 customers
and 5,000 orders (about 10,000 rows), written once into an empty database."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from examples.demo.models import FIRMWARE, Customer, CustomerStatus, Device, DeviceStatus, Order, OrderStatus, Site

CITIES = {"Oslo": "Europe", "Lagos": "Africa", "Lima": "Americas", "Kyoto": "Asia", "Quito": "Americas",
          "Perth": "Oceania", "Turin": "Europe", "Dakar": "Africa", "Porto": "Europe", "Hanoi": "Asia"}
FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Ken", "Margaret", "Linus", "Radia"]
LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Thompson", "Hamilton", "Perlman"]
COMPANY = ["Systems", "Networks", "Logistics", "Foods", "Labs", "Energy", "Media", "Health"]
SETTLED = [DeviceStatus.ONLINE, DeviceStatus.OFFLINE, DeviceStatus.ERROR]  # only a Deploy makes one "deploying"

SITES, DEVICES, CUSTOMERS, ORDERS = 40, 3_000, 2_000, 5_000


def seed(session: Session) -> bool:
    """Fill an empty database; False (and nothing written) when it already has data."""
    if session.scalar(select(func.count()).select_from(Site)):
        return False
    rng = random.Random(42)
    start = datetime(2024, 1, 1)
    cities = [rng.choice(list(CITIES)) for _ in range(SITES)]
    session.execute(insert(Site), [
        {"id": i, "name": f"{city} {rng.choice(['HQ', 'POP', 'Edge', 'DC', 'Lab'])} {i}", "region": CITIES[city],
         "address": f"{rng.randint(1, 300)} Harbour Road"}
        for i, city in enumerate(cities, start=1)
    ])
    site_regions = dict(session.execute(select(Site.id, Site.region)).all())
    session.execute(insert(Device), [
        {"id": i, "hostname": f"edge-{i:04d}", "ip_address": f"10.{i // 250}.{i % 250}.{rng.randint(1, 254)}",
         "serial_number": f"FGT{rng.randint(10**8, 10**9 - 1)}", "status": rng.choice(SETTLED),
         "firmware_version": rng.choice(FIRMWARE), "is_ha": i % 7 == 0,
         "ha_mode": "active-standby" if i % 7 == 0 else None, "site_id": (site := rng.randint(1, SITES)),
         "region": site_regions[site],
         "last_seen": start + timedelta(minutes=rng.randint(0, 500_000))}
        for i in range(1, DEVICES + 1)
    ])
    session.execute(insert(Customer), [
        {"id": i, "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(COMPANY)}",
         "email": f"contact{i}@example.org", "status": rng.choice(list(CustomerStatus)),
         "created_at": start + timedelta(minutes=rng.randint(0, 500_000))}
        for i in range(1, CUSTOMERS + 1)
    ])
    session.execute(insert(Order), [
        {"id": i, "customer_id": rng.randint(1, CUSTOMERS),
         "total": Decimal(rng.randint(500, 500_000)) / 100, "status": rng.choice(list(OrderStatus)),
         "created_at": start + timedelta(minutes=rng.randint(0, 500_000))}
        for i in range(1, ORDERS + 1)
    ])
    session.commit()
    return True
