// The shortest chain of meetings between two people ($a, $b: person ids).
MATCH (a:Person {id: $a}), (b:Person {id: $b})
MATCH path = shortestPath((a)-[:MET_WITH*..8]-(b))
RETURN [p IN nodes(path) | p.name] AS chain, [r IN relationships(path) | r.date] AS dates, length(path) AS steps
