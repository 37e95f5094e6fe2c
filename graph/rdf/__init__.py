"""Records to RDF: deterministic IRIs, the mapping of reports and reference data to
named graphs (ontology, reference data, one per report), and the export formats."""
