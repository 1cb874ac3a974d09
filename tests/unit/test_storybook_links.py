"""Every story preview renders, and every local link or hx-get URL in it answers (no 404)."""

import asyncio
import html
import json
import re

import httpx
import pytest

from fasthx_ui import InProcessConsoleChannel
from storybook.app import create_app, discover
from storybook.stories import console

URL_ATTRIBUTE = re.compile(r'\s(?:href|hx-get)="(/[^/"][^"]*|/)"')


@pytest.fixture(scope="module")
def previews() -> tuple[dict[str, httpx.Response], dict[str, httpx.Response]]:
    """The story previews, and the answers to the local URLs they link to. A console
    story's link starts a task: its output stays in this process, out of Redis."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(console, "channel", InProcessConsoleChannel())
        return asyncio.run(fetch_previews(create_app()))


async def fetch_previews(app) -> tuple[dict[str, httpx.Response], dict[str, httpx.Response]]:
    urls = [f"/preview/{slug}/{name}" for slug, book in discover().items() for name in book.stories]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://storybook") as client:
        pages = {url: await client.get(url) for url in urls}
        linked = sorted({html.unescape(u) for page in pages.values() for u in URL_ATTRIBUTE.findall(page.text)})
        return pages, {url: await client.get(url) for url in linked}


def test_every_story_preview_renders(previews):
    pages, _ = previews
    assert [(url, r.status_code) for url, r in pages.items() if r.status_code != 200] == []


def test_every_local_link_of_a_story_answers(previews):
    _, linked = previews
    assert len(linked) > 20 and "/api/row_actions/7/template" in linked
    assert [(url, r.status_code) for url, r in linked.items() if r.status_code == 404] == []


def test_row_action_routes_answer_every_action_of_the_stories():
    async def run():
        transport = httpx.ASGITransport(create_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://storybook") as client:
            opened = await client.get("/api/row_actions/<b>7")
            download = await client.get("/api/row_actions/7/config")
            posts = [await client.post(f"/api/row_actions/7/{action}") for action in ("deploy", "reset", "delete", "melt")]
            return opened, download, posts

    opened, download, posts = asyncio.run(run())
    assert opened.status_code == 200 and "Device &lt;b&gt;7: online" in opened.text
    assert download.headers["content-disposition"].startswith("attachment")
    assert [r.status_code for r in posts] == [200, 200, 200, 404]
    assert [json.loads(r.headers["x-toast"])["type"] for r in posts[:3]] == ["success"] * 3
