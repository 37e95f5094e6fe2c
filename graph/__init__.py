"""Records to RDF, the stores, SPARQL, the analyses, the networks and the Neo4j mirror.

``build`` runs loaders → RDF → store; ``rdf/`` maps records to RDF and writes exports;
``stores/`` holds the graph; ``sparql/`` queries it; ``analyses/`` answers questions;
``networks/`` draws; ``neo4j/`` mirrors.
"""
