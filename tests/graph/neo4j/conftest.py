import pytest


@pytest.fixture(scope="session", params=["neo4j", "falkordb"])
def bolt(request):
    """Each Bolt server the mirror supports, in turn: the same tests run on both
    (those FalkorDB cannot pass skip, with the reason)."""
    return request.getfixturevalue(f"{request.param}_server")


@pytest.fixture(autouse=True)
def _bolt_server_running(request):
    """A server that crashed on its own between tests is started again (with a warning),
    so that one crash does not fail every test after it. Module fixtures that sync a
    mirror call ``revive`` themselves."""
    if "bolt" in request.fixturenames:
        request.getfixturevalue("bolt").revive()
