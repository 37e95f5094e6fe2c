"""``kg viz``: a network view written to one HTML file that opens anywhere, offline
(vis-network is written into the file)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from .common import EXIT_INPUT, EXIT_USAGE, fail, store_of

VIEWS = ("sco", "brics", "person", "organization", "met")


def cmd_viz(args) -> int:
    from graph.errors import InvalidParameter, UnknownId
    from graph.networks import graphs as networks
    from graph.networks.render import render

    store = store_of(args)
    dates = {"since": args.since, "until": args.until}
    try:
        if args.view == "sco":
            G = networks.sco_network(store, **dates)
        elif args.view == "brics":
            G = networks.brics_network(store, **dates)
        elif args.view == "person":
            G = networks.person_network(store, args.id, depth=args.depth, **dates)
        elif args.view == "organization":
            G = networks.organization_network(store, args.id, **dates)
        else:
            G = networks.met_network(store, **dates)
    except UnknownId as exc:
        return fail(str(exc), EXIT_INPUT)
    except InvalidParameter as exc:
        return fail(str(exc), EXIT_USAGE)
    page = render(G, size_by=args.size)
    out = Path(args.out)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    print(f"wrote {G.graph.get('title', args.view)}: {G.number_of_nodes()} nodes, {G.number_of_edges()} links "
          f"to {out}")
    return 0


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def register(subparsers) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--out", required=True, metavar="FILE.html", help="the page to write")
    common.add_argument("--store", metavar="DIR", help="store directory (default: $KG_STORE or ./data/store)")
    common.add_argument("--from", dest="since", type=_day, metavar="YYYY-MM-DD", help="first day (inclusive)")
    common.add_argument("--to", dest="until", type=_day, metavar="YYYY-MM-DD", help="last day (inclusive)")
    common.add_argument("--size", choices=["degree", "betweenness"], default="degree",
                        help="centrality that sizes the nodes (default: degree)")

    v = subparsers.add_parser("viz", help="write a network view (SCO, BRICS, a person, an organization, "
                                          "who met whom) as one offline HTML page")
    views = v.add_subparsers(dest="view", required=True, metavar="{sco,brics,person,organization,met}")
    views.add_parser("sco", parents=[common], help="member states, bodies, events under the SCO, who took part")
    views.add_parser("brics", parents=[common], help="the same for BRICS")
    p = views.add_parser("person", parents=[common], help="whom a person met (and whom those met)")
    p.add_argument("id", help="person id, e.g. wang-yi")
    p.add_argument("--depth", type=int, choices=[1, 2], default=1, help="1: whom they met; 2: also whom those met")
    o = views.add_parser("organization", parents=[common], help="an organization's bodies, members, events, people")
    o.add_argument("id", help="organization id, e.g. un")
    views.add_parser("met", parents=[common], help="everyone who met whom (in the dates given)")
    v.set_defaults(func=cmd_viz)
