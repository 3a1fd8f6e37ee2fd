#!/usr/bin/env bash
# An independent check of the map efimap prints: boot Debian's own Linux
# kernel (its EFI stub, efi=debug) under the same QEMU+OVMF settings and
# compare. Firmware-owned entries (runtime code/data, ACPI, reserved, MMIO,
# ...) do not depend on the loader, so they must be identical, range for
# range, type for type, attribute for attribute; loader allocations only
# move pages between Conventional, Loader and Boot types, so the bytes of
# those types together must be equal too.
#
# Exit: 0 agree, 1 disagree (the differences are printed), 77 the Linux
# kernel package could not be fetched (skip: an outside dependency).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

cache=${EFIMAP_LINUX_CACHE:-build/linux}
work=$(mktemp -d "${TMPDIR:-/tmp}/efimap-linux.XXXXXX")
trap 'rm -rf "$work"' EXIT

fetch_vmlinuz() {
	local pkg deb
	vmlinuz=$(ls "$cache"/boot/vmlinuz-* 2>/dev/null | head -n 1)
	[[ -n $vmlinuz ]] && return 0
	mkdir -p "$cache"
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	if [[ -z $pkg && $(id -u) -eq 0 ]]; then
		apt-get update -qq >/dev/null 2>&1
		pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	fi
	[[ -n $pkg ]] || { echo "no linux-image-amd64 in the apt lists"; return 1; }
	(cd "$work" && apt-get download "$pkg" >/dev/null 2>&1) || { echo "apt-get download $pkg failed"; return 1; }
	deb=$(ls "$work"/*.deb 2>/dev/null | head -n 1)
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$cache" --wildcards './boot/vmlinuz-*' ||
		{ echo "no vmlinuz in $pkg"; return 1; }
	vmlinuz=$(ls "$cache"/boot/vmlinuz-* | head -n 1)
}

if ! fetch_vmlinuz >"$work/why"; then
	echo "linux-crosscheck: skipped: $(cat "$work/why")"
	exit 77
fi

# The first efi=debug map block ("efi: mem00:" onwards; Linux prints a
# second one for the runtime map later), as "TYPE|ATTRS|START|END" with
# the attribute columns reduced to the names that are set, so that Linux
# versions with and without the HP column compare equal.
extract() {
	sed -nE 's/.*efi: mem([0-9]+): \[([^]]*)\] range=\[0x([0-9a-f]+)-0x([0-9a-f]+)\].*/\1|\2|\3|\4/p' "$1" |
		awk -F'|' '
			$1 + 0 == 0 && seen { exit }
			{
				seen = 1
				type = $2; sub(/ +$/, "", type)
				attrs = ""
				for (i = 3; i < NF - 1; i++) { a = $i; gsub(/ /, "", a); if (a != "") attrs = attrs (attrs ? "," : "") a }
				print type "|" attrs "|" $(NF - 1) "|" $NF
			}'
}

loader_owned='^(Conventional|Loader Code|Loader Data|Boot Code|Boot Data)\|'

# Bytes of the loader-owned types together (ranges are inclusive). Bash
# arithmetic, not awk: mawk, Debian's default awk, has no hex parsing.
ram_bytes() {
	local type attrs start end sum=0 n=0
	while IFS='|' read -r type attrs start end; do
		sum=$((sum + 16#$end - 16#$start + 1))
		n=$((n + 1))
	done < <(grep -E "$loader_owned" "$1")
	[[ $n -gt 0 ]] && echo "$sum"
}

scripts/run-qemu --quiet --timeout 300 --image "$vmlinuz" \
	--cmdline "console=ttyS0 efi=debug panic=-1 loglevel=7" --log "$work/linux.log" >/dev/null 2>&1
# The same path (UEFI shell, LoadOptions) for efimap, so both loaders start from the same state.
scripts/run-qemu --quiet --timeout 300 --cmdline "efimap.selftest=none" \
	--log "$work/efimap.log" >/dev/null 2>&1

extract "$work/linux.log" >"$work/linux.map"
extract "$work/efimap.log" >"$work/efimap.map"
if [[ ! -s $work/linux.map || ! -s $work/efimap.map ]]; then
	echo "linux-crosscheck: a boot printed no map (linux: $(wc -l <"$work/linux.map") entries, efimap: $(wc -l <"$work/efimap.map"))"
	tail -n 20 "$work/linux.log"
	exit 1
fi

grep -vE "$loader_owned" "$work/linux.map" | sort >"$work/linux.fw"
grep -vE "$loader_owned" "$work/efimap.map" | sort >"$work/efimap.fw"
lr=$(ram_bytes "$work/linux.map")
er=$(ram_bytes "$work/efimap.map")
if [[ -z $lr || -z $er ]]; then
	echo "linux-crosscheck: no RAM entries found (linux: '${lr}', efimap: '${er}')"
	exit 1
fi

status=0
if ! diff -u "$work/linux.fw" "$work/efimap.fw" >"$work/fw.diff"; then
	echo "linux-crosscheck: firmware-owned entries differ (- Linux, + efimap):"
	cat "$work/fw.diff"
	status=1
fi
if [[ $lr -ne $er ]]; then
	echo "linux-crosscheck: Conventional+Loader+Boot bytes differ: Linux $lr, efimap $er"
	status=1
fi
echo "linux-crosscheck: $(basename "$vmlinuz"): $(wc -l <"$work/linux.map") entries (efimap $(wc -l <"$work/efimap.map")), $(wc -l <"$work/linux.fw") firmware-owned entries identical: $([[ $status -eq 0 ]] && echo yes || echo no), RAM $((lr / 1024)) KiB in both: $([[ $lr -eq $er ]] && echo yes || echo no)"
exit $status
