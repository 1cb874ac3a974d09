"""ProgressBar component and its responses, over HTTP against real Redis."""

import re
import uuid

import httpx
import pytest
import redis
from fastapi import FastAPI, Request

from fasthx_ui import Column, Polling
from fasthx_ui.csrf import csrf_token
from fasthx_ui.progress import (
    PROGRESS_LABELS,
    STARTING_LABEL,
    ProgressState,
    RedisProgressStore,
    oob_replace,
    parse_progress,
    progress_bar,
    progress_poll_response,
    progress_response,
)
from fasthx_ui.ui import COMPONENTS_DIR, UI
from ..redis_keys import REDIS_URL, delete_prefixed
from .served import served

PREFIX = f"fasthx-test-{uuid.uuid4().hex}:"

ui = UI(secret_key="progress-tests")
app = FastAPI()
ui.install(app)
stores = {
    "redis": RedisProgressStore(REDIS_URL, prefix=PREFIX),
    "down": RedisProgressStore("redis://127.0.0.1:1/0", socket_timeout=0.5),
}


@app.get("/{kind}/jobs/{item_id}/progress")
def poll(request: Request, kind: str, item_id: str):
    return progress_poll_response(request, stores[kind], "jobs", item_id, str(request.url.path))


@app.post("/jobs/{item_id}/start")
def start(request: Request, item_id: str):
    stores["redis"].clear("jobs", item_id)
    cell = f'<td id="status-{item_id}" hx-get="/status/{item_id}" hx-trigger="every 5s">deploying</td>'
    return progress_response(
        request, f"/redis/jobs/{item_id}/progress", oob=[oob_replace(f"status-{item_id}", cell)], colspan=4
    )


STATUS = Column("status", status=True, polling=Polling("/edges/{id}/status", every=2, terminal_states=("online",)))


@app.post("/edges/{item_id}/deploy")
def deploy(request: Request, item_id: str):
    """A row action starting a task: the bar row, and the row's status cell out of band."""
    stores["redis"].clear("edges", item_id)
    cell = STATUS.polling_cell(item_id, {"status": "deploying"}, table_id="edges", oob=True)
    return progress_response(request, f"/redis/edges/{item_id}/progress", oob=[cell], colspan=3)


@app.get("/{kind}/edges/{item_id}/progress")
def poll_build(request: Request, kind: str, item_id: str):
    return progress_poll_response(request, stores[kind], "edges", item_id, str(request.url.path), running_label="Building...")


@app.get("/named/{item_id}/progress")
def poll_named(request: Request, item_id: str):
    """The store's name and the bar's accessible name side by side."""
    return progress_poll_response(request, stores["redis"], "edges", item_id, str(request.url.path),
                                  name="Deployment progress")


@app.get("/old-keyword/{item_id}/progress")
def poll_old_keyword(request: Request, item_id: str):
    """A call written when the store's name was the keyword `name`."""
    with pytest.warns(DeprecationWarning, match="key_name"):
        return progress_poll_response(request, stores["redis"], name="edges", item_id=item_id,
                                      poll_url=str(request.url.path))


@app.get("/token")
def token(request: Request):
    return csrf_token(request)


def csrf(client: httpx.Client) -> str:
    """The CSRF token of the client's session, as a page would carry it."""
    return client.get("/token").json()


@pytest.fixture(scope="module")
def client():
    with served(app) as base_url, httpx.Client(base_url=base_url) as client:
        yield client
    delete_prefixed(PREFIX)


def render(state: ProgressState, poll_url: str = "/poll", **options) -> str:
    ui.install(FastAPI())  # progress_bar renders through the UI installed last
    return str(progress_bar(state, poll_url, **options))


def test_running_bar_polls_every_2s_and_is_a_progressbar():
    html = render(parse_progress("42", "Deploying"))
    assert 'hx-get="/poll"' in html
    assert 'hx-trigger="every 2s"' in html
    assert 'hx-swap="outerHTML"' in html
    assert 'role="progressbar"' in html
    assert 'aria-valuenow="42"' in html
    assert 'aria-valuemin="0"' in html and 'aria-valuemax="100"' in html
    assert 'aria-label="Task progress"' in html
    assert "width: 42%" in html
    assert "progress-bar-animated" in html
    assert ">Deploying<" in html


@pytest.mark.parametrize("value", ["100", "Error"])
def test_terminal_bar_has_no_trigger(value):
    html = render(parse_progress(value))
    assert "hx-trigger" not in html and "hx-get" not in html
    assert 'aria-valuenow="100"' in html


def test_state_colours():
    assert "bg-success" in render(parse_progress("100"))
    assert "bg-danger" in render(parse_progress("Error"))
    assert "bg-secondary" in render(parse_progress(None))
    assert "bg-warning" in render(ProgressState.unavailable("Redis is down"))


def test_unavailable_bar_keeps_polling_without_a_value():
    html = render(ProgressState.unavailable("Cannot reach the progress store"))
    assert "Progress unavailable" in html
    assert "Cannot reach the progress store" in html
    assert "aria-valuenow" not in html
    assert 'hx-trigger="every 2s"' in html


def test_text_is_escaped():
    html = render(parse_progress("12", "<script>alert(1)</script>"), poll_url='/p?a="x"')
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'hx-get="/p?a=&#34;x&#34;"' in html


def test_script_url_is_never_polled():
    html = render(parse_progress("10"), poll_url="javascript:alert(1)")
    assert "hx-trigger" not in html and "javascript" not in html


def test_row_variant_and_interval():
    html = render(parse_progress("10"), colspan=5, interval="500ms", id="job-7")
    assert re.match(r'<tr class="fhx-progress-row"[^>]*id="job-7"', html)
    assert '<td colspan="5">' in html
    assert 'hx-trigger="every 500ms"' in html


def test_poll_reads_redis_and_stops_at_complete(client):
    item = uuid.uuid4().hex
    url = f"/redis/jobs/{item}/progress"
    assert 'data-status="waiting"' in client.get(url).text
    redis.Redis.from_url(REDIS_URL).set(f"{PREFIX}jobs:{item}:progress", "64")
    html = client.get(url).text
    assert 'aria-valuenow="64"' in html and 'hx-trigger="every 2s"' in html
    redis.Redis.from_url(REDIS_URL).set(f"{PREFIX}jobs:{item}:progress", "100")
    html = client.get(url).text
    assert 'data-status="complete"' in html and "hx-trigger" not in html


def test_poll_takes_the_store_name_and_the_bars_accessible_name(client):
    item = uuid.uuid4().hex
    redis.Redis.from_url(REDIS_URL).set(f"{PREFIX}edges:{item}:progress", "37")
    named = client.get(f"/named/{item}/progress")
    assert 'aria-label="Deployment progress"' in named.text and 'aria-valuenow="37"' in named.text
    old = client.get(f"/old-keyword/{item}/progress")
    assert old.status_code == 200 and 'aria-valuenow="37"' in old.text and 'aria-label="Task progress"' in old.text


def test_poll_with_redis_down_is_a_clear_state_not_a_500(client):
    response = client.get("/down/jobs/1/progress")
    assert response.status_code == 200
    assert "Progress unavailable" in response.text
    assert "Cannot reach the progress store" in response.text


def test_start_response_is_the_first_bar_plus_oob_cells(client):
    item = uuid.uuid4().hex[:8]
    response = client.post(f"/jobs/{item}/start", headers={"X-CSRF-Token": csrf(client)})
    assert response.status_code == 200
    html = response.text
    assert html.startswith("<tr")
    assert f'hx-get="/redis/jobs/{item}/progress"' in html
    assert ">Starting...<" in html and 'aria-valuenow="0"' in html
    assert f'<hx-partial hx-target="#status-{item}" hx-swap="outerHTML"><td id="status-{item}"' in html


def test_a_bar_with_an_id_replaces_an_earlier_one():
    ui.install(FastAPI())
    html = progress_response(None, "/poll", id="edges-progress-7", colspan=3).body.decode()
    assert html.startswith('<hx-partial hx-target="#edges-progress-7" hx-swap="delete"></hx-partial><tr')
    assert 'id="edges-progress-7"' in html
    assert "hx-partial" not in progress_response(None, "/poll", colspan=3).body.decode()
    with pytest.raises(ValueError, match="plain element id"):
        progress_response(None, "/poll", id='x"><script>')


def test_start_restarts_the_rows_polling_cell_out_of_band(client):
    item = uuid.uuid4().hex[:8]
    html = client.post(f"/edges/{item}/deploy", headers={"X-CSRF-Token": csrf(client)}).text
    bar, cell = html.split("</tr>")
    assert bar.startswith('<tr class="fhx-progress-row"') and ">Starting...<" in bar
    assert cell.startswith(f'<span id="edges-poll-status-{item}" class="fhx-poll" data-state="polling"')
    assert f'hx-get="/edges/{item}/status" hx-trigger="every 2s" hx-swap="outerHTML" hx-swap-oob="true">' in cell
    assert 'data-status="deploying"' in cell


def test_a_view_chooses_the_running_label_of_its_polls(client):
    item = uuid.uuid4().hex
    url = f"/redis/edges/{item}/progress"
    assert ">Waiting...<" in client.get(url).text
    stores["redis"].set("edges", item, 40)
    assert ">Building...<" in client.get(url).text and 'aria-valuetext="Building..., 40%"' in client.get(url).text
    stores["redis"].set("edges", item, 60, "step 3 of 5")
    assert ">step 3 of 5<" in client.get(url).text
    stores["redis"].set("edges", item, 100)
    assert ">Complete<" in client.get(url).text


def test_labels_come_from_python():
    for value, label in ((None, "Waiting..."), ("5", "Deploying..."), ("100", "Complete"), ("Error", "Failed")):
        assert f">{label}<" in render(parse_progress(value)) and label == PROGRESS_LABELS[parse_progress(value).status]
    assert ">Progress unavailable<" in render(ProgressState.unavailable("down"))
    unlabelled = str(ui.component("ui:ProgressBar", percent=30, status="running"))
    assert "badge" not in unlabelled and 'aria-valuetext="30%"' in unlabelled
    source = (COMPONENTS_DIR / "ProgressBar.jinja").read_text()
    assert not any(label in source for label in (*PROGRESS_LABELS.values(), STARTING_LABEL))


def test_start_without_csrf_token_is_refused(client):
    item = uuid.uuid4().hex[:8]
    response = client.post(f"/jobs/{item}/start", headers={"Sec-Fetch-Site": "cross-site"})  # forged by another site
    assert response.status_code == 403
    assert stores["redis"].get("jobs", item).status == "waiting"


def test_oob_replace_needs_a_plain_id():
    with pytest.raises(ValueError, match="plain element id"):
        oob_replace('x"] body', "<td></td>")


@pytest.mark.parametrize("interval", ["2s", "500ms", "1.5s", "1m", "750"])
def test_intervals_htmx_understands(interval):
    assert f'hx-trigger="every {interval}"' in render(parse_progress("5"), interval=interval)


@pytest.mark.parametrize("interval", ["", "soon", "2s, click", '2s" onclick="x'])
def test_malformed_interval_is_refused(interval):
    with pytest.raises(ValueError, match="Polling interval"):
        render(parse_progress("5"), interval=interval)
