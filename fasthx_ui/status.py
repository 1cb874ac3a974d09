"""Status colours: the one table of known states and their Bootstrap colours, and the
badge drawn for a state (Table cells of `status=True` columns, polling cells, the
StatusBadge component, the CRUD preset's status cell)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from fasthx_ui.table_values import cell_text


STATUS_COLORS: dict[str, str] = {
    **dict.fromkeys(
        ("online", "active", "up", "running", "healthy", "success", "succeeded", "complete", "completed", "done", "ok", "approved", "enabled"),
        "success",
    ),
    **dict.fromkeys(
        ("deploying", "pending", "building", "starting", "stopping", "updating", "provisioning", "waiting", "in_progress", "warning", "degraded"),
        "warning",
    ),
    **dict.fromkeys(("error", "failed", "failure", "down", "critical", "rejected", "unhealthy"), "danger"),
    **dict.fromkeys(("queued", "scheduled", "new", "info", "draft"), "info"),
}


def status_color(value: Any) -> str:
    """The Bootstrap colour of a known state (`online` -> success); unknown -> secondary."""
    return STATUS_COLORS.get(cell_text(value).strip().lower().replace(" ", "_").replace("-", "_"), "secondary")


def status_badge(value: Any) -> Markup:
    """A coloured badge for a state, as the StatusBadge component draws it."""
    text = cell_text(value)
    return Markup('<span class="badge text-bg-{}" data-status="{}">{}</span>').format(status_color(value), text.lower(), text)
