#!/usr/bin/env bash
# Neo4j 5 Community on 127.0.0.1, fetched through Maven Central, run without Docker.
#
#   neo4j.sh fetch    resolve the server's jars with Maven into the cache (once)
#   neo4j.sh start    start it in the background; return once Bolt accepts a login; print the bolt:// URI
#   neo4j.sh stop     stop it and wait for it to exit
#   neo4j.sh status   say whether it runs (exit 0) or not (exit 3)
#   neo4j.sh uri      print the bolt:// URI
#   neo4j.sh password print the password of user neo4j
#   neo4j.sh reset    stop it and delete its run folder (data, logs, password)
#
# See README.md beside this script for the environment variables.
set -euo pipefail
PROG="neo4j.sh"
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

NEO4J_VERSION="${NEO4J_VERSION:-5.26.30}"
server_layout neo4j "$NEO4J_VERSION" "${NEO4J_RUN_DIR:-}"
PIDFILE="$RUN/run/neo4j.pid"
PWFILE="$RUN/password"
PORTSFILE="$RUN/run/ports"
MAIN="org.neo4j.server.CommunityEntryPoint"
MARKER="--home-dir=$RUN"

# Ports: the environment, else those of the running server, else the defaults.
saved_port() { if [[ -f "$PORTSFILE" ]]; then sed -n "s/^$1=//p" "$PORTSFILE"; fi; }
BOLT_PORT="${NEO4J_BOLT_PORT:-7687}"
HTTP_PORT="${NEO4J_HTTP_PORT:-7474}"
RUNNING_ELSEWHERE=""
if pid_alive "$PIDFILE" "$MARKER" && [[ -f "$PORTSFILE" ]]; then
  if [[ "$(saved_port bolt)" != "$BOLT_PORT" || "$(saved_port http)" != "$HTTP_PORT" ]]; then
    [[ -z "${NEO4J_BOLT_PORT:-}${NEO4J_HTTP_PORT:-}" ]] || RUNNING_ELSEWHERE=1
    BOLT_PORT="$(saved_port bolt)"; HTTP_PORT="$(saved_port http)"
  fi
fi
URI="bolt://127.0.0.1:$BOLT_PORT"

cmd_fetch() {
  find_java
  fetch_libs "Neo4j $NEO4J_VERSION" "$DIST" "$SERVERS_DIR/neo4j" -Dneo4j.version="$NEO4J_VERSION"
}

# The password: NEO4J_PASSWORD, else the one kept in the run folder, else a new one
# (kept there, mode 600, and printed this once).
resolve_password() {
  local stored=""
  [[ -f "$PWFILE" ]] && stored="$(cat "$PWFILE")"
  if [[ -n "${NEO4J_PASSWORD:-}" ]]; then
    PASSWORD="$NEO4J_PASSWORD"
    if [[ -n "$stored" && "$stored" != "$PASSWORD" && -d "$RUN/data/databases/system" ]]; then
      die "the database in $RUN was created with another password (kept in $PWFILE); unset NEO4J_PASSWORD, set it to that one, or '$PROG reset' to start afresh"
    fi
  elif [[ -n "$stored" ]]; then
    PASSWORD="$stored"
  else
    PASSWORD="$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
    GENERATED=1
  fi
  (( ${#PASSWORD} >= 8 )) || die "NEO4J_PASSWORD must have at least 8 characters (Neo4j's minimum)"
  [[ "$PASSWORD" != "neo4j" ]] || die "NEO4J_PASSWORD may not be 'neo4j' (Neo4j refuses its default password)"
  [[ "$PASSWORD" != *$'\n'* ]] || die "NEO4J_PASSWORD may not contain a newline"
  (umask 077; printf '%s' "$PASSWORD" > "$PWFILE")
}

write_conf() {
  local timeout="${NEO4J_TX_TIMEOUT:-0s}"
  cat > "$RUN/conf/neo4j.conf" <<EOF
# Written by tools/servers/neo4j.sh at each start; edits here are lost.
server.directories.lib=$LIB
server.directories.data=$RUN/data
server.directories.logs=$RUN/logs
server.directories.run=$RUN/run
server.directories.plugins=$RUN/plugins
server.directories.import=$RUN/import
server.directories.licenses=$RUN/licenses
server.directories.dumps.root=$RUN/data/dumps

server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:$BOLT_PORT
server.bolt.advertised_address=127.0.0.1:$BOLT_PORT
server.http.enabled=true
server.http.listen_address=127.0.0.1:$HTTP_PORT
server.http.advertised_address=127.0.0.1:$HTTP_PORT
server.https.enabled=false

dbms.security.auth_enabled=true
dbms.usage_report.enabled=false

# Memory: the heap is set on the java command line (NEO4J_HEAP); a small page cache.
server.memory.pagecache.size=${NEO4J_PAGECACHE:-128m}
# Server-side limit on every transaction (NEO4J_TX_TIMEOUT, e.g. 30s; 0s = none).
db.transaction.timeout=$timeout
# Transaction logs: files of 64 MB, not preallocated (by default each database takes
# 256 MB of disk at once), at most 256 MB kept (by default, two days' worth).
db.tx_log.preallocate=false
db.tx_log.rotation.size=64M
db.tx_log.rotation.retention_policy=256M size

# Bolt's thread pools close in ~0.1 s instead of 2 x 5 s on shutdown.
internal.dbms.bolt.netty_server_shutdown_quiet_period=0
internal.dbms.bolt.netty_server_shutdown_timeout=2s
EOF
  if [[ -n "${NEO4J_CONF_EXTRA:-}" ]]; then printf '%s\n' "$NEO4J_CONF_EXTRA" >> "$RUN/conf/neo4j.conf"; fi
}

cmd_start() {
  find_java
  require_fetched "Neo4j $NEO4J_VERSION" "$DIST"
  mkdir -p "$RUN/conf" "$RUN/data" "$RUN/logs" "$RUN/run" "$RUN/plugins" "$RUN/import" "$RUN/licenses"
  GENERATED=0
  resolve_password
  if reuse_running "$URI" "ports $BOLT_PORT/$HTTP_PORT, not those asked for"; then return 0; fi
  check_port "$BOLT_PORT" NEO4J_BOLT_PORT
  check_port "$HTTP_PORT" NEO4J_HTTP_PORT
  [[ "$BOLT_PORT" != "$HTTP_PORT" ]] || die "NEO4J_BOLT_PORT and NEO4J_HTTP_PORT are both $BOLT_PORT"
  write_conf
  printf 'bolt=%s\nhttp=%s\n' "$BOLT_PORT" "$HTTP_PORT" > "$PORTSFILE"

  # The password of user neo4j is set before the first start only: data/dbms/auth.ini,
  # read when the system database is created. launch.py writes it as neo4j-admin dbms
  # set-initial-password does (NEO4J_ADMIN_TOOL=1: run that tool instead, a JVM start more).
  if [[ ! -d "$RUN/data/databases/system" ]]; then
    if [[ "${NEO4J_ADMIN_TOOL:-0}" == 1 ]]; then
      NEO4J_HOME="$RUN" NEO4J_CONF="$RUN/conf" "$JAVA" -Xmx256m -cp "$LIB/*" \
        org.neo4j.server.startup.Neo4jAdminCommand dbms set-initial-password "$PASSWORD" \
        >"$RUN/logs/set-initial-password.log" 2>&1 \
        || die "setting the initial password failed: $(tail -3 "$RUN/logs/set-initial-password.log" | tr '\n' ' ')"
    else
      "$PYTHON" "$SERVERS_DIR/launch.py" neo4j-initial-password --data-dir "$RUN/data" --password-file "$PWFILE" \
        || die "could not write $RUN/data/dbms/auth.ini"
    fi
  fi
  if (( GENERATED )); then
    say "generated a password for user neo4j: $PASSWORD (kept in $PWFILE)"
  fi

  local heap="${NEO4J_HEAP:-1g}" cds
  cds="$(cds_opts "$LIB")"
  # The JVM options of Neo4j's own neo4j.conf (server.jvm.additional), less AlwaysPreTouch.
  # shellcheck disable=SC2086
  launch_detached "$PIDFILE" "$RUN/logs/console.log" "$JAVA" \
    -Xms"${NEO4J_HEAP_INITIAL:-256m}" -Xmx"$heap" $cds \
    -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow -XX:+UnlockExperimentalVMOptions \
    -XX:+TrustFinalNonStaticFields -XX:+DisableExplicitGC -XX:+ExitOnOutOfMemoryError \
    -Djdk.nio.maxCachedBufferSize=1024 -Dio.netty.tryReflectionSetAccessible=true \
    -Djdk.tls.ephemeralDHKeySize=2048 -Djdk.tls.rejectClientInitiatedRenegotiation=true \
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED -Dlog4j2.disable.jmx=true -Dfile.encoding=UTF-8 \
    ${NEO4J_JAVA_OPTS:-} -cp "$LIB/*" "$MAIN" "$MARKER" --config-dir="$RUN/conf"
  say "started pid $(cat "$PIDFILE"): Neo4j $NEO4J_VERSION, data and logs in $RUN"
  wait_ready "${NEO4J_START_TIMEOUT:-180}"
  echo "$URI"
}

# Return once Bolt accepts a login with the password and the HTTP port answers.
wait_ready() {
  local t0=$SECONDS
  if ! "$PYTHON" "$SERVERS_DIR/launch.py" wait-neo4j --bolt-port "$BOLT_PORT" --http-port "$HTTP_PORT" \
        --password-file "$PWFILE" --pid "$(cat "$PIDFILE")" --timeout "$1" >&2; then
    echo "--- last lines of $RUN/logs/neo4j.log:" >&2
    tail -15 "$RUN/logs/neo4j.log" 2>/dev/null >&2 || true
    tail -5 "$RUN/logs/console.log" 2>/dev/null >&2 || true
    die "Neo4j did not become ready (logs in $RUN/logs)"
  fi
  say "ready in $((SECONDS - t0)) s: $URI (http://127.0.0.1:$HTTP_PORT), user neo4j"
}

cmd_stop() {
  stop_server "${NEO4J_STOP_TIMEOUT:-120}"
  rm -f "$PORTSFILE"
}

cmd_password() {
  [[ -f "$PWFILE" ]] || die "no password yet in $PWFILE (start the server once)"
  cat "$PWFILE"; echo
}


case "${1:-}" in
  fetch) cmd_fetch ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) show_status "$URI and http://127.0.0.1:$HTTP_PORT" ;;
  uri) echo "$URI" ;;
  password) cmd_password ;;
  reset) cmd_reset ;;
  *) echo "usage: $PROG {fetch|start|stop|status|uri|password|reset}" >&2; exit 2 ;;
esac
