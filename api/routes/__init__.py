"""The routers, one module per group of endpoints; ``ROUTERS`` is what the app includes."""

from . import cypher, docs, events, export, figures, home, organizations, pages, persons, resources, sparql, stats, viz

ROUTERS = (sparql.router, persons.router, events.router, organizations.router, figures.router, stats.router,
           resources.router, export.router, viz.router, pages.router, home.router, cypher.router, docs.router)
