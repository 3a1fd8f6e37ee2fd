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
# --help: the comment above, and no work.
case ${1-} in -h | --help) sed -n '2,/^set -/{/^set -/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;; esac
cd "$(dirname "$0")/.." || exit 2

runs=${BENCH_RUNS:-5}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bench: BENCH_RUNS must be a positive number" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/efimap-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }

# One boot of IMAGE with efimap.cfg OPTIONS (may be empty), serial log to
# LOG; prints "EXIT VERDICT": seconds from start to QEMU's end, and to the
# moment the verdict line came out of the serial console (the bare app has
# none: its exit is its verdict). What efimap does after its verdict
# (storing the run report in variables) is in the first figure only.
# run-qemu's status is not the point here, but a boot that hit the timeout
# would make the numbers meaningless.
time_boot() {
	local image=$1 options=$2 log=$3 t0 t1 tv rc opts=()
	[[ -n $options ]] && opts=(--options "$options")
	rm -f "$tmp/verdict.t"
	t0=$(now)
	scripts/run-qemu --timeout 300 --image "$image" --log "$log" "${opts[@]}" 2>/dev/null |
		while IFS= read -r line; do
			[[ $line == *'efimap: verdict:'* && ! -f $tmp/verdict.t ]] && now >"$tmp/verdict.t"
		done
	rc=${PIPESTATUS[0]}
	t1=$(now)
	if [[ $(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a >= 299) }') == 1 ]]; then
		echo "bench: $image timed out (status $rc)" >&2
		exit 1
	fi
	tv=$t1
	[[ -f $tmp/verdict.t ]] && tv=$(cat "$tmp/verdict.t")
	awk -v a="$t0" -v b="$t1" -v v="$tv" 'BEGIN { printf "%.3f %.3f\n", b - a, v - a }'
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

load_before=$(load)
none_opts="efimap.selftest=none${BENCH_OPTIONS:+ $BENCH_OPTIONS}"
e=() ev=() n=() nv=() b=()
for ((i = 1; i <= runs; i++)); do
	read -r x v < <(time_boot build/efimap.efi "${BENCH_OPTIONS:-}" "$tmp/full$i.log")
	e+=("$x") ev+=("$v")
	read -r x v < <(time_boot build/efimap.efi "$none_opts" "$tmp/none$i.log")
	n+=("$x") nv+=("$v")
	read -r x v < <(time_boot build/baseline.efi "" "$tmp/base$i.log")
	b+=("$x")
	echo "bench: run $i/$runs: efimap ${ev[-1]}s to verdict, ${e[-1]}s to exit;" \
		"selftest=none ${nv[-1]}s, ${n[-1]}s; baseline ${b[-1]}s"
done
me=$(printf '%s\n' "${e[@]}" | median)
mev=$(printf '%s\n' "${ev[@]}" | median)
mn=$(printf '%s\n' "${n[@]}" | median)
mnv=$(printf '%s\n' "${nv[@]}" | median)
mb=$(printf '%s\n' "${b[@]}" | median)
echo "bench: boot wall time, median of $runs alternating runs (q35, 512M, TCG${BENCH_OPTIONS:+; efimap: $BENCH_OPTIONS}):"
echo "bench:   baseline (bare gnu-efi), to exit          ${mb}s"
echo "bench:   efimap, to verdict / to exit               ${mev}s / ${me}s"
echo "bench:   efimap selftest=none, to verdict / to exit ${mnv}s / ${mn}s"
awk -v e="$mev" -v x="$me" -v b="$mb" \
	'BEGIN { printf "bench:   ratio efimap/baseline: to verdict %.3f, to exit %.3f\n", e / b, x / b }'
awk -v e="$mnv" -v x="$mn" -v b="$mb" \
	'BEGIN { printf "bench:   ratio efimap selftest=none/baseline: to verdict %.3f, to exit %.3f\n", e / b, x / b }'

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
