#!/usr/bin/env bash
# `make bench`, part 3: re-entry (efimap.kexec, issue 16). Boots q35 512M
# with efimap.kexec=3 and no self-tests, and reads the guest's own
# timestamps: how long a jump takes (from "efimap: kexec: starting
# instance" to the next kernel entry: transition tables, restoring the
# image from its copy) and how long a re-entered instance runs to its
# verdict, against the first. Prints medians; asserts nothing (timings are
# not tests).
#   BENCH_RUNS=N (default 3) boots.
set -uo pipefail
# --help: the comment above, and no work.
case ${1-} in -h | --help) sed -n '2,/^set -/{/^set -/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;; esac
cd "$(dirname "$0")/.." || exit 2

runs=${BENCH_RUNS:-3}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bench: BENCH_RUNS must be a positive number" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/efimap-bench.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

median() {
	sed "/^$/d" | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

jumps=()
firsts=()
laters=()
for ((i = 1; i <= runs; i++)); do
	log=$tmp/run$i.log
	scripts/run-qemu --quiet --timeout 600 --log "$log" \
		--options "efimap.kexec=3 efimap.selftest=none" >/dev/null 2>&1
	if ! grep -aq 'efimap: kexec: chain=pass instances=4' "$log"; then
		echo "bench: run $i: the chain did not pass; no figures" >&2
		exit 1
	fi
	# Guest seconds at each event: kernel entry, verdict, jump start.
	mapfile -t t < <(sed -nE 's/^\[ *([0-9]+\.[0-9]+)\] efimap: (kernel core entered|verdict:|kexec: starting instance).*/\1 \2/p' "$log")
	read -r jump first later < <(printf '%s\n' "${t[@]}" | awk '
		$2 == "kernel" { if (start != "") { j += ($1 - start) * 1000; nj++ } entry = $1; n++ }
		$2 == "verdict:" { d = ($1 - entry) * 1000; if (n == 1) f = d; else { l += d; nl++ } }
		$2 == "kexec:" { start = $1 }
		END { printf "%.3f %.1f %.1f\n", j / nj, f, l / nl }')
	jumps+=("$jump")
	firsts+=("$first")
	laters+=("$later")
	echo "bench: kexec run $i/$runs: jump ${jump} ms, first instance ${first} ms, re-entered ${later} ms"
done
echo "bench: re-entry, median of $runs (q35, 512M, TCG, efimap.kexec=3, no self-tests; guest time):"
echo "bench:   jump (to the next kernel entry) $(printf '%s\n' "${jumps[@]}" | median) ms"
echo "bench:   first instance, entry to verdict $(printf '%s\n' "${firsts[@]}" | median) ms"
echo "bench:   re-entered instance, entry to verdict $(printf '%s\n' "${laters[@]}" | median) ms"
