# One command to set up and run the main job, one to run the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STORE  ?= data/store

.PHONY: run serve setup setup-test build query test eval bench notebooks clean neo4j neo4j-stop servers

# The main job: build the graph from the bundled report (when there is none yet) and serve it.
run: serve

serve: setup
	$(BIN)/kg serve --store $(STORE)

query: build
	$(BIN)/kg stats --store $(STORE)
	$(BIN)/kg query @graph/sparql/queries/who_met_whom_top.rq --store $(STORE)

# Serving needs the product alone; the tests add their tools (the `test` extra). The
# editable install's notice from setuptools about same-named folders is not for users.
PIP = PYTHONWARNINGS=ignore::UserWarning $(BIN)/pip install --quiet --disable-pip-version-check

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) -e .
	touch $@

setup-test: $(VENV)/.installed-test

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) -e '.[test,ner]'
	touch $@

# JupyterLab with the notebooks, on the graph in $(STORE)
notebooks: build
	$(PIP) -e '.[notebooks]'
	KG_STORE=$(STORE) $(BIN)/jupyter lab notebooks/

build: setup
	$(BIN)/kg build --store $(STORE)

test: setup-test servers
	$(BIN)/python -m pytest

# The real servers the tests start (Neo4j, Fuseki), fetched through Maven once; without
# Java and Maven the tests that need them are skipped.
servers:
	@if command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1; then \
		bash tools/servers/neo4j.sh fetch && bash tools/servers/fuseki.sh fetch; \
	else \
		echo "make: no java and mvn here: the tests against Neo4j and Fuseki will be skipped"; \
	fi

# Scores the bundled report against its annotated entries, then every annotated excerpt of
# another edition (text NAME.zh.txt beside its annotations NAME.jsonl) built on its own.
GOLD ?= ../shared/gold
eval: build
	$(BIN)/kg export --store $(STORE) --format turtle --out data/graph.ttl
	$(BIN)/python $(GOLD)/../tools/kgeval.py --graph data/graph.ttl --gold $(GOLD)/dev.jsonl
	@for text in $(GOLD)/next-edition/*.zh.txt; do \
	  [ -f "$$text" ] || continue; name=$$(basename "$$text" .zh.txt); \
	  echo "== $$name"; \
	  $(BIN)/kg build --source "$$text" --store data/eval/$$name >/dev/null && \
	  $(BIN)/kg export --store data/eval/$$name --format turtle --out data/eval/$$name.ttl >/dev/null && \
	  $(BIN)/python $(GOLD)/../tools/kgeval.py --graph data/eval/$$name.ttl --gold $(GOLD)/next-edition/$$name.jsonl; \
	done

bench: setup-test
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
