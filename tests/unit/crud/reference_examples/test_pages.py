"""The reference's Custom Pages and Templates examples: dashboards, an extra templates directory
and an app's own Jinja2 templates."""

from fastapi.testclient import TestClient

from ..reference.app import create_own_templates_app
from ..reference.models import Customer, Order, OrderStatus


def test_dashboard_full_example(client, db):
    db.add_all([Customer(name="Acme", email="a@acme.test", status="active"),
                Customer(name="Beta", email="b@beta.test", status="inactive")])
    db.commit()
    page = client.get("/dashboard")
    assert page.status_code == 200 and page.context["active_page"] == "dashboard"
    text = page.text
    assert "Recent Customers" in text and 'href="/customers?q=active"' in text
    beta = db.query(Customer).filter_by(name="Beta").one()
    assert f'href="/customers/{beta.id}"' in text and "b@beta.test" in text
    assert "Total Customers" in text and 'href="/customers/create"' in text and "Add Customer" in text
    assert text.index("Beta") < text.index("Acme")


def test_dashboard_sections_from_dicts(client, db):
    acme = Customer(name="Acme & Co", sid="1")
    db.add(acme)
    db.flush()
    db.add(Order(customer_id=acme.id, total=12.5, status=OrderStatus.SHIPPED))
    db.commit()
    text = client.get("/dashboard/network").text
    assert "Recent Orders" in text and "Acme &amp; Co" in text and "$12.50" in text
    assert "Status Breakdown" in text and "Summary" in text and "Total Regions" in text
    assert "Deploy Wizard" in text and 'href="/wizard"' in text and "Errors" in text


def test_extra_templates_dirs_page(client, db):
    page = client.get("/reports")
    assert page.status_code == 200 and page.context["active_page"] == "reports"
    assert '<p id="customer-count">0 customers</p>' in page.text and "My Admin" in page.text


def test_own_jinja2_templates():
    own, own_admin = create_own_templates_app()
    with TestClient(own, follow_redirects=False) as client:
        assert client.get("/welcome").status_code == 303
        client.get("/test-login")
        page = client.get("/welcome")
        assert page.status_code == 200
        assert '<p id="welcome">Welcome, &lt;b&gt;you&lt;/b&gt;, to Admin</p>' in page.text
        assert own_admin.get_view("own_customers") is not None
