"""Pages in HTML: the home page and a node's page."""

from __future__ import annotations

from functools import lru_cache

import jinja2

from graph.networks.render import TEMPLATES as SHARED_TEMPLATES


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    # The pages' own templates, then those shared with the network views (head.html).
    loader = jinja2.ChoiceLoader([jinja2.PackageLoader("api.pages", "templates"), SHARED_TEMPLATES])
    return jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True)


def render(template: str, **context) -> str:
    """The page ``template`` (a file of ``api/pages/templates``, or ``head.html`` of the
    network views) filled with ``context``.

    >>> render("head.html", title="<Lavrov>").splitlines()[-1]
    '<title>&lt;Lavrov&gt;</title>'
    """
    return _env().get_template(template).render(**context)
