#!/usr/bin/env bash
# The quarterly restore drill of docs/operations/backup-recovery.md#restore-drill.
#
#   restore-drill.sh dump FILE               pg_dump of $DATABASE_URL into FILE (plain SQL, gzip) and
#                                            FILE.manifest: FILE's SHA-256, then every table's row count
#                                            and row checksum, read from the same snapshot as the dump.
#   restore-drill.sh restore FILE MANIFEST   check FILE against MANIFEST's SHA-256, restore it into a
#                                            scratch database, compare every table with MANIFEST, report
#                                            the restore time, drop the scratch database. Exit 1 when
#                                            anything differs.
#
# Environment (connection URLs hold passwords: they are read from the environment, never printed):
#   DATABASE_URL        the database to back up (dump).
#   DRILL_DATABASE_URL  a database on the server that receives the scratch database (restore);
#                       defaults to DATABASE_URL. Point it at staging to keep the load off production.
#   DRILL_SCRATCH_DB    name of the scratch database; defaults to restore_drill_<UTC time>. An existing
#                       database is used only when it is empty, and is then left in place.
#
# Exit status: 0 the restore matches, 1 it does not (or a step failed), 2 wrong usage.
set -euo pipefail

readonly end_marker='__restore_drill_manifest_end__'

# Row text (and so the checksum) depends on these settings: pin them in both sessions, so a drill
# server configured differently from production (time zone, date style) still compares equal.
readonly session_settings="SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres';
SET extra_float_digits = 3; SET bytea_output = 'hex';"

# One query per ordinary table, run with \gexec: "schema.table|rows|checksum". The checksum is the sum
# of the first 60 bits of each row's md5, so it does not depend on row order and needs no memory.
readonly manifest_sql="SELECT format(
  'SELECT %L, count(*), coalesce(sum((''x'' || left(md5(ROW(t.*)::text), 15))::bit(60)::bigint), 0) FROM %I.%I AS t',
  n.nspname || '.' || c.relname, n.nspname, c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
ORDER BY n.nspname, c.relname
\\gexec"

die() {
  echo "restore-drill: $*" >&2
  exit 1
}

usage() {
  echo "usage: restore-drill.sh dump FILE | restore FILE MANIFEST" >&2
  exit 2
}

now_us() {
  local t=${EPOCHREALTIME/[.,]/}
  echo "$((10#$t))"
}

# MARK: - dump

dump() {
  local file=$1 manifest="$1.manifest"
  [[ -n "${DATABASE_URL:-}" ]] || die "DATABASE_URL이 없습니다: 백업할 데이터베이스의 URL을 export 하세요"
  # Globals, so the EXIT trap still sees them after this function returns.
  partial="$file.partial" manifest_partial="$manifest.partial"
  rm -f -- "$partial" "$manifest_partial"
  trap 'rm -f -- "$partial" "$manifest_partial"' EXIT

  # A session that holds a snapshot open: pg_dump and the manifest both read exactly that snapshot,
  # so the manifest describes the dump even while the database keeps changing.
  coproc SNAPSHOT { psql "$DATABASE_URL" -X -q -A -t -v ON_ERROR_STOP=1 2>&1; }
  local pid=$SNAPSHOT_PID in=${SNAPSHOT[1]} out=${SNAPSHOT[0]}
  printf '%s\n' "$session_settings" 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;' 'SELECT pg_export_snapshot();' >&"$in"
  local snapshot=""
  read -r -t 60 -u "$out" snapshot || true
  [[ "$snapshot" =~ ^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$ ]] || die "원본 데이터베이스에서 스냅샷을 열지 못했습니다: ${snapshot:-60초 안에 응답 없음}"

  echo "덤프 시작: 스냅샷 $snapshot"
  # Without owners and grants, so the drill can restore on a server whose roles differ (staging).
  pg_dump --snapshot="$snapshot" --no-owner --no-privileges "$DATABASE_URL" | gzip > "$partial"

  printf '%s\n' "$manifest_sql" "\\echo $end_marker" >&"$in"
  local line
  echo "# sha256 $(sha256sum < "$partial" | cut -d' ' -f1) bytes $(wc -c < "$partial")" > "$manifest_partial"
  while true; do
    IFS= read -r -u "$out" line || die "행 수와 체크섬을 읽는 중에 원본 데이터베이스 세션이 끊겼습니다"
    [[ "$line" == "$end_marker" ]] && break
    [[ "$line" == *"|"*"|"* ]] || die "행 수와 체크섬을 읽는 중 예상하지 못한 응답: $line"
    printf '%s\n' "$line" >> "$manifest_partial"
  done
  printf '%s\n' 'COMMIT;' '\q' >&"$in"
  wait "$pid" || die "스냅샷 세션이 오류로 끝났습니다"

  mv -f -- "$partial" "$file"
  mv -f -- "$manifest_partial" "$manifest"
  echo "덤프 완료: $file ($(wc -c < "$file") bytes), 테이블 $(grep -vc '^#' "$manifest")개의 행 수와 체크섬: $manifest"
}

# MARK: - restore

user_relations() {
  # Relations a restore could collide with: anything outside the system schemas.
  psql "$server_url" -X -q -A -t -v ON_ERROR_STOP=1 -c "\\connect $1" -c \
    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'"
}

drop_scratch() {
  if [[ "${created:-0}" == 1 ]]; then
    if psql "$server_url" -X -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$scratch\";"; then
      echo "임시 데이터베이스 삭제: $scratch"
    else
      echo "restore-drill: 임시 데이터베이스 $scratch 를 삭제하지 못했습니다: 직접 삭제하세요" >&2
    fi
  fi
}

restore() {
  local file=$1 manifest=$2
  [[ -f "$file" ]] || die "백업 파일이 없습니다: $file"
  [[ -f "$manifest" ]] || die "비교 기준 파일이 없습니다: $manifest ('restore-drill.sh dump'가 덤프 옆에 씁니다)"
  server_url=${DRILL_DATABASE_URL:-${DATABASE_URL:-}}
  [[ -n "$server_url" ]] || die "DRILL_DATABASE_URL도 DATABASE_URL도 없습니다: 복원할 서버의 URL을 export 하세요"
  scratch=${DRILL_SCRATCH_DB:-restore_drill_$(date -u +%Y%m%d%H%M%S)}
  [[ "$scratch" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "임시 데이터베이스 이름 '$scratch'에는 영소문자, 숫자, _만 쓸 수 있습니다"

  # A file that differs from the dump is reported, and still restored when it can be: what it
  # lost (a table, rows) is worth knowing too.
  local status=0 expected actual integrity="덤프 때의 SHA-256 없음 (오래된 manifest)"
  expected=$(sed -n 's/^# sha256 \([0-9a-f]\{64\}\) .*/\1/p' "$manifest")
  actual=$(sha256sum < "$file" | cut -d' ' -f1)
  [[ -n "$expected" ]] && integrity="SHA-256이 덤프와 같음"
  if [[ -n "$expected" && "$expected" != "$actual" ]]; then
    integrity="SHA-256이 덤프와 다름"
    echo "restore-drill: 백업 파일이 덤프한 파일과 다릅니다 (SHA-256 불일치: 덤프 ${expected:0:12}…, 받은 파일 ${actual:0:12}…): 보관이나 전송 중에 바뀌었습니다" >&2
    status=1
  fi
  gzip -t -- "$file" 2>/dev/null || die "백업 파일이 손상되었습니다 (gzip 검사 실패): $file"

  created=0
  trap drop_scratch EXIT
  local exists
  exists=$(psql "$server_url" -X -q -A -t -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM pg_database WHERE datname = '$scratch'")
  if [[ "$exists" == 1 ]]; then
    local used
    used=$(user_relations "$scratch")
    [[ "$used" == 0 ]] || die "데이터베이스 $scratch 가 이미 있고 비어 있지 않습니다 (객체 $used개): 덮어쓰지 않습니다"
    echo "빈 데이터베이스 $scratch 에 복원합니다 (직접 지정한 것이므로 끝나도 삭제하지 않습니다)"
  else
    psql "$server_url" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$scratch\" TEMPLATE template0;"
    created=1
    echo "임시 데이터베이스 생성: $scratch"
  fi

  local start end
  start=$(now_us)
  gunzip -c -- "$file" | psql "$server_url" -X -q -v ON_ERROR_STOP=1 -c "\\connect $scratch" -f - > /dev/null \
    || die "$file 을(를) $scratch 에 복원하지 못했습니다 (위의 psql 오류를 보세요)"
  end=$(now_us)
  local elapsed_ms=$(((end - start) / 1000))

  local restored
  restored=$(mktemp)
  printf '%s\n' "$session_settings" "$manifest_sql" |
    psql "$server_url" -X -q -A -t -v ON_ERROR_STOP=1 -c "\\connect $scratch" -f - > "$restored"

  local report
  report=$(awk -F'|' '
    NR == FNR { if ($0 !~ /^#/) { rows[$1] = $2; sum[$1] = $3 }; next }
    { n++
      if (!($1 in rows)) { print "백업에 없던 테이블: " $1; bad++ }
      else {
        if (rows[$1] != $2) { print "행 수 불일치: " $1 " (원본 " rows[$1] "행, 복원 " $2 "행)"; bad++ }
        else if (sum[$1] != $3) { print "체크섬 불일치: " $1 " (" $2 "행)"; bad++ }
        seen[$1] = 1
      }
    }
    END {
      for (t in rows) if (!(t in seen)) { print "복원되지 않은 테이블: " t; bad++; n++ }
      printf "테이블 %d개 비교, 불일치 %d개\n", n, bad
      exit (bad > 0)
    }' "$manifest" "$restored") || status=1
  rm -f -- "$restored"

  echo "=== 복구 테스트 결과 ==="
  echo "백업 파일: $file ($(wc -c < "$file") bytes, $integrity)"
  echo "복원 대상: $scratch"
  printf '복원 시간: %d.%03d초\n' $((elapsed_ms / 1000)) $((elapsed_ms % 1000))
  echo "$report"
  if [[ $status == 0 ]]; then
    echo "결과: 통과 (모든 테이블의 행 수와 체크섬이 같음)"
  else
    echo "결과: 실패"
  fi
  return "$status"
}

case "${1:-}" in
  dump) [[ $# == 2 ]] || usage; dump "$2" ;;
  restore) [[ $# == 3 ]] || usage; restore "$2" "$3" ;;
  *) usage ;;
esac
