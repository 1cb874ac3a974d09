"""fasthx_ui.crud: the CRUD preset (`Admin` + `CRUDView`), the reference's public names."""

from fasthx_ui.ansi import ansi_to_html
from fasthx_ui.console import console_response, console_sse_message
from fasthx_ui.crud.actions import ActionFailed, BatchAction, RowAction, RowActionsDisplayType, action, link_row_action, row_action
from fasthx_ui.crud.admin import Admin
from fasthx_ui.crud.ai import AIProvider, AIProviderError, OpenAICompatibleProvider, ToolRegistry, ai_complete, tool_registry
from fasthx_ui.crud.auth import AUTH_DISABLED, AuthError, get_current_user
from fasthx_ui.crud.db import Base, get_db, get_engine, init_db
from fasthx_ui.crud.items import ItemNotFound
from fasthx_ui.crud.lifecycle import ValidationError
from fasthx_ui.crud.local_sign_in import LocalSignIn
from fasthx_ui.crud.oidc import oidc_login
from fasthx_ui.crud.oidc_flow import OIDCSignIn
from fasthx_ui.crud.selection import InvalidIds
from fasthx_ui.crud.sessions import safe_next, sign_in, sign_out
from fasthx_ui.crud.view import CRUDView
from fasthx_ui.modal import modal_response
from fasthx_ui.toast import toast_response

__all__ = [
    "AIProvider",
    "AIProviderError",
    "AUTH_DISABLED",
    "ActionFailed",
    "Admin",
    "AuthError",
    "Base",
    "BatchAction",
    "CRUDView",
    "InvalidIds",
    "ItemNotFound",
    "LocalSignIn",
    "OIDCSignIn",
    "OpenAICompatibleProvider",
    "RowAction",
    "RowActionsDisplayType",
    "ToolRegistry",
    "ValidationError",
    "action",
    "ai_complete",
    "ansi_to_html",
    "console_response",
    "console_sse_message",
    "get_current_user",
    "get_db",
    "get_engine",
    "init_db",
    "link_row_action",
    "modal_response",
    "oidc_login",
    "row_action",
    "safe_next",
    "sign_in",
    "sign_out",
    "toast_response",
    "tool_registry",
]
