"""``kg bench``: the benchmark table (build and scale; query, serve and mirror where available)."""

from __future__ import annotations

import json
import platform
import os


def register(sub) -> None:
    b = sub.add_parser("bench", help="measure build, query and serve speed and print one table")
    b.add_argument("--scales", default="1,10,100", help="corpus sizes, as multiples of the chronicle (default 1,10,100)")
    b.add_argument("--json", action="store_true", help="print the figures as JSON")
    b.set_defaults(func=cmd_bench)


def cmd_bench(args) -> int:
    from graph.bench import build_table, format_build

    scales = [int(x) for x in args.scales.split(",") if x.strip()]
    rows = build_table(scales)
    if args.json:
        print(json.dumps({"build": rows}, ensure_ascii=False, indent=1))
        return 0
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    print("\nbuild (report → store + Turtle export), seconds per stage")
    print(format_build(rows))
    return 0
