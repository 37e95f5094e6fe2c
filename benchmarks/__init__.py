"""Benchmarks: how long a build takes, how much memory it needs, and how both grow;
how fast queries are answered, in-process and over HTTP; how the service holds up
under load; how long the Neo4j mirror takes to sync. ``kg bench`` runs it (``report.run``).

Each measurement runs in a fresh process so that peak memory is that of the job alone,
and a server under test runs in a process of its own, loaded from another one over
loopback. Synthetic corpora are made from the report's own chronicle: the entries
repeated with their dates moved on by whole years and the people's names permuted among
the people the reference data knows, so that size grows but the language stays the
report's.

The queries are ``graph/sparql/queries/bench_*.rq``, sent as the same text (with the usual
prefixes declared) to every engine.
"""
