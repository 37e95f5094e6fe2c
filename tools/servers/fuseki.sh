#!/usr/bin/env bash
# Apache Jena Fuseki on 127.0.0.1, fetched through Maven Central, run without Docker.
# One dataset (/kg by default), TDB2 on disk (or in memory), whose default graph is the
# union of its named graphs, open to SPARQL query, SPARQL update and the Graph Store
# Protocol.
#
#   fuseki.sh fetch    resolve the server's jars with Maven into the cache (once)
#   fuseki.sh start    start it in the background; return once a query answers; print the dataset URL
#   fuseki.sh stop     stop it and wait for it to exit
#   fuseki.sh status   say whether it runs (exit 0) or not (exit 3)
#   fuseki.sh url      print the dataset URL (http://127.0.0.1:3030/kg)
#   fuseki.sh reset    stop it and delete its run folder (data and log)
#
# See README.md beside this script for the environment variables.
set -euo pipefail
PROG="fuseki.sh"
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

FUSEKI_VERSION="${FUSEKI_VERSION:-5.6.0}"
server_layout fuseki "$FUSEKI_VERSION" "${FUSEKI_RUN_DIR:-}"
PIDFILE="$RUN/fuseki.pid"
PORTFILE="$RUN/port"
CONFIG="$RUN/config.ttl"
MAIN="org.apache.jena.fuseki.main.cmds.FusekiMainCmd"
MARKER="--config=$CONFIG"
DATASET="${FUSEKI_DATASET:-kg}"
[[ "$DATASET" =~ ^[A-Za-z0-9_-]+$ ]] || die "FUSEKI_DATASET=$DATASET: use letters, digits, - and _ only"

PORT="${FUSEKI_PORT:-3030}"
RUNNING_ELSEWHERE=""
if pid_alive "$PIDFILE" "$MARKER" && [[ -f "$PORTFILE" && "$(cat "$PORTFILE")" != "$PORT" ]]; then
  [[ -z "${FUSEKI_PORT:-}" ]] || RUNNING_ELSEWHERE=1
  PORT="$(cat "$PORTFILE")"
fi
URL="http://127.0.0.1:$PORT/$DATASET"

cmd_fetch() {
  find_java
  fetch_libs "Fuseki $FUSEKI_VERSION" "$DIST" "$SERVERS_DIR/fuseki" -Djena.version="$FUSEKI_VERSION"
}

# The assembler configuration: one service, one TDB2 dataset.
write_config() {
  local location union="" timeout=""
  if [[ "${FUSEKI_MEM:-0}" == 1 ]]; then location="--mem--"; else location="$RUN/tdb2"; mkdir -p "$location"; fi
  if [[ "${FUSEKI_UNION:-1}" == 1 ]]; then
    union='    # Queries see the union of the named graphs as the default graph.
    tdb2:unionDefaultGraph true ;'
  fi
  # A server-wide limit on query time (the context of fuseki:Server).
  if [[ -n "${FUSEKI_QUERY_TIMEOUT_MS:-}" ]]; then
    [[ "$FUSEKI_QUERY_TIMEOUT_MS" =~ ^[0-9]+$ ]] || die "FUSEKI_QUERY_TIMEOUT_MS must be a number of milliseconds"
    timeout="    ja:context [ ja:cxtName \"arq:queryTimeout\" ; ja:cxtValue \"$FUSEKI_QUERY_TIMEOUT_MS\" ] ;"
  fi
  cat > "$CONFIG" <<EOF
# Written by tools/servers/fuseki.sh at each start; edits here are lost.
PREFIX fuseki: <http://jena.apache.org/fuseki#>
PREFIX rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX ja:     <http://jena.hpl.hp.com/2005/11/Assembler#>
PREFIX tdb2:   <http://jena.apache.org/2016/tdb#>

[] rdf:type fuseki:Server ;
$timeout
    .

<#service> rdf:type fuseki:Service ;
    fuseki:name "$DATASET" ;
    # /$DATASET itself: query, update and Graph Store Protocol, told apart by the request.
    fuseki:endpoint [ fuseki:operation fuseki:query ] ;
    fuseki:endpoint [ fuseki:operation fuseki:update ] ;
    fuseki:endpoint [ fuseki:operation fuseki:gsp-rw ] ;
    # Named endpoints: Fuseki's usual ones, and Oxigraph's layout (query, update, store).
    fuseki:endpoint [ fuseki:operation fuseki:query ; fuseki:name "query" ] ;
    fuseki:endpoint [ fuseki:operation fuseki:query ; fuseki:name "sparql" ] ;
    fuseki:endpoint [ fuseki:operation fuseki:update ; fuseki:name "update" ] ;
    fuseki:endpoint [ fuseki:operation fuseki:gsp-rw ; fuseki:name "data" ] ;
    fuseki:endpoint [ fuseki:operation fuseki:gsp-rw ; fuseki:name "store" ] ;
    fuseki:endpoint [ fuseki:operation fuseki:gsp-r ; fuseki:name "get" ] ;
    fuseki:dataset <#dataset> .

<#dataset> rdf:type tdb2:DatasetTDB2 ;
$union
    tdb2:location "$location" .
EOF
}

cmd_start() {
  find_java
  require_fetched "Fuseki $FUSEKI_VERSION" "$DIST"
  mkdir -p "$RUN"
  if reuse_running "$URL" "port $PORT, not the one asked for"; then return 0; fi
  check_port "$PORT" FUSEKI_PORT
  write_config
  echo "$PORT" > "$PORTFILE"
  local cds
  cds="$(cds_opts "$LIB")"
  # Fuseki reads log4j2.properties from its working folder when there is one: run in $RUN.
  # shellcheck disable=SC2086
  (cd "$RUN" && launch_detached "$PIDFILE" "$RUN/fuseki.log" "$JAVA" \
    -Xmx"${FUSEKI_HEAP:-1g}" $cds -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Dfile.encoding=UTF-8 \
    ${FUSEKI_JAVA_OPTS:-} -cp "$LIB/*" "$MAIN" --localhost --port="$PORT" --ping "$MARKER")
  say "started pid $(cat "$PIDFILE"): Fuseki $FUSEKI_VERSION, dataset /$DATASET ($( [[ "${FUSEKI_MEM:-0}" == 1 ]] && echo "in memory" || echo "TDB2 in $RUN/tdb2")), log $RUN/fuseki.log"
  wait_ready "${FUSEKI_START_TIMEOUT:-120}"
  echo "$URL"
}

wait_ready() {
  local t0=$SECONDS
  if ! "$PYTHON" "$SERVERS_DIR/launch.py" wait-http --url "http://127.0.0.1:$PORT/\$/ping" \
        --query-url "$URL/query" --pid "$(cat "$PIDFILE")" --timeout "$1" >&2; then
    echo "--- last lines of $RUN/fuseki.log:" >&2
    tail -15 "$RUN/fuseki.log" >&2 2>/dev/null || true
    die "Fuseki did not become ready (log in $RUN/fuseki.log)"
  fi
  say "ready in $((SECONDS - t0)) s: $URL (query $URL/query, update $URL/update, graph store $URL/store)"
}

cmd_stop() {
  stop_server "${FUSEKI_STOP_TIMEOUT:-60}"
  rm -f "$PORTFILE"
}

case "${1:-}" in
  fetch) cmd_fetch ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) show_status "$URL" ;;
  url) echo "$URL" ;;
  reset) cmd_reset ;;
  *) echo "usage: $PROG {fetch|start|stop|status|url|reset}" >&2; exit 2 ;;
esac
