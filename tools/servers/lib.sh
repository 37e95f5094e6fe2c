# shellcheck shell=bash disable=SC2034
# Shared by neo4j.sh and fuseki.sh (sourced, not run): cache folders, Java, the Maven
# fetch, the pid file, the class-data-sharing archive, stopping a server, and the
# commands both scripts have (status, stop, reset, a start that finds it running).
# Callers set: PROG (name for messages); for the commands, also what server_layout sets,
# PIDFILE and MARKER, and they define cmd_stop and wait_ready.

SERVERS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# stdlib-only helper for readiness checks (Bolt login, HTTP); any python3 will do.
PYTHON="${KG_PYTHON:-python3}"

die() { echo "$PROG: error: $*" >&2; exit 1; }
say() { echo "$PROG: $*" >&2; }

# Everything fetched or generated lives under this root.
cache_root() {
  if [[ -n "${KG_SERVERS_CACHE:-}" ]]; then echo "$KG_SERVERS_CACHE"
  else echo "${XDG_CACHE_HOME:-$HOME/.cache}/crd-kg"; fi
}

# server_layout NAME VERSION [RUN_DIR]: sets CACHE, DIST (the fetched server, NAME-VERSION
# in the cache), LIB (its jars, the whole class path) and RUN (its run folder: RUN_DIR,
# else run/NAME in the cache).
server_layout() {
  CACHE="$(cache_root)"
  DIST="$CACHE/$1-$2"
  LIB="$DIST/lib"
  RUN="$(realpath -m "${3:-$CACHE/run/$1}")"
}

# Maven's local repository: the default (~/.m2) unless KG_SERVERS_CACHE is set, then inside it.
maven_repo_args() {
  if [[ -n "${KG_SERVERS_CACHE:-}" ]]; then echo "-Dmaven.repo.local=$KG_SERVERS_CACHE/m2"; fi
}

# The java to run: KG_JAVA, else $JAVA_HOME/bin/java, else java on PATH; 17 or newer.
find_java() {
  local j="${KG_JAVA:-}"
  if [[ -z "$j" && -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/java" ]]; then j="$JAVA_HOME/bin/java"; fi
  [[ -n "$j" ]] || j="$(command -v java || true)"
  [[ -n "$j" && -x "$j" ]] || die "no java found (install JDK 17+, or set JAVA_HOME or KG_JAVA)"
  local v
  v="$("$j" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
  [[ -n "$v" && "$v" -ge 17 ]] || die "$j is Java ${v:-?}; Java 17 or newer is needed"
  JAVA="$j"
}

# fetch_libs NAME DEST POM_DIR [-Dprop=value ...]: copy the POM's runtime dependencies
# into DEST/lib with Maven, once. Written to a temporary folder and renamed, so an
# interrupted fetch leaves nothing half-made; a lock keeps two fetches apart.
fetch_libs() {
  local name="$1" dest="$2" pom="$3"; shift 3
  if [[ -f "$dest/.complete" ]]; then say "$name already fetched in $dest"; return 0; fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found: install Maven (apt-get install maven) to fetch $name"
  mkdir -p "$(dirname "$dest")"
  exec 9>"$(dirname "$dest")/.$(basename "$dest").lock"
  flock 9
  if [[ -f "$dest/.complete" ]]; then flock -u 9; say "$name already fetched in $dest"; return 0; fi
  local tmp="$dest.part.$$" t0=$SECONDS
  rm -rf "$tmp" "$dest"
  say "fetching $name through Maven into $dest ..."
  mkdir -p "$tmp"
  # shellcheck disable=SC2046
  if ! mvn -B -f "$pom/pom.xml" $(maven_repo_args) "$@" \
        dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp/lib" >"$tmp.log" 2>&1; then
    grep -E 'ERROR|FAIL' "$tmp.log" | head -20 >&2 || tail -20 "$tmp.log" >&2
    rm -rf "$tmp"; flock -u 9
    die "Maven could not fetch $name (its whole output: $tmp.log)"
  fi
  rm -f "$tmp.log"
  [[ -n "$(ls "$tmp/lib" 2>/dev/null)" ]] || { rm -rf "$tmp"; flock -u 9; die "Maven fetched no jar for $name"; }
  date -u +%FT%TZ > "$tmp/.complete"
  mv "$tmp" "$dest"
  flock -u 9
  say "fetched $name: $(find "$dest/lib" -name '*.jar' | wc -l) jars, $(du -sh "$dest/lib" | cut -f1), in $((SECONDS - t0)) s"
}

require_fetched() {  # NAME DEST
  [[ -f "$2/.complete" ]] || die "$1 is not fetched yet (in $2): run '$PROG fetch' first"
}

# pid_alive PIDFILE MARKER: true when the pid file names a live process whose command
# line holds MARKER (so a recycled pid is not taken for the server).
pid_alive() {
  local pidfile="$1" marker="$2" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"
}

# port_busy PORT: something accepts connections on 127.0.0.1:PORT.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

check_port() {  # PORT VARNAME
  [[ "$1" =~ ^[0-9]+$ && "$1" -ge 1 && "$1" -le 65535 ]] || die "$2=$1 is not a port number"
  if port_busy "$1"; then die "port $1 on 127.0.0.1 is already in use (set $2 to another port)"; fi
}

# launch_detached PIDFILE LOGFILE CMD...: start CMD in its own session, immune to the
# caller's terminal and signals, and record its pid (the shell execs the command, so the
# pid written is the server's).
launch_detached() {
  local pidfile="$1" log="$2"; shift 2
  rm -f "$pidfile"
  # shellcheck disable=SC2016
  nohup setsid bash -c 'echo $$ > "$0"; exec "$@"' "$pidfile" "$@" >>"$log" 2>&1 </dev/null &
  local _
  for _ in $(seq 50); do [[ -s "$pidfile" ]] && return 0; sleep 0.1; done
  die "the server process did not start (see $log)"
}

# stop_pid PIDFILE MARKER TIMEOUT: SIGTERM, wait for the exit; SIGKILL after TIMEOUT s.
stop_pid() {
  local pidfile="$1" marker="$2" timeout="$3" pid t0=$SECONDS
  if ! pid_alive "$pidfile" "$marker"; then rm -f "$pidfile"; say "not running"; return 0; fi
  pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS - t0 >= timeout )); then
      say "still running after ${timeout} s: killing pid $pid"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.1
  done
  rm -f "$pidfile"
  say "stopped (pid $pid) in $((SECONDS - t0)) s"
}

# Class-data sharing: a dynamic CDS archive of the server's classes, dumped by the JVM
# when a server started without one exits cleanly, makes later starts about 2 s faster.
# Kept beside the jars, one per Java build; adopted only after `java -Xshare:on` accepts
# it (a damaged archive would crash the JVM). KG_SERVERS_CDS=0 turns it off.
# cds_opts LIBDIR: echoes the JVM options for this start.
cds_opts() {
  local libdir="$1" tag="$$.$RANDOM"
  [[ "${KG_SERVERS_CDS:-1}" != 0 ]] || return 0
  local key dir
  key="$( { readlink -f "$JAVA"; "$JAVA" -version 2>&1; } | cksum | cut -d' ' -f1)"
  dir="$libdir/../cds"; mkdir -p "$dir" 2>/dev/null || return 0
  local jsa="$dir/java-$key.jsa"
  cds_adopt "$dir" "$libdir"
  if [[ -f "$jsa" ]]; then
    if "$JAVA" -XX:SharedArchiveFile="$jsa" -Xshare:on -cp "$libdir/*" -version >/dev/null 2>&1; then
      echo "-XX:SharedArchiveFile=$jsa"
    else
      rm -f "$jsa"
    fi
  elif ! ls "$dir"/java-"$key".jsa.part.* >/dev/null 2>&1; then
    echo "-XX:ArchiveClassesAtExit=$jsa.part.$tag"
  fi
}

# process_mentions TEXT: some live process has TEXT in its command line.
process_mentions() {
  local f
  for f in /proc/[0-9]*/cmdline; do
    tr '\0' ' ' < "$f" 2>/dev/null | grep -qF -- "$1" && return 0
  done
  return 1
}

# cds_adopt DIR LIBDIR: rename finished dumps (their JVM has exited) once they validate.
cds_adopt() {
  local dir="$1" libdir="$2" part final
  for part in "$dir"/*.jsa.part.*; do
    [[ -e "$part" ]] || continue
    if process_mentions "$part"; then continue; fi
    final="${part%.part.*}"
    if [[ ! -f "$final" ]] && "$JAVA" -XX:SharedArchiveFile="$part" -Xshare:on -cp "$libdir/*" -version >/dev/null 2>&1; then
      mv -f "$part" "$final"
    else
      rm -f "$part"
    fi
  done
}

# ---- the commands both scripts have

# reuse_running ADDRESS ELSEWHERE: when the server already runs from this run folder,
# wait until it answers, print ADDRESS and succeed; refuse when it runs on other ports
# than those asked for (RUNNING_ELSEWHERE set; ELSEWHERE says which, for the message).
reuse_running() {
  pid_alive "$PIDFILE" "$MARKER" || return 1
  [[ -z "$RUNNING_ELSEWHERE" ]] || die "already running from $RUN on $2: '$PROG stop' first"
  say "already running (pid $(cat "$PIDFILE")) from $RUN"
  wait_ready 30
  echo "$1"
}

# stop_server TIMEOUT: stop it (SIGKILL after TIMEOUT s) and adopt the class-data
# archive its exit wrote.
stop_server() {
  find_java
  stop_pid "$PIDFILE" "$MARKER" "$1"
  if [[ -d "$LIB" ]]; then cds_adopt "$DIST/cds" "$LIB"; fi
}

# show_status ADDRESS: say whether it runs (and where it answers); exit 3 when it does not.
show_status() {
  if pid_alive "$PIDFILE" "$MARKER"; then
    echo "running (pid $(cat "$PIDFILE")) at $1, run folder $RUN"
  else
    echo "not running (run folder $RUN)"; exit 3
  fi
}

cmd_reset() {
  cmd_stop
  [[ -d "$RUN" ]] && rm -rf "$RUN"
  say "deleted $RUN"
}
