"""Records to RDF, the stores, exports and the analyses over the graph."""
