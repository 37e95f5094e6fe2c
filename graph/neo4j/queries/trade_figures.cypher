// Trade levels the chronicle reports in one currency ($unit, e.g. 'USD'), by period.
MATCH (e:Event)-[:REPORTS]->(f:Figure {unit_code: $unit, is_change: false})
RETURN f.start_date AS period_start, f.end_date AS period_end, f.measure AS measure, f.amount AS amount,
       e.begin AS reported
ORDER BY period_start, period_end, measure, amount
