"""The form family's stories over HTTP: every story page renders, and their routes answer
bad input with a clear answer, never a 500."""

import asyncio
import html
import re

import httpx
import pytest

from storybook.app import create_app
from storybook.stories import (
    ajax_select,
    dependent_select,
    field,
    field_checkbox,
    field_input,
    field_select,
    field_textarea,
    form,
    form_sections,
    row_actions,
)

MODULES = {"field": field, "form": form, "form_sections": form_sections, "ajax_select": ajax_select,
           "dependent_select": dependent_select, "field_input": field_input, "field_select": field_select,
           "field_checkbox": field_checkbox, "field_textarea": field_textarea, "row_actions": row_actions}


@pytest.fixture(scope="module")
def app():
    return create_app()


def get_all(app, urls):
    async def main():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://storybook") as client:
            return [await client.get(url) for url in urls]

    return asyncio.run(main())


def test_every_story_renders(app):
    urls = [f"/{kind}/{slug}/{name}" for slug, module in MODULES.items() for name in module.stories.stories
            for kind in ("components", "preview", "render")]
    responses = get_all(app, urls)
    assert [(url, r.status_code) for url, r in zip(urls, responses) if r.status_code != 200] == []


def test_every_route_a_story_loads_answers(app):
    renders = [f"/render/{slug}/{name}" for slug, module in MODULES.items() for name in module.stories.stories]
    loaded = sorted({html.unescape(url) for r in get_all(app, renders) for url in re.findall(r'hx-get="(/api/[^"]+)"', r.text)})
    assert len(loaded) >= 15
    assert [(url, r.status_code) for url, r in zip(loaded, get_all(app, loaded)) if r.status_code != 200] == []


@pytest.mark.parametrize(("url", "expected"), [
    ("/api/dependent_select/sites-for-customer?customer_id=abc", '<option value="">Select…</option>'),
    ("/api/dependent_select/sites-for-customer?customer_id=99999999999999999999", '<option value="">Select…</option>'),
    ("/api/dependent_select/options-for-customer?customer_id=-1", '<option value="">Select…</option>'),
    ("/api/form/servers?q=%00%25&page=-4", '{"items":[],"more":false,"next":null}'),
    ("/api/ajax_select/servers?q=server-0000&page=abc", '"next":null'),
    ("/api/field/one?type=%3Cscript%3E&label=%3Cb%3E", "&lt;b&gt;"),
])
def test_bad_input_gets_an_answer(app, url, expected):
    [response] = get_all(app, [url])
    assert response.status_code == 200
    assert expected in response.text.replace("\n", "")
