#!/usr/bin/env bash
# Check a boot log's reclaim accounting (issue 4, acceptance 2):
#   reclaim-check.sh LOG MAX_KEPT_KIB
# leak_pages=0; freed + kept = total; kept_kib <= MAX_KEPT_KIB; every kept
# page is printed on a `kept` line with a reason, and those lines add up to
# kept_kib; compaction removed entries. Prints the kept table; exit 0/1.
set -uo pipefail

log=${1:?usage: reclaim-check.sh LOG MAX_KEPT_KIB}
max=${2:?usage: reclaim-check.sh LOG MAX_KEPT_KIB}
bad=0
fail() {
	echo "reclaim-check: $*"
	bad=1
}

summary=$(grep -aE 'efimap: reclaim: bs_total_kib=' "$log")
if [[ $(grep -c . <<<"$summary") -ne 1 || -z $summary ]]; then
	echo "reclaim-check: expected one 'efimap: reclaim: bs_total_kib=' line in $log"
	exit 1
fi
key() { sed -nE "s/.* $1=([0-9]+).*/\1/p" <<<"$summary"; }
total=$(key bs_total_kib) freed=$(key freed_kib) kept=$(key kept_kib) leak=$(key leak_pages)
before=$(key map_entries_before) after=$(key map_entries_after) tail=$(key tail_freed_kib)

[[ $leak == 0 ]] || fail "leak_pages=$leak, expected 0"
((freed + kept == total)) || fail "freed_kib $freed + kept_kib $kept != bs_total_kib $total"
((kept <= max)) || fail "kept_kib=$kept exceeds $max"
((after < before)) || fail "compaction removed nothing ($before -> $after entries)"
((tail > 0)) || fail "no tail of the map buffer was freed"

# Every kept run: its pages and its reason; together they must be all of kept_kib.
sum=0
while IFS= read -r line; do
	pages=$(sed -nE 's/.* pages=([0-9]+) ([A-Za-z0-9-]+) \((Boot Code|Boot Data)\)$/\1/p' <<<"$line")
	if [[ -z $pages ]]; then
		fail "kept line without a page count and a reason: $line"
		continue
	fi
	sum=$((sum + pages * 4))
	echo "# ${line#*efimap: reclaim: }"
done < <(grep -aE 'efimap: reclaim: kept 0x' "$log")
grep -aqE 'efimap: reclaim: \.\.\. [0-9]+ more kept runs' "$log" &&
	fail "some kept runs were not printed one by one"
((sum == kept)) || fail "kept lines add up to $sum KiB, kept_kib says $kept"
echo "# bs_total_kib=$total freed_kib=$freed kept_kib=$kept entries $before -> $after tail_freed_kib=$tail"
exit $bad
