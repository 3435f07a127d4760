#!/bin/bash
# sizecompare.sh NAME DBURL PORT SUBMIT_SLUG: starts a fresh `daoyue serve` on
# DBURL (a database seeded by `daoyue loadtest --seed-studios N --seed-bookings M`),
# prints its idle resident memory, 10 s of "any of 8" 31-day slot reads of lt1,
# 10 s of submissions in SUBMIT_SLUG (a studio not booked before), and its
# resident memory after. Run it alternately on a small and a large database
# (docs/performance.md, 1,000,000 bookings). DAOYUE_BIN: the binary (./daoyue).
set -u
NAME=$1 DB=$2 PORT=$3 SLUG=$4
BIN=${DAOYUE_BIN:-./daoyue}
DIR=$(mktemp -d /tmp/daoyue-size.XXXXXX)
DAOYUE_ADDR=127.0.0.1:$PORT DAOYUE_DATA_DIR=$DIR DAOYUE_DATABASE_URL=$DB DAOYUE_TRUSTED_PROXIES=127.0.0.1 \
	DAOYUE_LOADTEST_LIMITS=on "$BIN" serve >"$DIR/serve.log" 2>&1 &
PID=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
sleep 3
echo "[$NAME] idle: $(grep -E 'VmRSS' /proc/$PID/status | tr -s ' \t' ' ')"
"$BIN" loadtest --url "http://127.0.0.1:$PORT" --workspace lt1 --only slots --concurrency 16 --clients 200 --duration 10s 2>&1 | grep "GET slots" | sed "s/^/[$NAME] /"
"$BIN" loadtest --url "http://127.0.0.1:$PORT" --workspace "$SLUG" --only submit --concurrency 16 --clients 200 --duration 10s 2>&1 | grep "POST\|answers" | sed "s/^/[$NAME] /"
echo "[$NAME] after: $(grep -E 'VmRSS|VmHWM' /proc/$PID/status | tr -s ' \t\n' ' ')"
kill "$PID"; wait "$PID" 2>/dev/null
rm -rf "$DIR"
