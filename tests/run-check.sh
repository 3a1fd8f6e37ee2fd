#!/usr/bin/env bash
# `make check`: the host unit tests (ASan+UBSan), then the QEMU boot tests,
# then one closing line "N passed, N failed" over everything that ran.
#   tests/run-check.sh all|host|tools|boot
# Each boot test states the exit status run-qemu must give and what the
# serial log must say; the default boot's in-guest KTAP is shown as a
# subtest and its cases are counted too.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

what=${1:-all}
# Every boot under TCG, KVM or not: the tests' expectations (CPU features,
# KTAP counts) must not depend on the machine CI happens to run on.
export RUN_QEMU_ACCEL=tcg
passed=0
failed=0
skipped=0
logs=$(mktemp -d "${TMPDIR:-/tmp}/efimap-check.XXXXXX")
trap 'rm -rf "$logs"' EXIT

# Add the counts from a "N passed, N failed[, N skipped]" line.
count_closing_line() {
	local line=$1 p f s
	p=$(sed -nE 's/^ *([0-9]+) passed, ([0-9]+) failed.*/\1/p' <<<"$line")
	f=$(sed -nE 's/^ *([0-9]+) passed, ([0-9]+) failed.*/\2/p' <<<"$line")
	s=$(sed -nE 's/.*, ([0-9]+) skipped.*/\1/p' <<<"$line")
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	skipped=$((skipped + ${s:-0}))
}


# A script's own KTAP document, counted by its closing line; a crash before
# that line counts as one failure.
run_script_tests() {
	local out rc
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	count_closing_line "$(tail -n 1 <<<"$out")"
	if [[ $rc -ne 0 ]] && ! grep -qE '^[0-9]+ passed, [1-9]' <<<"$out"; then
		echo "# $* exited with status $rc"
		failed=$((failed + 1))
	fi
}

boot_n=0
boot_failures=()
ktap_checked=0

# The KTAP in a boot's log against efimap's own counts (build/ktap-read):
# prints why not, if not. A log without a verdict (a crash, a refusal) has
# no counts to compare and passes.
ktap_agrees() {
	local log=$1 out
	grep -aq 'efimap: verdict:' "$log" || return 0
	out=$(build/ktap-read "$log" 2>&1) && return 0
	echo "KTAP and efimap's counts disagree: $(grep -v ' agree' <<<"$out" | head -n 3 | tr '\n' ' ')"
	return 1
}

# boot NAME EXPECTED_RC "GREP PATTERN..." -- run-qemu args
# Every pattern (extended regex) must match a line of the serial log (or
# run-qemu's messages); a pattern starting with '!' must match none. The
# log's KTAP must agree with efimap's counts (ktap_agrees).
boot() {
	local name=$1 want=$2 patterns=$3
	shift 4
	local log=$logs/boot$((boot_n + 1)).log rc ok=1 why=""
	boot_n=$((boot_n + 1))
	scripts/run-qemu --quiet --log "$log" "$@" >"$log.out" 2>&1
	rc=$?
	last_rc=$rc
	last_log=$log
	if [[ $rc -ne $want ]]; then
		ok=0
		why="run-qemu exited $rc, expected $want"
	fi
	local IFS=$'\n' ktap
	for p in $patterns; do
		[[ -z $p ]] && continue
		if [[ $p == '!'* ]]; then
			if grep -aqE -- "${p#!}" "$log" "$log.out"; then
				ok=0
				why="${why:+$why; }log has /${p#!}/: $(grep -ahE -m 1 -- "${p#!}" "$log" "$log.out" | head -n 1)"
			fi
		elif ! grep -aqE -- "$p" "$log" "$log.out"; then
			ok=0
			why="${why:+$why; }log lacks /$p/"
		fi
	done
	grep -aq 'efimap: verdict:' "$log" && ktap_checked=$((ktap_checked + 1))
	if ! ktap=$(ktap_agrees "$log"); then
		ok=0
		why="${why:+$why; }$ktap"
	fi
	if [[ $ok -eq 1 ]]; then
		echo "ok $boot_n $name"
		passed=$((passed + 1))
	else
		echo "not ok $boot_n $name"
		echo "# $why"
		sed 's/^/# | /' "$log.out" | tail -n 40
		failed=$((failed + 1))
	fi
}

# A boot above that is also a configuration of the QEMU matrix
# (tests/boot/matrix.sh): the matrix checks its log instead of booting the
# same configuration again. Call right after that boot.
matrix_reuse_args=()
matrix_reuse() {
	matrix_reuse_args+=(--reuse "$1" "$logs/boot$boot_n.log" "$last_rc" "boot test $boot_n")
}

# The default boot's in-guest KTAP, as a test of its own whose subtests are
# the guest's (KTAP nesting): its cases are counted, the test itself is not,
# so a KTAP parser reading this output counts what the closing line says.
guest_ktap() {
	local log=$logs/boot1.log closing name="guest self-tests (q35, 512M)"
	boot_n=$((boot_n + 1))
	closing=$(grep -aE '^[0-9]+ passed, [0-9]+ failed' "$log" 2>/dev/null | tail -n 1)
	if [[ -z $closing ]]; then
		echo "not ok $boot_n $name"
		echo "# the default boot printed no in-guest KTAP"
		failed=$((failed + 1))
		return
	fi
	# The guest's KTAP, nested one level (KTAP subtest indentation).
	sed -n '/^KTAP version 1$/,/^[0-9]* passed, [0-9]* failed/p' "$log" |
		sed -e 's/^/    /' -e "1a\\    # Subtest: $name"
	count_closing_line "$closing"
	if grep -qE '^[0-9]+ passed, 0 failed' <<<"$closing"; then
		echo "ok $boot_n $name"
	else
		echo "not ok $boot_n $name"
	fi
}

map_matches_firmware() {
	# The map printed is the one received: as many efi: memNN lines as
	# entries=, desc_size 48 (OVMF), indices 0..N-1 in order.
	local log=$logs/boot1.log n lines
	# The kernel's own line (the first, should it ever be repeated).
	n=$(sed -nE 's/.*efimap: map: entries=([0-9]+) desc_size=48 .*/\1/p' "$log" | head -n 1)
	lines=$(grep -acE 'efi: mem[0-9]+: \[' "$log")
	boot_n=$((boot_n + 1))
	if [[ -n $n && $n -gt 0 && $n -eq $lines ]] &&
		[[ $(grep -aoE 'efi: mem[0-9]+' "$log" | tail -n 1) == "efi: mem$(printf '%02d' $((n - 1)))" ]]; then
		echo "ok $boot_n map printed in full: $lines entries, desc_size 48"
		passed=$((passed + 1))
	else
		echo "not ok $boot_n map printed in full"
		echo "# entries=${n:-none} desc_size=48 expected; $lines efi: mem lines printed"
		failed=$((failed + 1))
	fi
}

# Reclaim on q35 512M (issue 4): Linux keeps 44 KiB of boot-services memory
# there (page 0, the memory attributes table, the boot logo); efimap keeps
# no more, with a reason for every kept page.
reclaim_accounting() {
	local out
	boot_n=$((boot_n + 1))
	if out=$(tests/boot/reclaim-check.sh "$logs/boot1.log" 44 2>&1); then
		echo "ok $boot_n reclaim on q35 512M: no leak, kept_kib <= 44, every kept page has a reason"
		passed=$((passed + 1))
	else
		echo "not ok $boot_n reclaim on q35 512M: no leak, kept_kib <= 44, every kept page has a reason"
		failed=$((failed + 1))
	fi
	sed 's/^/# /; s/^# # /# /' <<<"$out"
}

# The acceptance summary of the last boot (issue 6): mode, and what boot
# accepted (lazy: at most 1% of the unaccepted memory; eager: all).
accept_check() {
	local name=$1 mode=$2 log=$last_log out
	boot_n=$((boot_n + 1))
	if out=$(tests/boot/accept-check.sh "$log" "$mode" 2>&1); then
		echo "ok $boot_n $name"
		passed=$((passed + 1))
	else
		echo "not ok $boot_n $name"
		failed=$((failed + 1))
	fi
	sed 's/^/# /' <<<"$out"
}

# A chain of kernel instances (efimap.kexec=N, issue 16) in the last boot's
# log, checked from the log alone (tests/boot/kexec-check.sh).
kexec_check() {
	local name=$1 out
	shift
	boot_n=$((boot_n + 1))
	if out=$(tests/boot/kexec-check.sh "$last_log" "$@" 2>&1); then
		echo "ok $boot_n $name"
		passed=$((passed + 1))
	else
		echo "not ok $boot_n $name"
		failed=$((failed + 1))
	fi
	sed 's/^/# /' <<<"$out"
}

# Debian's Linux kernel, booted the same way, must see the same firmware regions.
linux_crosscheck() {
	local out rc
	boot_n=$((boot_n + 1))
	out=$(tests/boot/linux-crosscheck.sh 2>&1)
	rc=$?
	case $rc in
	0)
		echo "ok $boot_n map agrees with Debian's Linux (efi=debug) on the same firmware"
		echo "# ${out##*$'\n'}"
		passed=$((passed + 1))
		;;
	77)
		echo "ok $boot_n map agrees with Debian's Linux # SKIP ${out#linux-crosscheck: skipped: }"
		skipped=$((skipped + 1))
		;;
	*)
		echo "not ok $boot_n map agrees with Debian's Linux (efi=debug) on the same firmware"
		sed 's/^/# /' <<<"$out"
		failed=$((failed + 1))
		;;
	esac
}

# Acceptance 4 of the SVAM issue: the virtual addresses the guest printed
# ("efi: va: memNN ... virt=...") are the ones the host tool's `plan`
# computes from the map in the same log, so the same map always gives the
# same layout. Arguments: name, then LOG[@WINDOW] pairs.
layout_matches_plan() {
	local name=$1 item log window got want bad=""
	shift
	boot_n=$((boot_n + 1))
	for item in "$@"; do
		log=${item%@*}
		window=""
		[[ $item == *@* ]] && window=${item#*@}
		got=$(sed -nE 's/.*efi: va: mem([0-9]+) phys=0x[0-9a-f]+ virt=0x([0-9a-f]+) .*/\1 \2/p' "$log" |
			awk '{ print $1 + 0, $2 }')
		want=$(build/efimap plan --json ${window:+--window "$window"} "$log" |
			jq -r '.layout.runtime[] | "\(.entry) \(.virt_start)"' | sed -E 's/ 0x/ /')
		if [[ -z $got || $got != "$want" ]]; then
			bad="${bad:+$bad; }$(basename "$log")${window:+ window $window}: guest [${got//$'\n'/, }] plan [${want//$'\n'/, }]"
		fi
	done
	if [[ -z $bad ]]; then
		echo "ok $boot_n $name"
		passed=$((passed + 1))
	else
		echo "not ok $boot_n $name"
		echo "# $bad"
		failed=$((failed + 1))
	fi
}

run_boot() {
	local log_default log_8g log_va
	echo "KTAP version 1"
	echo "1..55"
	boot "q35 512M, default options: all suites pass" 0 \
		$'efimap: verdict: passed=[1-9][0-9]* failed=0 .*efimap=pass fw_errors=0 .*firmware=ok\nefimap: ebs: attempts=[12]\nefimap: validate: errors=0 warnings=0 info=[0-9]+ firmware_sorted=1\nefimap: exit: mode=qemu\nefimap: boot: secure_boot=0 setup_mode=[01]\nefimap: svam: status=EFI_SUCCESS .* tables=efimap both_mapped=1\nefimap: efi_pt: .* mat=used \nefimap: wx: kernel=0 efi=0 fw_forced=0 fw_forced_reason=none policy=linux nx=1\nefimap: rt_services: table=none .*fail=none\n!FW_BUG\n!efimap: finding: error' -- \
		--mem 512M --machine q35
	matrix_reuse "q35 512M smp1 4m"
	log_default=$logs/boot$boot_n.log
	guest_ktap
	map_matches_firmware
	reclaim_accounting
	accept_check "no type 15, no simulation: nothing about acceptance runs (mode=none)" none
	boot "a failing suite makes run-qemu exit 1 (LoadOptions via the shell)" 1 \
		$'efimap: cmdline: "efimap.selftest=fail"\nnot ok 1 always_fails\nguest reported failures' -- \
		--cmdline "efimap.selftest=fail"
	boot "a page fault ends without a verdict: exit 2, registers reported" 2 \
		$'EXCEPTION 14 \\(#PF page fault\\)\nCR2=0000000000000010\nRIP is image offset\nno verdict: unexpected exception\nrun-qemu: no verdict' -- \
		--cmdline "efimap.inject=pagefault"
	boot "a triple fault (QEMU resets) gives exit 2" 2 \
		$'inject: empty IDT\nrun-qemu: no verdict: QEMU exited' -- \
		--cmdline "efimap.inject=triple-fault"
	boot "a kernel stack overflow hits the guard page; #DF reported on its IST stack" 2 \
		$'inject: recursing into the stack guard page\nEXCEPTION 8 \\(#DF double fault\\)\nno verdict: unexpected exception' -- \
		--options "efimap.inject=stack-overflow"
	boot "a corrupted handoff block is refused: no verdict" 2 \
		$'efimap: handoff: invalid at 0x[0-9a-f]+ \\(checksum mismatch\\)\nno verdict: bad handoff' -- \
		--options "efimap.inject=bad-handoff"
	boot "a hanging guest times out with exit 2 and its last lines" 2 \
		$'inject: hanging on purpose\nrun-qemu: no verdict: timed out' -- \
		--options "efimap.inject=hang" --timeout 60
	boot "ExitBootServices retry: a stale key forces the one allowed GetMemoryMap+EBS retry" 0 \
		$'efimap: ebs: attempts=2\nefimap: verdict: passed=[1-9][0-9]* failed=0' -- \
		--cmdline "efimap.inject=ebs-retry"
	boot "unknown option in efimap.cfg is named and fails the run" 1 \
		$'efimap: option: unknown option .efimap.bogus=1.\nnot ok [0-9]+ options_understood' -- \
		--options "efimap.bogus=1 efimap.selftest=boot"
	boot "a self-test suite that does not exist is named and counts as failed" 1 \
		$'efimap: selftest: no suite named .nosuch.\n^# no suite named .nosuch.$\n^not ok 2 nosuch # no such suite$\nefimap: verdict: passed=[1-9][0-9]* failed=1' -- \
		--options "efimap.selftest=map,nosuch"
	# An empty plan (1..0) reads as "0 tests run!", an error, to Linux's kunit.py.
	boot "efimap.selftest=none: one skipped test, not an empty plan; efimap passed" 0 \
		$'^1\\.\\.1$\n^ok 1 selftest # SKIP efimap.selftest=none$\n^0 passed, 0 failed, 1 skipped$\nefimap: verdict: passed=0 failed=0 skipped=1 efimap=pass' -- \
		--options "efimap.selftest=none"
	boot "LoadOptions override efimap.cfg (last word wins)" 0 \
		$'efimap: cmdline: "efimap.selftest=fail efimap.selftest=map"\n# Subtest: map' -- \
		--options $'# efimap.cfg as a person writes it\nefimap.selftest=fail   # overridden\n' --cmdline "efimap.selftest=map"
	boot "pc machine, 2 MB firmware, exit by ResetSystem(shutdown)" 0 \
		$'efimap: exit: mode=shutdown\nefimap: verdict: passed=[1-9][0-9]* failed=0' -- \
		--machine pc --firmware 2m --options "efimap.exit=shutdown"
	boot "q35 2G, 2 CPUs" 0 \
		$'efimap: verdict: passed=[1-9][0-9]* failed=0' -- \
		--mem 2G --smp 2
	boot "q35 8G: memory above 4 GiB mapped and probed; the unsorted map is named and sorted" 0 \
		$'efimap: verdict: passed=[1-9][0-9]* failed=0\nrange=\\[0x0000000100000000-\nfinding: warning: unsorted: entry [0-9]+ \\(Reserved\nvalidate: errors=0 warnings=1 info=[0-9]+ firmware_sorted=0\nok [0-9]+ kernel_sorted_and_validated' -- \
		--mem 8G
	matrix_reuse "q35 8G smp1 4m"
	log_8g=$logs/boot$boot_n.log
	boot "unaccepted memory simulated above 1G at 2G, lazy: all suites pass" 0 \
		$'efimap: stub: accept: simulated, table at 0x[0-9a-f]+, base 0x40000000\nefimap: accept: mode=lazy \nok [0-9]+ table_sized_from_final_map[^#]*$\nok [0-9]+ accept_live\nefimap: verdict: passed=[1-9][0-9]* failed=0' -- \
		--mem 2G --options "efimap.unaccepted=sim:above=1G"
	accept_check "2G lazy: at most 1% of the unaccepted memory accepted at boot" lazy
	boot "simulated at 2G, eager: every unit accepted at boot" 0 \
		$'efimap: accept: mode=eager \nok [0-9]+ eager_leaves_no_bit\nefimap: verdict: passed=[1-9][0-9]* failed=0' -- \
		--mem 2G --options "efimap.unaccepted=sim:above=1G efimap.accept=eager efimap.selftest=accept_live,paging"
	accept_check "2G eager: all of it accepted at boot, no bit left" eager
	boot "simulated above 1G at 8G, lazy (acceptance 1)" 0 \
		$'ok [0-9]+ table_sized_from_final_map[^#]*$\nok [0-9]+ touching_unaccepted_faults\nok [0-9]+ allocation_accepts_units_plus_guard\nefimap: verdict: passed=[1-9][0-9]* failed=0' -- \
		--mem 8G --options "efimap.unaccepted=sim:above=1G efimap.selftest=accept_live,paging,reclaim_live"
	accept_check "8G lazy: accepted_at_boot_kib <= 1% of unaccepted_kib" lazy
	boot "simulated above 1G at 8G, eager: all accepted (acceptance 1)" 0 \
		$'ok [0-9]+ eager_leaves_no_bit\nefimap: verdict: passed=[1-9][0-9]* failed=0' -- \
		--mem 8G --options "efimap.unaccepted=sim:above=1G efimap.accept=eager efimap.selftest=accept_live"
	accept_check "8G eager: all of it accepted at boot" eager
	boot "efimap.unaccepted=sim:SIZE@ADDR: a window in the middle of RAM" 0 \
		$'efimap: stub: accept: simulated, table at 0x[0-9a-f]+, base 0x10000000\nok [0-9]+ every_byte_accepted_or_marked\nefimap: verdict: passed=[1-9][0-9]* failed=0' -- \
		--mem 1G --options "efimap.unaccepted=sim:301M@0x10100000 efimap.selftest=accept_live,paging,reclaim_live"
	boot "a damaged bitmap (a bit over accepted memory) is refused and named; the run fails" 1 \
		$'efimap: accept: no usable table \\(set bits outside the map.s unaccepted memory: damaged\\)\nefimap: accept: 1 set bits lie outside\nnot ok 1 table_sized_from_final_map' -- \
		--mem 2G --options "efimap.unaccepted=sim:above=1G efimap.inject=stray-bit efimap.selftest=accept_live"
	boot "a simulation window over no RAM is said by stub and kernel; nothing runs (mode=none)" 0 \
		$'efimap: stub: accept: the efimap.unaccepted window holds no usable conventional memory; nothing simulated\nefimap: accept: efimap.unaccepted asked for a simulation, but its window holds no conventional memory\nefimap: accept: mode=none unaccepted_kib=0 ' -- \
		--options "efimap.unaccepted=sim:1G@0x100000000000 efimap.selftest=accept_live"
	boot "a bad efimap.unaccepted= value is named and fails the run" 1 \
		$'efimap: option: efimap.unaccepted: bad value .sim:lots.\nnot ok [0-9]+ options_understood' -- \
		--options "efimap.unaccepted=sim:lots efimap.selftest=boot"
	# A FW_BUG is a firmware error finding: efimap passed, the firmware did
	# not (QEMU status 39, run-qemu status 4).
	boot "a page fault inside a runtime call is a firmware bug: reported, survived, efimap passed, firmware errors (exit 4)" 4 \
		$'efimap: inject: GetTime with its result pointer at unmapped 0x\nefimap: fw_bug: FW_BUG service=GetTime vector=14 addr=0x[0-9a-f]+ rip=0x\nok [0-9]+ injected_fault_is_recovered\nefimap: runtime: gettime=ok variables=ok faults=1 enabled=0\nefimap: verdict: passed=[1-9][0-9]* failed=0 .*efimap=pass fw_errors=[1-9][0-9]* .*firmware=errors\nefimap: exit: mode=qemu\nrun-qemu: efimap passed; the firmware has error findings' -- \
		--options "efimap.inject=rt-fault"
	boot "efimap.va= window in the lower half above all memory: SVAM and runtime calls there" 0 \
		$'efimap: svam: status=EFI_SUCCESS runtime_entries=[1-9][0-9]* calls=1 window=0x7f0000000000 window_kib=1048576\nefimap: wx: kernel=0 efi=0\nok [0-9]+ runtime\nefimap: verdict: passed=[1-9][0-9]* failed=0' -- \
		--options "efimap.va=0x7f0000000000:1G efimap.selftest=boot,runtime"
	log_va=$logs/boot$boot_n.log
	layout_matches_plan "runtime virtual addresses equal efimap plan's for the same map (default, 8G unsorted, efimap.va=)" \
		"$log_default" "$log_8g" "$log_va@0x7f0000000000:1G"
	boot "efimap.va= window over RAM: SVAM not called, said so, no runtime services" 1 \
		$'efimap: svam: status=not-called runtime_entries=0 calls=0\nefimap: svam: not called: the efimap.va window overlaps physical memory; running without runtime services\nnot ok 1 svam_called_once_with_runtime_entries_only\nok 2 no_virtual_address_without_svam\nefimap: runtime: gettime=fail variables=fail faults=0 enabled=0' -- \
		--options "efimap.va=0x0:1G efimap.selftest=runtime"
	boot "exit by ResetSystem(reboot), called on the EFI page tables" 0 \
		$'efimap: exit: mode=reboot\nefimap: verdict: passed=[1-9][0-9]* failed=0' -- \
		--options "efimap.exit=reboot efimap.selftest=runtime"
	boot "USB stick image (make image) on xHCI boots to a passing verdict" 0 \
		$'BdsDxe: starting Boot[0-9A-F]+ "UEFI QEMU QEMU USB HARDDRIVE\nefimap: stub: options file [0-9]+ bytes\nefimap: boot: secure_boot=0\nefimap: verdict: passed=[1-9][0-9]* failed=0' -- \
		--usb build/efimap-usb.img --options "efimap.exit=qemu"
	matrix_reuse usb
	boot "Secure Boot (snakeoil keys, SMM): the signed stick boots, secure_boot=1" 0 \
		$'efimap: boot: secure_boot=1 setup_mode=0\nefimap: verdict: passed=[1-9][0-9]* failed=0' -- \
		--usb build/snakeoil/efimap-usb-signed.img --secure-boot
	matrix_reuse "secure-boot signed"
	# Issue 13, acceptance 1: a second, conforming firmware. U-Boot has no
	# MAT and declares GetTime & co. unsupported at runtime: info findings,
	# never a failed self-test and never a FW_BUG.
	boot "U-Boot x86-64 512M: every self-test passes or skips; findings name the missing MAT and each runtime service U-Boot declares unsupported; no FW_BUG; efimap passed" 0 \
		$'efimap: stub: UEFI 2\\.[0-9]+, firmware "Das U-Boot"\nefimap: verdict: passed=[1-9][0-9]* failed=0 .*efimap=pass\nefimap: finding: info: no-mat:\nefimap: finding: info: rt-unsupported: GetTime\nefimap: finding: info: rt-unsupported: GetNextHighMonotonicCount\nefimap: finding: info: rt-unsupported: QueryVariableInfo\nefimap: finding: info: rt-unsupported: SetVariable\n!FW_BUG\n!^ *not ok ' -- \
		--firmware uboot --mem 512M
	matrix_reuse "uboot pc 512M smp1"
	# Issue 13, acceptance 2: OVMF's MAT set aside, as on every pre-2.6
	# machine: runtime code mapped RWX as Linux maps it, counted, and
	# runtime calls (SetVirtualAddressMap's too) work; no FW_BUG.
	boot "OVMF with efimap.mat=ignore: runtime calls work, no FW_BUG, the forced W+X pages counted and reported" 0 \
		$'efimap: efi_pt: .* mat=ignored \nefimap: wx: kernel=0 efi=0 fw_forced=[1-9][0-9]* fw_forced_reason=mat-ignored policy=linux\nefimap: svam: status=EFI_SUCCESS\nefimap: runtime: gettime=ok variables=ok faults=0 enabled=1\nok [0-9]+ runtime_regions_mapped_with_table_permissions\nok [0-9]+ no_wx_mapping_in_either_table\nefimap: verdict: passed=[1-9][0-9]* failed=0 .*firmware=ok\n!FW_BUG' -- \
		--options "efimap.mat=ignore efimap.selftest=boot,paging,runtime,reclaim_live"
	boot "efimap.wx=strict without a MAT: the firmware writing its own code is the policy's result, never FW_BUG" 0 \
		$'efimap: wx: kernel=0 efi=0 fw_forced=0 fw_forced_reason=mat-ignored policy=strict\nefimap: wx: strict: [A-Za-z]+ wrote its own code\n# SKIP [A-Za-z]+ faulted \\(efimap.wx=strict.s result\\)\nefimap: verdict: passed=[1-9][0-9]* failed=0 .*fw_errors=0 \n!FW_BUG' -- \
		--options "efimap.mat=ignore efimap.wx=strict efimap.selftest=runtime"
	# Seed 002: SetVirtualAddressMap on efimap's tables under the guard.
	boot "a fault inside SetVirtualAddressMap is recorded, reported as FW_BUG and a firmware error; efimap still passes (exit 4)" 4 \
		$'efimap: svam: status=EFI_ABORTED .* tables=efimap both_mapped=1\nefimap: fw_bug: FW_BUG service=SetVirtualAddressMap vector=14\nefimap: finding: error: svam-fault:\nefimap: runtime: .* enabled=0\nefimap: verdict: passed=[1-9][0-9]* failed=0 .*efimap=pass fw_errors=1 .*firmware=errors\nrun-qemu: efimap passed; the firmware has error findings' -- \
		--options "efimap.inject=svam-fault efimap.selftest=boot,runtime"
	# Issue 13 item 6: the TPM logs Linux keeps (efi_tpm_eventlog_init).
	boot "with a TPM (swtpm): the TCG2 event log and final events table are kept and unchanged" 0 \
		$'efimap: stub: tpm: event log format=2 at 0x[0-9a-f]+ size=[1-9][0-9]*\nefimap: resv: KERN .* tpm-event-log\nefimap: resv: KERN .* tpm-final-events\nok [0-9]+ kept_tables_unchanged\nefimap: verdict: passed=[1-9][0-9]* failed=0 .*firmware=ok' -- \
		--tpm --options "efimap.selftest=reclaim_live"
	# Issue 13, acceptance 3: NX probed, not assumed.
	boot "a CPU without NX reaches efimap's passing verdict and says W^X could not be enforced" 0 \
		$'efimap: cpu: nx=0 \nefimap: cpu: cannot enforce: W\\^X\nefimap: verdict: passed=[1-9][0-9]* failed=0 .*efimap=pass' -- \
		--cpu qemu64,-nx
	boot "Secure Boot: the unsigned stick is refused by the firmware (exit 3)" 3 \
		$'USB HARDDRIVE.*: Access Denied\nrun-qemu: the firmware refused to start the image' -- \
		--usb build/efimap-usb.img --secure-boot --timeout 180
	matrix_reuse "secure-boot unsigned (refused)"
	# Issue 17: Secure Boot as a stock PC ships it (Microsoft's keys only),
	# through Debian's Microsoft-signed shim and a Machine Owner Key enrolled
	# by driving MokManager (make shim-test, scripts/enroll-mok).
	boot "Secure Boot with Microsoft's keys: shim starts efimap (signed with the enrolled test MOK), secure_boot=1, efimap passes" 0 \
		$'BdsDxe: starting Boot[0-9A-F]+ "UEFI QEMU QEMU USB HARDDRIVE\nefimap: boot: secure_boot=1 setup_mode=0\nefimap: verdict: passed=[1-9][0-9]* failed=0' -- \
		--shim
	boot "Secure Boot with Microsoft's keys, the MOK not enrolled: shim refuses efimap (exit 3, shim's message)" 3 \
		$'run-qemu: shim refused to start the image: Verification failed: \\(0x1A\\) Security Violation\n!efimap: stub:' -- \
		--shim --no-mok --timeout 180
	boot "Secure Boot with the MOK enrolled: efimap signed without .sbat is refused by shim (exit 3)" 3 \
		$'run-qemu: shim refused to start the image: Verification failed: \\(0x1A\\) Security Violation\n!efimap: stub:' -- \
		--shim --usb build/shim-test/nosbat/efimap-usb-shim.img --timeout 180
	# Issue 16: re-entry without a second SetVirtualAddressMap.
	boot "efimap.kexec=3 on q35 512M: four instances, each passes, the chain passes" 0 \
		$'efimap: stub: kexec: image copy at 0x[0-9a-f]+\nefimap: kexec: re-entered: instance 4 of 4\nefimap: kexec: chain=pass instances=4 svam_calls=1 failed_instances=0 changed_tables=0\nefimap: verdict: passed=[1-9][0-9]* failed=0\n!EXCEPTION' -- \
		--options "efimap.kexec=3"
	matrix_reuse "q35 512M kexec=3"
	kexec_check "kexec=3 (acceptance 1): SetVirtualAddressMap once in the boot, same layout and KERN pages in every instance, free memory not shrinking" 4 pass
	boot "efimap.kexec=3 at 8G with simulated unaccepted memory, lazy: the chain passes" 0 \
		$'efimap: accept: mode=lazy \nok [0-9]+ no_unit_accepted_twice[^#]*$\nefimap: kexec: chain=pass instances=4 svam_calls=1\nefimap: verdict: passed=[1-9][0-9]* failed=0' -- \
		--mem 8G --options "efimap.kexec=3 efimap.unaccepted=sim:above=1G efimap.selftest=kexec,accept_live,runtime,paging"
	kexec_check "kexec=3 at 8G lazy (acceptance 2): pending units stay pending from instance to instance, none accepted twice" 4 pass lazy
	boot "efimap.inject=kexec-scribble: the next instance names the kept table that changed; the chain fails (exit 1)" 1 \
		$'efimap: inject: kexec-scribble: one byte of .* changed before the jump\nefimap: kexec: kept table changed since the first instance: \n# kexec_test.c:[0-9]+: 1 kept tables changed, the first: \nnot ok [0-9]+ kept_tables_unchanged\nefimap: kexec: chain=fail instances=3 ' -- \
		--options "efimap.kexec=2 efimap.inject=kexec-scribble"
	kexec_check "kexec-scribble (acceptance 3): every later instance names the scribbled table" 3 scribble
	# Issue 15: AArch64 under AAVMF (virt, 1G, cortex-a57) and U-Boot's qemu_arm64.
	if [[ -f build/efimap-aa64.efi ]]; then
		boot "aarch64 AAVMF 1G cortex-a57: PASS; runtime calls work after ExitBootServices; W+X 0 in both tables; the window in the lower half below 2^48; reclaim accounts for every page" 0 \
			$'efimap: validate: .* arch=arm64\nefimap: svam: status=EFI_SUCCESS .* window=0x[0-9a-f]{1,12} .*tables=efimap\nefimap: wx: kernel=0 efi=0 \nefimap: reclaim: bs_total_kib=[0-9]+ freed_kib=[0-9]+ kept_kib=[0-9]+ leak_pages=0 \nefimap: runtime: gettime=ok variables=ok faults=0 enabled=1\nefimap: verdict: passed=[1-9][0-9]* failed=0 .*firmware=ok\n!FW_BUG\n!EXCEPTION' -- \
			--arch aarch64 --mem 1G --cpu cortex-a57
		matrix_reuse "aavmf virt 1G cortex-a57 smp1"
		boot "aarch64 AAVMF: an injected fault inside GetTime is recovered, reported as FW_BUG with the service named, and the run reaches its verdict (exit 4)" 4 \
			$'efimap: fw_bug: FW_BUG service=GetTime vector=37 .*error=0x96\nefimap: finding: error: rt-fault: GetTime faulted inside the firmware\nefimap: runtime: off: a runtime service faulted inside the firmware \(FW_BUG\)\nefimap: verdict: passed=[1-9][0-9]* failed=0 .*firmware=errors' -- \
			--arch aarch64 --mem 1G --options "efimap.inject=rt-fault"
		# The arm64 core's failure paths, as x86's above: each ends without a verdict (exit 2).
		boot "aarch64 AAVMF: a page fault is reported with ESR, FAR and ELR (console from ACPI SPCR); no verdict" 2 \
			$'efimap: serial: pl011 at 0x[0-9a-f]+ \\(ACPI SPCR\\); psci: (hvc|smc) \\(ACPI FADT\\)\nefimap: inject: reading page 0\nEXCEPTION 0x25 \\(data abort\\) error=0x96\nFAR=0000000000000010\nread abort: translation \\(not mapped\\) fault\nFAR is in page 0\nELR is image offset\nno verdict: unexpected exception\nrun-qemu: no verdict' -- \
			--arch aarch64 --mem 1G --options "efimap.inject=pagefault"
		boot "aarch64 AAVMF: a kernel stack overflow hits the guard page and is reported from the exception stack" 2 \
			$'inject: recursing into the stack guard page\nEXCEPTION 0x25 \\(data abort\\)\nwrite abort: translation \\(not mapped\\) fault\nFAR is in the kernel stack.s guard page: a kernel stack overflow\nno verdict: unexpected exception' -- \
			--arch aarch64 --mem 1G --options "efimap.inject=stack-overflow"
		boot "aarch64 AAVMF: efimap.inject=triple-fault (a vector table that ends the run, then BRK) gives no verdict" 2 \
			$'inject: vector table that resets, then BRK\nexception 0x3c with the vector table broken on purpose\nrun-qemu: no verdict\n!EXCEPTION' -- \
			--arch aarch64 --mem 1G --options "efimap.inject=triple-fault"
		boot "aarch64 AAVMF: a corrupted handoff block is refused: no verdict" 2 \
			$'efimap: handoff: invalid at 0x[0-9a-f]+ \\(checksum mismatch\\)\nno verdict: bad handoff' -- \
			--arch aarch64 --mem 1G --options "efimap.inject=bad-handoff"
		boot "aarch64 AAVMF -machine acpi=off: the console and PSCI come from the device tree; PASS" 0 \
			$'efimap: serial: pl011 at 0x9000000 \\(device tree stdout-path\\); psci: hvc \\(device tree\\)\nefimap: verdict: passed=[1-9][0-9]* failed=0' -- \
			--arch aarch64 --mem 1G --options "efimap.selftest=boot,arm64_core" --qemu-arg -machine --qemu-arg acpi=off
		# Issue 16 acceptance 5: the same chains on AAVMF and U-Boot arm64.
		boot "aarch64 AAVMF efimap.kexec=3: four instances, each passes, the chain passes" 0 \
			$'efimap: kexec: re-entered: instance 4 of 4\nefimap: kexec: chain=pass instances=4 svam_calls=1 failed_instances=0 changed_tables=0\n!EXCEPTION' -- \
			--arch aarch64 --mem 1G --options "efimap.kexec=3"
		kexec_check "aarch64 AAVMF kexec=3: SetVirtualAddressMap once, same layout and KERN pages in every instance, free memory not shrinking" 4 pass
		boot "aarch64 AAVMF efimap.kexec=3 at 4G with simulated unaccepted memory, lazy: the chain passes" 0 \
			$'efimap: accept: mode=lazy \nok [0-9]+ no_unit_accepted_twice[^#]*$\nefimap: kexec: chain=pass instances=4 svam_calls=1' -- \
			--arch aarch64 --mem 4G --options "efimap.kexec=3 efimap.unaccepted=sim:above=2G efimap.selftest=kexec,accept_live,runtime,paging"
		kexec_check "aarch64 AAVMF kexec=3 at 4G lazy: pending units stay pending, none accepted twice" 4 pass lazy
		boot "aarch64 AAVMF efimap.inject=kexec-scribble: the next instance names the changed table; the chain fails (exit 1)" 1 \
			$'efimap: inject: kexec-scribble: one byte of .* changed before the jump\nefimap: kexec: kept table changed since the first instance: \nefimap: kexec: chain=fail instances=3 ' -- \
			--arch aarch64 --mem 1G --options "efimap.kexec=2 efimap.inject=kexec-scribble"
		kexec_check "aarch64 AAVMF kexec-scribble: every later instance names the scribbled table" 3 scribble
		boot "aarch64 U-Boot efimap.kexec=3: the chain passes; the firmware's unaligned runtime pages stay error findings (exit 4)" 4 \
			$'efimap: kexec: chain=pass instances=4 svam_calls=1 failed_instances=0 changed_tables=0\nefimap: finding: error: runtime-align-64k: \n!EXCEPTION' -- \
			--arch aarch64 --firmware uboot --mem 1G --options "efimap.kexec=3"
		kexec_check "aarch64 U-Boot kexec=3: SetVirtualAddressMap once, same layout and KERN pages, free memory not shrinking" 4 pass
	else
		echo "ok $((boot_n + 1)) aarch64 boots # SKIP build/efimap-aa64.efi not built"
		boot_n=$((boot_n + 1))
		skipped=$((skipped + 1))
	fi
	linux_crosscheck
	echo "# ktap-read: the KTAP of $ktap_checked boots with a verdict checked against" \
		"efimap's closing line and verdict"
}

# The host tool: parser and report tests, the command line, the fuzz smoke.
run_tools() {
	run_script_tests build/tool-tests
	run_script_tests tests/tools/cli-test.sh
	run_script_tests tests/fuzz/run.sh "${FUZZ_SMOKE_SECONDS:-10}"
	run_docs
}
# The documentation against the code (names both ways, samples against what
# the code prints), and make install/uninstall into a scratch folder.
run_docs() {
	run_script_tests tests/docs-check.sh
	run_script_tests tests/install-test.sh
}
# Host-side script tests: flash-usb against fake devices (no QEMU, no images),
# the KTAP reader on hand-written logs, run-qemu's options (no guest booted).
run_scripts() {
	run_script_tests tests/flash-usb-test.sh
	run_script_tests tests/ktap-read/test.sh build
	run_script_tests tests/run-qemu-test.sh
}
# The stick images and signatures, before booting them.
run_images() {
	run_script_tests tests/image-test.sh build
}
# The run report across boots sharing a stick and a variable store.
run_report() {
	run_script_tests tests/boot/report-test.sh build
}
# `efimap plan` on boots' own serial logs says what their kernels did (issue 14, item 8).
run_plan() {
	run_script_tests tests/boot/plan-check.sh build
}
# The screen console, from screendumps.
run_screen() {
	run_script_tests tests/boot/screendump.sh build
}
# Every machine/memory/CPU/firmware configuration, the stick, Secure Boot;
# after run_boot, whose matching boots it reuses.
run_matrix() {
	run_script_tests tests/boot/matrix.sh "${matrix_reuse_args[@]}" build
}

case $what in
host)
	run_script_tests build/unit-tests
	run_script_tests build/unit-tests-pte-arm64
	run_scripts
	;;
tools) run_tools ;;
boot)
	run_images
	run_boot
	run_report
	run_plan
	run_screen
	run_matrix
	;;
all)
	run_script_tests build/unit-tests
	run_script_tests build/unit-tests-pte-arm64
	run_tools
	run_scripts
	run_images
	run_boot
	run_report
	run_plan
	run_screen
	run_matrix
	;;
*)
	echo "usage: tests/run-check.sh all|host|tools|boot" >&2
	exit 2
	;;
esac

if [[ $skipped -gt 0 ]]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[[ $failed -eq 0 ]]
