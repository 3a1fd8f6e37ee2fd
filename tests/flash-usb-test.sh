#!/usr/bin/env bash
# scripts/flash-usb against fake devices: a sysfs tree, /proc/mounts,
# mountinfo and swaps built in a temp dir, with a regular file standing in
# for the block device. Every refusal must leave the "device" untouched;
# the accepted writes must leave the image on it. KTAP, then
# "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

flash=$PWD/scripts/flash-usb
root=$(mktemp -d "${TMPDIR:-/tmp}/efimap-flash-test.XXXXXX")
trap 'rm -rf "$root"' EXIT
n=0
passed=0
failed=0

# The image: 3 MiB of a recognisable pattern.
image=$root/stick.img
head -c $((3 << 20)) /dev/urandom >"$image"

# fake NAME BYTES REMOVABLE [PART...]: a fresh tree in $t with disk NAME
# (major 8, minor 16) and partitions NAME1.. (minors 17..), the device file
# filled with zeros, empty mounts/mountinfo/swaps with a root on sda2.
fake() {
	local name=$1 bytes=$2 removable=$3 i=1 d
	t=$root/case$n
	rm -rf "$t"
	d=$t/sys/devices/pci0000:00/usb1/1-1/host6/target6:0:0/6:0:0:0/block/$name
	mkdir -p "$d/device" "$d/holders" "$t/sys/block" "$t/sys/class/block" "$t/dev"
	ln -s "../devices/pci0000:00/usb1/1-1/host6/target6:0:0/6:0:0:0/block/$name" "$t/sys/block/$name"
	ln -s "../../devices/pci0000:00/usb1/1-1/host6/target6:0:0/6:0:0:0/block/$name" \
		"$t/sys/class/block/$name"
	echo "$removable" >"$d/removable"
	echo 0 >"$d/ro"
	echo $((bytes / 512)) >"$d/size"
	echo "8:16" >"$d/dev"
	echo "Cruzer Blade    " >"$d/device/model"
	echo "SanDisk " >"$d/device/vendor"
	head -c "$bytes" /dev/zero >"$t/dev/$name"
	shift 3
	for part in "$@"; do
		mkdir -p "$d/$part/holders"
		echo "$i" >"$d/$part/partition"
		echo "8:$((16 + i))" >"$d/$part/dev"
		ln -s "../../devices/pci0000:00/usb1/1-1/host6/target6:0:0/6:0:0:0/block/$name/$part" \
			"$t/sys/class/block/$part"
		: >"$t/dev/$part"
		i=$((i + 1))
	done
	: >"$t/mounts"
	echo "22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw" >"$t/mountinfo"
	echo "Filename				Type		Size		Used		Priority" >"$t/swaps"
}

# run ARGS...: flash-usb inside the current fake tree; output in $out, status in $rc.
run() {
	out=$(EFIMAP_SYSFS=$t/sys EFIMAP_DEV=$t/dev EFIMAP_MOUNTS=$t/mounts \
		EFIMAP_MOUNTINFO=$t/mountinfo EFIMAP_SWAPS=$t/swaps "$flash" "$@" 2>&1 </dev/null)
	rc=$?
}
run_with_input() { # INPUT ARGS...
	local input=$1
	shift
	out=$(printf '%s\n' "$input" | EFIMAP_SYSFS=$t/sys EFIMAP_DEV=$t/dev EFIMAP_MOUNTS=$t/mounts \
		EFIMAP_MOUNTINFO=$t/mountinfo EFIMAP_SWAPS=$t/swaps "$flash" "$@" 2>&1)
	rc=$?
}

untouched() { # the fake device is still all zeros
	! tr -d '\0' <"$t/dev/sdx" | head -c 1 | grep -q .
}
written() { # the fake device starts with the image
	cmp -s -n "$(stat -c %s "$image")" "$image" "$t/dev/sdx"
}

# check NAME WANT_RC REGEXES CONDITION...: the last run exited WANT_RC,
# its output matches every line of REGEXES (extended regexes), and the
# condition command succeeds.
check() {
	local name=$1 want=$2 res=$3 why= re
	shift 3
	n=$((n + 1))
	[[ $rc -eq $want ]] || why="exit $rc, expected $want"
	while IFS= read -r re; do
		grep -qE -- "$re" <<<"$out" || why="${why:+$why; }output lacks /$re/"
	done <<<"$res"
	"$@" || why="${why:+$why; }$* failed"
	if [[ -z $why ]]; then
		echo "ok $n $name"
		passed=$((passed + 1))
	else
		echo "not ok $n $name"
		echo "# $why"
		sed 's/^/# | /' <<<"$out"
		failed=$((failed + 1))
	fi
}

echo "KTAP version 1"
echo "1..15"

fake sdx $((64 << 20)) 0 sdx1
run "$image" sdx --yes
check "refuses a non-removable disk" 1 'not removable' untouched

fake sdx $((64 << 20)) 1 sdx1 sdx2
echo "$t/dev/sdx2 /media/stick vfat rw 0 0" >"$t/mounts"
run "$image" sdx --yes
check "refuses a disk with a mounted partition (/proc/mounts)" 1 \
	'in use: .*/sdx2 is mounted on /media/stick' untouched

fake sdx $((64 << 20)) 1 sdx1
echo "40 22 8:17 / /mnt/usb\\040stick rw - vfat /dev/disk/by-label/X rw" >>"$t/mountinfo"
run "$image" sdx --yes
check "refuses a partition mounted by device number (mountinfo)" 1 \
	'device 8:17 is mounted on /mnt/usb stick' untouched

fake sdx $((64 << 20)) 1
echo "$t/dev/sdx /mnt vfat rw 0 0" >"$t/mounts"
run "$image" sdx --yes
check "refuses a disk mounted whole (no partition table)" 1 'in use: .*/sdx is mounted on /mnt' untouched

fake sdx $((64 << 20)) 1 sdx1 sdx2
echo "22 1 8:18 / / rw,relatime shared:1 - ext4 /dev/root rw" >"$t/mountinfo"
run "$image" sdx --yes
check "refuses the disk holding / (found by device number)" 1 \
	'holds the running system \(/ is mounted from it\)' untouched

fake sdx $((64 << 20)) 1 sdx1
echo "30 22 8:17 / /boot/efi rw - vfat $t/dev/sdx1 rw" >>"$t/mountinfo"
run "$image" sdx --yes
check "refuses the disk holding /boot/efi" 1 'running system \(/boot/efi' untouched

fake sdx $((64 << 20)) 1 sdx1 sdx2
printf '%s\tpartition\t1048572\t0\t-2\n' "$t/dev/sdx2" >>"$t/swaps"
run "$image" sdx --yes
check "refuses the disk holding active swap" 1 'holds active swap' untouched

fake sdx $((64 << 20)) 1 sdx1
mkdir -p "$t/sys/block/sdx/sdx1/holders/dm-0"
run "$image" sdx --yes
check "refuses a disk under device-mapper" 1 'held by dm-0' untouched

fake sdx $((2 << 20)) 1 sdx1
run "$image" sdx --yes
check "refuses a device smaller than the image" 1 'too small: 2097152 bytes, the image needs 3145728' untouched

fake sdx $((64 << 20)) 1 sdx1
run "$image" sdy --yes
check "refuses a device that does not exist" 1 'no device .*/sdy' untouched

fake sdx $((64 << 20)) 1 sdx1
run "$image" "$t/dev/sdx1" --yes
check "refuses a partition and names the whole disk" 1 'is a partition; give the whole disk .*/sdx\)' untouched

fake sdx $((64 << 20)) 1 sdx1
echo 1 >"$t/sys/block/sdx/ro"
run "$image" sdx --yes
check "refuses a read-only device" 1 'read-only' untouched

fake sdx $((64 << 20)) 1 sdx1
run_with_input no "$image" sdx
check "asks, shows model and size, and aborts on anything but yes" 1 \
	$'model: +SanDisk Cruzer Blade$\nsize: +64.0 MiB \\(67108864 bytes\\), removable\nType yes to write\naborted: answer was .no.' untouched

fake sdx $((64 << 20)) 1 sdx1
run_with_input yes "$image" "$t/dev/sdx"
check "writes after a typed yes, reads back and compares" 0 'wrote and verified 3145728 bytes' written

fake sdx $((64 << 20)) 1 sdx1 sdx2
run "$image" sdx --yes
check "--yes writes without asking (unmounted removable disk)" 0 'wrote and verified' written

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
