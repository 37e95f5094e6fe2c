"""A tenure known only to the month covers that whole month in the graph: SPARQL compares
event days with the first and last day a tenure may cover, and a person's offices say
them."""

from __future__ import annotations

ID = "https://w3id.org/china-russia-dialogue/id/"
HOLDERS_ON = """
PREFIX crd: <https://w3id.org/china-russia-dialogue/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?person WHERE {
  ?t crd:office <%soffice/%s> ; crd:holder ?person .
  OPTIONAL { ?t crd:firstDay ?first } OPTIONAL { ?t crd:lastDay ?last }
  FILTER((!BOUND(?first) || ?first <= "%s"^^xsd:date) && (!BOUND(?last) || "%s"^^xsd:date <= ?last))
}"""


def holders(store, office: str, day: str) -> set[str]:
    return {r["person"].value.removeprefix(ID + "person/") for r in store.query(HOLDERS_ON % (ID, office, day, day))}


def test_sparql_compares_the_days_a_tenure_covers(store):
    assert holders(store, "kg-foreign-minister", "2020-10-10") == {"chingiz-aidarbekov"}
    assert holders(store, "kg-foreign-minister", "2020-10-20") == {"ruslan-kazakbaev"}
    # an end known only to the month (2018-04) covers the whole of April 2018
    assert "erlan-abdyldayev" in holders(store, "kg-foreign-minister", "2018-04-30")


def test_a_persons_offices_carry_the_days_they_cover(store):
    from graph.analyses.people import person_detail
    held = next(o for o in person_detail(store, "erlan-abdyldayev").offices if o.office.id == "kg-foreign-minister")
    assert (held.end, str(held.last_day)) == ("2018-04", "2018-04-30")
