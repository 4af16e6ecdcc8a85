#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# Issue 12: the travel and pool commands moved onto the application layer
# give the same bytes as before. Runs each case with the old binary and the
# new one and compares standard output (and any -o file) exactly, standard
# error with only the kmt_error "field 'x': " prefix removed from the new
# one, and the exit codes. Timing lines ("computed in X s") are ignored.
#
#   bench/app_compare.sh OLD_BIN NEW_BIN [WORKDIR]
#
# Makes a demo store (seed 1, small) and the Oslo-east car graph in WORKDIR
# (default /tmp/app-compare) unless they are there.
set -uo pipefail
cd "$(dirname "$0")/.."
OLD=${1:?old binary}
NEW=${2:?new binary}
W=${3:-/tmp/app-compare}
mkdir -p "$W"
DB=$W/demo.db
G=$W/oslo-east.kgraph
[ -f "$DB" ] || "$NEW" demo generate --seed 1 --scale small --db "$DB" >/dev/null
[ -f "$G" ] || "$NEW" graph build data/osm/oslo-east-roads.osm.pbf -o "$G" >/dev/null
F=data/factors/nordic-2024.json
REQ=data/pool/requests.csv
# requests CSVs with one bad row each (a bad time, an unknown can_drive, a
# duplicate id, a latitude out of range), and one place far from the roads
head -1 $REQ > "$W/bad-time.csv"; sed -n 2,3p $REQ >> "$W/bad-time.csv"
echo "B01,Bo,Skoler,10.72,59.87,10.79,59.90,2024-05-06T25:99,2024-05-06T09:00,1,yes" >> "$W/bad-time.csv"
head -3 $REQ > "$W/bad-drive.csv"; echo "B02,Bo,,10.72,59.87,10.79,59.90,2024-05-06T08:00,2024-05-06T09:00,1,maybe" >> "$W/bad-drive.csv"
head -3 $REQ > "$W/dup.csv"; sed -n 2p $REQ >> "$W/dup.csv"
head -3 $REQ > "$W/bad-lat.csv"; echo "B03,Bo,,10.72,99.87,10.79,59.90,2024-05-06T08:00,2024-05-06T09:00,1,yes" >> "$W/bad-lat.csv"
head -3 $REQ > "$W/far.csv"; echo "B04,Bo,,12.50,55.60,10.79,59.90,2024-05-06T08:00,2024-05-06T12:00,1,yes" >> "$W/far.csv"
printf 'request_id,person\nX,Y\n' > "$W/no-cols.csv"

CASES=$(cat <<CASES
travel report --db $DB --factors $F
travel report --db $DB --factors $F --format json
travel report --db $DB --factors $F --format csv
travel report --db $DB --factors $F --format html
travel report --db $DB --factors $F --format html -o @OUT@.html
travel report --db $DB --factors $F --format json -o @OUT@.json
travel report --db $DB --factors $F --baseline 2023 --target 2024:-20% --target 2030:-50%
travel report --db $DB --factors $F --baseline 2023 --target 2024:-20% --target 2030:-50% --format json
travel report --db $DB --factors $F --baseline 2023 --target 2024:-20% --target 2030:-50% --format csv
travel report --db $DB --factors $F --baseline 2023 --target 2024:-12.5% --format html
travel report --db $DB --factors $F --hours-per-fte 1600 --country SE --format json
travel report --db $DB --factors $F --hours-per-fte 1600 --country SE
travel report --db $DB --factors $F --organisation nosuch --format json
travel report --db $DB --factors $F --target 2024:-20%
travel report --db $DB --factors $F --baseline 2023 --target 2022:-20%
travel report --db $DB --factors $F --baseline 2023 --target 2024:+20%
travel report --db $DB --factors $F --baseline 2023 --target 2024:-20,5%
travel report --db $DB --factors $F --baseline 1800
travel report --db $DB --factors $F --hours-per-fte 99
travel report --db $DB --factors $F --format xml
travel report --db $DB --factors $F extra
travel report --db $DB --factors $F --bogus 1
travel report --db $DB --factors /nonexistent/factors.json
travel report --db $W/missing.db --factors $F
travel candidates --db $DB --factors $F
travel candidates --db $DB --factors $F --format json
travel candidates --db $DB --factors $F --format csv
travel candidates --db $DB --factors $F --top 5 --window 60 --meeting-hours 1.5 --series-min 2
travel candidates --db $DB --factors $F --top 5 --window 60 --meeting-hours 1.5 --series-min 2 --format json
travel candidates --db $DB --factors $F --year 2024 --baseline 2023 --target 2024:-10% --target 2025:-90%
travel candidates --db $DB --factors $F --year 2024 --baseline 2023 --target 2024:-10% --target 2025:-90% --format json
travel candidates --db $DB --factors $F --year 2019 --format json
travel candidates --db $DB --factors $F --year 2019
travel candidates --db $DB --factors $F --format csv -o @OUT@.csv
travel candidates --db $DB --factors $F --target 2024:-10%
travel candidates --db $DB --factors $F --top 0
travel candidates --db $DB --factors $F --series-min 1
travel candidates --db $DB --factors $F --meeting-hours x
travel candidates --db $DB --factors $F --format html
pool analyse --db $DB --from 2024-01-01 --to 2024-03-31
pool analyse --db $DB --from 2024-01-01 --to 2024-03-31 --format json
pool analyse --db $DB --from 2024-01-01 --to 2024-03-31 --format csv
pool analyse --db $DB --from 2024-02-01 --to 2024-02-29 --flex-min 30 --max-group 2 --format json
pool analyse --db $DB --from 2024-02-01 --to 2024-02-29 --graph $G
pool analyse --db $DB --from 2024-02-01 --to 2024-02-29 --graph $G --format json -t 2
pool analyse --db $DB --from 2024-02-01 --to 2024-02-29 --graph $G --format csv
pool analyse --db $DB --from 2024-02-01 --to 2024-02-07 --objective co2 --factors $F
pool analyse --db $DB --from 2024-02-01 --to 2024-02-07 --objective co2 --factors $F --format json
pool analyse --db $DB --from 2024-02-01 --to 2024-02-07 --objective cost --country SE --factors $F
pool analyse --db $DB --from 2024-02-01 --to 2024-02-07 --objective cost --cost-per-km 2.5 --format json
pool analyse --db $DB --from 2024-02-01 --to 2024-02-07 --objective co2 --co2-g-per-km 100
pool analyse --db $DB --from 2024-02-01 --to 2024-02-07 -o @OUT@.txt
pool analyse --db $DB --from 2024-03-01 --to 2024-02-01
pool analyse --db $DB --from 2024-03-01
pool analyse --db $DB --to 2024-03-01
pool analyse --db $DB --from 2024-13-01 --to 2024-03-01
pool analyse --db $DB --from 2024-01-01 --to soon
pool analyse --db $DB --from 2024-01-01 --to 2024-01-31 --flex-min -1
pool analyse --db $DB --from 2024-01-01 --to 2024-01-31 --seats 0
pool analyse --db $DB --from 2024-01-01 --to 2024-01-31 --max-group 9
pool analyse --db $DB --from 2024-01-01 --to 2024-01-31 --threads 0
pool analyse --db $DB --from 2024-01-01 --to 2024-01-31 --objective money
pool analyse --db $DB --from 2024-01-01 --to 2024-01-31 --objective co2 --car-mode bus --factors $F
pool analyse --db $DB --from 2024-01-01 --to 2024-01-31 --objective co2 --fuel coal --factors $F
pool analyse --db $DB --from 2024-01-01 --to 2024-01-31 --objective co2 --country XX --factors $F
pool analyse --db $DB --from 2024-01-01 --to 2024-01-31 --format html
pool analyse --db $DB --from 2024-01-01 --to 2024-01-31 --graph $W/missing.kgraph
pool analyse --db $DB --from 2024-01-01 --to 2024-01-31 stray
pool plan $REQ
pool plan $REQ --format json
pool plan $REQ --format csv
pool plan $REQ --graph $G
pool plan $REQ --graph $G --format json
pool plan $REQ --graph $G --format csv -t 2
pool plan $REQ --max-group 2 --max-detour-min 5 --max-detour-pct 20 --seats 3
pool plan $REQ --max-group 2 --max-detour-min 5 --max-detour-pct 20 --seats 3 --format json
pool plan $REQ --exact-max 0 --format json
pool plan $REQ --road-factor 1.5 --speed-kmh 40
pool plan $REQ --road-factor 1.5 --speed-kmh 40 --format json
pool plan $REQ --objective co2 --factors $F
pool plan $REQ --objective co2 --factors $F --format json
pool plan $REQ --objective cost --car-mode private_car --fuel diesel --country NO --factors $F --format json
pool plan $REQ --objective cost --car-mode private_car --fuel diesel --country NO --factors $F
pool plan $REQ --objective co2 --co2-g-per-km 120 --format json
pool plan $REQ --format json -o @OUT@.json
pool plan $REQ --format csv -o @OUT@.csv
pool plan $W/bad-time.csv
pool plan $W/bad-drive.csv --format json
pool plan $W/dup.csv
pool plan $W/bad-lat.csv
pool plan $W/no-cols.csv
pool plan $W/far.csv --graph $G
pool plan $W/far.csv --graph $G --max-snap-m 100
pool plan $W/missing.csv
pool plan
pool plan $REQ $REQ
pool plan $REQ --speed-kmh 0
pool plan $REQ --objective co2 --car-mode bus --factors $F
pool plan $REQ --objective cost --fuel coal --factors $F
pool plan $REQ --format html
pool plan $REQ --db $DB
CASES
)

norm_out() { grep -v -E '^computed in [0-9.]+ s$' "$1" || true; }
pass=0 fail=0 n=0
while IFS= read -r args; do
  [ -n "$args" ] || continue
  n=$((n + 1))
  for side in old new; do
    bin=$OLD; [ $side = new ] && bin=$NEW
    a=${args//@OUT@/$W/case$n.$side}
    # shellcheck disable=SC2086
    $bin $a >"$W/case$n.$side.out" 2>"$W/case$n.$side.err"
    echo $? >"$W/case$n.$side.rc"
  done
  ok=1
  cmp -s "$W/case$n.old.rc" "$W/case$n.new.rc" || ok=0
  cmp -s <(norm_out "$W/case$n.old.out") <(norm_out "$W/case$n.new.out") || ok=0
  cmp -s "$W/case$n.old.err" "$W/case$n.new.err" ||
    cmp -s "$W/case$n.old.err" <(sed -E "s/field '[^']*': //" "$W/case$n.new.err") || ok=0
  for f in "$W"/case$n.old.*; do
    case $f in *.out|*.err|*.rc) continue;; esac
    cmp -s "$f" "${f/.old./.new.}" || ok=0
  done
  if [ $ok = 1 ]; then pass=$((pass + 1)); else
    fail=$((fail + 1))
    echo "DIFFERS: kommute $args (exit $(cat "$W/case$n.old.rc") -> $(cat "$W/case$n.new.rc"))"
    diff <(norm_out "$W/case$n.old.out") <(norm_out "$W/case$n.new.out") | head -5
    diff "$W/case$n.old.err" "$W/case$n.new.err" | head -5
  fi
done <<<"$CASES"
echo "$n cases: $pass identical, $fail differ"
[ $fail = 0 ]
