"""SPARQL: the named queries (``queries/*.rq``) with values bound, a user's query run on a
store, and the SPARQL 1.1 Protocol endpoint (reading requests, guards, limits, result
formats)."""
