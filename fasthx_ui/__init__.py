"""fasthx_ui: htmx UI components for FastAPI. The public API, nothing else."""

from fasthx_ui.actions import Action, as_actions
from fasthx_ui.ajax_select import AjaxSelectSource
from fasthx_ui.ansi import ANSI_COLOURS, ansi_to_html, strip_ansi
from fasthx_ui.console import (
    console_html,
    console_response,
    console_sse_end,
    console_sse_message,
    console_stream,
    console_stream_response,
)
from fasthx_ui.console_channel import (
    ConsoleChannel,
    ConsoleUnavailable,
    InProcessConsoleChannel,
    RedisConsoleChannel,
    console_channel,
)
from fasthx_ui.csrf import CSRFMiddleware, csrf_input, csrf_token
from fasthx_ui.dashboard import (
    DashboardCard,
    DashboardPage,
    QuickAction,
    RecordColumn,
    RecordTable,
    StatCounter,
    Stats,
    StatusCount,
    dashboard_actions,
    dashboard_cards,
    dashboard_page,
    dashboard_stats,
    dashboard_table,
)
from fasthx_ui.detail import detail_items
from fasthx_ui.export import (csv_chunks, export_batches, export_links, export_query, export_response, export_rows,
                              xlsx_chunks)
from fasthx_ui.form_fields import FieldSpec, with_overrides
from fasthx_ui.form_model import fields_from_model
from fasthx_ui.forms import ParsedForm, form_response, parse_form
from fasthx_ui.htmx import is_htmx, is_partial, retarget, trigger
from fasthx_ui.job_store import Job, JobStoreUnavailable
from fasthx_ui.job_view import job_cancel_response, job_panel, job_poll_response, job_state
from fasthx_ui.jobs import JobCancelled, JobContext, JobFailed, JobResult, Jobs, install_jobs, jobs_for
from fasthx_ui.modal import modal_response
from fasthx_ui.progress import (
    PROGRESS_LABELS,
    RUNNING_LABEL,
    STARTING_LABEL,
    InProcessProgressStore,
    ProgressState,
    ProgressStore,
    ProgressUnavailable,
    RedisProgressStore,
    oob_replace,
    parse_progress,
    progress_bar,
    progress_poll_response,
    progress_response,
    progress_store,
)
from fasthx_ui.status import STATUS_COLORS, status_badge, status_color
from fasthx_ui.table import Choice, Column, Polling, TableSpec
from fasthx_ui.table_list import ListSource
from fasthx_ui.table_page import DataSource, Page, records_text
from fasthx_ui.table_polling import polling_cell, polling_cell_id
from fasthx_ui.table_render import REFRESH_TABLE_EVENT, render_table, table_response
from fasthx_ui.table_sql import SQLSource
from fasthx_ui.table_state import TableState
from fasthx_ui.toast import flash, toast_payload, toast_response
from fasthx_ui.ui import UI, current_ui, safe_url, ui_for
from fasthx_ui.wizard import Wizard, WizardState, WizardStep, wizard_response

__all__ = [
    "ANSI_COLOURS",
    "Action",
    "AjaxSelectSource",
    "CSRFMiddleware",
    "Choice",
    "Column",
    "ConsoleChannel",
    "ConsoleUnavailable",
    "DashboardCard",
    "DashboardPage",
    "DataSource",
    "FieldSpec",
    "InProcessConsoleChannel",
    "InProcessProgressStore",
    "ListSource",
    "Page",
    "PROGRESS_LABELS",
    "ParsedForm",
    "Polling",
    "ProgressState",
    "ProgressStore",
    "ProgressUnavailable",
    "QuickAction",
    "RecordColumn",
    "RecordTable",
    "RedisConsoleChannel",
    "RUNNING_LABEL",
    "RedisProgressStore",
    "SQLSource",
    "STARTING_LABEL",
    "STATUS_COLORS",
    "StatCounter",
    "Stats",
    "StatusCount",
    "TableSpec",
    "TableState",
    "UI",
    "Wizard",
    "WizardState",
    "WizardStep",
    "ansi_to_html",
    "as_actions",
    "console_channel",
    "console_html",
    "console_response",
    "console_sse_end",
    "console_sse_message",
    "console_stream",
    "console_stream_response",
    "csrf_input",
    "csrf_token",
    "current_ui",
    "dashboard_actions",
    "dashboard_cards",
    "dashboard_page",
    "dashboard_stats",
    "dashboard_table",
    "detail_items",
    "csv_chunks",
    "export_links",
    "export_query",
    "export_response",
    "export_batches",
    "export_rows",
    "fields_from_model",
    "flash",
    "form_response",
    "is_htmx",
    "is_partial",
    "modal_response",
    "oob_replace",
    "parse_form",
    "parse_progress",
    "polling_cell",
    "polling_cell_id",
    "progress_bar",
    "progress_poll_response",
    "progress_response",
    "progress_store",
    "records_text",
    "render_table",
    "retarget",
    "safe_url",
    "status_badge",
    "status_color",
    "strip_ansi",
    "table_response",
    "toast_payload",
    "toast_response",
    "trigger",
    "ui_for",
    "with_overrides",
    "wizard_response",
    "xlsx_chunks",
    # background jobs
    "Job",
    "JobCancelled",
    "JobContext",
    "JobFailed",
    "JobResult",
    "JobStoreUnavailable",
    "Jobs",
    "REFRESH_TABLE_EVENT",
    "install_jobs",
    "job_cancel_response",
    "job_panel",
    "job_poll_response",
    "job_state",
    "jobs_for",
]
