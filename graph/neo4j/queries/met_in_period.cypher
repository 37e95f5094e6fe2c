// Who met whom between two dates, most often first ($from, $to: dates).
MATCH (a:Person)-[m:MET_WITH]->(b:Person)
WHERE $from <= m.date <= $to
RETURN a.name AS person, b.name AS counterpart, count(m) AS meetings, min(m.date) AS first, max(m.date) AS last
ORDER BY meetings DESC, person, counterpart
