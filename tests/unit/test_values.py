"""The shared value rules: one label, one integer range table, one number reading, one
text-match rule per dialect."""

from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from fasthx_ui.values import column_label, escape_like, int_range, parse_number, text_contains


@pytest.mark.parametrize(
    ("key", "label"),
    [("site_id", "Site"), ("site.name", "Site name"), ("ip_address", "Ip address"), ("id", "Id"), ("name", "Name")],
)
def test_column_label(key: str, label: str) -> None:
    assert column_label(key) == label


def test_int_range_picks_the_most_specific_type() -> None:
    assert int_range(sa.SmallInteger()) == (-(2**15), 2**15 - 1)
    assert int_range(sa.BigInteger()) == (-(2**63), 2**63 - 1)
    assert int_range(sa.Integer()) == (-(2**31), 2**31 - 1)
    assert int_range(sa.String()) is None


@pytest.mark.parametrize(("text", "number"), [("42", 42), (" -7 ", -7), ("2.50", Decimal("2.50")), ("1e3", Decimal("1e3"))])
def test_parse_number_reads_numbers(text: str, number: object) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["", "abc", "NaN", "inf", "1,5"])
def test_parse_number_refuses_what_is_not_a_finite_number(text: str) -> None:
    assert parse_number(text) is None


def test_text_contains_is_ilike_on_postgresql_and_like_elsewhere() -> None:
    column = sa.column("name", sa.String())
    pg = str(text_contains(column, "50%_x", "postgresql").compile(dialect=postgresql.dialect()))
    lite = str(text_contains(column, "50%_x", "sqlite").compile(dialect=sqlite.dialect()))
    assert "ILIKE" in pg.upper() and "lower(" not in pg
    assert " LIKE " in lite.upper() and "ILIKE" not in lite.upper()
    assert escape_like("50%_x") == "50\\%\\_x"


def test_text_contains_casts_non_text_columns() -> None:
    clause = text_contains(sa.column("n", sa.Integer()), "4", "sqlite")
    assert "CAST" in str(clause.compile(dialect=sqlite.dialect())).upper()
