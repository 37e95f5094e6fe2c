import pytest


@pytest.fixture(scope="session", params=["neo4j", "falkordb"])
def bolt(request):
    """Each Bolt server the mirror supports, in turn: the same tests run on both
    (those FalkorDB cannot pass skip, with the reason)."""
    return request.getfixturevalue(f"{request.param}_server")
