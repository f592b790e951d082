#!/usr/bin/env bash
# The REST load run on Open Liberty + PostgreSQL, and pgbench beside it (see docs/benchmarks.md).
#
#   holdfast-loadtest/run-load.sh [--users N] [--rate R] [--duration S] [--warmup S] [--work-interval PT1S]
#                                 [--no-build] [--no-pgbench]
#
# --users N      virtual users (closed loop), or the most lifecycles in flight with --rate      (default 4)
# --rate R       lifecycles started per second at fixed intervals ("steady load"); 0 = closed loop (default 0)
# --duration S   the measured window in seconds; --warmup S runs first and is thrown away  (defaults 60, 20)
# --work-interval the plugin's holdfast.work-interval on this server (default PT1S, the plugin's default)
# --log-statements  also log every SQL statement of the host's database (PostgreSQL log_statement=all for that
#                database only) and count them per lifecycle in the measured window; slows the run, use it to profile
# --no-build     use what `mvn package -Pload -pl holdfast-loadtest -am` left in target/ (the -Pload build does this)
#
# Builds the host WAR and the driver, creates a Liberty server from jakarta-integration-it's config on a fresh
# PostgreSQL database (holdfast_load), starts it on a free port, runs the driver, then pgbench (TPC-B-like default
# script) on a scratch database (holdfast_load_pgbench) with as many clients as the driver had connections and the
# same number of commits as the lifecycles caused, and prints both and their ratio. Liberty is stopped in an EXIT
# trap by its own stop command, also when the run fails or is interrupted.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
users=4 rate=0 duration=60 warmup=20 work_interval=PT1S build=1 pgbench_run=1 log_statements=0
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --work-interval) work_interval="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-pgbench) pgbench_run=0; shift ;;
    --log-statements) log_statements=1; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

server=holdfastLoad
database=holdfast_load
pgbench_db=holdfast_load_pgbench
wlp="$here/target/liberty/wlp"
psql_admin=(psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -q)

if [ "$build" = 1 ]; then
  # -am: the WAR and the plugin from this checkout, never a stale jar from the local repository.
  (cd "$root" && mvn -B -o -q package -Pload -pl holdfast-loadtest -am -DskipTests \
      -Dload.work-interval="$work_interval")
else
  # the server was created by the -Pload build; set the work interval it was asked for
  sed -i "s/^-Dholdfast.work-interval=.*/-Dholdfast.work-interval=$work_interval/" \
      "$wlp/usr/servers/$server/jvm.options"
fi
[ -f "$wlp/usr/servers/$server/dropins/holdfast.war" ] || { echo "no server at $wlp/usr/servers/$server" >&2; exit 1; }

if ! command -v pgbench >/dev/null; then
  echo "pgbench missing: installing postgresql-client" >&2
  apt-get install -y -q postgresql-client >/dev/null
fi

"${psql_admin[@]}" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database"
pglog=/var/log/postgresql/postgresql-15-main.log
if [ "$log_statements" = 1 ]; then
  "${psql_admin[@]}" -c "ALTER DATABASE $database SET log_statement = 'all'"
  log_from=$(( $(stat -c %s "$pglog") + 1 ))
fi

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
bootstrap="$wlp/usr/servers/$server/bootstrap.properties"
sed -i '/^http.port=/d' "$bootstrap"
echo "http.port=$port" >> "$bootstrap"

stop_server() { "$wlp/bin/server" stop "$server" >/dev/null 2>&1 || true; }
trap stop_server EXIT
"$wlp/bin/server" start "$server"

out="$here/target/load-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
echo "== $(date -u '+%F %T UTC'); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs);" \
     "$(java -version 2>&1 | head -1); uptime before: $(uptime | sed 's/.*load average/load average/')"
echo "== settings: users=$users rate=$rate duration=${duration}s warmup=${warmup}s work-interval=$work_interval"

set +e
java -Xms256m -Xmx256m -cp "$here/target/holdfast-loadtest.jar:$here/target/lib/*" dev.holdfast.loadtest.LoadDriver \
    --base-url "http://127.0.0.1:$port/holdfast" --users "$users" --rate "$rate" \
    --duration "${duration}s" --warmup "${warmup}s" \
    --jdbc-url "jdbc:postgresql://127.0.0.1:5432/$database" --out "$out/summary.properties" \
    --server-pid "$(cat "$wlp/usr/servers/.pid/$server.pid")" --clock-ticks "$(getconf CLK_TCK)" | tee "$out/driver.txt"
driver_rc=${PIPESTATUS[0]}
set -e
echo "== uptime after the load: $(uptime | sed 's/.*load average/load average/')"
if [ "$log_statements" = 1 ]; then
  # the statements the host ran in the measured window (the driver prints it), by kind, per completed lifecycle
  tail -c "+$log_from" "$pglog" | grep "postgres@$database LOG:  \(statement\|execute\)" > "$out/statements.log" || true
  read -r from to < <(sed -n 's/^measured window: //p' "$out/driver.txt")
  lifecycles="$(sed -n 's/^lifecycles=//p' "$out/summary.properties")"
  python3 - "$out/statements.log" "$from" "$to" "$lifecycles" <<'PY'
import collections, re, sys
from datetime import datetime, timezone
path, start, end, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
iso = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
start, end = iso(start), iso(end)
kinds, tables = collections.Counter(), collections.Counter()
for line in open(path):
    stamp = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=timezone.utc)
    if not (start <= stamp <= end):
        continue
    sql = re.split(r"LOG:  (?:statement|execute [^:]*): ", line, maxsplit=1)[-1].strip()
    kind = sql.split(None, 1)[0].upper() if sql else "?"
    kinds[kind] += 1
    m = re.search(r"(?:FROM|INTO|UPDATE)\s+(holdfast_\w+)", sql, re.I)
    if m and kind != "COMMIT":
        tables[(kind, m.group(1).lower())] += 1
total = sum(kinds.values())
print(f"== statements in the measured window: {total}, {total / n:.1f} per lifecycle ({n} lifecycles)")
print("   by kind per lifecycle: " + ", ".join(f"{k} {v / n:.1f}" for k, v in kinds.most_common()))
print("   top statements per lifecycle: " + ", ".join(f"{k} {t} {v / n:.1f}" for (k, t), v in tables.most_common(12)))
PY
fi
[ -f "$out/summary.properties" ] || { echo "the driver wrote no summary (exit $driver_rc)" >&2; exit 1; }
value() { sed -n "s/^$1=//p" "$out/summary.properties"; }

if [ "$pgbench_run" = 1 ]; then
  commits="$(value commits)"
  clients="$users"
  jobs=$(( clients < 2 ? clients : 2 ))
  # scale >= clients, so that the TPC-B branches row is not one lock all clients queue on
  scale=$(( clients > 10 ? clients : 10 ))
  per_client=$(( (commits + clients - 1) / clients ))
  "${psql_admin[@]}" -c "DROP DATABASE IF EXISTS $pgbench_db WITH (FORCE)" -c "CREATE DATABASE $pgbench_db"
  pgbench -h 127.0.0.1 -U postgres -i -q -s "$scale" "$pgbench_db" 2>&1 | tail -1
  echo "== pgbench -c $clients -j $jobs -t $per_client (= $commits commits, as the lifecycles caused), scale $scale"
  pgbench -h 127.0.0.1 -U postgres -c "$clients" -j "$jobs" -t "$per_client" "$pgbench_db" | tee "$out/pgbench.txt"
  echo "== uptime after pgbench: $(uptime | sed 's/.*load average/load average/')"
  tps="$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$out/pgbench.txt")"
  "${psql_admin[@]}" -c "DROP DATABASE IF EXISTS $pgbench_db WITH (FORCE)"
  python3 - "$(value lifecycles_per_s)" "$(value commits_per_s)" "$(value commits_per_lifecycle)" "$tps" <<'PY'
import sys
lps, cps, cpl, tps = map(float, sys.argv[1:])
print(f"== RESULT lifecycles/s {lps:.1f}; lifecycle commits/s {cps:.1f} ({cpl:.2f} per lifecycle); "
      f"pgbench tps {tps:.1f}; ratio {cps / tps:.2f} (commits/s vs pgbench tps); "
      f"pgbench's rate would allow {tps / cpl:.1f} lifecycles/s at {cpl:.2f} commits each")
PY
fi
cp "$out/summary.properties" "$here/target/last-summary.properties"
echo "== output in $out"
exit "$driver_rc"
