"""The home page: one self-contained HTML document (its style and script inside it)
that calls this service's own JSON endpoints and ``/sparql``."""

from __future__ import annotations

from functools import lru_cache

from api.pages import render
from graph.networks.render import script_json
from graph.sparql import named as sparql

__all__ = ["EXAMPLE_QUERIES", "example_queries", "home_page"]

#: The example queries of the SPARQL editor, ``graph/queries/NAME.rq``; the first
#: comment line of each is its title.
EXAMPLE_QUERIES = ("example_who_met_whom", "example_sco_network", "example_agreements_by_year",
                   "example_busiest_people")


def example_queries() -> list[dict[str, str]]:
    """The examples, each as ``{"name", "title", "query"}``.

    >>> [x["title"].split(":")[0] for x in example_queries()]
    ['Who met whom', 'The SCO network', 'Agreements by year', 'Busiest people']
    """
    out = []
    for name in EXAMPLE_QUERIES:
        text = sparql.load(name)
        first = text.splitlines()[0]
        out.append({"name": name, "title": first.lstrip("# ").strip(), "query": text})
    return out


@lru_cache(maxsize=1)
def home_page() -> str:
    """The page.

    >>> page = home_page()
    >>> '<textarea id="sparql"' in page, "https://" in page.replace("https://w3id.org/", "")
    (True, False)
    """
    return render("home.html", examples=script_json(example_queries()))
