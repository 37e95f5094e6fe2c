"""The graph in Neo4j: the Bolt connection and each server's dialect, the mirror (a
differential sync and its parity check) and read-only Cypher."""
