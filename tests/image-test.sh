#!/usr/bin/env bash
# The stick images and the signature, checked without booting:
#   tests/image-test.sh [BUILD_DIR]      (default build; needs `make image sign-snakeoil`)
# GPT with one ESP of the right type, FAT32 by cluster count, BOOTX64.EFI is
# the built image, the image is reproducible, the PE sections leave no gap
# (so sbsign is silent and its hash covers the file), NX_COMPAT, W^X and
# page-aligned sections, .bss not in the file, shim's .sbat data, and the signature
# verifies against the snakeoil certificate while the unsigned image does
# not. KTAP, then "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

b=${1:-build}
efi=$b/efimap.efi
usb=$b/efimap-usb.img
signed_efi=$b/snakeoil/efimap-signed.efi
signed_usb=$b/snakeoil/efimap-usb-signed.img
cert=/usr/share/ovmf/PkKek-1-snakeoil.pem
esp_type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B
tmp=$(mktemp -d "${TMPDIR:-/tmp}/efimap-image-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export MTOOLS_SKIP_CHECK=1
n=0
passed=0
failed=0

# t NAME COMMAND...: one case; the command's output is shown when it fails.
t() {
	local name=$1 out
	shift
	n=$((n + 1))
	if out=$("$@" 2>&1); then
		echo "ok $n $name"
		passed=$((passed + 1))
	else
		echo "not ok $n $name"
		sed 's/^/# /' <<<"$out"
		failed=$((failed + 1))
	fi
}

esp_start() { # DISK: first sector of its EFI system partition
	sfdisk --dump "$1" | sed -nE "s/.*start= *([0-9]+), size= *([0-9]+), type=$esp_type.*/\\1/p"
}

gpt_layout() {
	local dump parts
	dump=$(sfdisk --dump "$usb") || return 1
	echo "$dump"
	grep -q '^label: gpt$' <<<"$dump" || { echo "not a GPT"; return 1; }
	parts=$(grep -c 'start=' <<<"$dump")
	[[ $parts -eq 1 ]] || { echo "$parts partitions, expected 1"; return 1; }
	grep -q "type=$esp_type" <<<"$dump" || { echo "the partition is not an ESP"; return 1; }
	[[ $(esp_start "$usb") -eq 2048 ]] || { echo "ESP does not start at 1 MiB"; return 1; }
}

fat32() {
	local start info clusters
	start=$(esp_start "$usb")
	info=$(minfo -i "$usb@@$((start * 512))" ::) || return 1
	grep -q 'disk type="FAT32' <<<"$info" || { echo "$info"; echo "not FAT32"; return 1; }
	# FAT type is decided by the cluster count alone (FAT spec, section 3.5).
	dd if="$usb" of="$tmp/esp.img" bs=512 skip="$start" \
		count="$(sfdisk --dump "$usb" | sed -nE 's/.*size= *([0-9]+),.*/\1/p')" status=none
	fsck.fat -n -v "$tmp/esp.img" >"$tmp/fsck.out" 2>&1 || { cat "$tmp/fsck.out"; return 1; }
	clusters=$(sed -nE 's/^ *([0-9]+) data clusters.*/\1/p' "$tmp/fsck.out")
	echo "$clusters data clusters"
	[[ ${clusters:-0} -ge 65525 ]]
}

boot_file() { # DISK EFI: \EFI\BOOT\BOOTX64.EFI on DISK is EFI, and README.txt is there
	local start
	start=$(esp_start "$1")
	mcopy -n -i "$1@@$((start * 512))" ::/EFI/BOOT/BOOTX64.EFI "$tmp/boot.efi" || return 1
	mtype -i "$1@@$((start * 512))" ::/README.txt | grep -q 'Real hardware' || return 1
	cmp "$tmp/boot.efi" "$2"
}

reproducible() {
	scripts/make-usb-image "$efi" "$tmp/again.img" && cmp "$usb" "$tmp/again.img"
}

# The file is the headers and the raw sections back to back, nothing after:
# the condition under which sbsign's Authenticode hash covers every byte.
no_gaps() {
	local end=0 off size size_file
	size_file=$(stat -c %s "$1")
	# objdump -h: "Idx Name Size VMA LMA File-off Algn"; raw sizes are whole 512-byte units.
	while read -r idx _ size _ _ off _; do
		[[ $idx =~ ^[0-9]+$ ]] || continue
		off=$((16#$off))
		# PointerToRawData 0: a section of uninitialised data only (.bss), no bytes in the
		# file (PE format, "Section Table"); the loader zero-fills it.
		[[ $off -eq 0 ]] && continue
		size=$(((16#$size + 511) / 512 * 512))
		[[ $end -eq 0 || $off -eq $end ]] || { echo "gap before file offset $off (previous end $end)"; return 1; }
		end=$((off + size))
	done < <(objdump -h "$1")
	echo "sections end at $end, file is $size_file bytes"
	[[ $end -eq $size_file ]]
}

# The PE header and section table as objdump reads them (PE/COFF spec):
# NX_COMPAT (0x0100) in DllCharacteristics; every section page aligned and
# none both code (executable) and writable; .bss with no bytes in the file.
pe_layout() {
	local dll name vma flags bad=0
	dll=$(objdump -p "$1" | awk '$1 == "DllCharacteristics" { print $2 }')
	[[ -n $dll ]] && (((16#$dll & 0x100) != 0)) || { echo "DllCharacteristics ${dll:-?}: no NX_COMPAT"; bad=1; }
	# objdump -h prints each section's line, then its flags on the next.
	while read -r name vma flags; do
		(((16#$vma) % 4096 == 0)) || { echo "$name at 0x$vma: not page aligned"; bad=1; }
		if [[ $flags == *CODE* && $flags != *READONLY* ]]; then
			echo "$name: writable and executable ($flags)"
			bad=1
		fi
		if [[ $name == .bss && $flags == *CONTENTS* ]]; then
			echo ".bss has bytes in the file ($flags)"
			bad=1
		fi
	done < <(objdump -h "$1" | awk '$1 ~ /^[0-9]+$/ { n = $2; v = $4; next } n { print n, v, $0; n = "" }')
	objdump -h "$1" | grep -q ' \.bss ' || { echo "no .bss section"; bad=1; }
	return $bad
}

# shim's SBAT data (shim's SBAT.md): the fixed "sbat,1,..." line first, then
# efimap's, each with six comma-separated fields.
sbat_section() {
	local text
	objcopy -O binary --only-section=.sbat "$1" "$tmp/sbat.csv" 2>&1 || return 1
	text=$(cat "$tmp/sbat.csv")
	echo "$text"
	[[ $(sed -n 1p <<<"$text") == 'sbat,1,SBAT Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md' ]] &&
		[[ $(sed -n 2p <<<"$text") =~ ^efimap,[1-9][0-9]*,[^,]+,efimap,[^,]+,[^,]+$ ]] &&
		awk -F, 'NF != 6 { exit 1 }' "$tmp/sbat.csv"
}

sbsign_silent() {
	local out
	out=$(scripts/sign-image --snakeoil "$efi" "$tmp/s.efi" "$tmp/s.img") || { echo "$out"; return 1; }
	echo "$out"
	! grep -qi warning <<<"$out" &&
		grep -qx 'sbsign: Signing Unsigned original image' <<<"$out" &&
		grep -qx 'sbverify: Signature verification OK' <<<"$out"
}

cert_on_stick() {
	local start
	start=$(esp_start "$signed_usb")
	mcopy -n -i "$signed_usb@@$((start * 512))" ::/efimap-db.cer "$tmp/db.cer" || return 1
	openssl x509 -in "$cert" -outform DER -out "$tmp/want.cer" && cmp "$tmp/db.cer" "$tmp/want.cer"
}

echo "KTAP version 1"
echo "1..12"
t "GPT with exactly one ESP at 1 MiB" gpt_layout
t "the ESP is FAT32 (>= 65525 clusters) and fsck.fat finds nothing wrong" fat32
t "EFI/BOOT/BOOTX64.EFI is the built image; README.txt beside it" boot_file "$usb" "$efi"
t "make-usb-image is reproducible (same EFI, same bytes)" reproducible
t "PE sections packed back to back, nothing after them" no_gaps "$efi"
t "NX_COMPAT set; sections page aligned, none writable and executable; .bss not in the file" pe_layout "$efi"
t "a .sbat section in shim's SBAT format with efimap's line" sbat_section "$efi"
t "sbsign prints no warning; sbverify accepts the result" sbsign_silent
t "the signed image verifies against the snakeoil certificate" sbverify --cert "$cert" "$signed_efi"
t "the unsigned image does not verify" bash -c "! sbverify --cert '$cert' '$efi'"
t "the signed stick carries the signed image" boot_file "$signed_usb" "$signed_efi"
t "the signed stick carries its certificate (DER) for enrolling" cert_on_stick

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
