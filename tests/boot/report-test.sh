#!/usr/bin/env bash
# The run report across boots (issue 7), on a copy of the USB stick image
# and one OVMF variable store shared by every boot:
#   tests/boot/report-test.sh [BUILD_DIR]    (default build; needs `make image sign-snakeoil`)
#  1. boot 1 stores its report in the EfimapReport variable;
#  2. boot 2 (runtime services switched off) writes it to
#     \EFI\efimap\reports\0001.txt, and `mtype` reads back exactly boot 1's
#     summary lines and KTAP failures as its serial log shows them;
#  3. boot 3 finds nothing to save: the variable was deleted; it runs a
#     failing suite, so its report carries the KTAP failure lines;
#  4. boot 4 cannot write (a file named `reports` stands where the directory
#     goes): the stub keeps the variable and the kernel does not overwrite it;
#  5. boot 5 saves that kept report (boot 3's) as 0002.txt, byte for byte;
#  6. a full variable store (efimap.inject=varstore-full) is reported as such;
#  7. the same store-then-save with Secure Boot on (the signed stick), where
#     OVMF's variable services run in SMM, as on most real machines.
# KTAP, then "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

b=${1:-build}
usb=$b/efimap-usb.img
signed_usb=$b/snakeoil/efimap-usb-signed.img
esp_type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B
tmp=$(mktemp -d "${TMPDIR:-/tmp}/efimap-report-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export MTOOLS_SKIP_CHECK=1
disk=$tmp/stick.img
vars=$tmp/vars.fd
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

# qboot NAME LOG "PATTERNS" [RC] -- run-qemu args: run-qemu must exit RC
# (default 0: passed) and every pattern (extended regex, one per line) must
# match a line of the log.
qboot() {
	local name=$1 log=$2 patterns=$3 want=0 rc why=() p
	[[ $4 != -- ]] && { want=$4; shift; }
	shift 4
	scripts/run-qemu --quiet --log "$log" "$@" >"$log.out" 2>&1
	rc=$?
	[[ $rc -eq $want ]] || why+=("run-qemu exited $rc, expected $want")
	while IFS= read -r p; do
		[[ -z $p ]] && continue
		grep -saqE -- "$p" "$log" || why+=("log lacks /$p/")
	done <<<"$patterns"
	# Every boot with a verdict: its KTAP agrees with efimap's counts.
	if grep -saq 'efimap: verdict:' "$log" && ! p=$("$b/ktap-read" "$log" 2>&1); then
		why+=("KTAP and efimap's counts disagree:" "$p")
	fi
	if [[ ${#why[@]} -ne 0 ]]; then
		why+=("last lines of the run:")
		mapfile -t -O "${#why[@]}" why < <(tail -n 25 "$log.out")
		result "$name" 0 "${why[@]}"
	else
		result "$name" 1
	fi
}

# What a boot's report must hold, read from its serial log independently of
# kernel/report.c: the kernel's summary lines "efimap: <topic>: ..." without
# their timestamps and the KTAP failure lines ("not ok", "# file:line"), from
# the kernel's first line to its exit line. (run-qemu already dropped CRs.)
expected_report() {
	sed -n '/efimap: kernel core entered/,/efimap: exit: mode=/p' "$1" |
		sed -E 's/^\[ *[0-9]+\.[0-9]{6}\] //' |
		grep -aE '^efimap: [a-z0-9_-]+:|^[[:blank:]]*not ok |^[[:blank:]]*# ' |
		grep -avE '^[[:blank:]]*# Subtest:' |
		awk -v max="$report_line_max" '{
			# kernel/report.h: a line longer than REPORT_LINE_MAX - 1 is cut and ends in "...".
			if (length($0) > max - 1) print substr($0, 1, max - 4) "..."; else print
		}'
}
report_line_max=$(sed -nE 's/^#define REPORT_LINE_MAX ([0-9]+)u?.*/\1/p' kernel/report.h)
[[ $report_line_max =~ ^[0-9]+$ ]] || { echo "report-test: cannot read REPORT_LINE_MAX from kernel/report.h" >&2; exit 2; }

esp_offset() { # DISK: byte offset of its EFI system partition
	echo $(($(sfdisk --dump "$1" | sed -nE "s/.*start= *([0-9]+),.*type=$esp_type.*/\\1/Ip" | head -n 1) * 512))
}

# cut_matches EXPECTED SAVED: SAVED is EXPECTED with one run of lines replaced
# by kernel/report.c's marker "... N lines left out here ..." (a report
# larger than its 4 KiB keeps its first and its newest lines): the lines
# before the marker are EXPECTED's first, those after it EXPECTED's last,
# and N counts exactly the lines in between.
cut_matches() {
	local exp=$1 saved=$2 k n e s
	k=$(grep -naE '^\.\.\. [0-9]+ lines left out here \.\.\.$' "$saved" | cut -d: -f1)
	[[ $k =~ ^[0-9]+$ ]] || return 1 # no marker, or more than one
	n=$(sed -nE "${k}s/^\.\.\. ([0-9]+) lines.*/\1/p" "$saved")
	e=$(wc -l <"$exp")
	s=$(wc -l <"$saved")
	((e == (k - 1) + n + (s - k))) || return 1
	cmp -s <(head -n $((k - 1)) "$exp") <(head -n $((k - 1)) "$saved") || return 1
	cmp -s <(tail -n $((s - k)) "$exp") <(tail -n $((s - k)) "$saved")
}

# compare NAME FILE LOG [DISK]: FILE on the stick holds exactly the report LOG's boot stored.
compare() {
	local name=$1 file=$2 log=$3 img=${4:-$disk} why=() bytes
	expected_report "$log" >"$tmp/expected.txt"
	if ! mtype -i "$img@@$(esp_offset "$img")" "::/EFI/efimap/reports/$file" >"$tmp/saved.txt" 2>"$tmp/mtype.err"; then
		why+=("mtype cannot read /EFI/efimap/reports/$file:" "$(cat "$tmp/mtype.err")")
	elif [[ ! -s $tmp/expected.txt ]]; then
		why+=("the boot's log has no summary lines")
	elif ! cmp -s "$tmp/expected.txt" "$tmp/saved.txt" && ! cut_matches "$tmp/expected.txt" "$tmp/saved.txt"; then
		why+=("the saved file differs from the boot's summary lines (< log, > file):")
		mapfile -t -O 2 why < <(diff "$tmp/expected.txt" "$tmp/saved.txt" | head -n 20)
	else
		bytes=$(sed -nE 's/.*efimap: report: stored=1 bytes=([0-9]+) .*/\1/p' "$log")
		[[ $bytes == "$(stat -c %s "$tmp/saved.txt")" ]] ||
			why+=("stored bytes=${bytes:-?}, file has $(stat -c %s "$tmp/saved.txt") bytes")
	fi
	if [[ ${#why[@]} -ne 0 ]]; then
		result "$name" 0 "${why[@]}"
	else
		result "$name ($(stat -c %s "$tmp/saved.txt") bytes)" 1
	fi
}

echo "KTAP version 1"
if [[ ! -f $usb || ! -f $signed_usb ]]; then
	echo "1..1"
	echo "not ok 1 report persistence: no stick images at $usb and $signed_usb (run 'make image sign-snakeoil')"
	echo "0 passed, 1 failed"
	exit 1
fi
echo "1..11"
cp --sparse=always "$usb" "$disk" || exit 2
offset=$(esp_offset "$disk")

qboot "boot 1 stores its report in the EfimapReport variable" "$tmp/boot1.log" \
	$'efimap: report: saved=none \\(no report from an earlier boot\\)\nefimap: report: stored=1 bytes=[0-9]+ status=EFI_SUCCESS\nefimap: verdict: passed=[0-9]+ failed=0' \
	-- --usb "$disk" --usb-keep --vars "$vars" --options ""
qboot "boot 2 writes it to \\EFI\\efimap\\reports\\0001.txt; runtime services off: its own report is not stored, and it says so" "$tmp/boot2.log" \
	$'efimap: report: saved=\\\\EFI\\\\efimap\\\\reports\\\\0001.txt bytes=[0-9]+\nefimap: report: stored=0 bytes=[0-9]+ status=none\nefimap: report: not stored: runtime services are off \\(efimap.inject=no-runtime\\)' \
	-- --usb "$disk" --usb-keep --vars "$vars" --options "efimap.inject=no-runtime"
compare "0001.txt read back with mtype equals boot 1's summary lines, as stored" 0001.txt "$tmp/boot1.log"
qboot "boot 3: the variable was deleted once saved, nothing to save; a failing run stores its report too" "$tmp/boot3.log" \
	$'efimap: report: saved=none \\(no report from an earlier boot\\)\nnot ok 1 always_fails\nefimap: report: stored=1 bytes=[0-9]+ status=EFI_SUCCESS' 1 \
	-- --usb "$disk" --usb-keep --vars "$vars" --options "efimap.selftest=fail,report_live"

# A plain file where the reports directory goes: the volume takes no report.
mmove -i "$disk@@$offset" ::/EFI/efimap/reports ::/EFI/efimap/kept &&
	printf 'not a directory\n' >"$tmp/blocker" &&
	mcopy -i "$disk@@$offset" "$tmp/blocker" ::/EFI/efimap/reports || exit 2
qboot "boot 4 cannot write the report: the variable is kept, and the kernel does not overwrite it" "$tmp/boot4.log" \
	$'efimap: report: saved=none kept=1 bytes=[0-9]+: \\\\EFI\\\\efimap\\\\reports is a file, not a directory\nefimap: report: stored=0 bytes=[0-9]+ status=none waiting_bytes=[0-9]+\nefimap: report: not stored: the report of an earlier boot .* kept it' \
	-- --usb "$disk" --usb-keep --vars "$vars" --options ""
mdel -i "$disk@@$offset" ::/EFI/efimap/reports &&
	mmove -i "$disk@@$offset" ::/EFI/efimap/kept ::/EFI/efimap/reports || exit 2
qboot "boot 5 saves the kept report as 0002.txt" "$tmp/boot5.log" \
	$'efimap: report: saved=\\\\EFI\\\\efimap\\\\reports\\\\0002.txt bytes=[0-9]+' \
	-- --usb "$disk" --usb-keep --vars "$vars" --options ""
compare "0002.txt equals boot 3's summary lines and its failed tests (kept unchanged through boot 4)" 0002.txt "$tmp/boot3.log"

# The 2 MB firmware's store (about 56 KiB) fills in seconds under TCG.
qboot "a full variable store: the report is not stored and the log says why" "$tmp/full.log" \
	$'efimap: inject: variable store filled: [0-9]+ variables\nefimap: report: stored=0 bytes=[0-9]+ status=EFI_OUT_OF_RESOURCES\nefimap: report: not stored: the variable store is full' \
	-- --image "$b/efimap.efi" --firmware 2m --options "efimap.inject=varstore-full"

# Secure Boot: authenticated variable store in SMM (OVMF's snakeoil build).
cp --sparse=always "$signed_usb" "$tmp/signed.img" || exit 2
qboot "Secure Boot: boot 1 stores its report (variable services in SMM)" "$tmp/sb1.log" \
	$'efimap: boot: secure_boot=1\nefimap: report: stored=1 bytes=[0-9]+ status=EFI_SUCCESS' \
	-- --usb "$tmp/signed.img" --usb-keep --secure-boot --vars "$tmp/sb-vars.fd"
qboot "Secure Boot: boot 2 saves it as 0001.txt" "$tmp/sb2.log" \
	$'efimap: boot: secure_boot=1\nefimap: report: saved=\\\\EFI\\\\efimap\\\\reports\\\\0001.txt bytes=[0-9]+' \
	-- --usb "$tmp/signed.img" --usb-keep --secure-boot --vars "$tmp/sb-vars.fd"
compare "Secure Boot: 0001.txt equals boot 1's summary lines, as stored" 0001.txt "$tmp/sb1.log" "$tmp/signed.img"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
