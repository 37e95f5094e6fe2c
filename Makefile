# One command to set up and run the main job, one to run the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STORE  ?= data/store

.PHONY: run serve setup build query test eval bench clean neo4j neo4j-stop servers

# The main job: build the graph from the bundled report (when there is none yet) and serve it.
run: serve

serve: setup
	$(BIN)/kg serve --store $(STORE)

query: build
	$(BIN)/kg stats --store $(STORE)
	$(BIN)/kg query @graph/sparql/queries/who_met_whom_top.rq --store $(STORE)

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: setup
	$(BIN)/kg build --store $(STORE)

test: setup servers
	$(BIN)/python -m pytest

# The real servers the tests start (Neo4j, Fuseki), fetched through Maven once; without
# Java and Maven the tests that need them are skipped.
servers:
	@if command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1; then \
		bash tools/servers/neo4j.sh fetch && bash tools/servers/fuseki.sh fetch; \
	else \
		echo "make: no java and mvn here: the tests against Neo4j and Fuseki will be skipped"; \
	fi

eval: build
	$(BIN)/kg export --store $(STORE) --format turtle --out data/graph.ttl
	$(BIN)/python ../shared/tools/kgeval.py --graph data/graph.ttl --gold ../shared/gold/dev.jsonl

bench: setup
	$(BIN)/kg bench

# A real Neo4j 5 (Community) on 127.0.0.1, no Docker: fetched through Maven once, then
# started in the background; prints its bolt:// URI (tools/servers/README.md).
neo4j:
	bash tools/servers/neo4j.sh fetch
	bash tools/servers/neo4j.sh start

neo4j-stop:
	bash tools/servers/neo4j.sh stop

clean:
	rm -rf data build *.egg-info
