#!/usr/bin/env bash
# scripts/run-qemu's own options, without booting anything: usage errors are
# one line and exit 2 before QEMU starts; --ovmf-code/--ovmf-vars are checked
# and passed as the flash; --qemu-arg reaches QEMU's command line; the KVM
# probe falls back to TCG when KVM does not really work (a device node that
# is no KVM), and --accel kvm then refuses; --arch aarch64's refusals, and
# its QEMU command line and boot volume as a stand-in QEMU sees them. QEMU is
# started only to reject a deliberately bad argument, so each case takes well
# under a second.
# Prints KTAP and "N passed, N failed".
#   tests/run-qemu-test.sh [--help]
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
case ${1-} in
-h | --help) sed -n '2,/^set -uo/p' "$0" | sed -e '/^set -uo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
'') ;;
*) echo "run-qemu-test: unknown argument '$1'; try 'tests/run-qemu-test.sh --help'" >&2; exit 2 ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/efimap-runqemu.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0
passed=0
failed=0
echo "KTAP version 1"
expect() { # NAME STATUS: ok when STATUS is 0; on failure the last run's output
	n=$((n + 1))
	if [[ $2 -eq 0 ]]; then
		passed=$((passed + 1))
		echo "ok $n $1"
	else
		failed=$((failed + 1))
		echo "not ok $n $1"
		echo "# exit $rc; stderr:"
		sed 's/^/# /' "$tmp/err" | head -n 8
	fi
}
run() { # ARGS...: run-qemu with a stand-in image, stderr to $tmp/err
	timeout 60 scripts/run-qemu --image "$tmp/app.efi" --timeout 30 "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
}
skip() {
	n=$((n + 1))
	passed=$((passed + 1))
	echo "ok $n $1 # SKIP $2"
}
one_line() { [[ $(wc -l <"$tmp/err") -eq 1 ]]; }
: >"$tmp/app.efi"
code=/usr/share/OVMF/OVMF_CODE_4M.fd
vars=/usr/share/OVMF/OVMF_VARS_4M.fd

run --frobnicate
expect "an unknown option: one line naming it and the hint, exit 2" \
	"$([[ $rc -eq 2 ]] && one_line && grep -q "unknown option '--frobnicate'.*--help" "$tmp/err"; echo $?)"
run --accel warp
expect "--accel with a bad value: named, exit 2" \
	"$([[ $rc -eq 2 ]] && one_line && grep -q "'warp'" "$tmp/err"; echo $?)"
run --ovmf-code "$code"
expect "--ovmf-code without --ovmf-vars (or --vars): refused, exit 2" \
	"$([[ $rc -eq 2 ]] && one_line && grep -q -- '--ovmf-code needs --ovmf-vars' "$tmp/err"; echo $?)"
run --ovmf-vars "$vars"
expect "--ovmf-vars without --ovmf-code: refused, exit 2" \
	"$([[ $rc -eq 2 ]] && one_line && grep -q -- '--ovmf-vars needs --ovmf-code' "$tmp/err"; echo $?)"
run --ovmf-code "$tmp/none.fd" --ovmf-vars "$vars"
expect "--ovmf-code naming no file: refused, exit 2" \
	"$([[ $rc -eq 2 ]] && one_line && grep -q "no file $tmp/none.fd" "$tmp/err"; echo $?)"
run --firmware uboot --ovmf-code "$code" --ovmf-vars "$vars"
expect "--ovmf-code with --firmware uboot: refused, exit 2" \
	"$([[ $rc -eq 2 ]] && one_line && grep -q 'uboot has no flash' "$tmp/err"; echo $?)"

# QEMU rejects an option it does not know before starting the guest: its
# complaint naming the option proves --qemu-arg put it on the command line,
# after everything else (QEMU names the first bad option it meets).
if [[ -f $code && -f $vars ]] && command -v qemu-system-x86_64 >/dev/null; then
	run --accel tcg --ovmf-code "$code" --ovmf-vars "$vars" --qemu-arg -efimap-test-flag
	expect "--qemu-arg reaches QEMU (which rejects the stand-in flag), no verdict: exit 2" \
		"$([[ $rc -eq 2 ]] && grep -q 'run-qemu: qemu: .*efimap-test-flag' "$tmp/err"; echo $?)"
	if [[ -e /dev/kvm ]]; then
		skip "KVM probe: a node that is no KVM falls back to TCG" "this host has /dev/kvm"
		skip "--accel kvm refuses when KVM does not work" "this host has /dev/kvm"
	else
		# /dev/null: a character device anyone may open, and no KVM: the probe
		# must not trust the node and must find that QEMU cannot start with it.
		RUN_QEMU_KVM_DEV=/dev/null run --qemu-arg -efimap-test-flag
		expect "KVM probe: a node that is no KVM falls back to TCG (said without --quiet)" \
			"$([[ $rc -eq 2 ]] && grep -q '^run-qemu: accelerator tcg$' "$tmp/err"; echo $?)"
		RUN_QEMU_KVM_DEV=/dev/null run --accel kvm
		expect "--accel kvm refuses when KVM does not work, exit 2" \
			"$([[ $rc -eq 2 ]] && one_line && grep -q 'KVM does not work here' "$tmp/err"; echo $?)"
	fi
	RUN_QEMU_KVM_DEV=$tmp/no-such-node run --accel kvm
	expect "--accel kvm with no KVM node: refused, exit 2" \
		"$([[ $rc -eq 2 ]] && grep -q 'KVM does not work here' "$tmp/err"; echo $?)"
else
	skip "--qemu-arg reaches QEMU" "no OVMF or QEMU (make deps)"
fi

# --arch aarch64: what a firmware lacks is refused by name, before QEMU.
run --arch sparc
expect "--arch with a bad value: named, exit 2" \
	"$([[ $rc -eq 2 ]] && one_line && grep -q "'sparc'" "$tmp/err"; echo $?)"
run --arch aarch64 --machine q35
expect "--arch aarch64 --machine q35: virt only, exit 2" \
	"$([[ $rc -eq 2 ]] && one_line && grep -q 'virt only' "$tmp/err"; echo $?)"
run --arch aarch64 --firmware 4m
expect "--arch aarch64 --firmware 4m: aavmf or uboot, exit 2" \
	"$([[ $rc -eq 2 ]] && one_line && grep -q 'aavmf or uboot' "$tmp/err"; echo $?)"
run --arch aarch64 --firmware uboot --usb "$tmp/app.efi"
expect "--arch aarch64 --firmware uboot --usb: no xHCI in U-Boot's qemu_arm64, exit 2" \
	"$([[ $rc -eq 2 ]] && one_line && grep -q 'no xHCI' "$tmp/err"; echo $?)"
run --arch aarch64 --firmware uboot --secure-boot
expect "--arch aarch64 --firmware uboot --secure-boot: no keys, exit 2" \
	"$([[ $rc -eq 2 ]] && one_line && grep -q 'no Secure Boot keys' "$tmp/err"; echo $?)"
run --arch aarch64 --tpm
expect "--arch aarch64 --tpm: x86's only, exit 2" \
	"$([[ $rc -eq 2 ]] && one_line && grep -q -- '--tpm is x86' "$tmp/err"; echo $?)"

# The AArch64 command line and boot volume, seen by a stand-in
# qemu-system-aarch64 first on PATH: it records its arguments and what the
# vvfat folder and the variable store hold, then fails (nothing boots).
mkdir -p "$tmp/bin"
cat >"$tmp/bin/qemu-system-aarch64" <<'FAKE'
#!/usr/bin/env bash
printf '%s\n' "$@" >"$FAKE_OUT/args"
for a in "$@"; do
	case $a in
	*file=fat:*) d=${a##*file=fat:}; (cd "$d" && find . -type f | sort) >"$FAKE_OUT/esp"
		cat "$d/EFI/BOOT/efimap.cfg" >"$FAKE_OUT/cfg" 2>/dev/null ;;
	if=pflash,format=raw,file=*) cp "${a##*file=}" "$FAKE_OUT/vars" ;;
	esac
done
exit 1
FAKE
chmod +x "$tmp/bin/qemu-system-aarch64"
fake_run() { # ARGS...: run-qemu --arch aarch64 against the stand-in
	rm -f "$tmp/args" "$tmp/esp" "$tmp/cfg" "$tmp/vars"
	FAKE_OUT=$tmp PATH="$tmp/bin:$PATH" run --arch aarch64 --accel tcg "$@"
}
has_arg() { grep -qxF -- "$1" "$tmp/args"; }
aavmf_vars=/usr/share/AAVMF/AAVMF_VARS.fd
if [[ -f /usr/share/AAVMF/AAVMF_CODE.fd && -f $aavmf_vars ]]; then
	fake_run --options "efimap.exit=halt"
	expect "--arch aarch64 (AAVMF): virt, cortex-a57, AAVMF code + a fresh VARS copy, ramfb, boot menu without wait, semihosting; BOOTAA64.EFI; efimap.qemu=semihosting first in efimap.cfg, your options after" \
		"$(has_arg virt,accel=tcg && has_arg cortex-a57 && has_arg if=pflash,format=raw,readonly=on,file=/usr/share/AAVMF/AAVMF_CODE.fd &&
			cmp -s "$tmp/vars" "$aavmf_vars" && has_arg ramfb && has_arg menu=on,splash-time=0 &&
			has_arg enable=on,target=native && ! grep -q isa-debug-exit "$tmp/args" &&
			grep -qx './EFI/BOOT/BOOTAA64.EFI' "$tmp/esp" && head -n 1 "$tmp/cfg" | grep -q 'efimap.qemu=semihosting' &&
			tail -n 1 "$tmp/cfg" | grep -qx 'efimap.exit=halt'; echo $?)"
	fake_run --secure-boot --cpu max
	expect "--arch aarch64 --secure-boot: a copy of AAVMF_VARS.snakeoil.fd, --cpu max, no SMM" \
		"$(cmp -s "$tmp/vars" /usr/share/AAVMF/AAVMF_VARS.snakeoil.fd && has_arg max && ! grep -q smm "$tmp/args"; echo $?)"
else
	skip "--arch aarch64 (AAVMF) command line" "no AAVMF (make deps: qemu-efi-aarch64)"
	skip "--arch aarch64 --secure-boot command line" "no AAVMF (make deps: qemu-efi-aarch64)"
fi
if [[ -f /usr/lib/u-boot/qemu_arm64/u-boot.bin ]]; then
	fake_run --firmware uboot
	expect "--arch aarch64 --firmware uboot: -bios u-boot.bin, virtio disk, semihosting, no flash, no ramfb" \
		"$(has_arg /usr/lib/u-boot/qemu_arm64/u-boot.bin && grep -q '^if=virtio,.*file=fat:' "$tmp/args" &&
			has_arg enable=on,target=native && ! grep -q pflash "$tmp/args" && ! has_arg ramfb; echo $?)"
else
	skip "--arch aarch64 --firmware uboot command line" "no U-Boot (make deps: u-boot-qemu)"
fi

echo "1..$n"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
