// Every meeting of two people with the passage of the report it was read from ($a, $b: person ids).
MATCH (:Person {id: $a})-[m:MET_WITH]-(:Person {id: $b})
MATCH (event:Event {iri: m.event})-[:DERIVED_FROM]->(source:Passage)-[:IN_REPORT]->(report:Report)
RETURN m.date AS date, event.name AS event, report.id AS report, source.start_offset AS start,
       source.end_offset AS end, source.text AS text
ORDER BY date, event
