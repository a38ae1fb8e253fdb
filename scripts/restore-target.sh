#!/usr/bin/env bash
# Prepares the database a manual backup is restored into (docs/operations/backup-recovery.md#pg-restore).
#
#   restore-target.sh [--yes] DB
#
# On the server of $DATABASE_URL:
#   - DB does not exist: it is created (TEMPLATE template0).
#   - DB exists and is empty (no tables, views, sequences, ... outside the system schemas): it is used.
#   - DB exists and is not empty: refused, unless --yes is given (or RUNBOOK_YES=1, which
#     `runbook exec --yes` sets): then it is dropped and created again.
#   - DB is the database $DATABASE_URL points at (the one in service): always refused.
#
# The URL holds a password: it is read from the environment and never printed.
# Exit status: 0 DB is ready and empty, 1 refused or failed, 2 wrong usage.
set -euo pipefail

die() {
  echo "restore-target: $*" >&2
  exit 1
}

usage() {
  echo "usage: restore-target.sh [--yes] DB" >&2
  exit 2
}

yes=${RUNBOOK_YES:-0}
[[ "${1:-}" == "--yes" ]] && { yes=1; shift; }
[[ $# == 1 ]] || usage
target=$1

[[ -n "${DATABASE_URL:-}" ]] || die "DATABASE_URL이 없습니다: 복원할 서버의 데이터베이스 URL을 export 하세요"
[[ "$target" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "데이터베이스 이름 '$target'에는 영소문자, 숫자, _만 쓸 수 있습니다 (63자까지)"

sql() { psql "$DATABASE_URL" -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }

live=$(sql -c "SELECT current_database()") || die "DATABASE_URL의 서버에 접속하지 못했습니다 (위의 psql 오류를 보세요)"
[[ "$target" != "$live" ]] || die "$target 은(는) 서비스 중인 데이터베이스입니다: 복원은 언제나 새 데이터베이스로 합니다 (--yes를 줘도 덮어쓰지 않습니다)"

create() {
  sql -c "CREATE DATABASE \"$target\" TEMPLATE template0;" || die "데이터베이스 $target 를 만들지 못했습니다 (위의 psql 오류를 보세요)"
}

if [[ $(sql -c "SELECT count(*) FROM pg_database WHERE datname = '$target'") == 0 ]]; then
  create
  echo "새 데이터베이스 $target 를 만들었습니다"
  exit 0
fi

objects=$(sql -c "\\connect $target" -c \
  "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'")
if [[ "$objects" == 0 ]]; then
  echo "빈 데이터베이스 $target 가 이미 있습니다: 여기에 복원합니다"
  exit 0
fi

tables=$(sql -c "\\connect $target" -c \
  "SELECT string_agg(schemaname || '.' || relname || ' ' || n_live_tup || '행', ', ' ORDER BY schemaname, relname)
   FROM (SELECT * FROM pg_stat_user_tables ORDER BY schemaname, relname LIMIT 5) t")
if [[ "$yes" != 1 ]]; then
  die "데이터베이스 $target 가 이미 있고 비어 있지 않습니다 (객체 ${objects}개${tables:+: $tables}): 덮어쓰지 않습니다. 다른 이름을 쓰거나 (--set target-db=...), 지우고 다시 복원하려면 --yes를 주고 다시 실행하세요"
fi
echo "데이터베이스 $target 에 객체 ${objects}개가 있습니다${tables:+ ($tables)}: --yes에 따라 지우고 새로 만듭니다"
sql -c "DROP DATABASE \"$target\";" || die "$target 를 지우지 못했습니다: 접속 중인 세션이 있으면 끊고 다시 실행하세요 (위의 psql 오류를 보세요)"
create
echo "데이터베이스 $target 를 새로 만들었습니다"
