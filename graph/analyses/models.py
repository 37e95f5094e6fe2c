"""What the analyses return: plain pydantic records, declared once and served as is.

Every node is named by its id, the local name of its IRI (``wang-yi`` for
``https://w3id.org/china-russia-dialogue/id/person/wang-yi``), with its kind.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

__all__ = ["Named", "Ref", "Evidence", "Meeting", "PersonSummary", "OfficeHeld", "EventRole", "PersonDetail",
           "EventSummary", "Actor", "EventDetail", "MembershipInfo", "OrganizationDetail", "WorkSummary",
           "Statement", "NodeDescription"]


class Named(BaseModel):
    """What every answer about a node starts with: its id, IRI and names."""

    id: str = Field(description="Local name of the IRI; the id used in this API's paths")
    iri: str
    label: str = Field(description="English label where known, else Chinese")
    labels: dict[str, str] = Field(default_factory=dict, description="Preferred label by language (zh, en, ru)")


class Ref(Named):
    """A node of the graph, named for people and for programs."""

    kind: str = Field(description="person, organization, country, place, event, framework, office …")


class Evidence(BaseModel):
    """The passage of the report an assertion was read from: ``text`` is exactly
    ``source[start:end]``."""

    id: str
    iri: str
    text: str
    start: int | None = None
    end: int | None = None
    line: int | None = None
    report: str | None = Field(None, description="Id of the report the passage belongs to")


class Meeting(BaseModel):
    """Two persons who acted in one meeting event (the contract's who met whom)."""

    person: Ref
    counterpart: Ref
    date: dt.date | None = Field(None, description="First day of the event")
    end_date: dt.date | None = None
    event: Ref
    type: str = Field(description="PLOVER type of the event, a meeting type (CONSULT, AGREE)")
    form: str | None = Field(None, description="phone_call, video_conference, meeting, signing …")
    places: list[Ref] = Field(default_factory=list)
    frameworks: list[Ref] = Field(default_factory=list)
    counterpart_inferred_from: Ref | None = Field(
        None, description="The office the counterpart's presence was inferred from, when the entry names "
                          "the office rather than the person")
    evidence: list[Evidence] = Field(default_factory=list)


class PersonSummary(Named):
    alt_labels: list[str] = Field(default_factory=list, description="Other forms met in the text")
    pinyin: str | None = Field(None, description="Pinyin of the Chinese name, with tones")
    score: float | None = Field(None, description="How well the search matched (100 = exactly)")


class OfficeHeld(BaseModel):
    office: Ref
    organization: Ref | None = None
    start: str | None = Field(None, description="Start date as the data has it (YYYY, YYYY-MM or YYYY-MM-DD)")
    end: str | None = None


class EventRole(BaseModel):
    event: Ref
    date: dt.date | None = None
    type: str | None = None
    role: str = Field(description="participant, host, speaker, signatory, inferredParticipant, mentions …")
    inferred_from: Ref | None = None


class PersonDetail(PersonSummary):
    nationality: Ref | None = None
    affiliation: Ref | None = None
    note: str | None = None
    offices: list[OfficeHeld] = Field(default_factory=list)
    events: list[EventRole] = Field(default_factory=list, description="Events the person acts in, by date")
    mentioned_in: list[EventRole] = Field(default_factory=list, description="Events that name the person "
                                                                            "without them taking part")
    met_count: int = Field(0, description="Number of who-met-whom entries (see /persons/{id}/met)")


class EventSummary(BaseModel):
    id: str
    iri: str
    label: str = Field(description="The title as the report prints it")
    date: dt.date | None = None
    end_date: dt.date | None = None
    type: str | None = Field(None, description="PLOVER event type")
    form: str | None = None


class Actor(BaseModel):
    node: Ref
    role: str
    inferred_from: Ref | None = None


class EventDetail(EventSummary):
    description: str | None = None
    online: bool | None = None
    section: Ref | None = None
    report: Ref | None = None
    actors: list[Actor] = Field(default_factory=list)
    mentions: list[Ref] = Field(default_factory=list)
    places: list[Ref] = Field(default_factory=list)
    frameworks: list[Ref] = Field(default_factory=list)
    about: list[Ref] = Field(default_factory=list, description="Agreements and projects the event is about")
    evidence: list[Evidence] = Field(default_factory=list)


class MembershipInfo(BaseModel):
    organization: Ref
    member: Ref
    role: str | None = None
    start: str | None = None
    end: str | None = None


class OrganizationDetail(Named):
    alt_labels: list[str] = Field(default_factory=list)
    types: list[str] = Field(default_factory=list, description="Classes of the node (local names)")
    notation: str | None = Field(None, description="Framework code (SCO, BRICS …) where it has one")
    location: Ref | None = None
    parent: list[Ref] = Field(default_factory=list, description="Organizations this one is a body of")
    bodies: list[Ref] = Field(default_factory=list, description="Bodies inside this organization")
    members: list[MembershipInfo] = Field(default_factory=list)
    memberships: list[MembershipInfo] = Field(default_factory=list, description="Where this one is a member")
    offices: list[Ref] = Field(default_factory=list, description="Offices (posts) in this organization")
    events: list[EventRole] = Field(default_factory=list)


class WorkSummary(Named):
    """An agreement or a project."""

    parties: list[Ref] = Field(default_factory=list, description="Parties (agreements) or partners (projects)")
    events: list[Ref] = Field(default_factory=list, description="Events about it or concluding it")


class Statement(BaseModel):
    predicate: str
    predicate_label: str
    value: str = Field(description="IRI or literal value")
    kind: str = Field(description="iri, literal or bnode")
    language: str | None = None
    datatype: str | None = None
    node: Ref | None = Field(None, description="The node at the other end, when it is one of the graph's")


class NodeDescription(BaseModel):
    iri: str
    ref: Ref | None
    types: list[str] = Field(default_factory=list)
    outgoing: list[Statement] = Field(default_factory=list)
    incoming: list[Statement] = Field(default_factory=list, description="Statements about other nodes that "
                                                                        "point here (the subject in ``node``)")
    incoming_total: int = 0
