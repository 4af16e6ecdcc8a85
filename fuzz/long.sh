#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
# make fuzz-long: run each fuzz target given for FUZZ_SECONDS on its saved
# corpus, one at a time and nice'd, then print seconds, execs, execs/s and
# crash files per target. New inputs go to $BUILD/fuzz/new/<target>, crashes
# to $BUILD/fuzz/crash/<target>-*; the saved corpus is only read. FUZZ_ARGS
# passes more libFuzzer flags (e.g. -max_len=2048).
secs=${FUZZ_SECONDS:-600}
build=${BUILD:-build}
mkdir -p "$build/fuzz/log" "$build/fuzz/crash"
for t in "$@"; do
    mkdir -p "$build/fuzz/new/$t" "fuzz/corpus/$t"
    log="$build/fuzz/log/$t.log"
    echo "fuzz-long: $t for $secs s (log $log)"
    nice -n 10 "$build/fuzz/fuzz_$t" "$build/fuzz/new/$t" "fuzz/corpus/$t" -max_total_time="$secs" \
        -print_final_stats=1 -artifact_prefix="$build/fuzz/crash/$t-" -close_fd_mask=3 $FUZZ_ARGS >"$log" 2>&1
    echo "  exit $?"
done
printf '\n%-14s %8s %12s %10s %8s\n' target seconds execs execs/s crashes
for t in "$@"; do
    log="$build/fuzz/log/$t.log"
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    time=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    crashes=$(ls "$build/fuzz/crash" 2>/dev/null | grep -c "^$t-")
    printf '%-14s %8s %12s %10s %8s\n' "$t" "${time:-?}" "${runs:-?}" "${rate:-?}" "$crashes"
done
