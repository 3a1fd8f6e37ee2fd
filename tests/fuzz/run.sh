#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Run every libFuzzer target (tests/fuzz/fuzz_*.c, built by make into
# $B/fuzz/) for SECONDS each and report KTAP: one "ok"/"not ok" per target,
# then "N passed, N failed".
#
#   tests/fuzz/run.sh [--keep-corpus] SECONDS
#
# Builds nothing: `make check` and `make fuzz` build the binaries first. A
# missing binary is a failure, never a skip. Any crash, sanitizer report,
# leak, per-input timeout (10 s) or RSS above 2 GiB fails the target; the
# input is saved under $B/fuzz/crashes/ and its path printed.
#
# The seeds (tests/fuzz/corpus/<target>/, plus tests/tools/samples/ for the
# parser) are copied to a scratch corpus, so the repository is never written.
# Without --keep-corpus (the `make check` smoke) the scratch corpus is a temp
# directory removed afterwards; with it (`make fuzz`) it is
# $B/fuzz/corpus-<target>/ and grows from one run to the next.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

keep=0
if [[ ${1:-} == --keep-corpus ]]; then
	keep=1
	shift
fi
secs=${1:-10}
if ! [[ $secs =~ ^[0-9]+$ ]] || [[ $secs -lt 1 ]]; then
	echo "usage: tests/fuzz/run.sh [--keep-corpus] SECONDS (a whole number, at least 1)" >&2
	exit 2
fi
B=${B:-build}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/efimap-fuzz.XXXXXX") || exit 2
trap 'rm -rf "$scratch"' EXIT

# Sanitizers: stop at the first report, with a stack; libFuzzer saves the input.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

# Longest input each target is given: room for a few hundred descriptors, or
# a whole boot log.
max_len_for() {
	case $1 in
	fuzz_map) echo 32768 ;;
	fuzz_parse) echo 65536 ;;
	*) echo 16384 ;;
	esac
}

# Seed directories of a target, those that exist.
seeds_for() {
	local short=${1#fuzz_}
	[[ -d tests/fuzz/corpus/$short ]] && echo "tests/fuzz/corpus/$short"
	[[ $short == parse && -d tests/tools/samples ]] && echo "tests/tools/samples"
	return 0
}

targets=()
for src in tests/fuzz/fuzz_*.c; do
	[[ -e $src ]] || continue
	t=${src##*/}
	targets+=("${t%.c}")
done

echo "KTAP version 1"
echo "1..${#targets[@]}"
passed=0
failed=0
n=0
mkdir -p "$B/fuzz/crashes"

for t in "${targets[@]}"; do
	n=$((n + 1))
	bin=$B/fuzz/$t
	if [[ ! -x $bin ]]; then
		echo "not ok $n $t"
		echo "# $bin is missing: it needs clang with libFuzzer (scripts/install-deps.sh fuzz),"
		echo "# then 'make $bin'"
		failed=$((failed + 1))
		continue
	fi

	if [[ $keep -eq 1 ]]; then
		corpus=$B/fuzz/corpus-${t#fuzz_}
	else
		corpus=$scratch/corpus-${t#fuzz_}
	fi
	mkdir -p "$corpus"
	while IFS= read -r dir; do
		find "$dir" -maxdepth 1 -type f -exec cp -n -t "$corpus" {} + 2>/dev/null
	done < <(seeds_for "$t")

	args=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048
		-max_len="$(max_len_for "$t")" -print_final_stats=1
		-artifact_prefix="$B/fuzz/crashes/$t-")
	dict=tests/fuzz/${t#fuzz_}.dict
	[[ -f $dict ]] && args+=(-dict="$dict")

	log=$scratch/$t.log
	before=$(find "$B/fuzz/crashes" -maxdepth 1 -type f -name "$t-*" | sort)
	start=$(date +%s)
	# The outer timeout only guards against libFuzzer itself hanging. The
	# subshell keeps bash's own "Aborted" notice in the log.
	(timeout -k 10 $((secs + 300)) "$bin" "${args[@]}" "$corpus") >"$log" 2>&1 </dev/null
	rc=$?
	took=$(($(date +%s) - start))

	runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -n 1)
	rate=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+)/\1/p' "$log" | tail -n 1)
	cov=$(grep -aoE '(INITED|DONE|pulse|NEW|REDUCE) +cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1 |
		sed -E 's/.*cov: ([0-9]+) ft: ([0-9]+)/cov=\1 ft=\2/')
	corp=$(find "$corpus" -maxdepth 1 -type f | wc -l)
	new=$(comm -13 <(printf '%s\n' "$before") \
		<(find "$B/fuzz/crashes" -maxdepth 1 -type f -name "$t-*" | sort) | sed '/^$/d')
	report=$(grep -aE '^(SUMMARY:|==[0-9]+==ERROR|ERROR: libFuzzer)|runtime error:|property violated|Test unit written' "$log")

	if [[ $rc -eq 0 && -z $new && -z $report && -n $runs ]]; then
		echo "ok $n $t (runs=$runs, execs/s=${rate:-?}, ${cov:-cov=?}, corpus=$corp, ${took}s)"
		passed=$((passed + 1))
	else
		echo "not ok $n $t (exit $rc after ${took}s, runs=${runs:-?})"
		[[ $rc -eq 124 || $rc -eq 137 ]] && echo "# libFuzzer did not stop on its own: killed"
		if [[ -n $report ]]; then
			sed 's/^/# /' <<<"$report" | head -n 20
		else
			echo "# last lines of the log:"
			tail -n 15 "$log" | sed 's/^/# | /'
		fi
		while IFS= read -r f; do
			[[ -n $f ]] || continue
			echo "# reproducer: $f (run: $bin $f)"
		done <<<"$new"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
