#!/usr/bin/env bash
# `efimap plan` says what the kernel did (issue 14, item 8 and acceptance 4):
# boot efimap once per configuration, run `efimap plan` (text and --json) on
# that boot's serial log, which holds its map and its "efimap: resv: KERN"
# lines, and compare with the kernel's own lines in the same log:
#  - text: every "efimap: reclaim:" line of the kernel (trampoline, kept runs,
#    the per-type table, kept_by, the summary with bs_total_kib, freed_kib,
#    kept_kib, map_entries_before/after, tail_freed_kib) equals plan's
#    "reclaim:" line, in order;
#  - JSON: the same figures from plan --json (boot_services, compaction,
#    trampoline) rebuilt into the kernel's words with jq;
#  - layout: the virtual addresses the guest printed ("efi: va: memNN ...")
#    are plan's (layout.runtime[]), and the map has as many entries as the
#    kernel's "efimap: map: entries=" says.
# Configurations: q35 512M, q35 8G, U-Boot (pc, 512M), and q35 512M with a
# second kernel instance (efimap.kexec=1), each instance against its own map.
#
#   tests/boot/plan-check.sh [BUILD_DIR]                boot, then compare
#   tests/boot/plan-check.sh --log NAME FILE ... [BUILD_DIR]
#                                                       compare logs already made
#   tests/boot/plan-check.sh --input NAME KERNEL_LINES INPUT ... [BUILD_DIR]
#                                                       plan INPUT (a run folder)
#                                                       against the kernel's lines
#                                                       in KERNEL_LINES (its report.txt)
# EFIMAP=path overrides BUILD_DIR/efimap. Mutation check: a plan that skips the
# kernel's bgrt-logo reservation fails the text and JSON comparisons of the
# q35 boots (kept_by bgrt-logo, kept_kib, map_entries_after differ), and so does
# the plan of before issue 14 (its own model, no reclaim: lines).
# KTAP, then "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

logs=() # NAME KERNEL_LINES INPUT triples
while [[ ${1:-} == --log || ${1:-} == --input ]]; do
	if [[ $1 == --log ]]; then
		logs+=("$2" "$3" "$3")
		shift 3
	else
		logs+=("$2" "$3" "$4")
		shift 4
	fi
done
b=${1:-build}
efimap=${EFIMAP:-$b/efimap}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/efimap-plan-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0
passed=0
failed=0

result() { # NAME OK WHY...
	local name=$1 ok=$2
	shift 2
	n=$((n + 1))
	if [[ $ok -eq 1 ]]; then
		echo "ok $n $name"
		passed=$((passed + 1))
	else
		echo "not ok $n $name"
		printf '%s\n' "$@" | sed 's/^/# /'
		failed=$((failed + 1))
	fi
}

# The kernel's reclaim lines in FILE, without "efimap: " and what precedes it,
# in the words plan uses; the map-copy note is not about the reclaim.
kernel_reclaim_lines() {
	grep -aE 'efimap: reclaim: ' "$1" | sed -E 's/.*efimap: (reclaim: )/\1/; s/\r$//' |
		grep -vE '^reclaim: no pages for a copy of the map'
}

# The same figures from plan --json, written in the kernel's words.
json_as_kernel_lines() {
	jq -r '
		.boot_services as $b | .compaction as $c |
		(if $b.nothing_freed then "reclaim: nothing freed: \($b.nothing_freed)"
		 else empty end),
		(if $b.nothing_freed then empty
		 elif $b.trampoline.page == null then "reclaim: trampoline: no free page below 1 MiB at all"
		 elif $b.trampoline.from_boot_services then
			"reclaim: trampoline: no conventional page below 1 MiB; keeping boot-services page \($b.trampoline.page | ltrimstr("0x") | sub("^0+(?=.)"; "") | "0x" + .) for it"
		 else "reclaim: trampoline: conventional page \($b.trampoline.page | ltrimstr("0x") | sub("^0+(?=.)"; "") | "0x" + .) set aside" end),
		($b.kept_runs[]),
		(if $b.entries_kept_whole.runtime_attribute > 0 then
			"reclaim: \($b.entries_kept_whole.runtime_attribute) boot-services entries carry EFI_MEMORY_RUNTIME: kept whole, the firmware still uses them"
		 else empty end),
		(if $b.nothing_freed then empty else
			"reclaim: type        total_pages  freed_pages   kept_pages",
			($b.types[] | "reclaim: \(.type_name)  \(.total_pages) \(.freed_pages) \(.kept_pages)"),
			($b.kept_by | to_entries[] | "reclaim: kept_by \(.key) pages=\(.value) kib=\(.value * 4)"),
			"reclaim: bs_total_kib=\($b.pages * 4) freed_kib=\($b.freed_pages * 4) kept_kib=\($b.kept_pages * 4) leak_pages=\($b.leak_pages) map_entries_before=\($c.entries_before) map_entries_after=\($c.entries_after) tail_freed_kib=\($c.tail_freed_kib // "unknown")"
		 end)
	' "$1"
}

# Table rows with their column padding squeezed, so the JSON rebuild compares too.
squeeze() {
	sed -E '/^reclaim: (Boot|type)/s/ +/ /g'
}

# The kernel prints its first 64 kept runs (KEPT_LINES, kernel/reclaim_boot.c)
# and counts the rest; plan lists them all: cut plan's list the same way.
cut_kept() {
	awk '/^reclaim: kept 0x/ { if (++k > 64) { more++; next } }
		!/^reclaim: kept 0x/ && more { print "reclaim: ... " more " more kept runs (totals below)"; more = 0 }
		{ print }'
}

# The kernel's map entries and virtual addresses, against plan's.
layout_lines() { # LOG
	sed -nE 's/.*efi: va: mem([0-9]+) phys=0x[0-9a-f]+ virt=0x([0-9a-f]+) .*/\1 \2/p' "$1" |
		awk '{ print $1 + 0, $2 }'
}

# The lines of kernel instance K (1-based) of a log (efimap.kexec=N starts
# more): from its "kernel core entered" line to the next instance's.
instance_lines() { # LOG K
	awk -v k="$2" '/efimap: kernel core entered/ { i++ } i == k' "$1"
}

# compare_plan NAME KERNEL_LINES_FILE PLAN_INPUT [PLAN_OPTION...]: three
# results (text, JSON, layout); the layout is skipped when the kernel's file
# has no "efi: va:" lines.
compare_plan() {
	local name=$1 klog=$2 input=$3 want got why=()
	shift 3
	local opts=("$@")
	want=$(kernel_reclaim_lines "$klog")
	"$efimap" plan "${opts[@]}" "$input" >"$tmp/plan.txt" 2>"$tmp/plan.err"
	local rc=$?
	got=$(grep -E '^reclaim: ' "$tmp/plan.txt" | cut_kept)
	if [[ -z $want ]]; then
		why+=("$klog has no 'efimap: reclaim:' lines")
	elif [[ $rc -ne 0 ]]; then
		why+=("efimap plan exited $rc: $(head -n 3 "$tmp/plan.err")")
	elif ! grep -q '^reservations: the kernel' "$tmp/plan.txt"; then
		why+=("plan did not use the kernel's reservations: $(grep '^reservations:' "$tmp/plan.txt")")
	elif [[ $want != "$got" ]]; then
		why+=("kernel (<) and plan (>) differ:")
		mapfile -t d < <(diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -n 20)
		why+=("${d[@]}")
	fi
	result "$name: plan's reclaim lines are the kernel's ($(grep -c . <<<"$want") lines)" \
		$((${#why[@]} == 0)) "${why[@]}"

	why=()
	if ! "$efimap" plan --json "${opts[@]}" "$input" >"$tmp/plan.json" 2>"$tmp/plan.err"; then
		why+=("efimap plan --json failed: $(head -n 3 "$tmp/plan.err")")
	else
		got=$(json_as_kernel_lines "$tmp/plan.json" | cut_kept | squeeze)
		want=$(kernel_reclaim_lines "$klog" | squeeze)
		if [[ -z $want || $want != "$got" ]]; then
			why+=("kernel (<) and plan --json (>) differ:")
			mapfile -t d < <(diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -n 20)
			why+=("${d[@]}")
		fi
		[[ $(jq -r '.boot_services.reservations.known' "$tmp/plan.json") == true ]] ||
			why+=("plan --json: reservations not known")
	fi
	result "$name: plan --json gives the kernel's figures" $((${#why[@]} == 0)) "${why[@]}"

	why=()
	want=$(layout_lines "$klog")
	if [[ -z $want ]]; then
		n=$((n + 1))
		echo "ok $n $name: layout # SKIP no 'efi: va:' lines in $klog"
		skipped=$((skipped + 1))
		return
	fi
	got=$(jq -r '.layout.runtime[] | "\(.entry) \(.virt_start)"' "$tmp/plan.json" | sed -E 's/ 0x/ /')
	[[ $want == "$got" ]] || why+=("guest [${want//$'\n'/, }] plan [${got//$'\n'/, }]")
	want=$(sed -nE 's/.*efimap: map: entries=([0-9]+) .*/\1/p' "$klog" | head -n 1)
	got=$(jq -r '.entries' "$tmp/plan.json")
	[[ -n $want && $want == "$got" ]] || why+=("the kernel's map has ${want:-?} entries, plan read $got")
	result "$name: plan's map and virtual layout are the kernel's" $((${#why[@]} == 0)) "${why[@]}"
}

skipped=0
if ! command -v jq >/dev/null; then
	echo "KTAP version 1"
	echo "1..0 # SKIP jq is missing: scripts/install-deps.sh installs it"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi

if [[ ${#logs[@]} -eq 0 ]]; then
	configs=("q35 512M" "--mem 512M --machine q35"
		"q35 8G" "--mem 8G --machine q35"
		"U-Boot pc 512M" "--firmware uboot --mem 512M"
		"q35 512M efimap.kexec=1" "--mem 512M --machine q35 --options efimap.kexec=1")
	echo "KTAP version 1"
	echo "1..$((${#configs[@]} / 2 * 3 + 3))"
	for ((i = 0; i < ${#configs[@]}; i += 2)); do
		name=${configs[i]}
		log=$tmp/boot$((i / 2)).log
		# shellcheck disable=SC2086 # the options are words
		if ! scripts/run-qemu --quiet --image "$b/efimap.efi" --log "$log" ${configs[i + 1]} \
			>"$log.out" 2>&1; then
			whats=("reclaim lines" "--json" "layout")
			[[ $name == *kexec* ]] && whats+=("${whats[@]}") # one set per instance
			for what in "${whats[@]}"; do
				result "$name: $what" 0 "run-qemu ${configs[i + 1]} failed:" \
					"$(tail -n 5 "$log.out")"
			done
			continue
		fi
		if [[ $name != *kexec* ]]; then
			compare_plan "$name" "$log" "$log"
			continue
		fi
		# Re-entry: the second instance reclaims again on the compacted map it
		# was handed; plan on each instance's map (--map K: the default is the
		# firmware's, the first) must match that instance's lines.
		for k in 1 2; do
			instance_lines "$log" $k >"$log.$k"
			compare_plan "$name, instance $k" "$log.$k" "$log" --map $k
		done
	done
else
	echo "KTAP version 1"
	echo "1..${#logs[@]}"
	for ((i = 0; i < ${#logs[@]}; i += 3)); do
		compare_plan "${logs[i]}" "${logs[i + 1]}" "${logs[i + 2]}"
	done
fi

if [[ $skipped -gt 0 ]]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[[ $failed -eq 0 ]]
