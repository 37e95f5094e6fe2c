"""The routers, one module per group of endpoints; ``ROUTERS`` is what the app includes."""

from . import cypher, events, export, home, organizations, persons, resources, sparql, stats, viz

ROUTERS = (sparql.router, persons.router, events.router, organizations.router, stats.router, resources.router,
           export.router, viz.router, home.router, cypher.router)
