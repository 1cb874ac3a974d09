"""Server-side figures: wrk throughput, SQL statements per request, and the export's
total time, time to first byte and peak RSS growth (psutil sampling the server process)."""

from __future__ import annotations

import http.client
import re
import subprocess
import threading
import time

import psutil

from harness.servers import Server

RPS_RE = re.compile(r"Requests/sec:\s+([\d.]+)")
ERRORS_RE = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)|Socket errors: (.*)")


def wrk(url: str, connections: int, seconds: int) -> dict:
    """Requests per second of `url` under wrk (threads = min(connections, 2), the cores)."""
    threads = min(connections, 2)
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", url],
                         capture_output=True, text=True, check=True).stdout
    match = RPS_RE.search(out)
    errors = [m.group(0) for m in ERRORS_RE.finditer(out)]
    return {"rps": float(match.group(1)) if match else 0.0, "errors": errors}


def sql_per_request(server: Server, path: str) -> int:
    """Statements the app sent for one request of `path` (the counter read around it)."""
    before = server.sql_total()
    status, _ = server.get(path)
    if status != 200:
        raise RuntimeError(f"{server.framework.name} {path}: status {status}")
    return server.sql_total() - before


def export(server: Server, path: str) -> dict:
    """Download `path` once: total seconds, seconds to the first body byte, the server's
    CPU seconds, bytes, rows (lines less the header for CSV) and the server's peak RSS
    growth in MB."""
    process = psutil.Process(server.pid)
    base = process.memory_info().rss
    peak = [base]
    done = threading.Event()

    def sample():
        while not done.is_set():
            try:
                peak[0] = max(peak[0], process.memory_info().rss)
            except psutil.Error:
                return
            done.wait(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    con = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    cpu = process.cpu_times()
    start = time.perf_counter()
    con.request("GET", path)
    response = con.getresponse()
    first = response.read(1)
    ttfb = time.perf_counter() - start
    size, lines = len(first), first.count(b"\n")
    while chunk := response.read(65536):
        size += len(chunk)
        lines += chunk.count(b"\n")
    total = time.perf_counter() - start
    spent = process.cpu_times()
    done.set()
    sampler.join()
    con.close()
    return {"status": response.status, "seconds": total, "ttfb": ttfb, "bytes": size,
            "cpu": spent.user + spent.system - cpu.user - cpu.system,
            "lines": lines, "rss_mb": (peak[0] - base) / 2**20}
