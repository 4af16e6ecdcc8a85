#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# The fleet commands before and after a change, byte for byte: runs each of
# fleet report|size|place|ev|compose with --format json, csv and text and
# several option sets (errors included: bad values, unknown site, --to
# before --from, bad factors country, a bad catalogue) through two binaries on
# the same demo database, and compares stdout, stderr and the exit code.
# Only the timing ("computed in X s") and the two binaries' installation
# directories (the default factors and catalogue next to each binary) are
# normalised; an error message may gain the kmt_error "field 'x': " prefix.
# Usage: bash bench/fleet_compare.sh OLD_BINARY [NEW_BINARY]
#   e.g. OLD_BINARY built from the commit before, at /tmp/old/build/kommute.
# Prints one line per difference and a summary; exits 1 on any difference
# but the known ones (KNOWN=why before a run).
set -uo pipefail
cd "$(dirname "$0")/.."
OLD=${1:?usage: bench/fleet_compare.sh OLD_BINARY [NEW_BINARY]}
NEW=${2:-build/kommute}
OUT=${OUT:-build/fleet-compare}
mkdir -p "$OUT"
DB="$OUT/demo.db"
[ -f "$DB" ] || "$NEW" demo generate --seed 1 --scale small --db "$DB" >/dev/null 2>&1
OLDROOT=$(cd "$(dirname "$OLD")/.." && pwd)
NEWROOT=$(cd "$(dirname "$NEW")/.." && pwd)

norm() { # file
    sed -E -e 's/computed in [0-9.]+ s/computed in X s/' -e "s#$OLDROOT/#ROOT/#g" -e "s#$NEWROOT/#ROOT/#g" \
        -e "s#field '[a-z-]+': ##g" "$1"
}

n=0 bad=0 known=0 KNOWN=
run() { # args...
    n=$((n + 1))
    local o="$OUT/old" w="$OUT/new"
    (cd "$OUT" && env -u KOMMUTE_FACTORS -u KOMMUTE_CATALOGUE "$OLD" "$@" >old.out 2>old.err; echo $? >old.rc)
    (cd "$OUT" && env -u KOMMUTE_FACTORS -u KOMMUTE_CATALOGUE "$NEWABS" "$@" >new.out 2>new.err; echo $? >new.rc)
    if ! cmp -s "$o.rc" "$w.rc" || ! cmp -s <(norm "$o.out") <(norm "$w.out") ||
        ! cmp -s <(norm "$o.err") <(norm "$w.err"); then
        if [ -n "$KNOWN" ]; then
            known=$((known + 1))
            echo "KNOWN: $* ($KNOWN)"
            return
        fi
        bad=$((bad + 1))
        echo "DIFFERENT: $* (exit $(cat "$o.rc") / $(cat "$w.rc"))"
        diff <(norm "$o.out"; norm "$o.err") <(norm "$w.out"; norm "$w.err") | head -6 | cut -c1-300
    fi
}
case "$OLD" in /*) ;; *) OLD="$PWD/$OLD" ;; esac
NEWABS=$NEWROOT/$(basename "$(dirname "$NEW")")/$(basename "$NEW")
FAC=$NEWROOT/data/factors/nordic-2024.json
printf 'model,kind,fuel,range_km,wh_per_km,km_per_litre,fixed_cost_per_year,cost_per_km\nx,plane,petrol,0,0,10,1,1\n' >"$OUT/bad-catalogue.csv"

declare -A OPTS
OPTS[report]="|--work-hours 8-16 --work-days 7 --low 25|--by site|--by department --site S03|--from 2024-03-01 --to 2024-04-01"
OPTS[size]="|--changeover 5 --pool-distance 3000|--any-kind --include-private --service-days 3|--site S02 --vehicle-cost 50000 --uncovered-per-trip 20"
OPTS[place]="|--changeover 5 --any-kind|--move-cost-per-km 10 --unserved-per-trip 50|--site S01 --include-private"
OPTS[ev]="|--range 250 --margin 20 --winter-factor 0.6 --winter-months 11,12,1,2,3|--country SE|--country NO --grid-co2 100 --kwh-price 2.5|--ev-wh-per-km 200 --ev-cost-year 35000 --ev-cost-per-km 0.5 --bike-km 8 --factors $FAC"
OPTS[compose]="--site S05|--site S05 --best 2 --co2-weight 10 --co2-price 1500|--pool-distance 2000 --max-evaluations 2000|--site S02 --allow-uncovered --allowance 4 --bike-km 0 --changeover 5|--site S03 --country SE --any-kind --include-private"
ERRS=("--format xml" "--site NOPE" "--from 2024-03-01 --to 2024-02-01" "--from 2024-13-01" "--to yesterday"
      "--changeover 9999" "--bogus" "stray" "--by week" "--work-hours 17-7" "--work-days 0" "--low 101"
      "--range -3" "--margin 95" "--winter-months 1,13" "--winter-factor 2" "--country XX"
      "--factors /nonexistent.json" "--catalogue $OUT/bad-catalogue.csv" "--catalogue /nonexistent.csv"
      "--best 0" "--max-evaluations x" "--co2-weight 11" "--pool-distance -1" "--move-cost-per-km abc"
      "--service-days -1" "--walk-kmh 0" "--site")
for cmd in report size place ev compose; do
    IFS='|' read -r -a sets <<<"${OPTS[$cmd]}"
    for s in "${sets[@]}"; do
        for f in json csv text; do
            # shellcheck disable=SC2086
            run fleet "$cmd" --db demo.db --format "$f" $s
        done
    done
    for s in "${ERRS[@]}"; do
        # shellcheck disable=SC2086
        run fleet "$cmd" --db demo.db $s
    done
    run fleet "$cmd" --db no-such.db
done
# Binaries with no data next to them: the compiled-in factors (loud), no catalogue.
mkdir -p "$OUT/lone/old/bin" "$OUT/lone/new/bin"
cp "$OLD" "$OUT/lone/old/bin/kommute" && cp "$NEWABS" "$OUT/lone/new/bin/kommute"
OLD=$OUT/lone/old/bin/kommute NEWABS=$OUT/lone/new/bin/kommute
case "$OLD" in /*) ;; *) OLD="$PWD/$OLD" NEWABS="$PWD/$NEWABS" ;; esac
for f in json csv text; do
    run fleet ev --db demo.db --format "$f"
    run fleet ev --db demo.db --format "$f" --country DK
    run fleet compose --db demo.db --format "$f" --site S05
    run fleet compose --db demo.db --format "$f" --site S05 --catalogue "$NEWROOT/data/fleet/catalogue.csv"
done
run fleet ev --db demo.db --country SE
KNOWN="the store is opened before the factors are read: no fallback warning before the store's error" \
    run fleet ev --db no-such.db
echo "$n runs, $((n - bad - known)) identical, $known known differences, $bad different"
[ "$bad" -eq 0 ]
