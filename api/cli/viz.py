"""``kg viz``: a network view written to one file: an HTML page that opens anywhere,
offline (vis-network is written into it), a PNG or SVG picture of it, or GraphML/GEXF
for Gephi and networkx. The format comes from ``--format`` or the file's extension; an
extension that names another format is refused."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from .common import EXIT_INPUT, EXIT_USAGE, fail, replacing, store_of

VIEWS = ("sco", "brics", "person", "organization", "met")
FORMATS = ("html", "png", "svg", "graphml", "gexf")
KINDS = ("organization", "country", "person", "event")


def cmd_viz(args) -> int:
    from graph.errors import InvalidParameter, UnknownId
    from graph.networks import export, views
    from graph.networks.render import render

    out = Path(args.out)
    named = export.extension_format(out.name)
    fmt = args.format or named
    if fmt is None:
        return fail(f"--out {out.name}: say --format ({', '.join(FORMATS)}) or end the name with "
                    f"{', '.join(export.FORMATS.values())}", EXIT_USAGE)
    if named != fmt:
        return fail(f"--out {out.name} does not end in {export.FORMATS[fmt]}, the extension of --format {fmt}",
                    EXIT_USAGE)
    store = store_of(args)
    bound = (lambda d: views.DEFAULT if d is None and not args.all_dates else str(d or ""))
    request = views.ViewRequest(
        name=args.view, id=getattr(args, "id", None), since=bound(args.since), until=bound(args.until),
        kinds=tuple(args.show) if args.show else None, roles=tuple(args.role) if args.role else None,
        framework=getattr(args, "framework", None), depth=getattr(args, "depth", 1), size_by=args.size)
    try:
        v = views.view(store, request)
    except UnknownId as exc:
        return fail(str(exc), EXIT_INPUT)
    except InvalidParameter as exc:
        return fail(str(exc), EXIT_USAGE)
    G = v.graph
    if fmt == "html":
        body = render(G, size_by=args.size, picture=v.picture, file=out.stem).encode("utf-8")
    else:
        body = export.write(G, fmt, picture=v.picture)
    with replacing(out) as fh:
        fh.write(body)
    print(f"wrote {G.graph.get('title', args.view)}: {G.number_of_nodes()} nodes, {G.number_of_edges()} links "
          f"to {out} ({fmt})")
    return 0


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def register(subparsers) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--out", required=True, metavar="FILE", help="the file to write (.html, .png, .svg, "
                                                                     ".graphml, .gexf)")
    common.add_argument("--format", choices=FORMATS, help="what to write (default: from the extension of --out)")
    common.add_argument("--store", metavar="DIR", help="store directory (default: $KG_STORE or ./data/store)")
    common.add_argument("--from", dest="since", type=_day, metavar="YYYY-MM-DD",
                        help="first day (inclusive; default: the report's period)")
    common.add_argument("--to", dest="until", type=_day, metavar="YYYY-MM-DD",
                        help="last day (inclusive; default: the report's period)")
    common.add_argument("--all-dates", action="store_true", help="no date bounds but --from/--to given")
    common.add_argument("--size", choices=["degree", "betweenness"], default="degree",
                        help="centrality that sizes the nodes (default: degree)")
    org = argparse.ArgumentParser(add_help=False)
    org.add_argument("--show", action="append", choices=KINDS,
                     help="a kind of node to show; repeat for several (default: all; sco and brics leave "
                          "events out)")
    org.add_argument("--role", action="append", metavar="ROLE",
                     help="a membership role to show (member, observer, dialogue_partner, partner); repeat")
    met = argparse.ArgumentParser(add_help=False)
    met.add_argument("--framework", metavar="ID", help="only meetings in events of this framework (sco, RIC …)")

    v = subparsers.add_parser("viz", help="write a network view (SCO, BRICS, a person, an organization, "
                                          "who met whom) as an offline HTML page, PNG, SVG, GraphML or GEXF")
    views = v.add_subparsers(dest="view", required=True, metavar="{sco,brics,person,organization,met}")
    views.add_parser("sco", parents=[common, org], help="member states by role, bodies, who took part")
    views.add_parser("brics", parents=[common, org], help="the same for BRICS")
    p = views.add_parser("person", parents=[common, met], help="whom a person met (and whom those met)")
    p.add_argument("id", help="person id, e.g. wang-yi")
    p.add_argument("--depth", type=int, choices=[1, 2], default=1, help="1: whom they met; 2: also whom those met")
    o = views.add_parser("organization", parents=[common, org], help="an organization's bodies, members, events, "
                                                                     "people")
    o.add_argument("id", help="organization id, e.g. un")
    views.add_parser("met", parents=[common, met], help="everyone who met whom (in the dates given)")
    v.set_defaults(func=cmd_viz, show=None, role=None)
