# virtuoso.sh - a throw-away Virtuoso (Debian's virtuoso-opensource 7) on
# loopback, for the examples, `make check-server` and the benchmark.
# Source it, then:
#   vt_install                 install the package when missing (root: apt-get)
#   vt_start DIR               start a server with its database in DIR (new or
#                              kept), listening on 127.0.0.1 only; sets
#                              VT_HTTP (http://127.0.0.1:PORT), VT_SQL_PORT,
#                              VT_PID, VT_PASSWORD (the dba password, new and
#                              random, also in DIR/password, mode 600)
#   vt_isql SQL                run SQL (or stdin, with no argument) as dba
#   vt_stop                    stop the server started (by its pid)
# Endpoints: $VT_HTTP/sparql (queries, anonymous), $VT_HTTP/sparql-auth
# (queries and SPARQL Update, HTTP Digest as dba) and
# $VT_HTTP/sparql-graph-crud-auth (Graph Store HTTP Protocol, Digest).
# VT_BUFFERS sets NumberOfBuffers (8 KiB pages; default 100000 = 800 MB);
# VT_DIRS lists more directories the server may read (bulk loads).

vt_have() { command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1; }

vt_install() {
  vt_have && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "virtuoso.sh: virtuoso-t is missing and installing it needs root" >&2
    return 1
  fi
  echo "virtuoso.sh: installing virtuoso-opensource from Debian" >&2
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y -q virtuoso-opensource >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q virtuoso-opensource >/dev/null 2>&1; }; } ||
    { echo "virtuoso.sh: apt-get could not install virtuoso-opensource" >&2; return 1; }
  # the package's own service is not wanted: ours run from their own directory
  if [ -x /etc/init.d/virtuoso-opensource-7 ]; then
    /etc/init.d/virtuoso-opensource-7 stop >/dev/null 2>&1 || true
  fi
  vt_have
}

# A free TCP port on loopback (the kernel's choice; a race is possible but
# harmless: the server then fails to start and says so).
vt_free_port() {
  "${PYTHON3:-python3}" -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

vt_write_ini() {
  cat > "$1/virtuoso.ini" <<INI
[Database]
DatabaseFile = $1/virtuoso.db
ErrorLogFile = $1/virtuoso.log
LockFile = $1/virtuoso.lck
TransactionFile = $1/virtuoso.trx
xa_persistent_file = $1/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = $1/virtuoso-temp.db
TransactionFile = $1/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:$VT_SQL_PORT
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., $1${VT_DIRS:+, $VT_DIRS}
NumberOfBuffers = ${VT_BUFFERS:-100000}
MaxDirtyBuffers = $(( ${VT_BUFFERS:-100000} * 3 / 4 ))
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4
MaxQueryMem = 2G

[HTTPServer]
ServerPort = 127.0.0.1:$VT_HTTP_PORT
ServerRoot = $1
MaxClientConnections = 10
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
Charset = UTF-8
EnabledGzipContent = 1

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 600
INI
}

vt_isql() {
  if [ $# -gt 0 ]; then
    isql-vt "127.0.0.1:$VT_SQL_PORT" dba "$VT_PASSWORD" exec="$*"
  else
    isql-vt "127.0.0.1:$VT_SQL_PORT" dba "$VT_PASSWORD"
  fi
}

vt_start() {
  dir=$1
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  VT_SQL_PORT=$(vt_free_port) && VT_HTTP_PORT=$(vt_free_port) || return 1
  vt_write_ini "$dir"
  # +foreground: the pid we get is the server's own
  (cd "$dir" && exec virtuoso-t +configfile "$dir/virtuoso.ini" +foreground) \
    > "$dir/stdout.log" 2>&1 &
  VT_PID=$!
  echo "$VT_PID" > "$dir/pid"
  # a new database has the password dba; an old one the password we set
  VT_PASSWORD=dba
  [ -s "$dir/password" ] && VT_PASSWORD=$(cat "$dir/password")
  tries=0
  until isql-vt "127.0.0.1:$VT_SQL_PORT" dba "$VT_PASSWORD" exec="select 1;" >/dev/null 2>&1; do
    tries=$((tries + 1))
    if ! kill -0 "$VT_PID" 2>/dev/null || [ $tries -gt 120 ]; then
      echo "virtuoso.sh: the server did not start; its log:" >&2
      tail -n 20 "$dir/virtuoso.log" "$dir/stdout.log" >&2 2>/dev/null
      vt_stop
      return 1
    fi
    sleep 0.5
  done
  if [ "$VT_PASSWORD" = dba ]; then
    # SET PASSWORD old new; a word, not a number, so it starts with letters
    new=ng$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
    isql-vt "127.0.0.1:$VT_SQL_PORT" dba dba exec="set password dba $new;" >/dev/null 2>&1
    # isql-vt exits 0 even when the statement failed: check by logging in
    if ! isql-vt "127.0.0.1:$VT_SQL_PORT" dba "$new" exec="select 1;" >/dev/null 2>&1; then
      echo "virtuoso.sh: could not set the dba password" >&2
      vt_stop
      return 1
    fi
    (umask 077 && printf '%s' "$new" > "$dir/password")
    VT_PASSWORD=$new
  fi
  VT_HTTP="http://127.0.0.1:$VT_HTTP_PORT"
  # the HTTP listener comes up a moment after the SQL one
  tries=0
  until curl -s -o /dev/null "$VT_HTTP/sparql" 2>/dev/null ||
        "${PYTHON3:-python3}" -c "import urllib.request; urllib.request.urlopen('$VT_HTTP/sparql?query=ASK%7B%7D')" 2>/dev/null; do
    tries=$((tries + 1))
    [ $tries -gt 60 ] && { echo "virtuoso.sh: no HTTP on $VT_HTTP" >&2; return 1; }
    sleep 0.5
  done
  export VT_HTTP VT_SQL_PORT VT_PID VT_PASSWORD
}

vt_stop() {
  [ -n "${VT_PID:-}" ] || return 0
  if kill -0 "$VT_PID" 2>/dev/null; then
    kill -TERM "$VT_PID" 2>/dev/null
    tries=0
    while kill -0 "$VT_PID" 2>/dev/null && [ $tries -lt 60 ]; do
      sleep 0.5
      tries=$((tries + 1))
    done
    kill -KILL "$VT_PID" 2>/dev/null || true
  fi
  wait "$VT_PID" 2>/dev/null || true
  VT_PID=
}
