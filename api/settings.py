"""One typed settings object for every part of the product, read from the environment
(``KG_*``, and ``NEO4J_*`` for the mirror). The service and the commands read it and
pass what each part needs; nothing under ``graph/`` reads the environment.

    >>> Settings(store="/tmp/kg").store
    '/tmp/kg'
"""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KG_", env_file=".env", extra="ignore")

    store: str = Field("data/store", description="Directory of the embedded store, or http(s) URL of a SPARQL server")
    query_timeout: float = Field(10.0, gt=0, description="Seconds a SPARQL query may run")
    result_limit: int = Field(100_000, gt=0, description="Most result rows (or triples) one query may return")
    body_limit: int = Field(1_000_000, gt=0, description="Largest request body accepted, in bytes")
    build_max_loss: float = Field(0.10, ge=0, le=1, description="Share of its chronicle events or statements a "
                                                                "report's graph may lose in a rebuild (kg build "
                                                                "refuses more unless --force)")
    admin_token: str = Field("", description="Bearer token that allows SPARQL Update; empty refuses all updates")
    query_workers: int = Field(4, gt=0, le=64, description="SPARQL queries the service runs at once in their first "
                                                           "QUERY_LONG_AFTER seconds, each in a worker process of "
                                                           "its own")
    query_long_workers: int = Field(2, ge=0, le=64, description="SPARQL queries that may run longer than "
                                                                "QUERY_LONG_AFTER at once; another is stopped then")
    query_long_after: float = Field(0.5, gt=0, description="Seconds after which a SPARQL query counts as long")
    query_backlog: int | None = Field(None, ge=0, description="SPARQL queries that may wait for a worker (default: "
                                                              "eight times QUERY_WORKERS); more are refused as busy")
    query_memory: float = Field(512, gt=0, description="Memory in MB one SPARQL query may take beyond the graph; "
                                                        "past it the query is stopped")
    query_depth: int = Field(64, gt=0, le=1000, description="Deepest nesting of brackets and operators a SPARQL "
                                                            "request may have")
    sparql_query_url: str = Field("", description="Query endpoint of a SPARQL store (default: STORE/query)")
    sparql_update_url: str = Field("", description="Update endpoint of a SPARQL store (default: STORE/update)")
    sparql_store_url: str = Field("", description="Graph Store Protocol endpoint of a SPARQL store "
                                                   "(default: STORE/store)")
    sparql_union_default_graph: bool = Field(False, description="The SPARQL store's default graph is the union of "
                                                                "its named graphs (Fuseki's unionDefaultGraph, "
                                                                "GraphDB, Virtuoso): queries name no dataset")
    neo4j_uri: str = Field("", validation_alias=AliasChoices("NEO4J_URI", "KG_NEO4J_URI"))
    neo4j_user: str = Field("neo4j", validation_alias=AliasChoices("NEO4J_USER", "KG_NEO4J_USER"))
    neo4j_password: str = Field("", validation_alias=AliasChoices("NEO4J_PASSWORD", "KG_NEO4J_PASSWORD"))
    neo4j_database: str = Field("", validation_alias=AliasChoices("NEO4J_DATABASE", "KG_NEO4J_DATABASE"))
    neo4j_bolt_port: int = Field(7687, gt=0, lt=65536, validation_alias=AliasChoices("NEO4J_BOLT_PORT",
                                                                                    "KG_NEO4J_BOLT_PORT"),
                                 description="Bolt port of the local Neo4j `make neo4j` starts")
    mirror_tx_timeout: float = Field(60.0, gt=0, description="Seconds the server lets one transaction of a "
                                                             "mirror sync run")

    def mirror_uri(self) -> str:
        """The Neo4j server ``kg mirror`` syncs: ``NEO4J_URI``, else the local one
        ``make neo4j`` starts.

        >>> Settings(neo4j_uri="", neo4j_bolt_port=7688).mirror_uri()
        'bolt://127.0.0.1:7688'
        """
        return self.neo4j_uri or f"bolt://127.0.0.1:{self.neo4j_bolt_port}"

    def store_options(self) -> dict:
        """What ``graph.stores.open_store`` needs besides the location: a SPARQL
        server's endpoints and how long one request to it may take."""
        return {"query_url": self.sparql_query_url, "update_url": self.sparql_update_url,
                "store_url": self.sparql_store_url, "union_default_graph": self.sparql_union_default_graph,
                "timeout": self.query_timeout}
