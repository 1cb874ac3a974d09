"""Column formatters of the demo: each returns trusted HTML, so each escapes the values it
puts in (markupsafe's `Markup.format` does), unlike an f-string."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from fasthx_ui import status_badge


def status(value: Any, obj: Any) -> Markup:
    """An enum value as a coloured badge, in the toolkit's status colours."""
    return status_badge(value)


def code(value: Any, obj: Any) -> Markup:
    return Markup("<code>{}</code>").format(value or "")


def site_link(value: Any, obj: Any) -> Markup:
    """A device's site as a link to the site's page."""
    if obj.site is None:
        return Markup("")
    return Markup('<a href="/sites/{}">{}</a>').format(obj.site.id, obj.site.name)


def customer_link(value: Any, obj: Any) -> Markup:
    """An order's customer by name, linked to the customer's page."""
    if obj.customer is None:
        return Markup("")
    return Markup('<a href="/customers/{}">{}</a>').format(obj.customer.id, obj.customer.name)


def money(value: Any, obj: Any) -> Markup:
    return Markup('<span class="font-monospace">{}</span>').format(f"{value:,.2f}" if value is not None else "")
