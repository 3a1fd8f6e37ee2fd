#!/usr/bin/env bash
# Check a boot log of a chain of kernel instances (efimap.kexec=N, issue 16):
#   kexec-check.sh LOG INSTANCES [pass|scribble] [lazy]
# pass (default), from the log alone, not from the instances' own verdicts:
#   - INSTANCES "efimap: kexec: hop=" lines, hop=0..INSTANCES-1 in order, each
#     verdict=pass (or pass-fw-errors: efimap passed, the firmware has error
#     findings) and layout=unchanged, and "chain=pass instances=INSTANCES";
#   - SetVirtualAddressMap called once in the whole boot: the svam_calls= of
#     the hop lines add up to 1, exactly one "efimap: svam:" line is not
#     inherited=1, and the chain line says svam_calls=1;
#   - the same layout in every instance: each instance's "efi: va:" lines
#     (phys -> virt) are the first instance's;
#   - the same kept pages: kept_kib= equal at every hop, and every
#     instance's KERN lines (but the memory map's, which the first instance
#     prints before compaction shrinks it) are the first instance's;
#   - free memory not shrinking: free_kib= never below the hop before.
# lazy: the units each instance finds pending (its "accept: mode=" line's
#   units=) are those the instance before left pending (its pending_units=),
#   and some stay pending to the end.
# scribble (efimap.inject=kexec-scribble): the table the first instance
#   scribbled over is named as changed by every later instance, and the
#   chain fails.
# Prints the figures; exit 0/1.
set -uo pipefail

log=${1:?usage: kexec-check.sh LOG INSTANCES [pass|scribble] [lazy]}
n=${2:?usage: kexec-check.sh LOG INSTANCES [pass|scribble] [lazy]}
mode=${3:-pass}
lazy=${4:-}
bad=0
fail() {
	echo "kexec-check: $*"
	bad=1
}
# The log without timestamps, split per instance at each kernel entry.
text=$(sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' "$log" | tr -d '\r')
instance() { awk -v want="$1" '/efimap: kernel core entered/ { i++ } i == want + 1' <<<"$text"; }
key() { sed -nE "s/.* $1=([^ ]+).*/\1/p" <<<"$2"; }

hops=$(grep -aE '^efimap: kexec: hop=' <<<"$text")
[[ $(grep -c . <<<"$hops") -eq $n ]] || fail "expected $n hop lines, found $(grep -c . <<<"$hops")"
[[ $(grep -c 'efimap: kernel core entered' <<<"$text") -eq $n ]] ||
	fail "expected $n kernel entries, found $(grep -c 'efimap: kernel core entered' <<<"$text")"
chain=$(grep -aE '^efimap: kexec: chain=' <<<"$text")
[[ $(grep -c . <<<"$chain") -eq 1 ]] || fail "expected one chain line, found: $chain"

svam_sum=0 prev_free=0 kept0= i=0
while IFS= read -r line; do
	[[ -n $line ]] || continue
	[[ $(key hop "$line") == "$i" ]] || fail "hop line $i says hop=$(key hop "$line")"
	[[ $(key layout "$line") == unchanged ]] || fail "hop $i: layout=$(key layout "$line")"
	svam_sum=$((svam_sum + $(key svam_calls "$line")))
	free=$(key free_kib "$line") kept=$(key kept_kib "$line")
	((i == 0)) && kept0=$kept
	[[ $kept == "$kept0" ]] || fail "hop $i: kept_kib=$kept, the first instance kept $kept0"
	((free >= prev_free)) || fail "hop $i: free_kib=$free shrank from $prev_free"
	prev_free=$free
	if [[ $mode == pass ]]; then
		# efimap passed; error findings of the firmware (pass-fw-errors) are not its failure.
		[[ $(key verdict "$line") == pass || $(key verdict "$line") == pass-fw-errors ]] ||
			fail "hop $i: verdict=$(key verdict "$line") failed=$(key failed "$line")"
	fi
	i=$((i + 1))
done <<<"$hops"

# SetVirtualAddressMap: once in the whole boot.
((svam_sum == 1)) || fail "the hop lines' svam_calls add up to $svam_sum, not 1"
own=$(grep -aE '^efimap: svam: status=' <<<"$text" | grep -vc ' inherited=1')
((own == 1)) || fail "$own 'efimap: svam:' lines are not inherited=1, expected 1"
[[ $(key svam_calls "$chain") == 1 ]] || fail "chain line: $chain"

# Layout and KERN ranges, instance by instance against the first.
va0=$(instance 0 | sed -nE 's/^efi: va: mem[0-9]+ (phys=.*)/\1/p' | sort)
kern0=$(instance 0 | grep -aE '^efimap: resv: KERN ' | grep -v ' memory-map ' | sort)
[[ -n $va0 ]] || fail "the first instance printed no efi: va: lines"
for ((k = 1; k < n; k++)); do
	[[ $(instance "$k" | sed -nE 's/^efi: va: mem[0-9]+ (phys=.*)/\1/p' | sort) == "$va0" ]] ||
		fail "instance $k: its runtime layout differs from the first's"
	[[ $(instance "$k" | grep -aE '^efimap: resv: KERN ' | grep -v ' memory-map ' | sort) == "$kern0" ]] ||
		fail "instance $k: its KERN ranges differ from the first's"
done

if [[ -n $lazy ]]; then
	last_pending=
	for ((k = 0; k < n; k++)); do
		acc=$(instance "$k" | grep -aE '^efimap: accept: mode=lazy ')
		[[ -n $acc ]] || { fail "instance $k: no 'accept: mode=lazy' line"; continue; }
		units=$(key units "$acc")
		if ((k > 0)); then
			[[ $units == "$last_pending" ]] ||
				fail "instance $k found $units units pending; the one before left $last_pending"
		fi
		last_pending=$(key pending_units "$(sed -n "$((k + 1))p" <<<"$hops")")
	done
	((${last_pending:-0} > 0)) || fail "no unit left pending: lazy acceptance took everything"
fi

case $mode in
pass)
	[[ $(key chain "$chain") == pass ]] || fail "chain line: $chain"
	;;
scribble)
	named=$(sed -nE 's/^efimap: inject: kexec-scribble: one byte of (.*) changed before the jump$/\1/p' <<<"$text")
	[[ -n $named ]] || fail "the first instance scribbled over no table"
	changed=$(grep -acF "efimap: kexec: kept table changed since the first instance: $named" <<<"$text")
	((changed == n - 1)) || fail "$changed of $((n - 1)) later instances named '$named' as changed"
	[[ $(key chain "$chain") == fail ]] || fail "the chain did not fail: $chain"
	;;
*)
	fail "unknown mode '$mode' (pass|scribble)"
	;;
esac
echo "kexec-check: instances=$n svam_calls=$svam_sum kept_kib=$kept0 free_kib=$prev_free" \
	"chain=$(key chain "$chain")${named:+ changed_table=\"$named\"}${last_pending:+ pending_units=$last_pending}"
exit $bad
