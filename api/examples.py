"""Examples for the OpenAPI description: one per endpoint, taken from the graph of the
bundled report (lists cut short). ``tests/test_api.py`` checks each against its model."""

from __future__ import annotations

from .models import ErrorBody, ValidationErrorBody

__all__ = ["ok", "export_response", "PERSON_PAGE", "PERSON_DETAIL", "MEETING_PAGE", "EVENT_PAGE", "EVENT_DETAIL",
           "ORGANIZATION_DETAIL", "WORK_PAGE", "STATS", "SPARQL_QUERY", "SPARQL_RESPONSES", "SPARQL_POST_BODY",
           "NODE_RESPONSES", "EVENT_ID"]

PERSON_PAGE = {'total': 1,
 'limit': 50,
 'offset': 0,
 'next_offset': None,
 'items': [{'id': 'wang-yi',
            'iri': 'https://w3id.org/china-russia-dialogue/id/person/wang-yi',
            'label': 'Wang Yi',
            'labels': {'zh': '王毅', 'ru': 'Ван И', 'en': 'Wang Yi'},
            'alt_labels': ['王毅国务委员', '王毅外长'],
            'pinyin': 'wáng yì',
            'score': 100.0}]}

PERSON_DETAIL = {'id': 'wang-yi',
 'iri': 'https://w3id.org/china-russia-dialogue/id/person/wang-yi',
 'label': 'Wang Yi',
 'labels': {'zh': '王毅', 'ru': 'Ван И', 'en': 'Wang Yi'},
 'alt_labels': ['王毅国务委员'],
 'pinyin': 'wáng yì',
 'score': None,
 'nationality': {'id': 'CN',
                 'kind': 'country',
                 'iri': 'https://w3id.org/china-russia-dialogue/id/country/CN',
                 'label': 'China',
                 'labels': {'zh': '中国', 'ru': 'Китай', 'en': 'China'}},
 'affiliation': None,
 'note': 'State Councilor and Minister of Foreign …',
 'offices': [{'office': {'id': 'cn-foreign-minister',
                         'kind': 'office',
                         'iri': 'https://w3id.org/china-russia-dialogue/id/office/cn-foreign-minister',
                         'label': 'Minister of Foreign Affairs of China',
                         'labels': {'zh': '中国外交部长', 'en': 'Minister of Foreign Affairs of China'}},
              'organization': {'id': 'cn-mfa',
                               'kind': 'organization',
                               'iri': 'https://w3id.org/china-russia-dialogue/id/organization/cn-mfa',
                               'label': 'Ministry of Foreign Affairs of the Peopl…',
                               'labels': {'zh': '中华人民共和国外交部',
                                          'ru': 'Министерство иностранных дел КНР',
                                          'en': 'Ministry of Foreign Affairs of the Peopl…'}},
              'start': '2013-03-16',
              'end': '2022-12-30'}],
 'events': [{'event': {'id': 'crd-2021-zh-20200414-43287b78',
                       'kind': 'event',
                       'iri': 'https://w3id.org/china-russia-dialogue/id/event/crd-2021-zh-20200414-43287b78',
                       'label': '中俄外长通电话',
                       'labels': {'zh': '中俄外长通电话'}},
             'date': '2020-04-14',
             'type': 'CONSULT',
             'role': 'participant',
             'inferred_from': None}],
 'mentioned_in': [{'event': {'id': 'crd-2021-zh-20005-20126',
                             'kind': 'passage',
                             'iri': 'https://w3id.org/china-russia-dialogue/id/passage/crd-2021-zh-20005-20126',
                             'label': 'crd-2021-zh-20005-20126',
                             'labels': {}},
                   'date': None,
                   'type': None,
                   'role': 'mentions',
                   'inferred_from': None}],
 'met_count': 48}

MEETING_PAGE = {'total': 16,
 'limit': 1,
 'offset': 0,
 'next_offset': 1,
 'items': [{'person': {'id': 'wang-yi',
                       'kind': 'person',
                       'iri': 'https://w3id.org/china-russia-dialogue/id/person/wang-yi',
                       'label': 'Wang Yi',
                       'labels': {'zh': '王毅', 'ru': 'Ван И', 'en': 'Wang Yi'}},
            'counterpart': {'id': 'sergey-lavrov',
                            'kind': 'person',
                            'iri': 'https://w3id.org/china-russia-dialogue/id/person/sergey-lavrov',
                            'label': 'Sergey Lavrov',
                            'labels': {'ru': 'Сергей Викторович Лавров', 'zh': '拉夫罗夫', 'en': 'Sergey Lavrov'}},
            'date': '2020-09-10',
            'end_date': '2020-09-10',
            'event': {'id': 'crd-2021-zh-20200910-640183e5',
                      'kind': 'event',
                      'iri': 'https://w3id.org/china-russia-dialogue/id/event/crd-2021-zh-20200910-640183e5',
                      'label': '中俄印外长在莫斯科会面',
                      'labels': {'zh': '中俄印外长在莫斯科会面'}},
            'type': 'CONSULT',
            'form': 'meeting',
            'places': [{'id': 'moscow',
                        'kind': 'place',
                        'iri': 'https://w3id.org/china-russia-dialogue/id/place/moscow',
                        'label': 'Moscow',
                        'labels': {'zh': '莫斯科', 'ru': 'Москва', 'en': 'Moscow'}}],
            'frameworks': [{'id': 'RIC',
                            'kind': 'framework',
                            'iri': 'https://w3id.org/china-russia-dialogue/id/framework/RIC',
                            'label': 'Russia–India–China',
                            'labels': {'en': 'Russia–India–China', 'zh': '中俄印'}}],
            'counterpart_inferred_from': None,
            'evidence': [{'id': 'crd-2021-zh-51717-51832',
                          'iri': 'https://w3id.org/china-russia-dialogue/id/passage/crd-2021-zh-51717-51832',
                          'text': '2020年9月10日\n\n中俄印外长在莫斯科会面\n\n会晤期间王毅、拉夫罗夫和苏杰生…',
                          'start': 51717,
                          'end': 51832,
                          'line': 1053,
                          'report': 'crd-2021-zh'}]}]}

EVENT_PAGE = {'total': 17,
 'limit': 2,
 'offset': 0,
 'next_offset': 2,
 'items': [{'id': 'crd-2021-zh-20200414-43287b78',
            'iri': 'https://w3id.org/china-russia-dialogue/id/event/crd-2021-zh-20200414-43287b78',
            'label': '中俄外长通电话',
            'date': '2020-04-14',
            'end_date': '2020-04-14',
            'type': 'CONSULT',
            'form': 'phone_call'},
           {'id': 'crd-2021-zh-20200428-8d3ec205',
            'iri': 'https://w3id.org/china-russia-dialogue/id/event/crd-2021-zh-20200428-8d3ec205',
            'label': '金砖国家应对新冠肺炎疫情特别外长视频会议',
            'date': '2020-04-28',
            'end_date': '2020-04-28',
            'type': 'CONSULT',
            'form': 'video_conference'}]}

EVENT_DETAIL = {'id': 'crd-2021-zh-20200910-640183e5',
 'iri': 'https://w3id.org/china-russia-dialogue/id/event/crd-2021-zh-20200910-640183e5',
 'label': '中俄印外长在莫斯科会面',
 'date': '2020-09-10',
 'end_date': '2020-09-10',
 'type': 'CONSULT',
 'form': 'meeting',
 'description': '会晤期间王毅、拉夫罗夫和苏杰生讨论了中俄印进一步巩固合作的前景，大家就国际和地区…',
 'online': False,
 'section': {'id': 'global-governance',
             'kind': 'section',
             'iri': 'https://w3id.org/china-russia-dialogue/id/section/global-governance',
             'label': 'Regional and global issues',
             'labels': {'en': 'Regional and global issues'}},
 'report': {'id': 'crd-2021-zh',
            'kind': 'report',
            'iri': 'https://w3id.org/china-russia-dialogue/id/report/crd-2021-zh',
            'label': '中俄对话：2021 模式',
            'labels': {'zh': '中俄对话：2021 模式'}},
 'actors': [{'node': {'id': 'CN',
                      'kind': 'country',
                      'iri': 'https://w3id.org/china-russia-dialogue/id/country/CN',
                      'label': 'China',
                      'labels': {'zh': '中国', 'ru': 'Китай', 'en': 'China'}},
             'role': 'participant',
             'inferred_from': None},
            {'node': {'id': 'IN',
                      'kind': 'country',
                      'iri': 'https://w3id.org/china-russia-dialogue/id/country/IN',
                      'label': 'India',
                      'labels': {'zh': '印度', 'ru': 'Индия', 'en': 'India'}},
             'role': 'participant',
             'inferred_from': None}],
 'mentions': [],
 'places': [{'id': 'moscow',
             'kind': 'place',
             'iri': 'https://w3id.org/china-russia-dialogue/id/place/moscow',
             'label': 'Moscow',
             'labels': {'zh': '莫斯科', 'ru': 'Москва', 'en': 'Moscow'}}],
 'frameworks': [{'id': 'RIC',
                 'kind': 'framework',
                 'iri': 'https://w3id.org/china-russia-dialogue/id/framework/RIC',
                 'label': 'Russia–India–China',
                 'labels': {'en': 'Russia–India–China', 'zh': '中俄印'}}],
 'about': [],
 'evidence': [{'id': 'crd-2021-zh-51717-51832',
               'iri': 'https://w3id.org/china-russia-dialogue/id/passage/crd-2021-zh-51717-51832',
               'text': '2020年9月10日\n\n中俄印外长在莫斯科会面\n\n会晤期间王毅、拉夫罗夫和苏杰生…',
               'start': 51717,
               'end': 51832,
               'line': 1053,
               'report': 'crd-2021-zh'}]}

EVENT_ID = 'crd-2021-zh-20200910-640183e5'

ORGANIZATION_DETAIL = {'id': 'sco',
 'iri': 'https://w3id.org/china-russia-dialogue/id/organization/sco',
 'label': 'Shanghai Cooperation Organisation',
 'labels': {'zh': '上海合作组织',
            'ru': 'Шанхайская организация сотрудничества',
            'en': 'Shanghai Cooperation Organisation'},
 'alt_labels': ['SCO'],
 'types': ['IntergovernmentalOrganization'],
 'notation': 'SCO',
 'location': None,
 'parent': [],
 'bodies': [{'id': 'sco-regional-leaders-forum',
             'kind': 'organization',
             'iri': 'https://w3id.org/china-russia-dialogue/id/organization/sco-regional-leaders-forum',
             'label': 'Forum of Heads of Regions of SCO Member …',
             'labels': {'zh': '上海合作组织成员国地区领导人论坛',
                        'ru': 'Форум глав регионов государств — членов …',
                        'en': 'Forum of Heads of Regions of SCO Member …'}}],
 'members': [{'organization': {'id': 'sco',
                               'kind': 'organization',
                               'iri': 'https://w3id.org/china-russia-dialogue/id/organization/sco',
                               'label': 'Shanghai Cooperation Organisation',
                               'labels': {'zh': '上海合作组织',
                                          'ru': 'Шанхайская организация сотрудничества',
                                          'en': 'Shanghai Cooperation Organisation'}},
              'member': {'id': 'AF',
                         'kind': 'country',
                         'iri': 'https://w3id.org/china-russia-dialogue/id/country/AF',
                         'label': 'Afghanistan',
                         'labels': {'ru': 'Афганистан', 'zh': '阿富汗', 'en': 'Afghanistan'}},
              'role': 'observer',
              'start': '2012-06-07',
              'end': None}],
 'memberships': [],
 'offices': [{'id': 'sco-secretary-general',
              'kind': 'office',
              'iri': 'https://w3id.org/china-russia-dialogue/id/office/sco-secretary-general',
              'label': 'Secretary-General of the Shanghai Cooper…',
              'labels': {'zh': '上海合作组织秘书长', 'en': 'Secretary-General of the Shanghai Cooper…'}}],
 'events': [{'event': {'id': 'crd-2021-zh-20200401-49eb84f6',
                       'kind': 'event',
                       'iri': 'https://w3id.org/china-russia-dialogue/id/event/crd-2021-zh-20200401-49eb84f6',
                       'label': '上海合作组织成员国卫生部长会议专家视频预备会议',
                       'labels': {'zh': '上海合作组织成员国卫生部长会议专家视频预备会议'}},
             'date': '2020-04-01',
             'type': 'CONSULT',
             'role': 'participant',
             'inferred_from': None}]}

WORK_PAGE = {'total': 90,
 'limit': 1,
 'offset': 0,
 'next_offset': 1,
 'items': [{'id': 'sco-strategy-2025-action-plan-2021-2025',
            'iri': 'https://w3id.org/china-russia-dialogue/id/agreement/sco-strategy-2025-action-plan-2021-2025',
            'label': 'Action Plan for 2021-2025 for the implem…',
            'labels': {'zh': '上海合作组织至2025年发展战略2021—2025年行动计划',
                       'ru': 'План действий на 2021-2025 годы по реали…',
                       'en': 'Action Plan for 2021-2025 for the implem…'},
            'parties': [{'id': 'sco',
                         'kind': 'organization',
                         'iri': 'https://w3id.org/china-russia-dialogue/id/organization/sco',
                         'label': 'Shanghai Cooperation Organisation',
                         'labels': {'zh': '上海合作组织',
                                    'ru': 'Шанхайская организация сотрудничества',
                                    'en': 'Shanghai Cooperation Organisation'}}],
            'events': [{'id': 'crd-2021-zh-20201110-99d6399e',
                        'kind': 'event',
                        'iri': 'https://w3id.org/china-russia-dialogue/id/event/crd-2021-zh-20201110-99d6399e',
                        'label': '上海合作组织峰会通过的文件',
                        'labels': {'zh': '上海合作组织峰会通过的文件'}}]}]}

STATS = {'statements': 58557,
 'events': 644,
 'persons': 344,
 'organizations': 596,
 'countries': 196,
 'places': 466,
 'agreements': 90,
 'projects': 58,
 'passages': 903,
 'offices': 78,
 'office_terms': 280,
 'reports': 1,
 'frameworks (not organizations)': 15,
 'met_pairs': 129}

SPARQL_QUERY = """SELECT ?date ?title WHERE {
  VALUES (?a ?b) { (<https://w3id.org/china-russia-dialogue/id/person/wang-yi>
                    <https://w3id.org/china-russia-dialogue/id/person/sergey-lavrov>) }
  ?e sem:eventType/skos:notation ?type ; ?pa ?a ; ?pb ?b ; sem:hasBeginTimeStamp ?date ; rdfs:label ?title .
  ?pa rdfs:subPropertyOf* sem:hasActor . ?pb rdfs:subPropertyOf* sem:hasActor .
  FILTER(?type IN ("CONSULT", "AGREE"))
} ORDER BY ?date"""

_ERRORS = {
    400: ("Malformed query (with the parser's line and column), or an answer over the result-size limit",
          {"detail": "malformed SPARQL: error at 1:8: expected one of Prefix, Variable, *",
           "error": "malformed_query", "line": 1, "column": 8}),
    403: ("SPARQL Update without the admin token; SERVICE or LOAD, which would fetch a URL",
          {"detail": "SERVICE (federated query) is not allowed: this service does not fetch URLs that a query names",
           "error": "refused"}),
    404: ("No node with this id (close matches given)",
          {"detail": "no person with id 'wang-yl'; did you mean wang-yi, wang-yang?", "error": "unknown_id",
           "close_matches": ["wang-yi", "wang-yang"]}),
    406: ("None of the media types in Accept can carry the answer",
          {"detail": "none of the requested media types can carry this answer; available: text/turtle",
           "error": "not_acceptable", "allowed": ["text/turtle"]}),
    413: ("Request body over the limit", {"detail": "the request body is larger than the limit of 1000000 bytes "
                                                   "(KG_BODY_LIMIT)", "error": "body_too_large"}),
    503: ("Query past the time limit, or the service busy",
          {"detail": "the query ran longer than the time limit of 10 s; narrow it down or add a LIMIT",
           "error": "timeout"}),
}


def _error_responses(*codes: int) -> dict:
    return {c: {"model": ErrorBody, "description": _ERRORS[c][0],
                "content": {"application/json": {"example": _ERRORS[c][1]}}} for c in codes}


def ok(example: dict, *errors: int) -> dict:
    """``responses=`` for a JSON endpoint: its example, and the errors it can give."""
    out = {200: {"content": {"application/json": {"example": example}}},
           422: {"model": ValidationErrorBody, "description": "Parameters that are not valid"}}
    out.update(_error_responses(*errors))
    return out


_SELECT_JSON = {"head": {"vars": ["date", "title"]}, "results": {"bindings": [
    {"date": {"type": "literal", "value": "2020-04-14", "datatype": "http://www.w3.org/2001/XMLSchema#date"},
     "title": {"type": "literal", "value": "中俄外长通电话", "xml:lang": "zh"}}]}}

SPARQL_RESPONSES = {
    200: {"description": "SELECT and ASK answers as SPARQL results (JSON, XML, CSV, TSV); CONSTRUCT and DESCRIBE "
                         "answers as RDF (Turtle, N-Triples, JSON-LD, RDF/XML, N3), by Accept",
          "content": {"application/sparql-results+json": {"example": _SELECT_JSON},
                      "application/sparql-results+xml": {"example": "<sparql …>"},
                      "text/csv": {"example": "date,title\r\n2020-04-14,中俄外长通电话\r\n"},
                      "text/tab-separated-values": {"example": '?date\t?title\n"2020-04-14"^^<http://www.w3.org/2001/'
                                                               'XMLSchema#date>\t"中俄外长通电话"@zh\n'},
                      "text/turtle": {"example": "<https://w3id.org/china-russia-dialogue/id/person/wang-yi> "
                                                 "skos:prefLabel \"Wang Yi\"@en ."},
                      "application/n-triples": {"example": "<https://w3id.org/china-russia-dialogue/id/person/wang-yi> "
                                                           "<http://www.w3.org/2004/02/skos/core#prefLabel> "
                                                           "\"Wang Yi\"@en ."},
                      "application/ld+json": {"example": [{"@id": "https://w3id.org/china-russia-dialogue/id/person/"
                                                                  "wang-yi"}]}}},
    204: {"description": "The update was applied"},
    **_error_responses(400, 403, 406, 413, 503),
}

_UPDATE = ('INSERT DATA { GRAPH <urn:x-notes> { <https://w3id.org/china-russia-dialogue/id/person/wang-yi> '
           'skos:note "…"@en } }')

SPARQL_POST_BODY = {"requestBody": {"required": True, "content": {
    "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
        "query": {"type": "string"}, "update": {"type": "string"},
        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
        "named-graph-uri": {"type": "array", "items": {"type": "string"}}}},
        "example": {"query": SPARQL_QUERY}},
    "application/sparql-query": {"schema": {"type": "string"}, "example": SPARQL_QUERY},
    "application/sparql-update": {"schema": {"type": "string"}, "example": _UPDATE}}}}

NODE_RESPONSES = {
    200: {"description": "The node: HTML for browsers, RDF (Turtle by default) for everyone else",
          "content": {"text/turtle": {"example": "<https://w3id.org/china-russia-dialogue/id/person/wang-yi> "
                                                 "a crd:Person ;\n  skos:prefLabel \"Wang Yi\"@en, \"王毅\"@zh ."},
                      "text/html": {"example": "<!doctype html><html>…<h1>Wang Yi</h1>…</html>"},
                      "application/ld+json": {"example": [{"@id": "https://w3id.org/china-russia-dialogue/id/person/"
                                                                  "wang-yi"}]}}},
    **_error_responses(404, 406),
}


def export_response(media: str) -> dict:
    return {200: {"description": "The whole graph, streamed",
                  "content": {media: {"example": "<https://w3id.org/china-russia-dialogue/id/person/wang-yi> "
                                                 "<http://www.w3.org/2004/02/skos/core#prefLabel> \"王毅\"@zh ."}}}}
