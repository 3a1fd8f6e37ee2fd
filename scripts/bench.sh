#!/usr/bin/env bash
# `make bench`: boot-to-exit wall time of efimap against a gnu-efi app that
# only shuts down (tests/baseline), same QEMU settings (q35, 512M, TCG),
# alternating runs so that drift in machine load hits both alike. Prints
# the medians and their ratio; asserts nothing (timings are not tests).
#   BENCH_RUNS=N (default 5) runs of each.
#   BENCH_OPTIONS="efimap.x=y ..." efimap.cfg for the efimap boots (run-qemu
#   --options), e.g. efimap.fbcon=off to time the run without the screen console.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

runs=${BENCH_RUNS:-5}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bench: BENCH_RUNS must be a positive number" >&2; exit 2; }

now() { date +%s.%N; }

# One boot; prints seconds. run-qemu's status is not the point here, but a
# boot that hit the timeout would make the numbers meaningless.
time_boot() {
	local t0 t1 rc opts
	opts=()
	[[ $1 == build/efimap.efi && -n ${BENCH_OPTIONS:-} ]] && opts=(--options "$BENCH_OPTIONS")
	t0=$(now)
	scripts/run-qemu --quiet --timeout 300 --image "$1" "${opts[@]}" >/dev/null 2>&1
	rc=$?
	t1=$(now)
	if [[ $(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a >= 299) }') == 1 ]]; then
		echo "bench: $1 timed out (status $rc)" >&2
		exit 1
	fi
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

e=()
b=()
for ((i = 1; i <= runs; i++)); do
	e+=("$(time_boot build/efimap.efi)")
	b+=("$(time_boot build/baseline.efi)")
	echo "bench: run $i/$runs: efimap ${e[-1]}s, baseline ${b[-1]}s"
done
me=$(printf '%s\n' "${e[@]}" | median)
mb=$(printf '%s\n' "${b[@]}" | median)
echo "bench: boot wall time, median of $runs (q35, 512M, TCG${BENCH_OPTIONS:+; efimap: $BENCH_OPTIONS}):"
echo "bench:   efimap   ${me}s"
echo "bench:   baseline ${mb}s"
awk -v e="$me" -v b="$mb" 'BEGIN { printf "bench:   ratio efimap/baseline %.3f\n", e / b }'
