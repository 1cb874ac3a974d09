"""The benchmark driver's parts: servers (the frameworks and their processes), load (wrk,
SQL counts, exports), browser (Chromium timings) and report (RESULTS.md)."""
