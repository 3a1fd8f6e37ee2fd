#!/usr/bin/env bash
# `make bench`: boot-to-exit wall time of efimap against a gnu-efi app that
# only shuts down (tests/baseline), same QEMU settings (q35, 512M, TCG).
# Three kinds of boot, alternating run by run so that drift in machine load
# hits all alike: efimap with its full self-test suite, efimap with
# efimap.selftest=none, and the bare app. Prints the medians and their
# ratios to the bare app, then what each guest suite cost (the guest's
# "# time NAME us=N" KTAP diagnostics, median over the full-suite runs),
# and the machine's load average before and after. Asserts nothing
# (timings are not tests).
#   BENCH_RUNS=N (default 5) runs of each.
#   BENCH_OPTIONS="efimap.x=y ..." efimap.cfg for the efimap boots (run-qemu
#   --options), e.g. efimap.fbcon=off to time the run without the screen console.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

runs=${BENCH_RUNS:-5}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bench: BENCH_RUNS must be a positive number" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/efimap-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }

# One boot of IMAGE with efimap.cfg OPTIONS (may be empty), serial log to
# LOG; prints seconds. run-qemu's status is not the point here, but a boot
# that hit the timeout would make the numbers meaningless.
time_boot() {
	local image=$1 options=$2 log=$3 t0 t1 rc opts=()
	[[ -n $options ]] && opts=(--options "$options")
	t0=$(now)
	scripts/run-qemu --quiet --timeout 300 --image "$image" --log "$log" "${opts[@]}" >/dev/null 2>&1
	rc=$?
	t1=$(now)
	if [[ $(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a >= 299) }') == 1 ]]; then
		echo "bench: $image timed out (status $rc)" >&2
		exit 1
	fi
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

load_before=$(load)
none_opts="efimap.selftest=none${BENCH_OPTIONS:+ $BENCH_OPTIONS}"
e=()
n=()
b=()
for ((i = 1; i <= runs; i++)); do
	e+=("$(time_boot build/efimap.efi "${BENCH_OPTIONS:-}" "$tmp/full$i.log")")
	n+=("$(time_boot build/efimap.efi "$none_opts" "$tmp/none$i.log")")
	b+=("$(time_boot build/baseline.efi "" "$tmp/base$i.log")")
	echo "bench: run $i/$runs: efimap ${e[-1]}s, efimap selftest=none ${n[-1]}s, baseline ${b[-1]}s"
done
me=$(printf '%s\n' "${e[@]}" | median)
mn=$(printf '%s\n' "${n[@]}" | median)
mb=$(printf '%s\n' "${b[@]}" | median)
echo "bench: boot wall time, median of $runs alternating runs (q35, 512M, TCG${BENCH_OPTIONS:+; efimap: $BENCH_OPTIONS}):"
echo "bench:   efimap                    ${me}s"
echo "bench:   efimap selftest=none      ${mn}s"
echo "bench:   baseline (bare gnu-efi)   ${mb}s"
awk -v e="$me" -v b="$mb" 'BEGIN { printf "bench:   ratio efimap/baseline %.3f\n", e / b }'
awk -v e="$mn" -v b="$mb" 'BEGIN { printf "bench:   ratio efimap selftest=none/baseline %.3f\n", e / b }'

# Per suite: the median of its "# time NAME us=N" lines over the full runs,
# in the order the guest ran them.
cat "$tmp"/full*.log | sed -nE 's/^# time ([^ ]+) us=([0-9]+)$/\1 \2/p' >"$tmp/suites"
if [[ -s $tmp/suites ]]; then
	echo "bench: guest self-test cost per suite, median of $runs runs (guest TSC time):"
	total=0
	for name in $(awk '!seen[$1]++ { print $1 }' "$tmp/suites"); do
		us=$(awk -v s="$name" '$1 == s { print $2 }' "$tmp/suites" | median)
		total=$((total + ${us%.*}))
		printf 'bench:   %-16s %8.1f ms\n' "$name" "$(awk -v u="$us" 'BEGIN { print u / 1000 }')"
	done
	printf 'bench:   %-16s %8.1f ms\n' "all suites" "$(awk -v u="$total" 'BEGIN { print u / 1000 }')"
else
	echo "bench: no '# time' lines in the efimap logs: per-suite cost unknown (an older image?)"
fi
echo "bench: load average (1, 5, 15 min) before $load_before, after $(load), on $(nproc) CPUs"
