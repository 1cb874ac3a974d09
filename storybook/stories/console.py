"""Console stories: static output, ANSI colours, streamed output, an interactive shell.

Streamed output goes through a console channel: Redis when $REDIS_URL is set (so a
task in one app process can stream to a browser connected to another), else this
process's memory. $FASTHX_UI_STORY_PREFIX prefixes the Redis keys (default "storybook:").
"""

import asyncio
import os
import uuid
from collections import defaultdict

from fastapi import Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse

from fasthx_ui import (
    ANSI_COLOURS,
    ConsoleUnavailable,
    RedisConsoleChannel,
    console_channel,
    console_html,
    console_response,
    console_sse_message,
    console_stream_response,
)
from storybook.book import Stories

stories = Stories("Console", "A terminal in the page's modal: coloured output, live streams over SSE, a prompt with history.", category="Feedback")

REDIS_URL = os.environ.get("REDIS_URL")
PREFIX = os.environ.get("FASTHX_UI_STORY_PREFIX", "storybook:")
channel = (
    RedisConsoleChannel(REDIS_URL, prefix=f"{PREFIX}console:", ttl=3600) if REDIS_URL else console_channel()
)
closes: dict[str, list[str]] = defaultdict(list)
tasks: set[asyncio.Task] = set()

BUILD_LOG = """\
$ make release
[1/4] Resolving packages… done
[2/4] Compiling 128 modules… done
[3/4] Running 342 tests… 342 passed
[4/4] Packaging fasthx_ui-0.1.0.tar.gz
<script>alert("this stays text")</script>
Finished in 12.4 s
"""


def ansi_sample() -> str:
    """Every supported colour and style, one line each."""
    lines = [f"\x1b[{30 + n}m{name:<8}\x1b[0m  \x1b[{90 + n}mbright {name}\x1b[0m" for n, name in enumerate(ANSI_COLOURS)]
    lines += [
        "\x1b[1mbold\x1b[0m  \x1b[3mitalic\x1b[0m  \x1b[4munderline\x1b[0m  \x1b[1;3;4;36mall three in cyan\x1b[0m",
        "\x1b[32mSuccess\x1b[0m — \x1b[1;31mErrors: 0\x1b[0m",
        "\x1b[5munknown codes are dropped\x1b[0m \x1b[2Kcursor codes too",
    ]
    return "\n".join(lines) + "\n"


@stories.story(args={"output": BUILD_LOG, "label": "Build log", "height": "16rem"})
def static_output():
    """A Console rendered in the page with plain text output: escaped, auto-scrolled to its end."""
    return """
<ui:Console output={{ output }} label={{ label }} height={{ height }} />
<button type="button" class="btn btn-outline-secondary mt-3" hx-get="{{ api }}/logs">Open the log in the modal</button>
"""


@stories.story()
def ansi_sampler():
    """`console_response()` with ANSI escape codes: colours 30–37 and 90–97, bold, italic, underline."""
    return '<button type="button" class="btn btn-primary" hx-get="{{ api }}/ansi">Show ANSI colours</button>'


@stories.story(args={"lines": 12, "delay": 0.25})
def streaming():
    """A task publishes lines to a console channel; the console streams them over SSE
    until the task ends. Closing the modal closes the stream (the server notices)."""
    return """
<button type="button" class="btn btn-primary" hx-get="{{ api }}/run?lines={{ lines }}&amp;delay={{ delay }}">
  <i class="bi bi-play-fill" aria-hidden="true"></i> Run diagnostics</button>
"""


@stories.story()
def generator_stream():
    """The simplest stream: the endpoint's own async generator of `console_sse_message()`
    frames in a StreamingResponse. It ends when the generator ends (no reconnect)."""
    return '<button type="button" class="btn btn-primary" hx-get="{{ api }}/check">Run checks</button>'


@stories.story(args={"console_id": "demo"})
def attached():
    """A Console in the page attached to a channel by id: it shows whatever any app
    process publishes for that id (POST `produce/<id>` of this module's routes to start a task)."""
    return """
<ui:Console stream_url={{ api ~ "/stream/" ~ console_id }} label="Remote task output" height="16rem" />
<button type="button" class="btn btn-outline-secondary mt-3" hx-post="{{ api }}/produce/{{ console_id }}" hx-swap="none">
  Start a task for this console</button>
"""


@stories.story()
def interactive_shell():
    """A prompt that POSTs each command (with the CSRF token) and appends the answer;
    ArrowUp / ArrowDown recall earlier commands."""
    return '<button type="button" class="btn btn-primary" hx-get="{{ api }}/shell">Open the shell</button>'


@stories.router.get("/logs")
def logs():
    return console_response("Build log", BUILD_LOG, size="modal-lg")


@stories.router.get("/ansi")
def ansi():
    return console_response("ANSI colours", ansi_sample())


async def produce(console_id: str, lines: int, delay: float) -> None:
    """A stand-in for real work: numbered, coloured lines, then the end marker. Output
    that cannot be published (Redis down) ends the task: nobody could read it."""
    try:
        channel.publish(console_id, f"Starting diagnostics ({lines} steps)…\n", css_class="ansi-cyan")
        for step in range(1, lines + 1):
            await asyncio.sleep(delay)
            channel.publish(console_id, f"  step {step:>3} of {lines}… \x1b[32mOK\x1b[0m\n")
        channel.publish(console_id, "All checks passed.\n", css_class="ansi-bright-green")
        channel.end(console_id)
    except ConsoleUnavailable:
        return


def start(console_id: str, lines: int, delay: float) -> None:
    task = asyncio.create_task(produce(console_id, lines, delay))
    tasks.add(task)
    task.add_done_callback(tasks.discard)


def checked(lines: int, delay: float) -> tuple[int, float]:
    if not 1 <= lines <= 1000 or not 0 <= delay <= 5:
        raise HTTPException(422, "lines must be 1–1000 and delay 0–5 seconds")
    return lines, delay


@stories.router.get("/run")
async def run(request: Request, lines: int = 12, delay: float = 0.25):
    console_id = uuid.uuid4().hex
    start(console_id, *checked(lines, delay))
    return console_response("Diagnostics", stream_url=stories.url(request, f"/stream/{console_id}"))


@stories.router.post("/produce/{console_id}")
async def produce_for(console_id: str, lines: int = 6, delay: float = 0.2):
    try:
        channel.clear(console_id)
    except ConsoleUnavailable as exc:
        return JSONResponse({"detail": str(exc)}, status_code=503)
    start(console_id, *checked(lines, delay))
    return JSONResponse({"console_id": console_id, "pid": os.getpid()})


@stories.router.get("/stream/{console_id}")
async def stream(request: Request, console_id: str):
    return console_stream_response(
        request, channel, console_id, on_close=lambda reason: closes[console_id].append(reason)
    )


@stories.router.get("/check")
def check(request: Request):
    return console_response("Running checks…", stream_url=stories.url(request, "/check-stream"))


@stories.router.get("/check-stream")
async def check_stream():
    async def generate():
        yield console_sse_message("Starting diagnostics...\n", css_class="ansi-green")
        for step in ("Checking connectivity", "Verifying config", "Running tests"):
            await asyncio.sleep(0.2)
            yield console_sse_message(f"  {step}... OK\n")
        yield console_sse_message("\nAll checks passed.\n", css_class="ansi-green")

    return StreamingResponse(generate(), media_type="text/event-stream")


@stories.router.get("/closes/{console_id}")
def closed(console_id: str):
    """Why each stream of this console stopped, as the server saw it (tests read this)."""
    return closes.get(console_id, [])


@stories.router.get("/shell")
def shell(request: Request):
    return console_response(
        "Admin shell",
        "Ready. Type \x1b[1mhelp\x1b[0m for the commands.\n",
        input_enabled=True,
        input_action=stories.url(request, "/exec"),
    )


COMMANDS = {
    "help": "Commands: help, echo <text>, colors, whoami, pid",
    "colors": "".join(f"\x1b[{30 + n}m■\x1b[0m" for n in range(8)) + " " + "".join(f"\x1b[{90 + n}m■\x1b[0m" for n in range(8)),
    "whoami": "storybook",
}


@stories.router.post("/exec")
def execute(command: str = Form("")):
    name, _, rest = command.strip().partition(" ")
    if name == "echo":
        answer = rest
    elif name == "pid":
        answer = str(os.getpid())
    elif name in COMMANDS:
        answer = COMMANDS[name]
    elif not name:
        answer = ""
    else:
        answer = f"\x1b[31m{name}: command not found\x1b[0m"
    prompt = f"\x1b[90m$\x1b[0m {command}\n"
    return HTMLResponse(console_html(f"{prompt}{answer}\n" if answer else prompt))
