#!/bin/sh
# Runs every fuzz target for a bounded time (seconds, default 60), one after the other, from
# the seeds; new inputs go to corpus/<target>, crashes to artifacts/<target>. Needs a nightly
# toolchain and cargo-fuzz. Prints one line per target: runs, coverage, and whether it found
# anything; JSON tokens and the vendors' field names come from json.dict. Exit status 1
# when any target found a crash, a leak or a hang.
set -u
cd "$(dirname "$0")/../.."
secs="${1:-60}"
found=0
for target in $(ls tests/fuzz/fuzz_targets | sed 's/\.rs$//'); do
    mkdir -p "tests/fuzz/corpus/$target"
    log="tests/fuzz/artifacts/$target.log"
    mkdir -p tests/fuzz/artifacts
    if cargo +nightly fuzz run --fuzz-dir tests/fuzz -s none "$target" \
        "tests/fuzz/corpus/$target" "tests/fuzz/seeds/$target" \
        -- -max_total_time="$secs" -timeout=10 -dict=tests/fuzz/json.dict -rss_limit_mb=2048 -print_final_stats=1 \
        > "$log" 2>&1; then
        verdict="nothing found"
    else
        verdict="FOUND: see $log"
        found=1
    fi
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
    echo "$target: ${runs:-?} runs in ${secs} s, coverage ${cov:-?} edges, ${verdict}"
done
exit $found
