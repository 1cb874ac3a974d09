"""The export phase alone (e): fasthx_ui, the peers that export and the floor (or `--only`), each
export downloaded `--reps` times over HTTP with the apps taking turns; prints the
export table of RESULTS.md (medians) and keeps the figures in bench/results/exports.json.

    bench/.venvs/driver/bin/python bench/exports.py [--reps 3] [--only fasthx_ui,fasthx_admin,sqladmin,floor]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from harness.report import export_table
from harness.servers import BENCH, FRAMEWORKS, start_all
from run import RESULTS, exports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--only", default="fasthx_ui,fasthx_admin,sqladmin,floor")
    args = parser.parse_args()
    frameworks = [f for f in FRAMEWORKS if f.name in args.only.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as tmp:
        servers = start_all(frameworks, "sqlite", Path(tmp))
        try:
            found = exports(servers, args.reps)
        finally:
            for server in servers:
                server.stop()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "exports.json").write_text(json.dumps(found, indent=1) + "\n")
    print(f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("\n".join(export_table(found, [f.name for f in frameworks])))
    print(f"figures: {BENCH / 'results' / 'exports.json'}")


if __name__ == "__main__":
    main()
