"""``kg stats``: counts of what the graph holds."""

from __future__ import annotations

import json

from .common import store_of


def register(subparsers) -> None:
    s = subparsers.add_parser("stats", help="counts of what the graph holds")
    s.add_argument("--store", metavar="DIR")
    s.add_argument("--format", choices=["table", "json"], default="table")
    s.set_defaults(func=cmd_stats)


def cmd_stats(args) -> int:
    from graph.analyses.stats import stats

    s = stats(store_of(args))
    if args.format == "json":
        print(json.dumps(s, ensure_ascii=False, indent=1))
    else:
        for k, v in s.items():
            print(f"{k:24} {v}")
    return 0
