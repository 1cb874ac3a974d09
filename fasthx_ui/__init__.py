"""fasthx_ui: htmx UI components for FastAPI. The public API, nothing else."""

from fasthx_ui.csrf import CSRFMiddleware, csrf_input, csrf_token
from fasthx_ui.htmx import is_htmx, is_partial, retarget, trigger
from fasthx_ui.modal import modal_response
from fasthx_ui.toast import flash, toast_response
from fasthx_ui.ui import UI, current_ui, safe_url

__all__ = [
    "CSRFMiddleware",
    "UI",
    "csrf_input",
    "csrf_token",
    "current_ui",
    "flash",
    "is_htmx",
    "is_partial",
    "modal_response",
    "retarget",
    "safe_url",
    "toast_response",
    "trigger",
]
