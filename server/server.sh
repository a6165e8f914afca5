#!/usr/bin/env bash
# A Supabase-like PostgreSQL 15 on 127.0.0.1, built without Docker or network
# from Debian's packages and the vendored sources in ../shared/vendor (see
# server/README.md).
#
#   server/server.sh start   install missing packages, build once, start, make a
#                            fresh database and print its DATABASE_URL=... line
#   server/server.sh fresh   a fresh database on the running server (DATABASE_URL=...)
#   server/server.sh stop    stop the server (the build stays, the next start takes seconds)
#   server/server.sh status  running or not, and where
#
# Environment: SERVER_PORT (54329), SUPABASE_VENDOR (../shared/vendor beside the
# clone), SERVER_DIR (.data/server).
# The build is idempotent: it is redone only when this script, supautils.conf or
# the vendored tarballs change. A build runs the platform's own steps in the
# order and as the roles the platform runs them, into the database `postgres`,
# then copies it to the template `supabase_template`; each fresh database is
# `createdb -T supabase_template`, owned by postgres, in well under a second.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
PORT="${SERVER_PORT:-54329}"
# ../shared/vendor beside the clone (or beside the folder holding a worktree)
VENDOR="${SUPABASE_VENDOR:-}"
if [ -z "$VENDOR" ]; then
  VENDOR="$ROOT/../shared/vendor"
  [ -d "$VENDOR" ] || [ ! -d "$ROOT/../../shared/vendor" ] || VENDOR="$ROOT/../../shared/vendor"
fi
DIR="${SERVER_DIR:-$ROOT/.data/server}"
PGBIN=/usr/lib/postgresql/15/bin
PGDATA="$DIR/pgdata"
SOCKETS="$DIR/run"
SRC="$DIR/vendor"
LOG="$SOCKETS/postgres.log"
TEMPLATE=supabase_template
PACKAGES=(postgresql-15 postgresql-server-dev-15 postgresql-15-pgtap postgresql-client-15 libtap-parser-sourcehandler-pgtap-perl build-essential openssl)
TARBALLS=(pgvector-0.8.6 supautils-3.4.0 supabase-postgres-init-7db7e1a9e34b supabase-auth-migrations-bc32168e13fd
  supabase-storage-migrations-4fa61fba9371 supabase-realtime-migrations-833cf36c3a36)
# the Storage API's settings as the hosted service runs its migrations: multi-tenant,
# DB_INSTALL_ROLES=false, its default role names (its config.ts), no iceberg shards
STORAGE_SETTINGS="select set_config('storage.install_roles', 'false', false), set_config('storage.multitenant', 'true', false),
  set_config('storage.anon_role', 'anon', false), set_config('storage.authenticated_role', 'authenticated', false),
  set_config('storage.service_role', 'service_role', false), set_config('storage.super_user', 'postgres', false),
  set_config('storage.iceberg_default_shard', '', false), set_config('storage.iceberg_shards', '{}', false),
  set_config('storage.vector_bucket_provider', '', false);"
# postgres-migrations' own migration 0 (its bundled 0_create-migrations-table.sql): the
# table already exists (Supabase's init made it), so only its record matters; its hash
# is sha1 of that file's name and contents, as the Storage API records it
STORAGE_MIGRATION_0_HASH=e18db593bcde2aca2a408c4d1100f6abba2195df

say() { echo "server: $*" >&2; }
fail() { echo "server: error: $*" >&2; exit 2; }

# PostgreSQL refuses to run as root: as root (CI), the server and its files belong
# to the `postgres` system user; otherwise to whoever runs this script
if [ "$(id -u)" = 0 ]; then
  OWNER=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  OWNER="$(id -un)"
  as_owner() { "$@"; }
fi
# psql over the server's own socket (trust for local connections, loopback TCP needs a password)
psql_as() { local role="$1" db="$2"; shift 2; PGOPTIONS='-c client_min_messages=warning' as_owner "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKETS" -p "$PORT" -U "$role" -d "$db" "$@"; }

running() { [ -f "$PGDATA/postmaster.pid" ] && as_owner "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }

# --- packages -------------------------------------------------------------------
install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# --- vendored sources -------------------------------------------------------------
check_vendor() {
  local missing=()
  for t in "${TARBALLS[@]}"; do [ -f "$VENDOR/$t.tar.gz" ] || missing+=("$t.tar.gz"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  fail "the vendored sources are missing from $VENDOR: ${missing[*]}.
  The server is built from them, without network. Fetch them as git archives of the public
  repositories (or set SUPABASE_VENDOR to a folder holding them):
    pgvector-0.8.6                             github.com/pgvector/pgvector tag v0.8.6
    supautils-3.4.0                            github.com/supabase/supautils tag v3.4.0
    supabase-postgres-init-7db7e1a9e34b        github.com/supabase/postgres commit 7db7e1a9e34b
    supabase-auth-migrations-bc32168e13fd      github.com/supabase/auth commit bc32168e13fd
    supabase-storage-migrations-4fa61fba9371   github.com/supabase/storage commit 4fa61fba9371
    supabase-realtime-migrations-833cf36c3a36  github.com/supabase/realtime commit 833cf36c3a36
  e.g. git -C <clone> archive --prefix=<repo>/ <commit> | gzip > $VENDOR/<name>.tar.gz"
}

extract() { # extract <tarball name>: prints the folder holding its single top-level folder
  local out="$SRC/$1"
  if [ ! -d "$out" ]; then
    mkdir -p "$out.tmp" && tar -xzf "$VENDOR/$1.tar.gz" -C "$out.tmp" && mv "$out.tmp" "$out"
  fi
  echo "$out/$(ls "$out" | head -1)"
}

# pgvector and supautils into PostgreSQL's own folders, when missing (needs root, as apt does)
build_extensions() {
  local lib; lib="$("$PGBIN/pg_config" --pkglibdir)"
  local share; share="$("$PGBIN/pg_config" --sharedir)"
  if [ ! -f "$share/extension/vector.control" ] || [ ! -f "$lib/vector.so" ]; then
    say "building pgvector 0.8.6"
    local d; d="$(extract pgvector-0.8.6)"
    make -s -C "$d" PG_CONFIG="$PGBIN/pg_config" OPTFLAGS="" -j2 >/dev/null && make -s -C "$d" PG_CONFIG="$PGBIN/pg_config" install >/dev/null
  fi
  if [ ! -f "$lib/supautils.so" ]; then
    say "building supautils 3.4.0"
    local d; d="$(extract supautils-3.4.0)"
    make -s -C "$d" PG_CONFIG="$PGBIN/pg_config" -j2 >/dev/null && make -s -C "$d" PG_CONFIG="$PGBIN/pg_config" install >/dev/null
  fi
}

# --- the build ----------------------------------------------------------------------
stamp() {
  { cat "$HERE/server.sh" "$HERE/supautils.conf"; for t in "${TARBALLS[@]}"; do echo "$t"; done; } | sha1sum | cut -c1-16
}

start_server() {
  running && return 0
  as_owner "$PGBIN/pg_ctl" -D "$PGDATA" -l "$LOG" -w -t 60 -o "-p $PORT" start >/dev/null ||
    { tail -20 "$LOG" >&2; fail "PostgreSQL did not start (log: $LOG)"; }
}

build() {
  local init auth storage realtime
  init="$(extract supabase-postgres-init-7db7e1a9e34b)/migrations/db"
  auth="$(extract supabase-auth-migrations-bc32168e13fd)/migrations"
  storage="$(extract supabase-storage-migrations-4fa61fba9371)/migrations/tenant"
  realtime="$(extract supabase-realtime-migrations-833cf36c3a36)/priv/repo/tenant_db_dump_15.sql"
  local scripts; scripts="$(extract supabase-postgres-init-7db7e1a9e34b)/ansible/files/postgresql_extension_custom_scripts"
  chmod -R a+rX "$SRC"

  say "building the Supabase-like database in $PGDATA (once; later starts take seconds)"
  rm -rf "$PGDATA" "$DIR/work"
  mkdir -p "$PGDATA" "$SOCKETS" "$DIR/work"
  chown "$OWNER" "$PGDATA" "$SOCKETS" "$DIR/work"
  chmod 700 "$PGDATA"
  # supabase_admin is the bootstrap superuser, as in Supabase's images
  as_owner "$PGBIN/initdb" -D "$PGDATA" -U supabase_admin -E UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  {
    echo "# server/server.sh"
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $PORT"
    echo "unix_socket_directories = '$SOCKETS'"
    echo "password_encryption = 'scram-sha-256'"
    echo "wal_level = logical"
    echo "max_connections = 200"
    echo "fsync = off"
    echo "synchronous_commit = off"
    echo "full_page_writes = off"
    echo "log_min_messages = warning"
    # TLS as on a hosted project, with a certificate of its own: the Supabase CLI
    # (`supabase db reset --db-url`) insists on it unless told sslmode=disable
    echo "ssl = on"
    echo "include_if_exists = 'supautils.conf'"
  } >>"$PGDATA/postgresql.conf"
  openssl req -new -x509 -days 3650 -nodes -subj "/CN=127.0.0.1" -keyout "$PGDATA/server.key" -out "$PGDATA/server.crt" 2>/dev/null
  chown "$OWNER" "$PGDATA/server.key" "$PGDATA/server.crt"
  chmod 600 "$PGDATA/server.key"
  # supautils joins once the platform is built: the init scripts were written for the
  # supautils of their day, and 3.4's rule that a superuser's event trigger runs only a
  # superuser's function refuses their pg_cron trigger (whose function postgres made
  # before its demotion); every step below runs as a superuser or as the service's own
  # role, which supautils leaves alone
  start_server

  # migrate.sh: postgres made (a superuser until the demotion), the init scripts as
  # postgres, then the migrations as supabase_admin
  say "Supabase's init scripts and migrations (supabase/postgres migrate.sh)"
  psql_as supabase_admin postgres -c "create role postgres superuser login password 'postgres'; alter database postgres owner to postgres;"
  # two lines need extensions that neither Debian packages nor ../shared/vendor holds,
  # and are left out: pgjwt's `create extension`, and the grant of pgsodium's role
  # pgsodium_keyholder to service_role (pgsodium, like pg_graphql, pg_net, pg_cron and
  # vault, is otherwise skipped by the scripts themselves when it is not available)
  local sql
  for sql in "$init"/init-scripts/*.sql "$init"/migrations/*.sql; do
    sed -e '/create extension if not exists pgjwt/d' -e '/^GRANT pgsodium_keyholder to service_role;$/d' "$sql" >"$DIR/work/$(basename "$sql")"
  done
  for sql in "$init"/init-scripts/*.sql; do
    psql_as postgres postgres -f "$DIR/work/$(basename "$sql")" >/dev/null
  done
  psql_as postgres postgres -c "alter user supabase_admin with password 'postgres'"
  for sql in "$init"/migrations/*.sql; do
    psql_as supabase_admin postgres -f "$DIR/work/$(basename "$sql")" >/dev/null
  done

  # pg_stat_statements in extensions, as every hosted project has it (the image makes it
  # before migrate.sh, whose last step calls extensions.pg_stat_statements_reset())
  psql_as supabase_admin postgres -c "create extension if not exists pg_stat_statements with schema extensions"

  # GoTrue's migrations, as its pop migrator runs them: as supabase_auth_admin
  # (search_path auth), each not yet in auth.schema_migrations in a transaction
  # with its record, the template's namespace filled in
  say "GoTrue's auth migrations as supabase_auth_admin"
  local applied file version
  applied="$(psql_as supabase_auth_admin postgres -At -c 'select version from auth.schema_migrations')"
  for file in "$auth"/*.up.sql; do
    version="$(basename "$file" | cut -d_ -f1)"
    grep -qx "$version" <<<"$applied" && continue
    {
      echo "begin;"
      sed -E 's/\{\{ *index +\.Options +"Namespace" *\}\}/auth/g' "$file"
      echo ";"
      echo "insert into auth.schema_migrations (version) values ('$version');"
      echo "commit;"
    } >"$DIR/work/auth-$version.sql"
    psql_as supabase_auth_admin postgres -f "$DIR/work/auth-$version.sql" >/dev/null
  done

  # the Storage API's tenant migrations, as its runner (postgres-migrations) applies
  # them: as supabase_storage_admin, search_path storage, public, extensions, its
  # settings, in id order, each with its record (id, name, sha1 of file name + contents)
  # in the same transaction; a migration marked "postgres-migrations ignore" runs
  # `SELECT 1;` and is recorded; "disable-transaction" ones run outside a transaction
  say "the Storage API's tenant migrations as supabase_storage_admin"
  {
    echo "set search_path to storage, public, extensions;"
    echo "$STORAGE_SETTINGS"
    echo "begin;"
    echo "create table if not exists migrations (id integer primary key, name varchar(100) unique not null, hash varchar(40) not null, executed_at timestamp default current_timestamp);"
    echo "insert into migrations (id, name, hash) values (0, 'create-migrations-table', '$STORAGE_MIGRATION_0_HASH');"
    echo "commit;"
    local name id base hash
    for file in $(for f in "$storage"/*.sql; do b="$(basename "$f")"; echo "$((10#${b%%-*})) $f"; done | sort -n | cut -d' ' -f2); do
      base="$(basename "$file")"
      id="$((10#${base%%-*}))"
      name="$(sed -E 's/^[0-9]+[-_]//; s/\.sql$//' <<<"$base")"
      hash="$({ printf '%s' "$base"; cat "$file"; } | sha1sum | cut -c1-40)"
      if grep -q -- '-- postgres-migrations disable-transaction' "$file"; then
        grep -q -- '-- postgres-migrations ignore' "$file" && echo "SELECT 1;" || echo "\\i $file"
        echo "insert into migrations (id, name, hash) values ($id, '$name', '$hash');"
      else
        echo "begin;"
        grep -q -- '-- postgres-migrations ignore' "$file" && echo "SELECT 1;" || echo "\\i $file"
        echo "insert into migrations (id, name, hash) values ($id, '$name', '$hash');"
        echo "commit;"
      fi
    done
  } >"$DIR/work/storage.sql"
  psql_as supabase_storage_admin postgres -f "$DIR/work/storage.sql" >/dev/null

  # Realtime's schema as the service loads it into a database with no history: its
  # tenant dump, as supabase_admin (the publication supabase_realtime comes from the init)
  say "Realtime's tenant schema (tenant_db_dump_15.sql) as supabase_admin"
  psql_as supabase_admin postgres -f "$realtime" >/dev/null

  # the template: a copy of postgres as the platform left it, which nobody connects to
  psql_as supabase_admin postgres -c "create database $TEMPLATE with template postgres owner postgres is_template true" \
    -c "alter database $TEMPLATE allow_connections false"
  sed "s|@SCRIPTS@|$scripts|" "$HERE/supautils.conf" >"$PGDATA/supautils.conf"
  as_owner "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
  start_server
  stamp >"$DIR/stamp"
  say "built"
}

fresh() {
  local name="test_$(date -u +%Y%m%d%H%M%S)_$$_$RANDOM"
  # fresh databases of earlier runs go first, but the four newest (another terminal may
  # still be using one between two commands) and any that somebody is connected to
  local old
  for old in $(psql_as supabase_admin postgres -At -c "select datname from pg_database d where datname like 'test\\_%' and not exists (select from pg_stat_activity a where a.datid = d.oid) order by datname desc offset 4"); do
    psql_as supabase_admin postgres -c "drop database if exists \"$old\"" 2>/dev/null || true
  done
  psql_as supabase_admin postgres -c "create database $name with template $TEMPLATE owner postgres" \
    -c "grant all on database $name to postgres, dashboard_user"
  echo "DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:$PORT/$name"
}

start() {
  [ -x "$PGBIN/pg_ctl" ] || install_packages
  install_packages
  if [ ! -f "$DIR/stamp" ] || [ "$(cat "$DIR/stamp")" != "$(stamp)" ] || [ ! -d "$PGDATA" ]; then
    check_vendor
    build_extensions
    running && as_owner "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
    build
  else
    [ -f "$("$PGBIN/pg_config" --pkglibdir)/supautils.so" ] || { check_vendor; build_extensions; }
    start_server
  fi
  fresh
}

stop() {
  if running; then as_owner "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null && say "stopped"; else say "not running"; fi
}

case "${1:-}" in
  start) start ;;
  fresh) running || fail "not running: make server"; fresh ;;
  stop) stop ;;
  status) if running; then say "running on 127.0.0.1:$PORT, data $PGDATA"; else say "not running"; exit 1; fi ;;
  *) echo "usage: server/server.sh start|fresh|stop|status" >&2; exit 2 ;;
esac
