#!/usr/bin/env bash
# make fuzz: every cargo-fuzz target for FUZZ_SECONDS (default 60) each,
# from its corpus in fuzz/corpus/<target>, then one line per target:
# executions, speed, corpus size, and what it found (crash, hang or memory
# over the limit; the input kept in fuzz/libfuzzer/artifacts/<target>/).
# Needs the nightly toolchain (installed on these machines); installs the
# pinned cargo-fuzz into .tools. FUZZ_TARGETS narrows the run.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-"exchange_file fleet_matrix drivers_workbook planning_workbook plate api_body"}
# The api, import and export Lambdas have 512 MB: no input may take more.
rss_limit_mb=${FUZZ_RSS_LIMIT_MB:-512}
cargo_fuzz=.tools/bin/cargo-fuzz
fuzz_dir=fuzz/libfuzzer

if ! rustup toolchain list | grep -q '^nightly'; then
    echo "make fuzz needs Rust's nightly toolchain: rustup toolchain install nightly" >&2
    exit 2
fi
if [ ! -x "$cargo_fuzz" ]; then
    cargo install cargo-fuzz --version 0.13.1 --locked --root .tools || exit 2
fi
cargo run --quiet -p designa-fuzz --bin seed_corpus || exit 2
export RUSTUP_TOOLCHAIN=nightly
# No sanitizer: the code is safe Rust, and speed buys executions. Overflow
# checks and debug assertions on: an overflow is a finding.
build_flags=(-O -a -s none --fuzz-dir "$fuzz_dir")
"$cargo_fuzz" fuzz build "${build_flags[@]}" || exit 2

findings=0
summary=()
for target in $targets; do
    log=$(mktemp)
    echo "fuzzing $target for ${seconds}s"
    "$cargo_fuzz" fuzz run "${build_flags[@]}" "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb="$rss_limit_mb" -malloc_limit_mb="$rss_limit_mb" \
        -timeout=10 -print_final_stats=1 >"$log" 2>&1
    status=$?
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    corpus=$(find "fuzz/corpus/$target" -type f | wc -l)
    found="nothing found"
    if [ "$status" -ne 0 ]; then
        findings=$((findings + 1))
        artifact=$(grep -o 'Test unit written to [^ ]*' "$log" | tail -1 | sed 's/Test unit written to //')
        found="FOUND (exit $status): ${artifact:-see $log}"
        grep -m3 -E "panicked at|ERROR: libFuzzer|out-of-memory|timeout" "$log" | sed 's/^/    /'
    fi
    summary+=("$(printf '%-18s %12s executions %8s/s  corpus %5s  %s' "$target" "${execs:-?}" "${speed:-?}" "$corpus" "$found")")
    [ "$status" -eq 0 ] && rm -f "$log"
done

echo
echo "fuzzing, ${seconds}s a target:"
printf '  %s\n' "${summary[@]}"
if [ "$findings" -ne 0 ]; then
    echo "$findings target(s) found an input that breaks them: fix it, then keep the input in fuzz/regressions/<target>/"
    exit 1
fi
