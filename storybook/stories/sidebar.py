"""Sidebar stories."""

from storybook.book import Stories

stories = Stories("Sidebar", "Navigation in categories that collapse and are remembered; the active category stays open.", category="Layout")

NAV = [
    {"name": "CRM", "items": [
        {"name": "customers", "label": "Customers", "url": "#customers", "icon": "people"},
        {"name": "orders", "label": "Orders", "url": "#orders", "icon": "cart"},
    ]},
    {"name": "Network", "items": [
        {"name": "devices", "label": "Devices", "url": "#devices", "icon": "router"},
        {"name": "sites", "label": "Sites", "url": "#sites", "icon": "geo-alt"},
    ]},
    {"name": "Tools", "items": [{"name": "reports", "label": "Reports", "url": "#reports", "icon": "graph-up"}]},
]


@stories.story(args={"nav": NAV, "active": "devices", "brand": "Acme admin"})
def default():
    """Three categories; the active one (Network) always opens."""
    return '<div style="height: 24rem; display: flex"><ui:Sidebar nav={{ nav }} active={{ active }} brand={{ brand }} /></div>'
