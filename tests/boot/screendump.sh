#!/usr/bin/env bash
# The screen console, checked on the screen itself: boot with
# `run-qemu --screendump`, then look for exact strings in the dump with
# build/findtext (the guest's font, pixel for pixel, in the guest's colours):
#   1. a passing run: the green "PASS  N passed, 0 failed" line in the
#      verdict band, and the console's own verdict line in grey text;
#   2. a failing run: the red "FAIL  N passed, M failed" line;
#   3. efimap.fbcon=off: the same search must come back empty, so the
#      check can fail (the firmware's own text is still on that screen).
#   tests/boot/screendump.sh [BUILD_DIR]      (default build; needs `make`)
# KTAP, then "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

b=${1:-build}
findtext=$b/findtext
font=$b/console-font.psf
tmp=$(mktemp -d "${TMPDIR:-/tmp}/efimap-screendump.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0
passed=0
failed=0

# The colours are the kernel's (kernel/fbcon.h), read from there so they cannot drift.
colour() {
	sed -nE "s/^#define $1[[:space:]]+0x([0-9a-fA-F]{6})u.*/\\1/p" kernel/fbcon.h
}
pass_rgb=$(colour FBCON_PASS_RGB)
fail_rgb=$(colour FBCON_FAIL_RGB)
text_rgb=$(colour FBCON_TEXT_RGB)

# shot NAME WANT_RC FINDTEXT_WANT CHECK -- run-qemu args
# Boots with a screendump; CHECK (a function) prints the findtext arguments
# from the serial log; findtext must exit FINDTEXT_WANT (0 found, 1 not).
shot() {
	local name=$1 want_rc=$2 want_find=$3 check=$4 rc frc args out spec
	shift 5
	n=$((n + 1))
	local ppm=$tmp/screen$n.ppm log=$tmp/serial$n.log why=
	scripts/run-qemu --quiet --image "$b/efimap.efi" --log "$log" --screendump "$ppm" \
		--timeout 300 "$@" >"$tmp/out$n" 2>&1
	rc=$?
	if [[ $rc -ne $want_rc ]]; then
		why="run-qemu exited $rc, expected $want_rc"
	elif [[ ! -s $ppm ]]; then
		why="no screendump"
	elif grep -aq 'efimap: verdict:' "$log" && ! out=$("$b/ktap-read" "$log" 2>&1); then
		why="KTAP and efimap's counts disagree"
	elif ! spec=$($check "$log") || [[ -z $spec ]]; then
		why="the serial log lacks what this case looks for (a verdict, the fb state)"
	else
		mapfile -t args <<<"$spec"
		out=$("$findtext" "$ppm" "$font" "${args[@]}" 2>&1)
		frc=$?
		[[ $frc -eq $want_find ]] || why="findtext exited $frc, expected $want_find"
	fi
	if [[ -z $why ]]; then
		echo "ok $n $name"
		sed 's/^/# /' <<<"$out"
		passed=$((passed + 1))
	else
		echo "not ok $n $name"
		echo "# $why"
		[[ -n ${out-} ]] && sed 's/^/# /' <<<"$out"
		sed 's/^/# | /' "$tmp/out$n" | tail -n 20
		failed=$((failed + 1))
	fi
}

counts() {
	sed -nE 's/.*efimap: verdict: passed=([0-9]+) failed=([0-9]+).*/\1 \2/p' "$1" | tail -n 1
}

# What a passing screen shows: the band line and the console's verdict line.
expect_pass() {
	local p f
	read -r p f < <(counts "$1") || return 1
	printf '%s\n' "$pass_rgb" "PASS  $p passed, $f failed" \
		"$text_rgb" "efimap: verdict: passed=$p failed=$f"
}

expect_fail() {
	local p f
	read -r p f < <(counts "$1") || return 1
	printf '%s\n' "$fail_rgb" "FAIL  $p passed, $f failed" "$text_rgb" "not ok 1 always_fails"
}

# The screen console was switched off, and said so; the passing screen is searched for.
expect_off() {
	grep -aq 'efimap: fb: state=off reason=efimap.fbcon=off' "$1" && expect_pass "$1"
}

for f in "$findtext" "$font" "$b/efimap.efi"; do
	[[ -f $f ]] || { echo "screendump: $f missing (run make)" >&2; exit 2; }
done
[[ -n $pass_rgb && -n $fail_rgb && -n $text_rgb ]] || {
	echo "screendump: cannot read the colours from kernel/fbcon.h" >&2
	exit 2
}

echo "KTAP version 1"
echo "1..3"
shot "screen: console text and the green verdict line are drawn" 0 0 expect_pass --
shot "screen: a failing run draws a red verdict line" 1 0 expect_fail -- \
	--options "efimap.selftest=fail"
shot "screen: with efimap.fbcon=off the same search finds nothing (the check can fail)" 0 1 \
	expect_off -- --options "efimap.fbcon=off"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
