// A person's counterparts, year by year ($person: the person's id, e.g. 'wang-yi').
MATCH (p:Person {id: $person})-[m:MET_WITH]-(other:Person)
RETURN m.date.year AS year, other.name AS counterpart, count(m) AS meetings
ORDER BY year, meetings DESC, counterpart
