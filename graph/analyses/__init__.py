"""Analyses over the graph, networkx-style: plain functions of a store that return new
values (pydantic records), each with a numpydoc docstring and a runnable example.

- ``meetings.who_met_whom``: the contract's who met whom;
- ``people``: persons by any form of their name, one person in full;
- ``events``: events by date, type, framework, actor and words, one event in full;
- ``organizations``: an organization with bodies, members and events; agreements, projects;
- ``search``: one search box over all of them; ``resources``: any node by its IRI;
- ``stats``: what the graph holds.
"""
