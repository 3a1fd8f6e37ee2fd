#!/usr/bin/env bash
# The QEMU configuration matrix of `make check`: every combination of
#   machine q35, pc  x  memory 128M, 512M, 2G, 4G, 8G  x  CPUs 1, 4  x  OVMF 4 MB, 2 MB
# (40 boots: the full product, not a covering subset, since it fits CI's
# time), then a second firmware, U-Boot's UEFI (x86-64, pc only: its
# supported machine; 128M, 512M, 1G, 2G, 4G, 8G with 1 or 4 CPUs, 6 boots of a
# few seconds each: enough to cover small memory, memory above 4 GiB and
# SMP without doubling the matrix), then q35 at 48M (the least memory in
# which OVMF starts a bare gnu-efi app), then five chains of kernel instances
# (efimap.kexec=3: q35 and pc at 512M and 8G, U-Boot at 512M), then the USB stick image, Secure Boot
# with the signed stick (boots, secure_boot=1) and with the unsigned one
# (the firmware must refuse it); then AArch64 (issue 15, qemu-system-aarch64
# -M virt under TCG): AAVMF at 512M, 1G and 4G with cortex-a57 and max, 1
# and 4 CPUs (12 boots: the full product), U-Boot's qemu_arm64 at 1G and 4G,
# and Secure Boot with AAVMF's snakeoil store, signed (boots) and unsigned
# (refused). The AArch64 rows are skipped, with the reason, while
# build/efimap-aa64.efi is not built.
# Every configuration must reach its expected verdict; each prints one
# line, and a closing comment gives the total and the wall time.
#
#   tests/boot/matrix.sh [--jobs N] [--only REGEX] [--reuse KEY LOG RC LABEL]... [BUILD_DIR]
#
# --jobs N   QEMUs at once (default $MATRIX_JOBS, else 2: CI has 2 cores).
# --only RE  boot only the configurations whose name matches the extended
#            regex RE (e.g. '^(aavmf|uboot virt)'); the others SKIP.
# --reuse    configuration KEY (as printed, e.g. "q35 512M smp1 4m", "usb")
#            was booted already, by an earlier test (LABEL) with the same
#            QEMU settings: check its serial log LOG (and LOG.out, run-qemu's
#            own messages) and run-qemu status RC instead of booting it again.
# KTAP, then "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

jobs=${MATRIX_JOBS:-2}
only=
declare -A reuse_log reuse_rc reuse_label
while [[ $# -gt 0 ]]; do
	case $1 in
	--jobs) jobs=${2:?}; shift 2 ;;
	--only) only=${2:?}; shift 2 ;;
	--reuse)
		[[ $# -ge 5 ]] || { echo "matrix: --reuse KEY LOG RC LABEL" >&2; exit 2; }
		reuse_log[$2]=$3
		reuse_rc[$2]=$4
		reuse_label[$2]=$5
		shift 5
		;;
	-*) echo "matrix: unknown option '$1'" >&2; exit 2 ;;
	*) break ;;
	esac
done
b=${1:-build}
[[ $jobs =~ ^[1-9]$ ]] || { echo "matrix: --jobs must be 1-9, not '$jobs'" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/efimap-matrix.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

verdict_ok='efimap: verdict: passed=[1-9][0-9]* failed=0'
# Rows: name, expected run-qemu status, patterns (one per line, extended
# regex, each must match the serial log or run-qemu's messages; one starting
# with '!' must match neither), run-qemu arguments (one per line). Every
# log with a verdict must also hold KTAP that agrees with efimap's counts
# (build/ktap-read).
names=()
wants=()
patterns=()
args=()
skips=() # why a row is not booted, or empty
row() {
	names+=("$1")
	wants+=("$2")
	patterns+=("$3")
	args+=("$4")
	skips+=("${5-}")
}

for machine in q35 pc; do
	for mem in 128M 512M 2G 4G 8G; do
		for smp in 1 4; do
			for fw in 4m 2m; do
				p="$verdict_ok"$'\nefimap: exit: mode=qemu\nefimap: fb: state=on '
				# RAM above 4 GiB must be in the map the kernel printed and mapped.
				[[ $mem == 4G || $mem == 8G ]] && p+=$'\nrange=\\[0x00000001[0-9a-f]{8}-'
				row "$machine $mem smp$smp $fw" 0 "$p" \
					$'--image\n'"$b/efimap.efi"$'\n--machine\n'"$machine"$'\n--mem\n'"$mem"$'\n--smp\n'"$smp"$'\n--firmware\n'"$fw"
			done
		done
	done
done
# U-Boot: efimap passes and U-Boot, which has no error findings (no MAT and
# runtime services declared unsupported are info), passes too: status 0.
# Headless (no GOP), never a FW_BUG.
for cfg in "128M 1" "512M 1" "1G 4" "2G 1" "4G 4" "8G 1"; do
	read -r mem smp <<<"$cfg"
	p="$verdict_ok"$' .*efimap=pass\nefimap: exit: mode=qemu\nefimap: fb: state=none reason=no-gop\n!FW_BUG'
	[[ $mem == 4G || $mem == 8G ]] && p+=$'\nrange=\\[0x00000001[0-9a-f]{8}-'
	row "uboot pc $mem smp$smp" 0 "$p" \
		$'--image\n'"$b/efimap.efi"$'\n--firmware\nuboot\n--mem\n'"$mem"$'\n--smp\n'"$smp"
done
# The smallest memory at which OVMF (q35, 4 MB) starts a bare gnu-efi app
# of 4 KiB (tests/baseline, found by bisection: at 47M OVMF cannot load it
# and falls back to its shell, at 48M it runs; README "Small machines"):
# efimap passes there too.
row "q35 48M smp1 4m (smallest for a bare app)" 0 "$verdict_ok"$'\nefimap: exit: mode=qemu' \
	$'--image\n'"$b/efimap.efi"$'\n--machine\nq35\n--mem\n48M\n--firmware\n4m'
# Issue 16: chains of four kernel instances (efimap.kexec=3) on q35 and pc at
# 512M and 8G and under U-Boot: every instance passes, the chain passes,
# SetVirtualAddressMap was called once in the whole boot.
p_kexec="$verdict_ok"$'\nefimap: kexec: chain=pass instances=4 svam_calls=1 failed_instances=0\nefimap: exit: mode=qemu\n!EXCEPTION'
for machine in q35 pc; do
	for mem in 512M 8G; do
		row "$machine $mem kexec=3" 0 "$p_kexec" \
			$'--image\n'"$b/efimap.efi"$'\n--machine\n'"$machine"$'\n--mem\n'"$mem"$'\n--options\nefimap.kexec=3'
	done
done
row "uboot pc 512M kexec=3" 0 "$p_kexec"$'\n!FW_BUG' \
	$'--image\n'"$b/efimap.efi"$'\n--firmware\nuboot\n--mem\n512M\n--options\nefimap.kexec=3'
row usb 0 $'BdsDxe: starting Boot[0-9A-F]+ "UEFI QEMU QEMU USB HARDDRIVE\n'"$verdict_ok" \
	$'--usb\n'"$b/efimap-usb.img"
row "secure-boot signed" 0 $'efimap: boot: secure_boot=1 setup_mode=0\n'"$verdict_ok" \
	$'--usb\n'"$b/snakeoil/efimap-usb-signed.img"$'\n--secure-boot'
row "secure-boot unsigned (refused)" 3 \
	$'Access Denied\nrun-qemu: the firmware refused to start the image' \
	$'--usb\n'"$b/efimap-usb.img"$'\n--secure-boot\n--timeout\n180'

# AArch64 (issue 15). efimap.qemu=semihosting comes from run-qemu --arch
# aarch64, so every run ends through semihosting with the x86 statuses.
aa64=$b/efimap-aa64.efi
aa64_skip=
[[ -f $aa64 ]] || aa64_skip="$aa64 not built yet (the AArch64 port, issue 15)"
# The signed image for the Secure Boot row: AAVMF_VARS.snakeoil.fd trusts
# the same snakeoil certificate as OVMF's (PK, KEK and db), so sign-image's
# --snakeoil key signs it. A failure to sign fails that row (no image).
aa64_signed=$tmp/efimap-aa64-signed.efi
if [[ -z $aa64_skip ]] && ! scripts/sign-image --snakeoil "$aa64" "$aa64_signed" >"$tmp/sign-aa64.log" 2>&1; then
	echo "# matrix: cannot sign $aa64 with the snakeoil key:" >&2
	sed 's/^/#   /' "$tmp/sign-aa64.log" >&2
fi
p_aa64="$verdict_ok"$'\nefimap: exit: mode=qemu\nefimap: validate: .* arch=arm64\n!FW_BUG'
# AAVMF: runtime memory in whole 64 KiB pages (its only unaligned runtime
# entry is the RTC's MMIO page, info), so no firmware error: status 0.
for mem in 512M 1G 4G; do
	for cpu in cortex-a57 max; do
		for smp in 1 4; do
			p="$p_aa64"
			# RAM starts at 1 GiB on virt: 4G reaches above 4 GiB.
			[[ $mem == 4G ]] && p+=$'\nrange=\\[0x00000001[0-9a-f]{8}-'
			row "aavmf virt $mem $cpu smp$smp" 0 "$p" \
				$'--arch\naarch64\n--image\n'"$aa64"$'\n--mem\n'"$mem"$'\n--cpu\n'"$cpu"$'\n--smp\n'"$smp"$'\n--timeout\n600' \
				"$aa64_skip"
		done
	done
done
# U-Boot's qemu_arm64: efimap passes, and the firmware has error findings,
# its 4-8 KiB runtime data pages that are not 64 KiB aligned (UEFI 2.10
# section 2.3.6): status 4, each named.
for mem in 1G 4G; do
	row "uboot virt $mem cortex-a57 smp1" 4 \
		"$verdict_ok"$' .*efimap=pass\nefimap: exit: mode=qemu\nefimap: finding: error: runtime-align-64k: entry [0-9]+ \\(Runtime Data\nrun-qemu: efimap passed; the firmware has error findings' \
		$'--arch\naarch64\n--firmware\nuboot\n--image\n'"$aa64"$'\n--mem\n'"$mem"$'\n--timeout\n600' \
		"$aa64_skip"
done
row "aavmf secure-boot signed" 0 $'efimap: boot: secure_boot=1 setup_mode=0\n'"$p_aa64" \
	$'--arch\naarch64\n--secure-boot\n--image\n'"$aa64_signed"$'\n--mem\n1G\n--timeout\n600' "$aa64_skip"
row "aavmf secure-boot unsigned (refused)" 3 \
	$'Access Denied\nrun-qemu: the firmware refused to start the image' \
	$'--arch\naarch64\n--secure-boot\n--image\n'"$aa64"$'\n--mem\n1G\n--timeout\n180' "$aa64_skip"

total=${#names[@]}
if [[ -n $only ]]; then
	for ((i = 0; i < total; i++)); do
		[[ -n ${skips[$i]} ]] || grep -qE -- "$only" <<<"${names[$i]}" ||
			skips[i]="not selected by --only '$only'"
	done
fi
for k in "${!reuse_log[@]}"; do
	found=0
	for name in "${names[@]}"; do [[ $name == "$k" ]] && found=1; done
	[[ $found -eq 1 ]] || { echo "matrix: --reuse: no configuration named '$k'" >&2; exit 2; }
done

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# One configuration in the background: its status and times land in files.
boot_row() {
	local i=$1 a t0
	mapfile -t a <<<"${args[$i]}"
	t0=$(now)
	scripts/run-qemu --quiet --timeout 300 --log "$tmp/row$i.log" "${a[@]}" \
		>"$tmp/row$i.log.out" 2>&1
	echo "$? $(secs "$t0" "$(now)")" >"$tmp/row$i.done"
}

passed=0
failed=0
skipped=0
booted=0
next_print=0

# Print, in order, every row that has finished.
report_ready() {
	local i rc took log why p
	while [[ $next_print -lt $total ]]; do
		i=$next_print
		if [[ -n ${skips[$i]} ]]; then
			echo "ok $((i + 1)) ${names[$i]} # SKIP ${skips[$i]}"
			skipped=$((skipped + 1))
			next_print=$((next_print + 1))
			continue
		elif [[ -n ${reuse_log[${names[$i]}]+x} ]]; then
			log=${reuse_log[${names[$i]}]}
			rc=${reuse_rc[${names[$i]}]}
			took="checked from ${reuse_label[${names[$i]}]}"
		elif [[ -f $tmp/row$i.done ]]; then
			log=$tmp/row$i.log
			read -r rc took <"$tmp/row$i.done"
			took="$took s"
		else
			return
		fi
		why=
		[[ $rc -eq ${wants[$i]} ]] || why="run-qemu exited $rc, expected ${wants[$i]}"
		while IFS= read -r p; do
			[[ -z $p ]] && continue
			if [[ $p == '!'* ]]; then
				! grep -aqE -- "${p#!}" "$log" "$log.out" 2>/dev/null ||
					why="${why:+$why; }log has /${p#!}/"
			else
				grep -aqE -- "$p" "$log" "$log.out" 2>/dev/null || why="${why:+$why; }log lacks /$p/"
			fi
		done <<<"${patterns[$i]}"
		# The KTAP must agree with efimap's counts wherever there is a verdict.
		if grep -aq 'efimap: verdict:' "$log" 2>/dev/null && ! p=$("$b/ktap-read" "$log" 2>&1); then
			why="${why:+$why; }KTAP and efimap's counts disagree: $(grep -v ' agree' <<<"$p" | head -n 3 | tr '\n' ' ')"
		fi
		if [[ -z $why ]]; then
			local v
			v=$(grep -aoE 'efimap: verdict: passed=[0-9]+ failed=[0-9]+' "$log" | tail -n 1)
			echo "ok $((i + 1)) ${names[$i]}: ${v#efimap: verdict: }${v:+, }status $rc ($took)"
			passed=$((passed + 1))
		else
			echo "not ok $((i + 1)) ${names[$i]} ($took)"
			echo "# $why"
			{ tail -n 15 "$log" 2>/dev/null; cat "$log.out" 2>/dev/null; } | sed 's/^/# | /' | tail -n 25
			failed=$((failed + 1))
		fi
		next_print=$((next_print + 1))
	done
}

for f in "$b/efimap.efi" "$b/efimap-usb.img" "$b/snakeoil/efimap-usb-signed.img" "$b/ktap-read"; do
	[[ -f $f ]] || { echo "matrix: $f missing (run make all image sign-snakeoil)" >&2; exit 2; }
done

echo "KTAP version 1"
echo "1..$total"
t_start=$(now)
running=0
for ((i = 0; i < total; i++)); do
	[[ -n ${reuse_log[${names[$i]}]+x} || -n ${skips[$i]} ]] && continue
	if [[ $running -ge $jobs ]]; then
		wait -n
		running=$((running - 1))
	fi
	boot_row "$i" &
	running=$((running + 1))
	booted=$((booted + 1))
	report_ready
done
while [[ $running -gt 0 ]]; do
	wait -n
	running=$((running - 1))
	report_ready
done
report_ready
wall=$(secs "$t_start" "$(now)")
echo "# matrix: $total configurations, $passed reached their expected verdict, $failed did not;" \
	"$booted booted here, $jobs at a time, in $wall s; $((total - booted - skipped)) checked from" \
	"earlier boots, $skipped skipped"
if [[ $skipped -gt 0 ]]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[[ $failed -eq 0 ]]
