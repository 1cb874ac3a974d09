"""Where a framework's time goes on one page: start its server, load the page with wrk
and sample the server with py-spy meanwhile. Writes bench/results/profile-<name>-<s>.txt
(collapsed stacks, for flamegraph tools) and prints the functions with the most samples.

    bench/.venvs/driver/bin/python bench/profile.py [--framework fasthx_ui] [--scenario a] [--db sqlite|pg]
        [--connections 1] [--seconds 15]
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from harness.servers import BENCH, DATA, FRAMEWORKS, VENVS, start_all  # noqa: E402


def summarize(collapsed: Path, top: int) -> list[str]:
    """Share of samples per function (inclusive: a function counted once per stack)."""
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = {frame.split(" (")[0] + " " + frame.rsplit("/", 1)[-1].split(":")[0] for frame in stack.split(";")}
        total += int(count)
        for frame in frames:
            inclusive[frame] += int(count)
    return [f"{100 * n / total:5.1f} %  {frame}" for frame, n in inclusive.most_common(top)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--framework", default="fasthx_ui")
    parser.add_argument("--scenario", default="a")
    parser.add_argument("--db", choices=("sqlite", "pg"), default="sqlite")
    parser.add_argument("--connections", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--top", type=int, default=60)
    args = parser.parse_args()
    framework = next(f for f in FRAMEWORKS if f.name == args.framework)
    search = json.loads((DATA / "meta.json").read_text())["search"]
    out = BENCH / "results" / f"profile-{framework.name}-{args.scenario}-{args.db}-c{args.connections}.txt"
    out.parent.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        (server,) = start_all([framework], args.db, Path(tmp))
        try:
            url = server.base + framework.url(args.scenario, search)
            load = subprocess.Popen(["wrk", f"-t{min(args.connections, 2)}", f"-c{args.connections}",
                                  f"-d{args.seconds + 2}s", url], stdout=subprocess.PIPE, text=True)
            subprocess.run([str(VENVS / "driver" / "bin" / "py-spy"), "record", "--pid", str(server.pid), "--format", "raw",
                            "--duration", str(args.seconds), "--rate", "200", "--output", str(out), "--nonblocking"],
                           check=True, capture_output=True)
            print(load.communicate()[0])
        finally:
            server.stop()
    print("\n".join(summarize(out, args.top)))
    print(f"collapsed stacks: {out}")


if __name__ == "__main__":
    main()
