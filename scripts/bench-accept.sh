#!/usr/bin/env bash
# `make bench`, part 2: unaccepted memory (issue 6). Boots q35 8G with
# efimap.unaccepted=sim:above=1G, lazy against eager acceptance, alternating
# so that machine load hits both alike; no self-tests, so the time is boot
# to verdict. Prints the medians of wall time and of the guest's own
# timestamp at the verdict, their ratios, and what each accepted at boot.
# Asserts nothing (timings are not tests).
#   BENCH_RUNS=N (default 3) runs of each.
set -uo pipefail
# --help: the comment above, and no work.
case ${1-} in -h | --help) sed -n '2,/^set -/{/^set -/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;; esac
cd "$(dirname "$0")/.." || exit 2

runs=${BENCH_RUNS:-3}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bench: BENCH_RUNS must be a positive number" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/efimap-bench.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
median() {
	sed "/^$/d" | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# One boot in MODE; prints "wall guest accepted_kib unaccepted_kib accept_ms".
boot() {
	local mode=$1 log=$tmp/$1.log t0 t1 rc guest line
	t0=$(now)
	scripts/run-qemu --quiet --timeout 600 --mem 8G --log "$log" \
		--options "efimap.unaccepted=sim:above=1G efimap.accept=$mode efimap.selftest=none" \
		>/dev/null 2>&1
	rc=$?
	t1=$(now)
	guest=$(sed -nE 's/^\[ *([0-9]+\.[0-9]+)\] efimap: verdict: .*/\1/p' "$log" | tail -n 1)
	line=$(grep -a 'efimap: accept: mode=' "$log" | tail -n 1)
	if [[ $rc -ne 0 || -z $guest || -z $line ]]; then
		echo "bench: the $mode boot failed (run-qemu status $rc); log:" >&2
		tail -n 20 "$log" >&2
		exit 1
	fi
	key() { sed -nE "s/.* $1=([0-9]+).*/\1/p" <<<"$line"; }
	printf '%s %s %s %s %s\n' "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" \
		"$guest" "$(key accepted_at_boot_kib)" "$(key unaccepted_kib)" "$(key accept_ms)"
}

declare -A wall guest acc un ms
for ((i = 1; i <= runs; i++)); do
	for mode in lazy eager; do
		read -r w g a u m <<<"$(boot $mode)" || exit 1
		[[ -n $w ]] || exit 1
		wall[$mode]+="$w"$'\n'
		guest[$mode]+="$g"$'\n'
		acc[$mode]=$a un[$mode]=$u ms[$mode]+="$m"$'\n'
		echo "bench: accept run $i/$runs $mode: wall ${w}s, verdict at ${g}s, accepted at boot $a of $u KiB in ${m} ms"
	done
done
echo "bench: unaccepted memory, q35 8G, sim:above=1G, boot to verdict, median of $runs:"
for mode in lazy eager; do
	printf 'bench:   %-5s wall %ss  verdict at %ss  accept_ms %s  accepted_at_boot_kib %s of %s (%s%%)\n' \
		"$mode" "$(median <<<"${wall[$mode]}")" "$(median <<<"${guest[$mode]}")" \
		"$(median <<<"${ms[$mode]}")" "${acc[$mode]}" "${un[$mode]}" \
		"$(awk -v a="${acc[$mode]}" -v u="${un[$mode]}" 'BEGIN { printf "%.3f", u ? 100 * a / u : 0 }')"
done
awk -v l="$(median <<<"${wall[lazy]}")" -v e="$(median <<<"${wall[eager]}")" \
	-v gl="$(median <<<"${guest[lazy]}")" -v ge="$(median <<<"${guest[eager]}")" \
	'BEGIN { printf "bench:   ratio eager/lazy: wall %.3f, boot to verdict %.3f\n", e / l, ge / gl }'
