"""Why a target of issue 11 can be missed and what would close it, one note per kind of
target (the key each target row in `targets` carries). The figures behind each note are
in bench/fixes.md's sections; RESULTS.md prints a note only under a target this run missed."""

NOTES = {
    "peer_c1": (
        "At one connection a list page here already serves as many requests/s as the "
        "hand-written floor on SQLite, and more than the floor on PostgreSQL; what is left is Python work "
        "per request (Starlette routing and middleware, the page frame, the rows), bench/fixes.md "
        "'List pages'. What would close it: less Python per request (a compiled template for the "
        "whole page frame, fewer middleware layers), or a second worker process, which the "
        "benchmark's one-worker rule leaves out."
    ),
    "deep_page": (
        "Page 4,000 pays the database's walk over 80,000 index entries before the 20 rows "
        "(PostgreSQL: 13–15 ms at load for the ids alone, an index-only scan; SQLite: the same "
        "walk over its rowid b-tree), more than the whole time budget the ratio leaves. "
        "Nothing on our side of the socket removes that walk for a page asked for by number. "
        "What would close it: seek (keyset) paging, with the pager's links carrying the last "
        "row's sort key (`WHERE id > :last`, 0.05 ms), which serves next/previous but not a "
        "typed page number."
    ),
    "peer_c8": (
        "With one worker on 2 cores, a page here is CPU-bound in Python from the first "
        "connection (the count comes after the rows, in its own request, so nothing waits on "
        "the database), and 8 connections add little. The peers wait on their count and row "
        "queries at one connection (the GIL is released meanwhile), so 8 connections fill that "
        "wait and nearly double them. The ratio at 8 therefore shrinks though we stay ahead; "
        "for (a) at 8 connections the target asks more requests/s of one process than the "
        "hand-written floor serves. "
        "What would close it: a second worker process (outside the benchmark's rules) or less "
        "Python per request (see the c1 note)."
    ),
    "floor": (
        "The floor is a few lines of SQL and one Jinja2 template with no access checks, CSRF, "
        "escaping of formatter output, filters or row actions; at 8 connections its SQLite "
        "work overlaps with its rendering, ours is mostly rendering. What would close it: "
        "less Python per request (see the c1 note)."
    ),
    "c8_vs_c1": (
        "The request is CPU-bound in one process, so 8 connections share one core and add "
        "thread-pool hand-offs between the event loop and the database thread, and the orders "
        "page, whose join makes the most database work a request, loses most. A limit of 1 or 2 "
        "threads on the read routes was tried and changed nothing consistently (bench/fixes.md "
        "'List pages, fourth round'). What would close it: one hop to the thread pool a request "
        "(the session, the query and the render in the same hop), or a second worker process."
    ),
    "export": (
        "The export is bounded by fetching 100,000 rows and formatting them in Python; it "
        "takes about what the hand-written floor takes (bench/fixes.md '(e) Export'), so "
        "the ratio is capped by the floor's own ratio to the peers in the same run, which "
        "moves with the peers' figures. Closing it would take formatting outside Python (the "
        "database's own CSV output, PostgreSQL's COPY ... TO STDOUT), which would give up "
        "the neutralising of formula-like text, a safety default we keep."
    ),
    "browser_first": (
        "The first frame waits for the script bundle: parser-blocking at the end of the body, "
        "it takes about 68 ms to run against fasthx-admin's 54 ms for its own scripts, while "
        "style and layout are one pass each (18 and 23 ms); Bootstrap's JS and Tom Select are "
        "132 of the bundle's 232 KB, and the AI chat's script runs on every page "
        "(bench/fixes.md 'Browser, round 3'). Bytes cost nothing on localhost, so our third of "
        "the peers' transfer gains little here. What would close it: Bootstrap's JS and Tom "
        "Select loaded after the first frame and only on pages that use them, with a documented "
        "way for a page's inline scripts to wait for them (round 2 tried a loader and found that "
        "it breaks inline scripts written the documented way today)."
    ),
    "browser_repeat": (
        "On a repeat visit everything but the page and its count comes from the cache; the script "
        "bundle still runs before the first frame. For (a) the target asks for less than the "
        "floor's own time in this run (the floor has no CSS and no script at all). What would "
        "close the rest: the same change as for the first visit."
    ),
    "bytes": (
        "Over the byte budget: bench/fixes.md 'Browser' lists what the page loads."
    ),
    "search": (
        "The search's rows come from the server in a few milliseconds; most of the rest is "
        "the browser's swap of the table region, and about 15 ms of that is one forced "
        "style and layout pass Chromium runs while removing the focused search box with the "
        "old region (bench/fixes.md 'Table swaps'). What would close it: keep the search box "
        "out of the swapped region, or move focus off it before the swap and back after."
    ),
}
