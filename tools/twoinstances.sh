#!/usr/bin/env bash
# Two `daoyue serve` on one fresh PostgreSQL database, booking submissions
# against one and then both (the loadtest round-robins over the two --url
# values: a tiny load balancer that takes a server out when it refuses a
# connection), one instance killed with SIGKILL mid-run, then the
# consistency check and the state of the job queue.
#
#   tools/twoinstances.sh            # from the repository root
#
# Settings (environment): PGADMIN (a psql connection string to create and
# drop the database, default postgres://postgres@127.0.0.1:5432/postgres),
# DURATION (each run, default 10s), CONCURRENCY (default 16), STUDIOS
# (seeded, default 4), PORT_A / PORT_B (default 8301 / 8302), KEEP=1 keeps
# the database and the logs (a failed run keeps the logs anyway). Both
# instances run in development mode with the same DAOYUE_SECRET_KEYS and
# database (production mode needs an https base URL and Zoom credentials;
# the sharing is the same), with
# DAOYUE_LOADTEST_LIMITS=on (refused in production) so the public booking
# limits let the load through, and DAOYUE_TRUSTED_PROXIES=127.0.0.1 for the
# simulated client addresses. Both use one Zoom simulator of their own
# (`daoyue zoomsim` on PORT_Z, default 8303, an account for each seeded
# practitioner): the seeding connects every practitioner through the API,
# every booking's meeting is created by whichever instance works its job,
# and the check after each run compares the simulator's meetings with the
# bookings (each created once; a create whose answer the kill cut off is
# named on its booking).
set -euo pipefail
cd "$(dirname "$0")/.."

PGADMIN=${PGADMIN:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
DURATION=${DURATION:-10s}
CONCURRENCY=${CONCURRENCY:-16}
STUDIOS=${STUDIOS:-4}
PORT_A=${PORT_A:-8301}
PORT_B=${PORT_B:-8302}
PORT_Z=${PORT_Z:-8303}
DBNAME=daoyue_two_$$
WORK=$(mktemp -d /tmp/daoyue-two.XXXXXX)
PGURL=$(echo "$PGADMIN" | sed -E "s#/[^/?]*(\?|$)#/$DBNAME\1#")
A=http://127.0.0.1:$PORT_A
B=http://127.0.0.1:$PORT_B
PIDS=()

cleanup() {
	rc=$?
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	if [ "${KEEP:-}" = 1 ]; then
		echo "kept: database $DBNAME, logs in $WORK"
		return
	fi
	psql "$PGADMIN" -qc "DROP DATABASE IF EXISTS $DBNAME" || true
	if [ "$rc" != 0 ]; then
		echo "failed (exit $rc): the servers' logs are kept in $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT

echo "== building daoyue"
GOTOOLCHAIN=${GOTOOLCHAIN:-go1.27.3} go build -o "$WORK/daoyue" ./cmd/daoyue
psql "$PGADMIN" -qc "CREATE DATABASE $DBNAME"
KEYS="k1:$(head -c 32 /dev/urandom | base64)"

echo "== the Zoom simulator (both instances use it)"
"$WORK/daoyue" zoomsim --addr "127.0.0.1:$PORT_Z" --users $((STUDIOS * 8)) --daily-limit 1000000 >"$WORK/zoomsim.txt" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do grep -q '^DAOYUE_ZOOM_WEBHOOK_SECRET=' "$WORK/zoomsim.txt" && break; sleep 0.1; done
mapfile -t ZOOM_ENV < <(grep '^DAOYUE_ZOOM_' "$WORK/zoomsim.txt")
[ "${#ZOOM_ENV[@]}" = 5 ] || { echo "the Zoom simulator did not start:"; cat "$WORK/zoomsim.txt"; exit 1; }

# serve NAME PORT: starts an instance and waits until /readyz answers.
serve() {
	mkdir -p "$WORK/$1"
	env DAOYUE_ADDR=127.0.0.1:$2 DAOYUE_DATA_DIR="$WORK/$1" DAOYUE_DATABASE_URL="$PGURL" \
		DAOYUE_SECRET_KEYS="$KEYS" DAOYUE_TRUSTED_PROXIES=127.0.0.1 DAOYUE_LOADTEST_LIMITS=on "${ZOOM_ENV[@]}" \
		"$WORK/daoyue" serve >"$WORK/$1.log" 2>&1 &
	PIDS+=($!)
	eval "PID_$1=$!"
	for _ in $(seq 100); do
		curl -fs "http://127.0.0.1:$2/readyz" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	echo "instance $1 did not become ready:"; cat "$WORK/$1.log"; exit 1
}
# drain SECONDS: waits until no job and no email is waiting (the emails of
# the previous run), so that a run does not pay for the last one's backlog.
drain() {
	for _ in $(seq "$1"); do
		left=$(psql "$PGURL" -Atc "SELECT (SELECT count(*) FROM river_job WHERE state IN ('available','scheduled','retryable'))
			+ (SELECT count(*) FROM outbox WHERE status = 'queued')")
		[ "$left" = 0 ] && return 0
		sleep 1
	done
	echo "($left jobs and emails still waiting after $1 s)"
}
rss() { grep -E 'VmRSS|VmHWM' "/proc/$1/status" | tr -s ' \t\n' ' '; }

# cpu: the machine's CPU time so far (busy and total jiffies), to say how
# busy all cores were during a run.
cpu() { awk '/^cpu /{print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat; }
busy() { read -r b1 t1 <<<"$1"; read -r b2 t2 <<<"$(cpu)"; awk "BEGIN{printf \"%.0f%%\", 100*($b2-$b1)/($t2-$t1)}"; }
loadtest() { "$WORK/daoyue" loadtest --database-url "$PGURL" --only submit --concurrency "$CONCURRENCY" --clients 200 --duration "$DURATION" --zoom-sim "http://127.0.0.1:$PORT_Z" "$@"; }
rate() { sed -nE 's/.*; ([0-9]+) bookings\/s.*/\1/p' "$1"; }

echo "== one instance (A)"
serve a "$PORT_A"
echo "A idle: $(rss "$PID_a")"
c=$(cpu)
loadtest --url "$A" --seed-studios "$STUDIOS" --check | tee "$WORK/one.txt"
echo "all cores busy during the run (load, floor and check included): $(busy "$c")"
echo "A after: $(rss "$PID_a")"

echo "== two instances (A + B, round-robin)"
serve b "$PORT_B"
drain 120
echo "B idle: $(rss "$PID_b")"
c=$(cpu)
loadtest --url "$A,$B" --studios "$STUDIOS" --check | tee "$WORK/two.txt"
echo "all cores busy during the run (load, floor and check included): $(busy "$c")"
echo "A after: $(rss "$PID_a"); B after: $(rss "$PID_b")"
one=$(rate "$WORK/one.txt"); two=$(rate "$WORK/two.txt")
echo "throughput: one instance $one bookings/s, two $two bookings/s: $(awk "BEGIN{printf \"%.2f\", $two/$one}")x"

echo "== two instances, B killed (SIGKILL) halfway"
drain 120
half=$(awk "BEGIN{print ${DURATION%s}/2}")
(sleep "$half"; kill -KILL "$PID_b"; echo "-- killed B (pid $PID_b) after ${half}s") &
loadtest --url "$A,$B" --studios "$STUDIOS" --check | tee "$WORK/kill.txt"
wait "$PID_b" 2>/dev/null || true

echo "== the queue after the kill (A works what B left, and sends the emails B had claimed when their claims end; up to 240 s)"
drain 240
psql "$PGURL" -c "SELECT kind, state, count(*) FROM river_job GROUP BY 1, 2 ORDER BY 1, 2"
psql "$PGURL" -c "SELECT status, count(*) FROM outbox GROUP BY 1 ORDER BY 1"
psql "$PGURL" -c "SELECT count(*) AS bookings, count(DISTINCT (practitioner_id, start_at)) AS distinct_practitioner_starts FROM bookings WHERE status = 'confirmed'"
echo "(jobs still 'running' were in B's hands when it died: River hands them to A after its stuck-job horizon; meeting syncs are rescued sooner by the sweep)"
grep -q "consistency: 0 bookings overlapping" "$WORK/kill.txt" && echo "OK: no double booking"
grep -q "; 0 without, 0 at the wrong time or host, 0 kept by other bookings, 0 meetings held by no booking and named on none, 0 by several" "$WORK/kill.txt" &&
	echo "OK: every confirmed booking's meeting in Zoom, each created once (or named on its booking if the kill cut off its answer)"
