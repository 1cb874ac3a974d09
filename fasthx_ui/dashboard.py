"""The dashboard components' server side: the reference's `dashboard_cards`,
`dashboard_table`, `dashboard_stats` and `dashboard_actions` (dicts and lists, or objects
with the same attribute names) turned into plain data with their defaults, and the cells
of the recent-items table.

`dashboard_page(cards, table, stats, actions)` takes all four at once, each optional, for
`<ui:Dashboard>` and the CRUD preset's `dashboard.html`. Shapes that cannot be shown (a
card that is a string, a column without a key) raise a TypeError or ValueError that says
which entry is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from numbers import Number
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from fasthx_ui.status import status_badge
from fasthx_ui.table_values import cell_text, resolve
from fasthx_ui.values import column_label


@dataclass(frozen=True)
class DashboardCard:
    """One summary card: a label, a big value and an icon, linking to `link`."""

    label: str
    value: Any
    icon: str = ""
    link: str = ""
    color: str = ""
    icon_color: str = "text-primary"
    bg: str = "bg-primary-subtle"

    @property
    def text(self) -> str:
        """The value as shown (None as empty, enum members by value)."""
        return cell_text(self.value)


@dataclass(frozen=True)
class QuickAction:
    """One quick-action button: a link styled as a Bootstrap button (`css_class`)."""

    label: str
    url: str
    icon: str = ""
    css_class: str = "btn-outline-secondary"


@dataclass(frozen=True)
class RecordColumn:
    """One column of the recent-items table. `key` is read from each row as a dict key
    or attribute (`table_values.resolve`: a dotted path follows relationships); `link` is
    a URL template whose `{id}` is the row's id; `code` shows the value as code, `status`
    as a StatusBadge."""

    key: str
    label: str = ""
    link: str = ""
    code: bool = False
    status: bool = False

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError("a RecordColumn needs a key")
        if not self.label:
            object.__setattr__(self, "label", column_label(self.key))

    def href(self, row: Any) -> str:
        """This column's link for `row`, its id URL-quoted into `{id}`; "" when the
        template needs an id and the row has none."""
        row_id = cell_text(resolve(row, "id"))
        if "{id}" in self.link and not row_id:
            return ""
        return self.link.replace("{id}", quote(row_id, safe=""))

    def cell(self, row: Any) -> Markup:
        """The cell's HTML: the escaped value as text, code or a status badge, inside a
        link when the column has one. An empty value is an empty cell."""
        text = cell_text(resolve(row, self.key))
        if not text:
            return Markup("")
        if self.status:
            content = status_badge(text)
        elif self.code:
            content = Markup("<code>{}</code>").format(text)
        else:
            content = escape(text)
        url = self.href(row) if self.link else ""
        return Markup('<a href="{}">{}</a>').format(url, content) if url else content


@dataclass(frozen=True)
class RecordTable:
    """The recent-items table: its title, columns, rows (dicts or objects) and an
    optional "View All" link."""

    columns: tuple[RecordColumn, ...]
    rows: tuple[Any, ...] = ()
    title: str = "Recent Items"
    link: str = ""
    link_text: str = "View All"


@dataclass(frozen=True)
class StatusCount:
    """One entry of a status breakdown: a state and how many are in it."""

    status: str
    count: Any

    @property
    def badge(self) -> Markup:
        """The state as the toolkit's status badge (unknown states grey)."""
        return status_badge(self.status)


@dataclass(frozen=True)
class StatCounter:
    """One summary counter: a label and its value."""

    label: str
    value: Any

    @property
    def text(self) -> str:
        return cell_text(self.value)


@dataclass(frozen=True)
class Stats:
    """The side panel's figures: a status breakdown and summary counters."""

    title: str = "Status Breakdown"
    breakdown: tuple[StatusCount, ...] = ()
    counters_title: str = ""
    counters: tuple[StatCounter, ...] = ()


@dataclass(frozen=True)
class DashboardPage:
    """Every section of a dashboard; a section that was not given is empty or None."""

    cards: tuple[DashboardCard, ...] = ()
    table: RecordTable | None = None
    stats: Stats | None = None
    actions: tuple[QuickAction, ...] = ()

    @property
    def has_side(self) -> bool:
        """True when the side column (stats, actions) has something to show."""
        return self.stats is not None or bool(self.actions)


def dashboard_cards(cards: Iterable[Any]) -> tuple[DashboardCard, ...]:
    """The reference's `dashboard_cards` (dicts with label, value, icon, link and the
    optional color, icon_color, bg) as DashboardCards with their defaults."""
    out = []
    for index, card in enumerate(_entries(cards, "dashboard_cards")):
        if isinstance(card, DashboardCard):
            out.append(card)
            continue
        _require_record(card, f"dashboard_cards[{index}]")
        out.append(
            DashboardCard(
                label=_text(card, "label"),
                value=resolve(card, "value"),
                icon=_icon(card),
                link=_text(card, "link"),
                color=_text(card, "color"),
                icon_color=_text(card, "icon_color") or DashboardCard.icon_color,
                bg=_text(card, "bg") or DashboardCard.bg,
            )
        )
    return tuple(out)


def dashboard_actions(actions: Iterable[Any]) -> tuple[QuickAction, ...]:
    """The reference's `dashboard_actions` (dicts with label, url and the optional icon
    and class) as QuickActions with their defaults."""
    out = []
    for index, action in enumerate(_entries(actions, "dashboard_actions")):
        if isinstance(action, QuickAction):
            out.append(action)
            continue
        _require_record(action, f"dashboard_actions[{index}]")
        css_class = _text(action, "class") or _text(action, "css_class") or QuickAction.css_class
        out.append(QuickAction(_text(action, "label"), _text(action, "url"), _icon(action), css_class))
    return tuple(out)


def dashboard_table(table: Any) -> RecordTable:
    """The reference's `dashboard_table` (a dict with columns and rows and the optional
    title, link, link_text) as a RecordTable; rows stay as given, dicts or objects."""
    if isinstance(table, RecordTable):
        return table
    _require_record(table, "dashboard_table")
    columns = []
    for index, column in enumerate(_entries(resolve(table, "columns") or (), "dashboard_table columns")):
        if isinstance(column, RecordColumn):
            columns.append(column)
            continue
        _require_record(column, f"dashboard_table column {index}")
        key = _text(column, "key")
        if not key:
            raise ValueError(f"dashboard_table column {index} needs a 'key' (the attribute or dict key to show)")
        link, code, status = _text(column, "link"), bool(resolve(column, "code")), bool(resolve(column, "status"))
        columns.append(RecordColumn(key, _text(column, "label"), link, code, status))
    if not columns:
        raise ValueError("dashboard_table needs 'columns': a list of {'key': …, 'label': …}")
    return RecordTable(
        columns=tuple(columns),
        rows=tuple(_entries(resolve(table, "rows") or (), "dashboard_table rows")),
        title=_text(table, "title") or RecordTable.title,
        link=_text(table, "link"),
        link_text=_text(table, "link_text") or RecordTable.link_text,
    )


def dashboard_stats(stats: Any) -> Stats:
    """The reference's `dashboard_stats` (a dict with the optional title,
    status_breakdown {state: count}, counters_title and counters [{label, value}]) as Stats."""
    if isinstance(stats, Stats):
        return stats
    _require_record(stats, "dashboard_stats")
    breakdown = resolve(stats, "status_breakdown") or {}
    pairs = breakdown.items() if isinstance(breakdown, Mapping) else _entries(breakdown, "status_breakdown")
    counters = []
    for index, counter in enumerate(_entries(resolve(stats, "counters") or (), "dashboard_stats counters")):
        _require_record(counter, f"dashboard_stats counters[{index}]")
        counters.append(StatCounter(_text(counter, "label"), resolve(counter, "value")))
    return Stats(
        title=_text(stats, "title") or Stats.title,
        breakdown=tuple(StatusCount(cell_text(status), count) for status, count in pairs),
        counters_title=_text(stats, "counters_title"),
        counters=tuple(counters),
    )


def dashboard_page(cards: Any = None, table: Any = None, stats: Any = None, actions: Any = None) -> DashboardPage:
    """All four sections at once, each optional (None, empty or undefined leaves it out)."""
    return DashboardPage(
        cards=dashboard_cards(cards) if cards else (),
        table=dashboard_table(table) if table else None,
        stats=dashboard_stats(stats) if stats else None,
        actions=dashboard_actions(actions) if actions else (),
    )


TEMPLATE_GLOBALS = {"dashboard_page": dashboard_page}
"""What templates need from this module: the CRUD preset's `dashboard.html` builds its
page with `dashboard_page(...)`; `AdminTemplates` adds these to the Jinja globals."""


def _entries(value: Any, where: str) -> list[Any]:
    """A list, tuple or other iterable of entries (a query result, a generator) as a list."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise TypeError(f"{where} should be a list, got {type(value).__name__}")
    return list(value)


def _require_record(value: Any, where: str) -> None:
    """A dict or an object with attributes; not text, a number or None."""
    if value is None or isinstance(value, (str, bytes, Number)):
        raise TypeError(f"{where} should be a dict, got {value!r}")


def _text(record: Any, key: str) -> str:
    return cell_text(resolve(record, key))


def _icon(record: Any) -> str:
    """A Bootstrap Icons name, with or without its `bi-` prefix."""
    return _text(record, "icon").removeprefix("bi-")
