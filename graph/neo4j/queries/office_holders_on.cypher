// Who held an office on a date ($role: the office's role, e.g. 'foreign_minister'; $date).
MATCH (holder:Person)-[t:HELD]->(office:Office {role: $role})
WHERE t.start_date <= $date AND (t.end_date IS NULL OR t.end_date >= $date)
OPTIONAL MATCH (office)-[:LOCATED_IN]->(country:Country)
RETURN office.name AS office, country.code AS country, holder.name AS holder, t.start_date AS since
ORDER BY country, office, since
