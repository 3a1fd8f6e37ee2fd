#!/usr/bin/env bash
# Run folders across boots (issue 14; docs/run-folder.md), on a copy of the
# USB stick image and one OVMF variable store shared by every boot:
#   tests/boot/report-test.sh [BUILD_DIR]    (default build; needs `make image sign-snakeoil`)
#  1. boot 1 captures \EFI\efimap\runs\0001 before ExitBootServices and
#     stores its results (report and map) in variables EfimapRun00..;
#  2. boot 2 (runtime services switched off) writes them into runs\0001;
#     read back with mtools: report.txt is exactly boot 1's summary lines
#     (nothing cut), map-final.efimapd holds exactly the entries boot 1's
#     kernel printed and `efimap check` reads them, run.txt names QEMU's
#     machine, and `efimap diff` of the capture against the final map shows
#     exactly the entries that differ (an independent Python reading), and
#     `efimap plan` on the folder gives boot 1's kernel reclaim lines;
#  3. boot 3 finds nothing to save; a failing run stores its results too;
#  4. boot 4 cannot write (a file named `runs` stands where the directory
#     goes): no capture, the variables are kept, the kernel does not
#     overwrite them;
#  5. boot 5 saves the kept results (boot 3's) into runs\0003, byte for byte;
#  6. a nearly full variable store (efimap.inject=varstore-full) keeps 5 KiB
#     free (QueryVariableInfo after storing), says what was left out, and
#     the next boot saves a report that still has the verdict and findings;
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
# their timestamps and the KTAP failure lines ("not ok", "# ..."), from the
# kernel's first line to its "report: contents:" line, less the all-zero
# accept line a run without unaccepted memory prints on the console only.
expected_report() {
	sed -n '/efimap: kernel core entered/,/efimap: report: contents:/p' "$1" |
		sed -E 's/^\[ *[0-9]+\.[0-9]{6}\] //' |
		grep -aE '^efimap: [a-z0-9_-]+:|^[[:blank:]]*not ok |^[[:blank:]]*# ' |
		grep -avE '^[[:blank:]]*# Subtest:' |
		grep -avE '^efimap: accept: mode=none unaccepted_kib=0 accepted_at_boot_kib=0 bitmap_bytes=0 units=0 ' |
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

# fetch DISK RUN DIR: copy \EFI\efimap\runs\RUN from DISK into DIR.
fetch() {
	rm -rf "$3" && mkdir -p "$3" &&
		mcopy -s -n -i "$1@@$(esp_offset "$1")" "::/EFI/efimap/runs/$2/*" "$3/" 2>"$tmp/mcopy.err"
}

# compare NAME RUN LOG [DISK]: runs\RUN\report.txt holds exactly the report LOG's boot stored.
compare() {
	local name=$1 run=$2 log=$3 img=${4:-$disk} why=() bytes
	expected_report "$log" >"$tmp/expected.txt"
	if ! fetch "$img" "$run" "$tmp/run$run"; then
		why+=("mcopy cannot read /EFI/efimap/runs/$run:" "$(cat "$tmp/mcopy.err")")
	elif [[ ! -s $tmp/expected.txt ]]; then
		why+=("the boot's log has no summary lines")
	elif ! cmp -s "$tmp/expected.txt" "$tmp/run$run/report.txt"; then
		why+=("report.txt differs from the boot's summary lines (< log, > file):")
		mapfile -t -O 2 why < <(diff "$tmp/expected.txt" "$tmp/run$run/report.txt" | head -n 20)
	else
		bytes=$(sed -nE 's/.*efimap: report: stored=1 bytes=[0-9]+ .*text_bytes=([0-9]+) .*/\1/p' "$log")
		[[ $bytes == "$(stat -c %s "$tmp/run$run/report.txt")" ]] ||
			why+=("stored text_bytes=${bytes:-?}, report.txt has $(stat -c %s "$tmp/run$run/report.txt") bytes")
	fi
	if [[ ${#why[@]} -ne 0 ]]; then
		result "$name" 0 "${why[@]}"
	else
		result "$name ($(stat -c %s "$tmp/run$run/report.txt") bytes)" 1
	fi
}

# The map files against the boot's serial log and each other, in Python
# (an EFIMAPD reader of its own, UEFI 2.10 table 7-5 type names as Linux
# prints them): map-final.efimapd is exactly the "efi: memNN" lines the
# kernel printed; `efimap diff --json` of capture and final lists exactly
# the entries (type, range, attributes) found in one and not the other.
check_maps() { # DIR LOG
	python3 - "$1" "$2" "$b/efimap" <<'PY'
import json, re, struct, subprocess, sys
d, log, tool = sys.argv[1:4]
names = ["Reserved", "Loader Code", "Loader Data", "Boot Code", "Boot Data", "Runtime Code",
	 "Runtime Data", "Conventional", "Unusable", "ACPI Reclaim", "ACPI Mem NVS", "MMIO",
	 "MMIO Port", "PAL Code", "Persistent", "Unaccepted"]
def dump(path):
	b = open(path, "rb").read()
	magic, hsize, dsize, ver, nr = struct.unpack_from("<8sIIII", b)
	assert magic == b"EFIMAPD\0", path + ": bad magic"
	assert len(b) == hsize + nr * dsize, path + ": size does not match its header"
	out = []
	for i in range(nr):
		t, _, phys, virt, pages, attr = struct.unpack_from("<IIQQQQ", b, hsize + i * dsize)
		out.append((t, phys, pages, attr))
	return out, dsize
final, dsize = dump(d + "/map-final.efimapd")
capture, _ = dump(d + "/map-capture.efimapd")
printed = []
text = open(log, errors="replace").read()
text = text[text.index("efimap: kernel core entered"):]
for m in re.finditer(r"efi: mem\d+: \[([^|\]]+)\|[^\]]*\] range=\[0x([0-9a-f]+)-0x([0-9a-f]+)\]", text):
	printed.append((m.group(1).strip(), int(m.group(2), 16), int(m.group(3), 16)))
    # only the first map the kernel printed (later lines may repeat entries)
want = printed[:len(final)]
got = [(names[t] if t < len(names) else "", p, p + n * 4096 - 1) for t, p, n, a in final]
errs = []
if len(printed) < len(final) or got != want:
	errs.append("map-final.efimapd (%d entries) is not what the kernel printed (%d lines)" % (len(final), len(printed)))
	errs += ["  file %s / log %s" % (g, w) for g, w in zip(got, want) if g != w][:5]
out = subprocess.run([tool, "check", d + "/map-final.efimapd"], capture_output=True, text=True)
if out.returncode not in (0, 1) or ("%d entries" % len(final)) not in out.stdout:
	errs.append("efimap check map-final.efimapd: exit %d, %s" % (out.returncode, out.stdout.strip().splitlines()[-1:]))
out = subprocess.run([tool, "diff", "--json", d + "/map-capture.efimapd", d + "/map-final.efimapd"], capture_output=True, text=True)
j = json.loads(out.stdout)
key = lambda e: (e["type"], int(e["start"], 16), e["pages"], int(e["attribute"], 16))
rem = sorted(key(x["a"]) for x in j["differences"] if x["kind"] in ("removed", "changed"))
add = sorted(key(x["b"]) for x in j["differences"] if x["kind"] in ("added", "changed"))
sc, sf = set(capture), set(final)
if rem != sorted(sc - sf) or add != sorted(sf - sc):
	errs.append("efimap diff: removed %s added %s, expected removed %s added %s" % (rem, add, sorted(sc - sf), sorted(sf - sc)))
if out.returncode != (0 if sc == sf else 1):
	errs.append("efimap diff exited %d" % out.returncode)
print("\n".join(errs) if errs else "%d entries as printed; %d removed, %d added across ExitBootServices" % (len(final), len(sc - sf), len(sf - sc)))
sys.exit(1 if errs else 0)
PY
}

echo "KTAP version 1"
if [[ ! -f $usb || ! -f $signed_usb ]]; then
	echo "1..1"
	echo "not ok 1 run folders: no stick images at $usb and $signed_usb (run 'make image sign-snakeoil')"
	echo "0 passed, 1 failed"
	exit 1
fi
echo "1..17"
cp --sparse=always "$usb" "$disk" || exit 2
offset=$(esp_offset "$disk")

qboot "boot 1 captures runs\\0001 and stores its results in variables EfimapRun*" "$tmp/boot1.log" \
	$'efimap: report: saved=none \\(no results from an earlier boot\\)\nefimap: run: folder=\\\\EFI\\\\efimap\\\\runs\\\\0001 captured=1 \nefimap: run: number=0001 captured=1\nefimap: report: stored=1 bytes=[0-9]+ status=EFI_SUCCESS vars=[0-9]+ text_bytes=[0-9]+ map=1 lines_left_out=0 \nefimap: verdict: passed=[0-9]+ failed=0' \
	-- --usb "$disk" --usb-keep --vars "$vars" --options ""
qboot "boot 2 writes them into runs\\0001; runtime services off: its own are not stored, and it says so" "$tmp/boot2.log" \
	$'efimap: report: saved=\\\\EFI\\\\efimap\\\\runs\\\\0001 bytes=[0-9]+ files=2 vars=[0-9]+ run=0001\nefimap: run: folder=\\\\EFI\\\\efimap\\\\runs\\\\0002 captured=1 \nefimap: report: not stored: runtime services are off \\(efimap.inject=no-runtime\\)' \
	-- --usb "$disk" --usb-keep --vars "$vars" --options "efimap.inject=no-runtime"
compare "runs\\0001\\report.txt read back with mtools equals boot 1's summary lines, nothing cut" 0001 "$tmp/boot1.log"
if why=$(check_maps "$tmp/run0001" "$tmp/boot1.log" 2>&1); then
	result "runs\\0001: map-final.efimapd is the map boot 1's kernel printed; efimap diff of capture and final is exact ($why)" 1
else
	result "runs\\0001: map-final.efimapd is the map boot 1's kernel printed; efimap diff of capture and final is exact" 0 "$why"
fi
# Acceptance 4 over a run folder: plan on runs\0001 (its final map and the
# reservations in its report.txt) against the kernel lines of boot 1's serial log.
if why=$(bash tests/boot/plan-check.sh --input run0001 "$tmp/boot1.log" "$tmp/run0001" "$b" 2>&1) &&
	grep -q '^3 passed, 0 failed' <<<"$why"; then
	result "efimap plan on runs\\0001 gives boot 1's kernel reclaim lines, figures and virtual layout" 1
else
	result "efimap plan on runs\\0001 gives boot 1's kernel reclaim lines, figures and virtual layout" 0 "$why"
fi
why=()
for p in '^efimap-run: 1$' '^run: 0001$' '^date: [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$' \
	'^firmware_vendor: EDK II$' '^uefi_revision: 2\.[0-9]{2}$' '^secure_boot: 0$' \
	'^system_manufacturer: QEMU$' '^system_product: Standard PC \(Q35' '^bios_vendor: [^u]' \
	'^smbios: [23]\.[0-9]+$' '^map: map-capture\.efimapd entries=[0-9]+ desc_size=48 ' '^mat: mat\.bin version=[12] '; do
	grep -qE "$p" "$tmp/run0001/run.txt" 2>/dev/null || why+=("run.txt lacks /$p/")
done
for f in map-capture.txt config-tables.txt mat.bin; do
	[[ -s $tmp/run0001/$f ]] || why+=("runs\\0001 has no $f")
done
# QEMU's SMBIOS: manufacturer "QEMU" (hw/smbios defaults), as the machine's own tables give it.
result "runs\\0001\\run.txt names the machine (SMBIOS), the firmware and the map; the capture has its text, tables and MAT" \
	$((${#why[@]} == 0)) "${why[@]}"

qboot "boot 3: nothing to save; a failing run stores its results too" "$tmp/boot3.log" \
	$'efimap: report: saved=none \\(no results from an earlier boot\\)\nefimap: run: number=0003 captured=1\nnot ok 1 always_fails\nefimap: report: stored=1 bytes=[0-9]+ status=EFI_SUCCESS' 1 \
	-- --usb "$disk" --usb-keep --vars "$vars" --options "efimap.selftest=fail,report_live"

# A plain file where the runs directory goes: the volume takes nothing.
mmove -i "$disk@@$offset" ::/EFI/efimap/runs ::/EFI/efimap/kept &&
	printf 'not a directory\n' >"$tmp/blocker" &&
	mcopy -i "$disk@@$offset" "$tmp/blocker" ::/EFI/efimap/runs || exit 2
qboot "boot 4 cannot write: no capture, the variables are kept, the kernel does not overwrite them" "$tmp/boot4.log" \
	$'efimap: report: saved=none kept=1 bytes=[0-9]+: runs is a file, not a directory\nefimap: run: folder=none: runs is a file, not a directory\nefimap: run: number=none\nefimap: report: stored=0 bytes=0 status=none\nefimap: report: not stored: the results of an earlier boot are still in variables EfimapRun\\*' \
	-- --usb "$disk" --usb-keep --vars "$vars" --options ""
mdel -i "$disk@@$offset" ::/EFI/efimap/runs &&
	mmove -i "$disk@@$offset" ::/EFI/efimap/kept ::/EFI/efimap/runs || exit 2
qboot "boot 5 saves the kept results into runs\\0003, the folder of the run that made them" "$tmp/boot5.log" \
	$'efimap: report: saved=\\\\EFI\\\\efimap\\\\runs\\\\0003 bytes=[0-9]+ files=2 vars=[0-9]+ run=0003' \
	-- --usb "$disk" --usb-keep --vars "$vars" --options ""
compare "runs\\0003\\report.txt equals boot 3's summary lines and its failed tests (kept unchanged through boot 4)" 0003 "$tmp/boot3.log"

# The 2 MB firmware's store (about 56 KiB): nearly full when the kernel stores.
cp --sparse=always "$usb" "$tmp/full.img" || exit 2
qboot "a nearly full variable store: part of the report is stored, 5 KiB stay free, and the report says what was left out" "$tmp/full1.log" \
	$'efimap: inject: variable store filled: [0-9]+ variables\nefimap: report: contents: run=0001 report.txt cut, no map \\(its [0-9]+ bytes did not fit\\)\nefimap: report: stored=1 bytes=[0-9]+ status=EFI_SUCCESS vars=1 text_bytes=[0-9]+ map=0 lines_left_out=[1-9]' \
	-- --usb "$tmp/full.img" --usb-keep --firmware 2m --vars "$tmp/full-vars.fd" --options "efimap.inject=varstore-full"
free_after=$(sed -nE 's/.*efimap: report: stored=1 .* free_after=([0-9]+).*/\1/p' "$tmp/full1.log")
result "the store keeps at least 5120 bytes free after storing (QueryVariableInfo says ${free_after:-?})" \
	$((${free_after:-0} >= 5120)) "free_after=${free_after:-none}"
qboot "the next boot saves the shortened report and deletes the fillers" "$tmp/full2.log" \
	$'efimap: report: saved=\\\\EFI\\\\efimap\\\\runs\\\\0001 bytes=[0-9]+ files=1 vars=1 run=0001\nefimap: stub: deleted [0-9]+ filler variables' \
	-- --usb "$tmp/full.img" --usb-keep --firmware 2m --vars "$tmp/full-vars.fd" --options ""
why=()
if ! fetch "$tmp/full.img" 0001 "$tmp/full0001"; then
	why+=("mcopy cannot read runs/0001: $(cat "$tmp/mcopy.err")")
else
	expected_report "$tmp/full1.log" >"$tmp/full-expected.txt"
	# Every verdict, finding, report and failure line of the boot is there; the marker counts the rest.
	while IFS= read -r line; do
		grep -qxF -- "$line" "$tmp/full0001/report.txt" || why+=("missing: $line")
	done < <(grep -aE '^efimap: (verdict|finding|report|run|inject):|^not ok ' "$tmp/full-expected.txt")
	left=$(sed -nE 's/^\.\.\. ([0-9]+) older lines left out here \.\.\.$/\1/p' "$tmp/full0001/report.txt")
	((${left:-0} + $(grep -vc '^\.\.\. ' "$tmp/full0001/report.txt") == $(wc -l <"$tmp/full-expected.txt"))) ||
		why+=("marker says ${left:-no} lines left out; the file has $(wc -l <"$tmp/full0001/report.txt") lines of the boot's $(wc -l <"$tmp/full-expected.txt")")
	[[ -e $tmp/full0001/map-final.efimapd ]] && why+=("map-final.efimapd is there although it did not fit")
fi
result "the shortened report keeps the verdict, every finding and report line; its marker counts the lines left out" \
	$((${#why[@]} == 0)) "${why[@]}"

# Secure Boot: authenticated variable store in SMM (OVMF's snakeoil build).
cp --sparse=always "$signed_usb" "$tmp/signed.img" || exit 2
qboot "Secure Boot: boot 1 stores its results (variable services in SMM)" "$tmp/sb1.log" \
	$'efimap: boot: secure_boot=1\nefimap: report: stored=1 bytes=[0-9]+ status=EFI_SUCCESS' \
	-- --usb "$tmp/signed.img" --usb-keep --secure-boot --vars "$tmp/sb-vars.fd"
qboot "Secure Boot: boot 2 saves them into runs\\0001" "$tmp/sb2.log" \
	$'efimap: boot: secure_boot=1\nefimap: report: saved=\\\\EFI\\\\efimap\\\\runs\\\\0001 bytes=[0-9]+ files=2' \
	-- --usb "$tmp/signed.img" --usb-keep --secure-boot --vars "$tmp/sb-vars.fd"
compare "Secure Boot: runs\\0001\\report.txt equals boot 1's summary lines" 0001 "$tmp/sb1.log" "$tmp/signed.img"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
