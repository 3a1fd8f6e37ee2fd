#!/usr/bin/env bash
# Check a boot log's acceptance summary (issue 6, acceptance 1 and 3):
#   accept-check.sh LOG none|lazy|eager
# none:  mode=none and nothing counted;
# lazy:  accepted_at_boot_kib <= 1% of unaccepted_kib, units still pending;
# eager: everything accepted at boot, no unit pending.
# Prints the figures; exit 0/1.
set -uo pipefail

log=${1:?usage: accept-check.sh LOG none|lazy|eager}
want=${2:?usage: accept-check.sh LOG none|lazy|eager}
bad=0
fail() {
	echo "accept-check: $*"
	bad=1
}

summary=$(grep -aE 'efimap: accept: mode=' "$log")
if [[ $(grep -c . <<<"$summary") -ne 1 || -z $summary ]]; then
	echo "accept-check: expected one 'efimap: accept: mode=' line in $log"
	exit 1
fi
key() { sed -nE "s/.* $1=([0-9a-z]+).*/\1/p" <<<"$summary"; }
mode=$(key mode) un=$(key unaccepted_kib) boot=$(key accepted_at_boot_kib)
bytes=$(key bitmap_bytes) units=$(key units) pending=$(key pending_units)
calls=$(key accept_calls) ms=$(key accept_ms) failed=$(key failed_kib)
for k in mode un boot bytes units pending calls ms failed; do
	[[ -n ${!k} ]] || fail "summary lacks a value for $k: $summary"
done
[[ $bad -eq 0 ]] || exit 1

[[ $mode == "$want" ]] || fail "mode=$mode, expected $want"
case $want in
none)
	((un == 0 && boot == 0 && bytes == 0 && units == 0 && calls == 0)) ||
		fail "mode=none but something was counted: $summary"
	;;
lazy)
	((un > 0)) || fail "nothing unaccepted"
	((boot * 100 <= un)) || fail "accepted_at_boot_kib=$boot is more than 1% of unaccepted_kib=$un"
	((pending > 0)) || fail "pending_units=0: lazy mode accepted every unit at boot"
	;;
eager)
	((un > 0)) || fail "nothing unaccepted"
	((boot == un)) || fail "accepted_at_boot_kib=$boot, expected all of unaccepted_kib=$un"
	((pending == 0)) || fail "pending_units=$pending after eager acceptance"
	;;
*)
	fail "unknown mode '$want' (none|lazy|eager)"
	;;
esac
((failed == 0)) || fail "failed_kib=$failed"
echo "accept-check: mode=$mode unaccepted_kib=$un accepted_at_boot_kib=$boot" \
	"($(awk -v b="$boot" -v u="$un" 'BEGIN { printf "%.3f", u ? 100 * b / u : 0 }')%)" \
	"bitmap_bytes=$bytes units=$units accept_calls=$calls accept_ms=$ms"
exit $bad
