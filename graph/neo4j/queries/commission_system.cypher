// The intergovernmental commissions with their subcommissions and working groups, and the
// people who led their sessions (the co-chairs, with their countries).
MATCH (c:Organization)
WHERE 'JointCommission' IN c.types
  AND NOT EXISTS { MATCH (c)-[:PART_OF]->(parent:Organization) WHERE 'JointCommission' IN parent.types }
OPTIONAL MATCH (body:Organization)-[:PART_OF*1..3]->(c)
WITH c, body ORDER BY body.name
WITH c, collect(DISTINCT body.name) AS bodies
OPTIONAL MATCH (unit:Organization)-[:PART_OF*0..3]->(c)
OPTIONAL MATCH (unit)-[:PARTICIPATED_IN]->(session:Event)<-[:PARTICIPATED_IN]-(chair:Person)-[:NATIONAL_OF]->(country:Country)
WITH c, bodies, session, chair.name + ' (' + country.code + ')' AS co_chair ORDER BY co_chair
RETURN c.name AS commission, bodies, count(DISTINCT session) AS sessions, collect(DISTINCT co_chair) AS co_chairs
ORDER BY size(bodies) DESC, sessions DESC, commission
