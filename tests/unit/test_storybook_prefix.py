"""The storybook added to another app under a prefix (as the demo serves it at /storybook):
every page, story preview and fragment a preview loads writes its URLs under the prefix,
and those URLs answer; redirects and streams stay under it too."""

import asyncio
import html
import json
import re

import httpx
import pytest
from fastapi import FastAPI

from fasthx_ui import UI, InProcessConsoleChannel
from storybook.app import add_storybook, discover
from storybook.stories import console

PREFIX = "/sb"
URL_ATTRIBUTE = re.compile(
    r'\s(?:href|src|action|hx-get|hx-post|hx-sse:connect|data-url|data-render-url|data-preview-url'
    r'|data-select-all-url|data-stream-url)="(/[^"]*)"'
)
FOLLOWED = re.compile(r'\s(?:href|src|hx-get)="(/[^"]*)"')


def host_app() -> FastAPI:
    app = FastAPI()
    ui = UI()
    ui.install(app)
    add_storybook(app, ui, PREFIX)
    return app


@pytest.fixture(scope="module")
def client_calls():
    """Run `calls(client)` against one host app in one event loop; console output stays in this process."""
    app = host_app()

    def run(calls):
        async def main():
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://host") as client:
                return await calls(client)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(console, "channel", InProcessConsoleChannel())
            return asyncio.run(main())

    return run


@pytest.fixture(scope="module")
def crawled(client_calls) -> dict[str, httpx.Response]:
    """The index, every story page and preview, and every page or fragment they link to or load."""
    async def crawl(client):
        found = {f"{PREFIX}/"}
        for slug, book in discover().items():
            for name in book.stories:
                found |= {f"{PREFIX}/components/{slug}/{name}", f"{PREFIX}/preview/{slug}/{name}"}
        answers = {url: await client.get(url) for url in sorted(found)}
        followed = {html.unescape(u) for r in answers.values() for u in FOLLOWED.findall(r.text)} - set(answers)
        answers |= {url: await client.get(url) for url in sorted(followed)}
        return answers

    return client_calls(crawl)


def local_urls(responses) -> set[str]:
    return {html.unescape(url) for r in responses for url in URL_ATTRIBUTE.findall(r.text)}


def test_every_page_and_loaded_fragment_answers(crawled):
    assert len(crawled) > 150
    assert [(url, r.status_code) for url, r in crawled.items() if r.status_code >= 400] == []


def test_every_url_they_write_is_under_the_prefix(crawled):
    urls = local_urls(crawled.values())
    assert {f"{PREFIX}/api/table/people", f"{PREFIX}/storybook-static/preview.js"} <= {u.split("?")[0] for u in urls}
    outside = sorted(u for u in urls if not u.startswith((f"{PREFIX}/", "/_fasthx/")))
    assert outside == []


def test_redirects_streams_and_polls_stay_under_the_prefix(client_calls):
    async def calls(client):
        toast = await client.post(f"{PREFIX}/api/toast/redirect")
        note = await client.post(f"{PREFIX}/api/layout/notes", data={"note": "hi"})
        check = await client.get(f"{PREFIX}/api/console/check", headers={"HX-Request": "true"})
        progress = await client.post(f"{PREFIX}/api/progress_bar/start?steps=1&delay=0")
        return toast, note, check, progress

    toast, note, check, progress = client_calls(calls)
    assert toast.headers["hx-redirect"] == f"{PREFIX}/preview/toast/flash_landing"
    assert note.status_code == 303 and note.headers["location"] == f"{PREFIX}/preview/layout/plain_form"
    assert f'data-stream-url="{PREFIX}/api/console/check-stream"' in check.text
    assert f'hx-get="{PREFIX}/api/progress_bar/poll/' in progress.text


def test_the_prefix_without_a_slash_leads_to_the_index(client_calls):
    async def calls(client):
        return await client.get(PREFIX), await client.get(f"{PREFIX}/components/toast")

    bare, component = client_calls(calls)
    assert bare.status_code in (307, 308) and bare.headers["location"].endswith(f"{PREFIX}/")
    assert component.headers["location"] == f"{PREFIX}/components/toast/rendered"


def test_one_storybook_per_app():
    app = host_app()
    with pytest.raises(RuntimeError, match="already serves a storybook"):
        add_storybook(app, app.state.fasthx_ui, "/other")


def test_story_args_name_their_urls_with_placeholders(client_calls):
    async def calls(client):
        return await client.get(f"{PREFIX}/render/row_actions/icons"), await client.get(f"{PREFIX}/components/row_actions/icons")

    rendered, page = client_calls(calls)
    assert f'hx-post="{PREFIX}/api/row_actions/7/deploy"' in rendered.text
    controls = re.search(r'<textarea[^>]*name="actions">([^<]*)</textarea>', page.text).group(1)
    assert json.loads(html.unescape(controls))[0]["hx_post"] == "{api}/{id}/deploy"
