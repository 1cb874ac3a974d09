"""Console server side: output fragments, SSE frames and the response helpers.

A console shows text chunks as ``<pre class="console-line">`` fragments. Output can be
given at once (:func:`console_response`), streamed by any async generator of
:func:`console_sse_message` frames, or published to a channel (see
:mod:`fasthx_ui.console_channel`) by code running elsewhere and streamed to the browser
by :func:`console_stream_response`.
"""

import re
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse, StreamingResponse

from fasthx_ui.ansi import ansi_to_html
from fasthx_ui.console_channel import ConsoleChannel, ConsoleUnavailable
from fasthx_ui.htmx import retarget, trigger
from fasthx_ui.modal import MODAL_CONTENT, modal_size
from fasthx_ui.ui import ui_for

CONSOLE_END_EVENT = "console-end"
"""SSE event that tells the browser the output is complete (the Console closes its stream)."""

_NEWLINES = re.compile(r"\r\n|\r|\n")


def console_html(text: str, ansi: bool = True, css_class: str | None = None) -> Markup:
    """Return one chunk of console output as a ``<pre class="console-line">`` fragment.

    The text is escaped (and its ANSI codes turned into spans when ``ansi``). Line ends
    are normalised to ``\\n``. A newline follows the opening tag because HTML parsers drop
    the first newline of a ``<pre>``: this keeps a chunk's own leading blank line.
    """
    text = _NEWLINES.sub("\n", text)
    body = ansi_to_html(text) if ansi else escape(text)
    classes = f"console-line {css_class}" if css_class else "console-line"
    return Markup('<pre class="{}">\n{}</pre>').format(classes, body)


def console_response(
    title: str,
    output: str = "",
    input_enabled: bool = False,
    input_action: str | None = None,
    input_placeholder: str = "$ ",
    stream_url: str | None = None,
    stream_event: str = "output",
    ansi: bool = True,
    size: str = "modal-xl",
    status_code: int = 200,
    *,
    request: Request | None = None,
) -> HTMLResponse:
    """Open the page's modal with a Console titled ``title`` (text).

    ``output`` is shown first (escaped, ANSI codes coloured when ``ansi``). With
    ``stream_url`` the console appends the data of each ``stream_event`` SSE event
    (see :func:`console_sse_message`); with ``input_enabled`` a prompt POSTs
    ``command`` to ``input_action`` and appends the answer. The response goes into
    the modal whatever the request targeted, and ``showConsole`` opens it.
    ``request`` renders through the UI of the request's app (its component overrides).
    """
    if input_enabled and not input_action:
        raise ValueError("console_response(input_enabled=True) needs an input_action URL")
    ui = ui_for(request)
    console = ui.component(
        "ui:Console",
        request,
        output=console_html(output, ansi) if output else "",
        stream_url=stream_url or "",
        stream_event=stream_event,
        input_enabled=input_enabled,
        input_action=input_action or "",
        input_placeholder=input_placeholder,
        label=f"{title} output",
    )
    html = ui.component("ui:ModalContent", request, title=title, body=console, actions=[])
    response = HTMLResponse(html, status_code=status_code)
    retarget(response, MODAL_CONTENT, "innerHTML")
    return trigger(response, "showConsole", {"size": modal_size(size)})


def _sse_frame(event: str, data: str, event_id: str | None = None) -> str:
    if not event or _NEWLINES.search(event):
        raise ValueError(f"SSE event name must be one non-empty line, got {event!r}")
    head = f"id: {_NEWLINES.sub('', event_id)}\n" if event_id else ""
    lines = "".join(f"data: {line}\n" for line in data.split("\n"))
    return f"{head}event: {event}\n{lines}\n"


def console_sse_message(
    text: str,
    event: str = "output",
    ansi: bool = True,
    css_class: str | None = None,
    event_id: str | None = None,
) -> str:
    """Return one SSE frame whose data is ``text`` as a console output fragment.

    ``event`` must match the Console's ``stream_event``. Multi-line text becomes several
    ``data:`` lines, which the browser joins back with newlines. ``event_id`` is
    optional; when given, the browser sends it back as ``Last-Event-ID`` on reconnect.
    """
    return _sse_frame(event, str(console_html(text, ansi, css_class)), event_id)


def console_sse_end(event_id: str | None = None) -> str:
    """Return the SSE frame that marks the end of the output."""
    return _sse_frame(CONSOLE_END_EVENT, "", event_id)


async def console_stream(
    request: Request,
    channel: ConsoleChannel,
    console_id: str,
    *,
    event: str = "output",
    ansi: bool = True,
    wait: float = 1.0,
    keepalive: float = 15.0,
    on_close: Callable[[str], object] | None = None,
) -> AsyncIterator[str]:
    """Yield SSE frames for a console's channel until its end marker or the client leaves.

    Resumes after the request's ``Last-Event-ID``. Sends a comment every ``keepalive``
    seconds of silence. ``on_close`` is called once with why the stream stopped:
    ``"end"`` (output complete), ``"disconnect"`` (the client went away) or
    ``"unavailable"`` (the channel failed; the client is told in the console).
    """
    reason = "disconnect"
    try:
        after = request.headers.get("last-event-id") or None
        idle = 0.0
        async with aclosing(channel.listen(console_id, after, wait)) as batches:
            async for batch in batches:
                if await request.is_disconnected():
                    return
                if not batch:
                    idle += wait
                    if idle >= keepalive:
                        idle = 0.0
                        yield ": keep-alive\n\n"
                    continue
                idle = 0.0
                for entry in batch:
                    if entry.end:
                        reason = "end"
                        yield console_sse_end(entry.id)
                        return
                    yield console_sse_message(entry.text, event, ansi, entry.css_class, entry.id)
    except ConsoleUnavailable as exc:
        reason = "unavailable"
        yield console_sse_message(f"Console stream unavailable: {exc}\n", event, False, "ansi-red")
        yield console_sse_end()
    finally:
        if on_close is not None:
            on_close(reason)


def console_stream_response(
    request: Request,
    channel: ConsoleChannel,
    console_id: str,
    **options,
) -> StreamingResponse:
    """Return a ``text/event-stream`` response of :func:`console_stream` (same options)."""
    return StreamingResponse(
        console_stream(request, channel, console_id, **options),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
