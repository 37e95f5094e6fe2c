// Agreements by the year they were made and by party.
MATCH (party)-[:PARTY_TO]->(a:Agreement)
WHERE a.date_created IS NOT NULL
WITH a.date_created.year AS year, party, a ORDER BY a.name
RETURN year, party.name AS party, count(a) AS agreements, collect(a.name) AS titles
ORDER BY year, agreements DESC, party
