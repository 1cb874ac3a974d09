"""A per-row fragment rendered once per page, then filled in with each row's id.

A component call per table row is the costliest part of a list page (RowActions per
row was the largest share of a 20-row request). The Table renders its RowActions once,
with `ROW_ID_SLOT` as the row id, and `fill_row_id` puts each row's id into that HTML.
The slot has one spelling where the component writes the id as text (HTML-escaped) and
another where it writes it into a URL (percent-encoded, then escaped), so each row gets
exactly the HTML a component call of its own would have produced.
"""

from __future__ import annotations

from typing import Any

from jinja2.utils import url_quote
from markupsafe import Markup, escape

ROW_ID_SLOT = "\x01row-id\x01"
_URL_SLOT = str(escape(url_quote(ROW_ID_SLOT).replace("/", "%2F")))
_TEXT_SLOT = str(escape(ROW_ID_SLOT))


def row_id_in_url(row_id: Any) -> str:
    """The row id as one URL path segment (how RowActions writes `{id}` into a URL)."""
    return url_quote(str(row_id)).replace("/", "%2F")


def fill_row_id(fragment: str, row_id: Any) -> Markup:
    """`fragment` (rendered with row id `ROW_ID_SLOT`) for the row `row_id`."""
    text = str(fragment)
    if _URL_SLOT in text:
        text = text.replace(_URL_SLOT, str(escape(row_id_in_url(row_id))))
    return Markup(text.replace(_TEXT_SLOT, str(escape(str(row_id)))))
