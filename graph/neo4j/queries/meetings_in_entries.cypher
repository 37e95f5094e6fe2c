// Chronicle entries that report several separate meetings, each meeting with its day and people.
MATCH (entry:Event)-[:HAS_MEETING]->(meeting:Event)
OPTIONAL MATCH (meeting)<-[:PARTICIPATED_IN]-(p:Person)
WITH entry, meeting, collect(p.name) AS people
RETURN entry.name AS entry, meeting.begin AS day, meeting.form AS form, people
ORDER BY day, entry, meeting.iri
