#!/usr/bin/env bash
# A throwaway PostgreSQL for tests and load tests, from Debian's packages, with no manual steps.
#
#   scripts/postgres.sh start DIR   installs PostgreSQL if needed, creates a cluster in DIR (or reuses the one
#                                   there), starts it on a free port of 127.0.0.1 with trust authentication,
#                                   creates the database "routing" and prints ONE line on stdout: the Npgsql
#                                   connection string. Everything else goes to stderr.
#   scripts/postgres.sh stop DIR    stops the server (if it runs) and removes DIR.
#   scripts/postgres.sh halt DIR    stops the server at once, as a crash would (`pg_ctl stop -m immediate`), and
#                                   keeps DIR: `start DIR` brings it back on the same data and, if it is still
#                                   free, the same port (fault tests take the database away under a running silo).
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the "postgres" OS user (created by the
# Debian package): DIR must then be reachable by that user (under /tmp, not under /root).
set -euo pipefail

readonly first_port=55432
readonly last_port=55632

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

usage() {
  printf 'usage: %s start|stop|halt DIR\n' "$0" >&2
  exit 2
}

is_root() { [[ $(id -u) -eq 0 ]]; }

# Runs a command with root rights: directly as root, else through sudo if there is one.
as_root() {
  if is_root; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root (or sudo) to run: $*"
  fi
}

# Runs a PostgreSQL server command as the cluster's owner: "postgres" when we are root, else ourselves.
as_owner() {
  if ! is_root; then
    "$@"
  elif command -v runuser >/dev/null 2>&1; then
    runuser -u postgres -- "$@"
  else
    su -s /bin/bash postgres -c "$(printf '%q ' "$@")"
  fi
}

# The directory holding initdb and pg_ctl: PATH first, then the newest /usr/lib/postgresql/*/bin.
# Symlinks are resolved so that psql, pg_isready and createdb come from the same installation.
find_bin() {
  local initdb
  if initdb=$(command -v initdb 2>/dev/null) && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$initdb")"
    return 0
  fi
  local candidate best=""
  for candidate in /usr/lib/postgresql/*/bin; do
    if [[ -x $candidate/initdb && -x $candidate/pg_ctl ]]; then
      best=$(printf '%s\n%s\n' "$best" "$candidate" | sed '/^$/d' | sort -V | tail -n 1)
    fi
  done
  [[ -n $best ]] && printf '%s\n' "$best"
}

install_postgres() {
  log "initdb/pg_ctl not found: installing PostgreSQL from the distribution's packages"
  as_root apt-get update >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2
}

port_is_free() {
  [[ -z $(ss -Hltn "sport = :$1" 2>/dev/null) ]]
}

connection_string() {
  printf 'Host=127.0.0.1;Port=%s;Username=postgres;Database=routing\n' "$1"
}

# The port of the server running in DIR (line 4 of postmaster.pid), or nothing if none runs.
running_port() {
  if [[ -f $dir/postmaster.pid ]] && as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    sed -n 4p "$dir/postmaster.pid"
  fi
}

ensure_database() {
  local port=$1 exists
  exists=$("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -XtAc \
    "select 1 from pg_database where datname = 'routing'")
  if [[ $exists != 1 ]]; then
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres routing >&2
  fi
}

# The port the cluster in DIR last ran on (postmaster.opts keeps the server's last command line), or nothing.
previous_port() {
  [[ -f $dir/postmaster.opts ]] && sed -n 's/.*"-p" "\([0-9]*\)".*/\1/p' "$dir/postmaster.opts"
}

# Starts the cluster in DIR on the port it last ran on if that is free, else on the first free port from
# $first_port; tries the next one if another process took the port between the check and the start.
start_server() {
  local port previous
  previous=$(previous_port || true)
  for port in $previous $(seq "$first_port" "$last_port"); do
    port_is_free "$port" || continue
    log "starting PostgreSQL on 127.0.0.1:$port (data and socket in $dir)"
    if as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/log" -w -t 60 \
      -o "-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200" start >&2; then
      started_port=$port
      return 0
    fi
    if ! grep -q 'could not bind\|already in use' "$dir/log" 2>/dev/null; then
      tail -n 20 "$dir/log" >&2 || true
      die "PostgreSQL did not start; see $dir/log"
    fi
    log "port $port was taken meanwhile; trying the next one"
  done
  die "no free port between $first_port and $last_port"
}

start() {
  bin=$(find_bin || true)
  if [[ -z $bin ]]; then
    install_postgres
    bin=$(find_bin || true)
    [[ -n $bin ]] || die "PostgreSQL was installed but initdb/pg_ctl are still not found"
  fi
  if is_root && ! id postgres >/dev/null 2>&1; then
    die "running as root needs the 'postgres' OS user (the Debian package creates it)"
  fi

  mkdir -p "$dir"
  dir=$(readlink -f "$dir")
  [[ $dir != *"'"* ]] || die "DIR must not contain a single quote"
  if is_root; then
    chown postgres: "$dir"
    chmod 700 "$dir"
    as_owner test -w "$dir" || die "the postgres user cannot reach $dir; use a directory under /tmp"
  fi

  local port
  port=$(running_port)
  if [[ -n $port ]]; then
    log "PostgreSQL already runs in $dir on port $port"
  else
    if [[ ! -f $dir/PG_VERSION ]]; then
      [[ -z $(ls -A "$dir") ]] || die "$dir is neither empty nor a PostgreSQL data directory"
      log "creating a cluster in $dir with $bin/initdb"
      as_owner "$bin/initdb" -D "$dir" -U postgres -A trust -E UTF8 --locale=C >&2
    fi
    started_port=""
    start_server
    port=$started_port
  fi
  ensure_database "$port"
  connection_string "$port"
}

stop() {
  if [[ ! -d $dir ]]; then
    log "$dir does not exist: nothing to stop"
    return 0
  fi
  dir=$(readlink -f "$dir")
  # Refuse to delete anything that is not a cluster this script could have made.
  if [[ ! -f $dir/PG_VERSION && -n $(ls -A "$dir") ]]; then
    die "$dir is not a PostgreSQL data directory; not removing it"
  fi
  if [[ -f $dir/postmaster.pid ]]; then
    bin=$(find_bin || true)
    [[ -n $bin ]] || die "a server seems to run in $dir but pg_ctl is not found"
    log "stopping PostgreSQL in $dir"
    as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >&2 || log "pg_ctl stop failed; assuming it was not running"
  fi
  rm -rf -- "$dir"
}

halt() {
  dir=$(readlink -f "$dir")
  [[ -f $dir/PG_VERSION ]] || die "$dir is not a PostgreSQL data directory"
  bin=$(find_bin || true)
  [[ -n $bin ]] || die "pg_ctl is not found"
  log "halting PostgreSQL in $dir (immediate: no checkpoint, as if it crashed)"
  as_owner "$bin/pg_ctl" -D "$dir" -m immediate -w stop >&2
}

[[ $# -eq 2 ]] || usage
dir=$2
bin=""
case $1 in
  start) start ;;
  stop) stop ;;
  halt) halt ;;
  *) usage ;;
esac
