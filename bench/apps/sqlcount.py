"""SQL statements per request, for the benchmark driver: with BENCH_COUNT_SQL=1 an app's
engine counts every statement it sends (SQLAlchemy's `before_cursor_execute` event) and
`GET /__bench/sql` answers the running total as text. The driver reads it before and
after one request (requests run one at a time), so the difference is that request's count."""

from __future__ import annotations

from sqlalchemy import event

from settings import COUNT_SQL


def counted(app, engine):
    """`app` wrapped so that it answers /__bench/sql; `app` itself when counting is off."""
    if not COUNT_SQL:
        return app
    total = [0]

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args):
        total[0] += 1

    async def wrapper(scope, receive, send):
        if scope["type"] == "http" and scope["path"] == "/__bench/sql":
            body = str(total[0]).encode()
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        await app(scope, receive, send)

    return wrapper
