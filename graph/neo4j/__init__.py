"""The graph in Neo4j: the Bolt connection and each server's dialect, the mirror (a
differential sync in transactions, and its parity check), read-only Cypher, and the
Cypher questions of docs/neo4j.md (``queries/``)."""
