// The SCO's member states on a date ($date), with the day each joined.
MATCH (state)-[m:MEMBER_OF {role: 'member'}]->(:Organization {id: 'sco'})
WHERE m.start_date <= $date AND (m.end_date IS NULL OR m.end_date >= $date)
RETURN state.name AS member, m.start_date AS since
ORDER BY member
