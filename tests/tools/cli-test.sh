#!/usr/bin/env bash
# The `efimap` command line, end to end, on the sanitized build
# (build/efimap-san) and helper samples in tests/tools/samples/: exit codes,
# every check name on the sample that carries it, JSON that parses, show's
# sort, plan's 2 MiB congruence, SVG well-formed and deterministic, usage
# errors, unreadable input with its line number, and no crash on garbage.
# Prints KTAP and a closing "N passed, N failed"; exit 1 on any failure.
#   tests/tools/cli-test.sh [TOOL]     (default build/efimap-san)
# Needs jq and xmllint (scripts/install-deps.sh all installs them).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

tool=${1:-build/efimap-san}
samples=tests/tools/samples
docs_svg=docs/efimap-qemu-q35-512M.svg
docs_svg_src=$samples/efimap-qemu-serial.log
tmp=$(mktemp -d "${TMPDIR:-/tmp}/efimap-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# A sanitizer report must never look like an ordinary exit status.
export ASAN_OPTIONS=exitcode=86:detect_leaks=1
export UBSAN_OPTIONS=exitcode=86:print_stacktrace=1

n=0
passed=0
failed=0
results=()

ok() {
	n=$((n + 1))
	passed=$((passed + 1))
	results+=("ok $n $1")
}

not_ok() {
	local name=$1
	shift
	n=$((n + 1))
	failed=$((failed + 1))
	results+=("not ok $n $name")
	local line
	for line in "$@"; do
		while IFS= read -r l; do
			results+=("# $l")
		done <<<"$line"
	done
}

# expect NAME COND WHY...: ok when COND (a shell status) is 0.
expect() {
	local name=$1 cond=$2
	shift 2
	if [[ $cond -eq 0 ]]; then ok "$name"; else not_ok "$name" "$@"; fi
}

# run ARGS...: the tool's stdout in $tmp/out, stderr in $tmp/err, status in $rc.
rc=0
run() {
	"$tool" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# A sanitizer or crash report anywhere in the last run's stderr.
crashed() {
	[[ $rc -ge 86 ]] || grep -qE 'Sanitizer|runtime error:|Segmentation|Aborted' "$tmp/err"
}

why_run() {
	printf 'exit %s\nstdout: %s\nstderr: %s' "$rc" "$(head -c 600 "$tmp/out")" \
		"$(head -c 600 "$tmp/err")"
}

if [[ ! -x $tool ]]; then
	echo "KTAP version 1"
	echo "1..1"
	echo "not ok 1 $tool exists"
	echo "# build it first: make $tool"
	echo "0 passed, 1 failed"
	exit 1
fi

have_jq=0
command -v jq >/dev/null 2>&1 && have_jq=1
have_xmllint=0
command -v xmllint >/dev/null 2>&1 && have_xmllint=1

# Binary samples are generated from their text specs.
for spec in "$samples"/*.dumpspec; do
	[[ -e $spec ]] || continue
	tests/tools/mkdump.sh "$spec" "$tmp/$(basename "$spec" .dumpspec).bin" ||
		not_ok "dump $(basename "$spec") builds" "tests/tools/mkdump.sh refused it"
done

all_inputs=("$samples"/*.log "$tmp"/*.bin)

# The sample run folders (samples/README), built with their binary files.
tests/tools/mkruns.sh "$samples/runs" "$tmp/runs" ||
	not_ok "the sample run folders build" "tests/tools/mkruns.sh refused them"

# --- the command line itself --------------------------------------------------
run --version
expect "--version prints the version" \
	"$([[ $rc -eq 0 && $(cat "$tmp/out") =~ ^efimap\ [0-9]+\.[0-9]+ ]]; echo $?)" "$(why_run)"

run --help
help_ok=$([[ $rc -eq 0 ]] && grep -q 'usage: efimap' "$tmp/out" && echo 0 || echo 1)
for c in check show plan svg --json --strict --window; do
	grep -q -- "$c" "$tmp/out" || help_ok=1
done
expect "--help names every command and option, exit 0" "$help_ok" "$(why_run)"

run help
expect "help is --help" "$([[ $rc -eq 0 ]] && grep -q 'usage: efimap' "$tmp/out"; echo $?)" \
	"$(why_run)"

# A usage error is one line on stderr: what was wrong, then the hint.
one_line_hint() { # exit 0 when $tmp/err is exactly one line ending in the hint
	[[ $(wc -l <"$tmp/err") -eq 1 ]] && grep -q "; try 'efimap --help'\$" "$tmp/err"
}
run
expect "no arguments: one line naming the commands and the hint, exit 2" \
	"$([[ $rc -eq 2 && ! -s $tmp/out ]] && grep -q 'no command given (check, show' "$tmp/err" &&
		one_line_hint; echo $?)" "$(why_run)"

run frobnicate "$docs_svg_src"
expect "unknown command: one line naming it and the hint, exit 2" \
	"$([[ $rc -eq 2 ]] && grep -q "unknown command 'frobnicate'" "$tmp/err" && one_line_hint; echo $?)" \
	"$(why_run)"

run check --frobnicate "$docs_svg_src"
expect "unknown option: one line naming it and the hint, not the usage, exit 2" \
	"$([[ $rc -eq 2 ]] && grep -q "unknown option '--frobnicate'" "$tmp/err" && one_line_hint &&
		! grep -q 'usage: efimap' "$tmp/err"; echo $?)" "$(why_run)"

run check "$docs_svg_src" --window
expect "missing argument: one line naming the option and the hint, exit 2" \
	"$([[ $rc -eq 2 ]] && grep -q -- "--window needs a value" "$tmp/err" && one_line_hint; echo $?)" \
	"$(why_run)"

run --help
expect "--help points to the manual page, not the README" \
	"$([[ $rc -eq 0 ]] && grep -q 'man efimap' "$tmp/out" && ! grep -q README "$tmp/out"; echo $?)" \
	"$(why_run)"

run check "$docs_svg_src" -x
expect "unknown option after the file is still an option, exit 2" \
	"$([[ $rc -eq 2 ]] && grep -q "unknown option '-x'" "$tmp/err"; echo $?)" "$(why_run)"

run show "$docs_svg_src" "$docs_svg_src"
expect "show takes exactly one file, exit 2" \
	"$([[ $rc -eq 2 ]] && grep -q 'exactly one FILE' "$tmp/err"; echo $?)" "$(why_run)"

run plan
expect "plan without a file, exit 2" \
	"$([[ $rc -eq 2 ]] && grep -q 'needs a FILE' "$tmp/err"; echo $?)" "$(why_run)"

run svg --json "$docs_svg_src"
expect "--json on svg is refused, exit 2" \
	"$([[ $rc -eq 2 ]] && grep -q -- '--json applies' "$tmp/err"; echo $?)" "$(why_run)"

run check --window 0:1G "$docs_svg_src"
expect "--window on check is refused, exit 2" \
	"$([[ $rc -eq 2 ]] && grep -q -- '--window applies only to plan' "$tmp/err"; echo $?)" \
	"$(why_run)"

bad_windows=(
	"0xffffffc000001000:64G|2 MiB aligned"
	"0xffffffc000000000:0|size is 0"
	"0x0000800000000000:1G|canonical"
	"-2G:4G|past 2\\^64"
	"0xffffffc000000000|BASE:SIZE"
	"lots:1G|base 'lots'"
)
for bw in "${bad_windows[@]}"; do
	arg=${bw%%|*} want=${bw#*|}
	run plan --window "$arg" "$docs_svg_src"
	expect "--window $arg is refused with the reason, exit 2" \
		"$([[ $rc -eq 2 ]] && grep -qE -- "--window: .*$want" "$tmp/err"; echo $?)" "$(why_run)"
done

# Entries in a sample: the samples README's table (the last number of the
# file's row, or "the last, N" for a capture of two maps); a dump: its spec's
# desc and zero lines.
expected_entries() {
	local f=$1 base
	base=$(basename "$f")
	if [[ $f == *.bin ]]; then
		grep -cE '^(desc|zero)( |$)' "$samples/${base%.bin}.dumpspec"
		return
	fi
	awk -v f="$base" '$1 == f {
		if (match($0, /the last, [0-9]+/)) { s = substr($0, RSTART, RLENGTH); sub(/.* /, "", s); print s }
		else if ($NF ~ /^[0-9]+$/) print $NF
	}' "$samples/README"
}

# --- every input parses; nothing crashes ----------------------------------------
for f in "${all_inputs[@]}"; do
	[[ -e $f ]] || continue
	bad=""
	for cmd in check show plan svg; do
		run "$cmd" "$f"
		if crashed || [[ $rc -gt 2 ]]; then
			bad+="$cmd crashed: $(why_run)"$'\n'
		fi
	done
	run check "$f"
	[[ $rc -le 1 ]] || bad+="check could not read it: $(why_run)"$'\n'
	want=$(expected_entries "$f")
	got=$(sed -nE 's/^[^ ]+: ([0-9]+) entr(y|ies) \(.*/\1/p' "$tmp/out")
	[[ -n $want && $got == "$want" ]] ||
		bad+="check read ${got:-no} entries, the samples README says ${want:-nothing}"$'\n'
	expect "$(basename "$f"): all ${want:-?} entries read; check, show, plan, svg do not crash" \
		"$([[ -z $bad ]]; echo $?)" "$bad"
done

# --- exit codes of check ----------------------------------------------------------
run check "$docs_svg_src"
expect "check on a clean map (efimap's own QEMU log): exit 0, summary line" \
	"$([[ $rc -eq 0 ]] && grep -qE "^$docs_svg_src: [0-9]+ entries \\(efimap\\), 0 errors" \
		"$tmp/out"; echo $?)" "$(why_run)"

# A kexec chain (efimap.kexec=2): later instances print the compacted map handed to them.
chain=$samples/efimap-kexec-chain.log
run check "$chain"
expect "check on a kexec chain's log takes the firmware's map (the first), not a re-entered instance's" \
	"$([[ $rc -eq 0 ]] && grep -qE "^$chain: 125 entries \(efimap\), .*map 1 of 3 \(firmware map" \
		"$tmp/out"; echo $?)" "$(why_run)"
run check --map 3 "$chain"
expect "--map 3 on the chain is the last instance's map, a kernel's (26 entries)" \
	"$([[ $rc -eq 0 ]] && grep -qE "^$chain: 26 entries .*map 3 of 3 \(the runtime map a kernel derived" \
		"$tmp/out"; echo $?)" "$(why_run)"

errs_sample=$samples/bracket12-4.9-server.log
run check "$errs_sample"
expect "check on a map with errors: exit 1, FILE:LINE: error: lines" \
	"$([[ $rc -eq 1 ]] && grep -qE "^$errs_sample:[0-9]+: error: [a-z0-9-]+: " "$tmp/out"; echo $?)" \
	"$(why_run)"

# A map line that cannot be read: a finding on its line, the rest of the map
# checked (124 of efimap's 125 entries), exit 1, the summary counts it.
cp "$docs_svg_src" "$tmp/broken.log"
bad_line=$(grep -n 'efi: mem07:' "$tmp/broken.log" | head -n 1 | cut -d: -f1)
sed -i "${bad_line}s/range=\\[0x/range=[0xzz/" "$tmp/broken.log"
run check "$tmp/broken.log"
expect "a damaged map line: exit 1, FILE:$bad_line: error: damaged-line with the text, 124 entries" \
	"$([[ $rc -eq 1 ]] && grep -qE "^$tmp/broken.log:$bad_line: error: damaged-line: .*mem07: .*0xzz" "$tmp/out" &&
		grep -qE "^$tmp/broken.log: 124 entries .*1 damaged line not read" "$tmp/out"; echo $?)" \
	"$(why_run)"

run show "$tmp/broken.log"
expect "show on the damaged map: the other 124 entries, the damage said in the header" \
	"$([[ $rc -eq 0 ]] && grep -q '^# map 1 of 1 .*1 damaged line not read' "$tmp/out" &&
		[[ $(grep -cE '^ *[0-9]+ +[0-9]+  ' "$tmp/out") -eq 124 ]]; echo $?)" "$(why_run)"

# Noise inside a map and a map cut short at its last line: two findings, the rest read.
{
	head -n $((bad_line - 1)) "$docs_svg_src"
	printf '[    0.048533] efi: mem07: [Conv\377\001tional|   |  |\033[0m garbage\n'
	sed -n "$((bad_line + 1)),\$p" "$docs_svg_src" | grep -v 'efimap: map: entries='
} >"$tmp/noisy.log"
last_map_line=$(grep -n 'efi: mem124:' "$tmp/noisy.log" | cut -d: -f1)
sed -i "${last_map_line}s/range=.*/range=[0x00000000ffc0/" "$tmp/noisy.log"
run check "$tmp/noisy.log"
expect "noise in a map line and a truncated last line: 2 damaged-line errors on their lines, 123 entries, exit 1" \
	"$([[ $rc -eq 1 ]] && grep -qE "^$tmp/noisy.log:$bad_line: error: damaged-line: .*Conv\\\\xff\\\\x01tional" "$tmp/out" &&
		grep -qE "^$tmp/noisy.log:$last_map_line: error: damaged-line: " "$tmp/out" &&
		grep -qE "^$tmp/noisy.log: 123 entries .*2 damaged lines not read" "$tmp/out"; echo $?)" \
	"$(why_run)"

run check "$tmp/no-such-file.log"
expect "a file that does not exist: exit 2, named" \
	"$([[ $rc -eq 2 ]] && grep -q "no-such-file.log" "$tmp/err"; echo $?)" "$(why_run)"

printf 'nothing to see here\njust a boot log without efi=debug\n' >"$tmp/nomap.log"
run check "$tmp/nomap.log"
expect "a log without a memory map: exit 2, said so" \
	"$([[ $rc -eq 2 && -s $tmp/err ]]; echo $?)" "$(why_run)"

run check "$docs_svg_src" "$errs_sample"
expect "check clean + errors: exit 1, a summary for each" \
	"$([[ $rc -eq 1 && $(grep -cE '^[^ ]+: [0-9]+ entr(y|ies) \(' "$tmp/out") -eq 2 ]]; echo $?)" \
	"$(why_run)"

run check "$docs_svg_src" "$tmp/nomap.log" "$errs_sample"
expect "check clean + unreadable + errors: exit 2 (unreadable wins), the others still checked" \
	"$([[ $rc -eq 2 && $(grep -cE '^[^ ]+: [0-9]+ entr(y|ies) \(' "$tmp/out") -eq 2 ]]; echo $?)" \
	"$(why_run)"

warn_sample=$samples/bracket14-6.1-laptop.log
run check "$warn_sample"
rc_plain=$rc
run check --strict "$warn_sample"
expect "warnings alone exit 0; with --strict exit 1" \
	"$([[ $rc_plain -eq 0 && $rc -eq 1 ]] && grep -q ': warning: ' "$tmp/out"; echo $?)" \
	"plain exit $rc_plain" "$(why_run)"

run check - <"$errs_sample"
expect "'-' reads standard input, named <stdin>" \
	"$([[ $rc -eq 1 ]] && grep -q '^<stdin>:[0-9]*: error: ' "$tmp/out"; echo $?)" "$(why_run)"

# --- which map of a log: Linux 6.1 under OVMF (issue 14, acceptance 1) -------------
linux_sample=$samples/linux-6.1-ovmf-efi-debug.log
# The firmware's map, counted without the tool: the efi: memNN lines from
# the first mem00 up to the next mem00, as "TYPE PAGES" (ranges inclusive).
fw_map() {
	sed -nE 's/.*efi: mem([0-9]+): \[([^]|]+)\|[^]]*\] range=\[0x([0-9a-f]+)-0x([0-9a-f]+)\].*/\1|\2|\3|\4/p' "$1" |
		awk -F'|' '$1 + 0 == 0 && seen { exit } { seen = 1; sub(/ +$/, "", $2); print $2 "|" $3 "|" $4 }'
}
fw_entries=0 fw_pages=0 conv_entries=0 conv_pages=0
while IFS='|' read -r type start end; do
	pages=$(((16#$end - 16#$start + 1) / 4096))
	fw_entries=$((fw_entries + 1))
	fw_pages=$((fw_pages + pages))
	if [[ $type == Conventional ]]; then
		conv_entries=$((conv_entries + 1))
		conv_pages=$((conv_pages + pages))
	fi
done < <(fw_map "$linux_sample")
run check "$linux_sample"
expect "Linux 6.1 log: check reads the firmware map ($fw_entries entries), says which of 2" \
	"$([[ $rc -le 1 && $fw_entries -gt 100 ]] &&
		grep -qE "^$linux_sample: $fw_entries entries \(bracket-15-hp\), .*; map 1 of 2 \(firmware map, boot 1 of 1, line 59\)" \
			"$tmp/out"; echo $?)" "$(why_run)"
expect "Linux 6.1 log: no finding about the RUNTIME bits Linux set itself" \
	"$(! grep -qE ': (runtime-type|runtime-no-attr): ' "$tmp/out"; echo $?)" "$(why_run)"
run show "$linux_sample"
expect "Linux 6.1 log: show's totals are the firmware map's ($fw_entries entries, $fw_pages pages; Conventional $conv_entries, $conv_pages)" \
	"$([[ $rc -eq 0 && $conv_entries -gt 0 ]] &&
		grep -qE "^all entries +$fw_entries +$fw_pages " "$tmp/out" &&
		grep -qE "^Conventional +$conv_entries +$conv_pages " "$tmp/out" &&
		grep -q '^# map 1 of 2 (firmware map' "$tmp/out"; echo $?)" "$(why_run)"
run svg "$linux_sample"
expect "Linux 6.1 log: svg draws the firmware map and says so" \
	"$([[ $rc -eq 0 ]] && grep -q "$fw_entries entries (bracket-15-hp; map 1 of 2 (firmware map" "$tmp/out"; echo $?)" \
	"$(why_run)"
run check --map last "$linux_sample"
expect "Linux 6.1 log: --map last takes Linux's runtime map (107 entries, line 302) and says so" \
	"$([[ $rc -le 1 ]] &&
		grep -qE "^$linux_sample: 107 entries .*; map 2 of 2 \(the runtime map a kernel derived, boot 1 of 1, line 302\)" \
			"$tmp/out"; echo $?)" "$(why_run)"
run show --map all "$linux_sample"
expect "--map all: show prints each map, each labelled" \
	"$([[ $rc -eq 0 && $(grep -c '^# map [12] of 2 ' "$tmp/out") -eq 2 ]]; echo $?)" "$(why_run)"
if [[ $have_jq -eq 1 ]]; then
	run check --json --map 2 "$linux_sample"
	expect "--map 2 --json: the map's number, kind and boot" \
		"$([[ $rc -le 1 ]] && jq -e '.files[0].map == 2 and .files[0].map_kind == "kernel" and
			.files[0].maps_seen == 2 and .files[0].entries == 107' "$tmp/out" >/dev/null 2>&1; echo $?)" \
		"$(why_run)"
fi
run check --map 3 "$linux_sample"
expect "--map 3 of 2 maps: exit 2, said so" \
	"$([[ $rc -eq 2 ]] && grep -q 'there is no map 3: the input holds 2 maps' "$tmp/err"; echo $?)" \
	"$(why_run)"
run check --map none "$linux_sample"
expect "--map none: a usage error, exit 2" \
	"$([[ $rc -eq 2 ]] && grep -q -- "--map: 'none' is not first, last, all or a map number" "$tmp/err"; echo $?)" \
	"$(why_run)"
run svg --map all "$linux_sample"
expect "svg --map all is refused (one picture per run), exit 2" \
	"$([[ $rc -eq 2 ]]; echo $?)" "$(why_run)"

# --- every check's name, on the sample that carries it ------------------------------
run help checks
mapfile -t check_names <"$tmp/out"
expect "help checks lists the check names" \
	"$([[ $rc -eq 0 && ${#check_names[@]} -ge 15 ]]; echo $?)" "$(why_run)"
# The samples README maps each check to the samples that carry it: "NAME  SAMPLE
# (why); SAMPLE (why)". A sample is named by the start of its file name. The
# finding must be in `efimap check`'s output for each sample named; a check no
# line names must still be found on some sample, except the layout checks, which
# belong to plan (below).
carriers() { # CHECK: sample files the README names for it
	awk -v c="$1" '
		/^check +sample/ { on = 1; next }
		on && /^$/ { on = 0 }
		on && $1 == c { sub(/^[^ ]+ +/, ""); print; next }
	' "$samples/README" | tr ';' '\n' | awk '{ print $1 }' | while read -r short; do
		[[ $short =~ ^(every|all)$ || -z $short ]] && continue
		for f in "$samples/$short"-*.log "$samples/$short.log" "$tmp/$short.bin" "$tmp/$short"; do
			[[ -e $f ]] && echo "$f"
		done
	done
}
for c in "${check_names[@]}"; do
	case $c in layout-*) continue ;; esac
	mapfile -t files < <(carriers "$c")
	bad=""
	if [[ ${#files[@]} -eq 0 ]]; then
		# Not tied to a sample: some input must still carry it.
		found=0
		for f in "${all_inputs[@]}"; do
			run check "$f"
			grep -qE "^[^ ]+: (error|warning|info): $c: " "$tmp/out" && found=1 && break
		done
		[[ $found -eq 1 ]] || bad="no sample produces it (and the samples README names none)"
		expect "check names '$c' (found on $(basename "${f:-none}"))" "$([[ -z $bad ]]; echo $?)" "$bad"
		continue
	fi
	names=""
	for f in "${files[@]}"; do
		names+="$(basename "$f") "
		run check "$f"
		if ! grep -qE "^[^ ]+: (error|warning|info): $c: " "$tmp/out"; then
			bad+="$(basename "$f"): no '$c' finding: $(why_run)"$'\n'
		fi
	done
	expect "check names '$c' on ${names% }" "$([[ -z $bad ]]; echo $?)" "$bad"
done

# The layout checks: a window too small, and a runtime entry that cannot be placed.
run plan --window 0xffffffc000000000:2M "$docs_svg_src"
expect "plan names 'layout-no-room' when the window is too small (exit 1)" \
	"$([[ $rc -eq 1 ]] && grep -q 'layout-no-room: ' "$tmp/out"; echo $?)" "$(why_run)"
printf '%s\n' 'desc 7 0x0 0x100 0xf' 'desc 5 0x200000 0 0x800000000000000f' >"$tmp/zero-rt.spec"
tests/tools/mkdump.sh "$tmp/zero-rt.spec" "$tmp/zero-rt.dump"
run plan "$tmp/zero-rt.dump"
expect "plan names 'layout-bad-entry' for a runtime entry of zero pages (exit 1)" \
	"$([[ $rc -eq 1 ]] && grep -q 'layout-bad-entry: ' "$tmp/out"; echo $?)" "$(why_run)"

# The README's own example: attr-raw's HP entry is defined and must not be reported.
run check "$samples/attr-raw-6.1-server.log"
expect "undefined-attr only for the undefined bit (attr-raw: 1 finding, not the HP entry)" \
	"$([[ $(grep -c ': undefined-attr: ' "$tmp/out") -eq 1 ]]; echo $?)" "$(why_run)"

# --- JSON ---------------------------------------------------------------------------
json_parses() { # FILE: valid JSON (jq) holding the jq expression $2 true
	[[ $have_jq -eq 1 ]] || return 2
	jq -e "$2" "$1" >/dev/null 2>&1
}
if [[ $have_jq -eq 0 ]]; then
	not_ok "JSON output parses" "jq is missing: scripts/install-deps.sh all installs it"
else
	bad=""
	for f in "${all_inputs[@]}"; do
		[[ -e $f ]] || continue
		run check --json "$f"
		json_parses "$tmp/out" '.command == "check" and (.files | length) == 1 and
			(.files[0] | has("file") and has("format") and has("entries") and
			has("findings") and has("errors") and has("warnings") and has("info")) and
			.exit == '"$rc" || bad+="check --json $(basename "$f"): $(why_run)"$'\n'
		run show --json "$f"
		if [[ $rc -eq 0 ]]; then
			json_parses "$tmp/out" '.command == "show" and (.map | length) == .entries and
				(.totals.all.entries == .entries)' ||
				bad+="show --json $(basename "$f"): $(why_run)"$'\n'
		fi
		run plan --json "$f"
		if [[ $rc -le 1 ]] && [[ -s $tmp/out ]]; then
			json_parses "$tmp/out" '.command == "plan" and (.layout | has("ok")) and
				(.svam.bytes == .svam.descriptors * .svam.desc_size) and
				(.boot_services.freed_pages + .boot_services.kept_pages ==
				 .boot_services.pages) and .boot_services.leak_pages == 0 and
				(.boot_services.kept_by | add // 0) == .boot_services.kept_pages' ||
				bad+="plan --json $(basename "$f"): $(why_run)"$'\n'
		fi
	done
	expect "check/show/plan --json parse (jq) with their keys, on every input" \
		"$([[ -z $bad ]]; echo $?)" "$bad"

	# Findings carry the line of their entry: compare with the text report.
	run check --json "$errs_sample"
	jq -r '.files[0].findings[] | "\(.line): \(.severity): \(.check)"' "$tmp/out" \
		>"$tmp/json-lines" 2>/dev/null
	run check "$errs_sample"
	sed -nE "s|^$errs_sample:([0-9]+): ([a-z]+): ([a-z0-9-]+): .*|\\1: \\2: \\3|p" "$tmp/out" \
		>"$tmp/text-lines"
	expect "JSON findings match the text report (line, severity, check)" \
		"$([[ -s $tmp/text-lines ]] && cmp -s "$tmp/json-lines" "$tmp/text-lines"; echo $?)" \
		"$(diff "$tmp/json-lines" "$tmp/text-lines" | head -n 10)"

	# Hostile file names still give valid JSON.
	weird="$tmp/we\"ird\\na\$(printf '\001')me-$(printf '\377').log"
	cp "$errs_sample" "$weird"
	run check --json "$weird"
	expect "a file name with quotes, backslash, control and non-UTF-8 bytes: valid JSON" \
		"$([[ $rc -eq 1 ]] && jq -e '.files[0].file | test("we\"ird")' "$tmp/out" \
			>/dev/null 2>&1; echo $?)" "$(why_run)"

	run check --json "$tmp/nomap.log" "$docs_svg_src"
	expect "an unreadable file in --json: readable false, its line and why, exit 2" \
		"$([[ $rc -eq 2 ]] && jq -e '.files[0].readable == false and .files[0].line == null and
			(.files[0].error | length > 0) and .files[1].readable == true and .unreadable == 1 and
			.exit == 2' "$tmp/out" >/dev/null 2>&1; echo $?)" "$(why_run)"
fi

# --- show -----------------------------------------------------------------------------
unsorted_sample=$samples/old-type-attr-3.13-laptop.log
run show "$unsorted_sample"
# Starts are fixed-width hex, so text order is address order.
grep -E '^ *[0-9]+ +([0-9]+|-) ' "$tmp/out" |
	awk '{ for (i = 3; i <= NF; i++) if ($i ~ /^0x[0-9a-f]+$/) { print $i; break } }' >"$tmp/starts"
sorted_ok=0
LC_ALL=C sort -c "$tmp/starts" 2>/dev/null && sorted_ok=1
entries=$(grep -cE '^ *[0-9]+ +([0-9]+|-) ' "$tmp/out")
expect "show sorts an unsorted map by start and says it was unsorted" \
	"$([[ $rc -eq 0 && $sorted_ok -eq 1 && $entries -eq 37 ]] &&
		grep -q 'the input was unsorted' "$tmp/out"; echo $?)" \
	"$entries entry lines, sorted=$sorted_ok" "$(why_run)"

run check "$unsorted_sample"
expect "check names the unsorted entry of that map" \
	"$(grep -q ': warning: unsorted: ' "$tmp/out"; echo $?)" "$(why_run)"

run show "$docs_svg_src"
expect "show on a sorted map says so, and ends with the totals" \
	"$([[ $rc -eq 0 ]] && grep -q 'already in this order' "$tmp/out" &&
		grep -qE '^all entries +125 ' "$tmp/out"; echo $?)" "$(why_run)"

# --- plan -----------------------------------------------------------------------------
congruent() { # plan --json output: every VA = PA mod 2 MiB, inside the window, increasing
	local base size va_prev=0 ok=0 pa va vend
	base=$(jq -r '.window.base' "$1" 2>/dev/null) || return 1
	size=$(jq -r '.window.size' "$1" 2>/dev/null) || return 1
	while read -r pa va vend; do
		(((pa & 0x1fffff) == (va & 0x1fffff))) || ok=1
		# Unsigned compare in signed bash arithmetic: offsets from the base.
		local off=$((va - base)) endoff=$((vend - base))
		((off >= 0 && endoff < size && off >= va_prev)) || ok=1
		va_prev=$((endoff + 1))
	done < <(jq -r '.layout.runtime[] | "\(.start) \(.virt_start) \(.virt_end)"' "$1")
	return $ok
}
if [[ $have_jq -eq 1 ]]; then
	bad=""
	for f in "$samples"/*.log; do
		run plan --json "$f"
		[[ $rc -eq 0 ]] || { bad+="plan $(basename "$f"): $(why_run)"$'\n'; continue; }
		[[ $(jq '.layout.runtime | length' "$tmp/out") -gt 0 ]] ||
			bad+="$(basename "$f"): no runtime regions laid out"$'\n'
		congruent "$tmp/out" || bad+="$(basename "$f"): a VA not congruent or outside the window"$'\n'
	done
	expect "plan: every runtime VA = PA mod 2 MiB, in the window, in order (every log sample)" \
		"$([[ -z $bad ]]; echo $?)" "$bad"

	run plan --json --window -1G:1G "$docs_svg_src"
	expect "plan --window moves the layout to the window given" \
		"$([[ $rc -eq 0 ]] && jq -e '.window.base == "0xffffffffc0000000" and
			(.layout.runtime[0].virt_start | startswith("0xffffffffc"))' "$tmp/out" \
			>/dev/null 2>&1 && congruent "$tmp/out"; echo $?)" "$(why_run)"
else
	not_ok "plan: every runtime VA = PA mod 2 MiB" "jq is missing: scripts/install-deps.sh all installs it"
fi

run plan "$docs_svg_src"
# That log has no "efimap: resv:" lines (an older efimap): reservations unknown, an upper bound.
expect "plan text: SVAM input size, the kernel's reclaim lines, reservations unknown, compaction" \
	"$([[ $rc -eq 0 ]] && grep -qE '^SetVirtualAddressMap input: 5 descriptors x 48 bytes = 240 bytes \(desc_size from' "$tmp/out" &&
		grep -qE '^reservations: unknown \(the input has no "efimap: resv:" lines' "$tmp/out" &&
		grep -qE '^reclaim: kept 0x0000000000000000-0x0000000000000fff pages=1 below-1MiB \(Boot Code\)$' "$tmp/out" &&
		grep -qE '^reclaim: bs_total_kib=[0-9]+ freed_kib=[0-9]+ kept_kib=[0-9]+ leak_pages=0 map_entries_before=125 map_entries_after=[0-9]+ tail_freed_kib=unknown$' "$tmp/out" &&
		grep -qE '^map compaction: [0-9]+ fully freed entr(y|ies) go, [0-9]+ of 125 entries remain' "$tmp/out"
	echo $?)" "$(why_run)"

# A log with the kernel's own resv: and reclaim: lines: plan must say exactly what that
# boot's kernel did (issue 14 item 8), in text and JSON, with the guest's virtual layout.
out=$(EFIMAP=$tool tests/boot/plan-check.sh --log efimap-qemu-serial-resv \
	"$samples/efimap-qemu-serial-resv.log" 2>&1)
expect "plan on a boot's log with the kernel's reservations prints exactly its reclaim lines" \
	"$([[ $(tail -n 1 <<<"$out") == "3 passed, 0 failed" ]]; echo $?)" "$out"

# The same boot as a run folder (docs/run-folder.md): its map as map-final.efimapd (in
# the firmware's order), its summary lines as report.txt. `plan DIR` takes the kernel's
# lines from the report; a capture map of another entry count must not take them.
if [[ $have_jq -eq 1 ]]; then
	rf=$tmp/plan-run/0001
	mkdir -p "$rf"
	printf 'efimap-run: 1\nrun: 0001\n' >"$rf/run.txt"
	grep -aE 'efimap: [a-z_]+: ' "$samples/efimap-qemu-serial-resv.log" |
		sed -E 's/^\[[^]]*\] //' >"$rf/report.txt"
	run show --json "$samples/efimap-qemu-serial-resv.log"
	jq -r '"desc_size 40", (.map | sort_by(.entry)[] |
		"desc \(.type) \(.start) \(.pages) \(.attribute)")' "$tmp/out" >"$tmp/final.spec"
	head -n -1 "$tmp/final.spec" >"$tmp/capture.spec"
	tests/tools/mkdump.sh "$tmp/final.spec" "$rf/map-final.efimapd" &&
		tests/tools/mkdump.sh "$tmp/capture.spec" "$rf/map-capture.efimapd"
	out=$(EFIMAP=$tool tests/boot/plan-check.sh --input "run folder" "$rf/report.txt" "$rf" 2>&1)
	expect "plan DIR on a run folder: the kernel's reclaim lines from its report.txt" \
		"$([[ $(tail -n 1 <<<"$out") == "2 passed, 0 failed, 1 skipped" ]]; echo $?)" "$out"
	run plan --map capture "$rf"
	expect "plan --map capture DIR: the final map's reservations are not applied to the capture" \
		"$([[ $rc -eq 0 ]] && grep -q "^reservations: unknown (the kernel's lines are for a map of 125 entries, this one has 124)" "$tmp/out"
		echo $?)" "$(why_run)"
else
	not_ok "plan DIR on a run folder" "jq is missing: scripts/install-deps.sh all installs it"
fi

run plan --window 0xffffffc000000000:2M "$docs_svg_src"
expect "plan in a window too small: the finding, exit 1" \
	"$([[ $rc -eq 1 ]] && grep -q 'layout refused: layout-no-room: ' "$tmp/out" &&
		grep -q 'cannot be laid out' "$tmp/err"; echo $?)" "$(why_run)"

# --- svg ------------------------------------------------------------------------------
run svg "$docs_svg_src"
cp "$tmp/out" "$tmp/a.svg"
run svg "$docs_svg_src"
expect "svg: the same map gives the same bytes" \
	"$([[ $rc -eq 0 && $(head -c 5 "$tmp/a.svg") == "<?xml" ]] && cmp -s "$tmp/a.svg" "$tmp/out"
	echo $?)" "$(why_run)"

if [[ $have_xmllint -eq 1 ]]; then
	bad=""
	for f in "${all_inputs[@]}"; do
		[[ -e $f ]] || continue
		run svg "$f"
		[[ $rc -eq 0 ]] || continue
		xmllint --noout "$tmp/out" 2>"$tmp/xml-err" || bad+="$(basename "$f"): $(head -n 3 "$tmp/xml-err")"$'\n'
		grep -q '<script' "$tmp/out" && bad+="$(basename "$f"): has a script"$'\n'
		grep -qE '(href|src)=' "$tmp/out" && bad+="$(basename "$f"): refers to something outside"$'\n'
	done
	weird_svg="$tmp/<svg>&\"$(printf '\033\377').log"
	cp "$docs_svg_src" "$weird_svg"
	run svg "$weird_svg"
	xmllint --noout "$tmp/out" 2>/dev/null || bad+="hostile file name: not well-formed"$'\n'
	expect "svg: well-formed XML (xmllint), self-contained, on every input and a hostile name" \
		"$([[ -z $bad ]]; echo $?)" "$bad"
else
	not_ok "svg: well-formed XML" "xmllint is missing: scripts/install-deps.sh all installs it"
fi

run svg "$docs_svg_src"
cp "$tmp/out" "$tmp/a.svg"
run show "$docs_svg_src"
missing=""
while read -r name; do
	grep -q ">$name: " "$tmp/a.svg" || missing+="$name "
done < <(sed -n '/^# totals by type/,/^all entries/p' "$tmp/out" | sed -nE 's/^([A-Z][A-Za-z ]*[a-zA-Z]) +[0-9]+ +[0-9]+ .*/\1/p' | grep -v '^all entries$')
expect "svg legend names every type the map holds" \
	"$([[ -z $missing ]] && grep -q 'not in the map (compressed)' "$tmp/a.svg" &&
		grep -q 'EFI_MEMORY_RUNTIME' "$tmp/a.svg"; echo $?)" "missing: $missing"

expect "$docs_svg is what svg draws from $docs_svg_src now" \
	"$(cmp -s "$docs_svg" "$tmp/a.svg"; echo $?)" \
	"regenerate it: build/efimap svg $docs_svg_src > $docs_svg"

# --- garbage in, an answer out ------------------------------------------------------
# Damaged copies of every sample and random bytes: every command ends with 0, 1 or 2,
# never a sanitizer report, never a hang.
bad=""
k=0
for f in "${all_inputs[@]}"; do
	[[ -e $f ]] || continue
	size=$(stat -c %s "$f")
	for cut in 1 7 $((size / 3)) $((size / 2)) $((size - 5)); do
		((cut > 0 && cut < size)) || continue
		k=$((k + 1))
		head -c "$cut" "$f" >"$tmp/g$k"
	done
	k=$((k + 1))
	# Flip bytes in the middle of the map.
	cp "$f" "$tmp/g$k"
	printf '\377\000]|[x' | dd of="$tmp/g$k" bs=1 seek=$((size / 2)) conv=notrunc status=none
done
for s in 1 2 3 4 5 6; do
	k=$((k + 1))
	head -c $((s * 997)) /dev/urandom >"$tmp/g$k"
done
k=$((k + 1))
printf 'EFIMAPD\0\040\0\0\0\050\0\0\0\001\0\0\0\377\377\377\377' >"$tmp/g$k" # huge nr_map
for g in "$tmp"/g*; do
	for cmd in check show plan svg; do
		timeout 20 "$tool" "$cmd" "$g" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		if crashed || [[ $rc -gt 2 ]]; then
			bad+="$cmd on $(basename "$g") ($(stat -c %s "$g") bytes): $(why_run)"$'\n'
		fi
	done
done
expect "no crash, hang or sanitizer report on $k damaged or random inputs x 4 commands" \
	"$([[ -z $bad ]]; echo $?)" "$(head -c 2000 <<<"$bad")"

# --- architecture, help CHECK, diff -------------------------------------------------
x86_sample=$samples/bracket14-6.1-laptop.log
run check "$samples/arm64-4.5-server.log"
expect "an arm64 log gets arm64 rules: runtime-align-64k is an error (UEFI 2.10 2.3.6) naming the region, the summary says so" \
	"$(grep -q ': error: runtime-align-64k: entry 11 (Runtime Data \[0xf91f0000-0xf91f0fff\], mem11)' "$tmp/out" &&
		grep -q ': error: runtime-align-64k: entry 12 (Runtime Code' "$tmp/out" && grep -q '; arm64 rules (' "$tmp/out"
		echo $?)" "$(why_run)"
run check --arch x86 "$samples/arm64-4.5-server.log"
expect "--arch x86 on the arm64 log: runtime-align-64k is info again" \
	"$(grep -q ': info: runtime-align-64k: ' "$tmp/out" && ! grep -q ': warning: runtime-align-64k: ' "$tmp/out"; echo $?)" "$(why_run)"
run check --json --arch=arm64 "$x86_sample"
expect "--arch=arm64 on an x86 log: runtime memory errors, runtime MMIO info, and JSON arch/arch_source say why" \
	"$(jq -e '.files[0].arch == "arm64" and .files[0].arch_source == "--arch" and ([.files[0].findings[] | select(.check == "runtime-align-64k") | select((.severity == "error") != (.message | test("\\((Runtime|Reserved|ACPI)")))] | length == 0) and ([.files[0].findings[] | select(.check == "runtime-align-64k" and .severity == "error")] | length == 2)' "$tmp/out" >/dev/null; echo $?)" "$(why_run)"
# efimap's kernel names the rules it applied (efimap: validate: ... arch=); older logs are x86-64's.
run check --json "$samples/efimap-qemu-serial.log"
expect "an efimap log without arch=: x86, and arch_source says why" \
	"$(jq -e '.files[0].arch == "x86" and (.files[0].arch_source | test("without arch="))' "$tmp/out" >/dev/null; echo $?)" "$(why_run)"
sed 's/\(efimap: validate: .*\)$/\1 arch=arm64/' "$samples/efimap-qemu-serial.log" >"$tmp/efimap-arm64.log"
run check "$tmp/efimap-arm64.log"
expect "an efimap log whose validate line says arch=arm64: arm64 rules, the 4 runtime regions are errors" \
	"$([[ $rc -eq 1 ]] && [[ $(grep -c ': error: runtime-align-64k: ' "$tmp/out") -eq 4 ]] &&
		grep -q "; arm64 rules (efimap log's 'efimap: validate:' arch=)" "$tmp/out"; echo $?)" "$(why_run)"
rm -rf "$tmp/run-arm64"
cp -r "$samples/runs/qemu-ovmf/0001" "$tmp/run-arm64"
sed -i 's/\(efimap: validate: .*\)$/\1 arch=arm64/' "$tmp/run-arm64/report.txt"
run check --json "$tmp/run-arm64"
expect "a run folder whose report.txt says arch=arm64: arm64 rules from report.txt" \
	"$(jq -e '.files[0].arch == "arm64" and (.files[0].arch_source | test("report.txt")) and ([.files[0].findings[] | select(.check == "runtime-align-64k" and .severity == "error")] | length > 0)' "$tmp/out" >/dev/null; echo $?)" "$(why_run)"
run check --json "$samples/runs/qemu-ovmf/0001"
expect "a run folder whose report.txt names no arch: x86" \
	"$(jq -e '.files[0].arch == "x86" and (.files[0].findings | map(select(.check == "runtime-align-64k" and .severity != "info")) | length == 0)' "$tmp/out" >/dev/null; echo $?)" "$(why_run)"
run check --json "$x86_sample"
expect "an x86 Linux log: arch x86 from its banner" \
	"$(jq -e '.files[0].arch == "x86" and .files[0].arch_source == "Linux version banner"' "$tmp/out" >/dev/null; echo $?)" "$(why_run)"
run check --arch sparc "$x86_sample"
expect "--arch with a bad value: exit 2, said so" \
	"$([[ $rc -eq 2 ]] && grep -q "'sparc' is neither" "$tmp/err"; echo $?)" "$(why_run)"
bad=""
for c in "${check_names[@]}"; do
	run help "$c"
	if [[ $rc -ne 0 ]] || ! grep -q "^$c\$" "$tmp/out"; then bad+="$c: exit $rc; "; continue; fi
	for part in 'finds:' 'why it matters to an OS:' 'spec:' 'what the firmware should fix:'; do
		grep -qx "  $part" "$tmp/out" && [[ -n $(grep -A1 -x "  $part" "$tmp/out" | tail -n1 | tr -d ' ') ]] ||
			bad+="$c: no '$part'; "
	done
done
expect "help CHECK explains every check (${#check_names[@]}): finds, why, spec, fix" \
	"$([[ -z $bad ]]; echo $?)" "$bad"
run help
expect "help alone lists every check after the usage" \
	"$(r=0; grep -q 'usage: efimap' "$tmp/out" || r=1; for c in "${check_names[@]}"; do grep -qE "^  $c " "$tmp/out" || r=1; done; echo $r)" "$(why_run)"
run help no-such-check
expect "help with an unknown check: exit 2" "$([[ $rc -eq 2 ]]; echo $?)" "$(why_run)"

# Hand-made maps (differences listed by start, then size): B splits A's Boot Data in two (Conventional + Boot Data: removed 1,
# added 2), retypes the Runtime Data range as Reserved (changed 1) and keeps entry 0.
mkline() { # INDEX TYPE COLUMNS START END MB
	printf 'efi: mem%02d: [%-12s%s] range=[0x%016x-0x%016x] (%dMB)\n' "$@"
}
ram='|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC'
runram='|RUN|  |  |  |  |  |  |  |  |   |WB|WT|WC|UC'
{
	mkline 0 Conventional "$ram" 0x0 0x9ffff 0
	mkline 1 'Boot Data' "$ram" 0x100000 0x2fffff 2
	mkline 2 'Runtime Data' "$runram" 0x300000 0x3fffff 1
} >"$tmp/diff-a.log"
{
	mkline 0 Conventional "$ram" 0x0 0x9ffff 0
	mkline 1 Conventional "$ram" 0x100000 0x1fffff 1
	mkline 2 'Boot Data' "$ram" 0x200000 0x2fffff 1
	mkline 3 Reserved "$runram" 0x300000 0x3fffff 1
} >"$tmp/diff-b.log"
run diff "$tmp/diff-a.log" "$tmp/diff-a.log"
expect "diff of a map with itself: exit 0, equal" \
	"$([[ $rc -eq 0 ]] && grep -q '0 removed, 0 added, 0 changed, 3 unchanged: the maps are equal' "$tmp/out"; echo $?)" "$(why_run)"
run diff "$tmp/diff-a.log" "$tmp/diff-b.log"
expect "diff of two maps: exit 1, the split as - and two +, the retyped range as ~ and >" \
	"$([[ $rc -eq 1 ]] && grep -qE '^- Boot Data +0x0000000000100000-0x00000000002fffff +2 MiB' "$tmp/out" &&
		grep -qE '^\+ Conventional +0x0000000000100000-0x00000000001fffff ' "$tmp/out" &&
		grep -qE '^\+ Boot Data +0x0000000000200000-0x00000000002fffff ' "$tmp/out" &&
		grep -qE '^~ Runtime Data +0x0000000000300000-' "$tmp/out" &&
		grep -qE '^> Reserved +0x0000000000300000-' "$tmp/out" &&
		grep -q '1 removed, 2 added, 1 changed, 1 unchanged: the maps differ' "$tmp/out"; echo $?)" "$(why_run)"
run diff --json "$tmp/diff-a.log" "$tmp/diff-b.log"
expect "diff --json: valid, counts, totals per type with signed deltas, exit 1" \
	"$([[ $rc -eq 1 ]] && jq -e '.command == "diff" and .equal == false and .exit == 1 and
		.removed == 1 and .added == 2 and .changed == 1 and .unchanged == 1 and
		([.differences[].kind] == ["added", "removed", "added", "changed"]) and
		(.differences[3].a.type_name == "Runtime Data" and .differences[3].b.type_name == "Reserved") and
		([.totals[] | select(.type_name == "Boot Data")][0] | .a_pages == 512 and .b_pages == 256 and .delta_pages == -256 and .delta_kib == -1024) and
		([.totals[] | select(.type_name == "Conventional")][0] | .a_pages == 160 and .b_pages == 416 and .delta_pages == 256) and
		([.totals[] | select(.type_name == "Reserved")][0] | .a_entries == 0 and .b_pages == 256)' "$tmp/out" >/dev/null; echo $?)" "$(why_run)"
run diff --json "$tmp/diff-b.log" "$tmp/diff-b.log"
expect "diff --json of equal maps: equal true, exit 0" \
	"$([[ $rc -eq 0 ]] && jq -e '.equal and .exit == 0 and (.differences | length) == 0' "$tmp/out" >/dev/null; echo $?)" "$(why_run)"
run diff "$tmp/diff-a.log" "$tmp/no-such-file.log"
expect "diff with an unreadable B: exit 2, named" \
	"$([[ $rc -eq 2 ]] && grep -q 'no-such-file.log' "$tmp/err"; echo $?)" "$(why_run)"
run diff "$tmp/diff-a.log"
expect "diff with one FILE: exit 2" "$([[ $rc -eq 2 && -s $tmp/err ]]; echo $?)" "$(why_run)"
run diff "$docs_svg_src" "$tmp/g1"
rc_g=$rc
run diff "$samples/efimap-qemu-serial.log" "$samples/two-boots-efimap-then-linux.log"
expect "diff across formats (efimap log vs Linux log): exit 1, no crash; damaged input: not 0" \
	"$([[ $rc -eq 1 && $rc_g -ne 0 ]] && ! crashed; echo $?)" "$(why_run)"

# --- run folders (docs/run-folder.md) ------------------------------------------------
stick=$tmp/runs/stick
rdir=$stick/EFI/EFIMAP/runs
run1=$rdir/0001
spec1=$samples/runs/stick/EFI/EFIMAP/runs/0001
# Entries of a sample map: its spec's desc lines (independent of the tool).
final_entries=$(grep -c '^desc ' "$spec1/map-final.dumpspec")
capture_entries=$(grep -c '^desc ' "$spec1/map-capture.dumpspec")
# The verdict's firmware counts as report.txt's verdict line gives them.
v1=$(sed -nE 's/.*fw_errors=([0-9]+) fw_warnings=([0-9]+) fw_info=([0-9]+).*/\1\/\2\/\3/p' "$spec1/report.txt")
v3=$(sed -nE 's/.*fw_errors=([0-9]+) fw_warnings=([0-9]+) fw_info=([0-9]+).*/\1\/\2\/\3/p' \
	"$samples/runs/stick/EFI/EFIMAP/runs/0003/report.txt")

run runs "$stick"
expect "runs STICK: exit 0, one line per run sorted by number: date, machine, firmware, verdict, findings, maps" \
	"$([[ $rc -eq 0 && $(grep -cE '^[0-9]{4}  ' "$tmp/out") -eq 3 ]] &&
		grep -qE "^0001  2026-12-05T07:54:34  QEMU Standard PC \(Q35 \+ ICH9, 2009\)  EDK II 0x10000 +PASS +$v1 +capture\+final, mat$" "$tmp/out" &&
		grep -qE '^0002  2026-12-05T08:01:10  QEMU .* +pending +- +capture, mat$' "$tmp/out" &&
		grep -qE "^0003  unknown +unknown machine .* +FAIL +$v3 +none$" "$tmp/out" &&
		[[ $(grep -oE '^[0-9]{4}' "$tmp/out" | tr '\n' ' ') == "0001 0002 0003 " ]]; echo $?)" "$(why_run)"
cp "$tmp/out" "$tmp/runs-stick.txt"
run runs "$rdir"
expect "runs on the runs directory itself: the same runs" \
	"$([[ $rc -eq 0 ]] && diff <(grep -E '^[0-9]{4}  ' "$tmp/out") <(grep -E '^[0-9]{4}  ' "$tmp/runs-stick.txt") >/dev/null; echo $?)" "$(why_run)"
run runs "$run1"
expect "runs on one run folder: its line" \
	"$([[ $rc -eq 0 && $(grep -cE '^0001  ' "$tmp/out") -eq 1 && $(grep -cE '^[0-9]{4}  ' "$tmp/out") -eq 1 ]]; echo $?)" "$(why_run)"
if [[ $have_jq -eq 1 ]]; then
	run runs --json "$stick"
	expect "runs --json: every run with verdict, counts and maps; pending has null counts" \
		"$([[ $rc -eq 0 ]] && jq -e '.command == "runs" and .exit == 0 and (.runs | length) == 3 and
			([.runs[].run] == [1, 2, 3]) and
			(.runs[0] | .verdict == "PASS" and .fw_warnings == 1 and .fw_info == 2 and .capture and .final and .mat and .report and .system_product == "Standard PC (Q35 + ICH9, 2009)") and
			(.runs[1] | .verdict == "pending" and .fw_errors == null and .capture and (.final | not)) and
			(.runs[2] | .verdict == "FAIL" and .fw_errors == 1 and (.capture | not) and (.final | not))' \
			"$tmp/out" >/dev/null 2>&1; echo $?)" "$(why_run)"
fi
mkdir -p "$tmp/empty-stick/efi/EFIMAP/Runs" "$tmp/nothing"
run runs "$tmp/empty-stick"
expect "runs on a stick that has not run yet: 0 runs, exit 0" \
	"$([[ $rc -eq 0 ]] && grep -q ': 0 runs in ' "$tmp/out"; echo $?)" "$(why_run)"
run runs "$tmp/nothing"
expect "runs on a folder without runs: exit 2, said so" \
	"$([[ $rc -eq 2 ]] && grep -q 'no runs' "$tmp/err"; echo $?)" "$(why_run)"
run runs "$tmp/no-such-dir"
expect "runs on a path that is no directory: exit 2" "$([[ $rc -eq 2 && -s $tmp/err ]]; echo $?)" "$(why_run)"
cp -r "$stick" "$tmp/bad-stick"
sed -i '1s/.*/efimap-ran: 1/' "$tmp/bad-stick/EFI/EFIMAP/runs/0002/RUN.TXT"
printf 'efimap: verdict: passed=1 failed=0 efimap=pass\n' >>"$tmp/bad-stick/EFI/EFIMAP/runs/0003/report.txt"
mkdir "$tmp/bad-stick/EFI/EFIMAP/runs/0004"
run runs "$tmp/bad-stick"
expect "runs with a broken RUN.TXT, a verdict line without its counts, a folder without run.txt: each named, the good run listed, exit 2" \
	"$([[ $rc -eq 2 ]] && grep -q '0002/RUN.TXT:1: .*not .efimap-run: 1' "$tmp/err" &&
		grep -q '0003/report.txt:6: the verdict line has no skipped=' "$tmp/err" &&
		grep -q '0004: no run.txt' "$tmp/err" && grep -q '^0001  .*PASS' "$tmp/out" &&
		grep -q '^0002  unreadable: ' "$tmp/out"; echo $?)" "$(why_run)"

run check "$run1"
expect "check DIR: the machine, the kernel's verdict and counts, the final map ($final_entries entries) named with why, exit 0" \
	"$([[ $rc -eq 0 ]] &&
		grep -qE "^$run1: run 0001 of 2026-12-05T07:54:34: QEMU Standard PC \(Q35 \+ ICH9, 2009\) \(version pc-q35-7.2\); BIOS EFI Development Kit II / OVMF 0.0.0 \(02/06/2015\); firmware EDK II revision 0x10000, UEFI 2.70; Secure Boot off$" "$tmp/out" &&
		grep -qE "^$run1: kernel verdict \(report.txt:6\): PASS, 70 passed, 0 failed, 2 skipped; firmware findings: 0 errors, 1 warning, 2 info$" "$tmp/out" &&
		grep -qE "^$run1: $final_entries entries \(binary\), 0 errors.*the run folder's final map, map-final.efimapd: the map handed to the kernel.*; memory attributes table mat.bin checked$" "$tmp/out"
	echo $?)" "$(why_run)"
run check --map capture "$run1"
expect "check --map capture DIR: the capture ($capture_entries entries), said so" \
	"$([[ $rc -eq 0 ]] && grep -qE "^$run1: $capture_entries entries \(binary\).*the run folder's capture map, map-capture.efimapd: the firmware's map before ExitBootServices \(--map capture\)" "$tmp/out"; echo $?)" "$(why_run)"
run check "$rdir/0002"
expect "check on a capture-only folder with upper-case names: the capture by default, pending, MAT.bin checked" \
	"$([[ $rc -eq 0 ]] && grep -q 'kernel verdict: pending' "$tmp/out" &&
		grep -qE "^$rdir/0002: $capture_entries entries .*capture map, MAP-CAPTURE.efimapd: .*no map-final.efimapd yet.*; memory attributes table MAT.bin checked" "$tmp/out"; echo $?)" "$(why_run)"
run check --map final "$rdir/0002"
expect "check --map final on a folder without it: exit 2, said so" \
	"$([[ $rc -eq 2 ]] && grep -q '0002: no map-final.efimapd' "$tmp/err"; echo $?)" "$(why_run)"
run check "$rdir/0003"
expect "check on a folder without maps: exit 2, said so" \
	"$([[ $rc -eq 2 ]] && grep -q 'neither map-final.efimapd nor map-capture.efimapd' "$tmp/err"; echo $?)" "$(why_run)"
run check --map capture "$docs_svg_src"
expect "--map capture on a file: exit 2, it is no run folder" \
	"$([[ $rc -eq 2 ]] && grep -q 'no run folder' "$tmp/err"; echo $?)" "$(why_run)"
run check "$tmp/nothing"
expect "check on a directory without run.txt: exit 2, said so" \
	"$([[ $rc -eq 2 ]] && grep -q 'not a run folder' "$tmp/err"; echo $?)" "$(why_run)"
if [[ $have_jq -eq 1 ]]; then
	run check --json "$run1"
	expect "check --json DIR: run_map, the run's identity and the kernel's counts" \
		"$([[ $rc -eq 0 ]] && jq -e '.files[0] | .run_map == "final" and .run_map_file == "map-final.efimapd" and
			(.run_map_why | test("handed to the kernel")) and .mat_file == "mat.bin" and
			.run.number == 1 and .run.system_manufacturer == "QEMU" and .run.firmware_vendor == "EDK II" and
			.run.verdict == "PASS" and .run.kernel.fw_warnings == 1 and .run.kernel.passed == 70 and
			.run.config_tables == 3' "$tmp/out" >/dev/null 2>&1; echo $?)" "$(why_run)"
	run show --json "$run1"
	expect "show --json DIR: run_map keys" \
		"$([[ $rc -eq 0 ]] && jq -e '.run_map == "final" and .entries == '"$final_entries" "$tmp/out" >/dev/null 2>&1; echo $?)" "$(why_run)"
fi
bad=""
for cmd in show plan svg; do
	run "$cmd" "$run1"
	[[ $rc -eq 0 ]] && grep -q "final map, map-final.efimapd: the map handed to the kernel" "$tmp/out" ||
		bad+="$cmd: $(why_run)"$'\n'
done
expect "show, plan and svg read a run folder and name the map" "$([[ -z $bad ]]; echo $?)" "$bad"
run diff "$run1/map-capture.efimapd" "$run1"
expect "diff CAPTURE DIR: exactly the split of 0x840000 (1 removed, 2 added), exit 1" \
	"$([[ $rc -eq 1 ]] && grep -q '1 removed, 2 added, 0 changed, 12 unchanged: the maps differ' "$tmp/out" &&
		grep -qE '^- Conventional +0x0000000000840000-0x0000000003ffffff ' "$tmp/out" &&
		grep -qE '^\+ Loader Data +0x0000000000840000-0x000000000093ffff ' "$tmp/out" &&
		grep -qE '^# B: .*final map, map-final.efimapd' "$tmp/out"; echo $?)" "$(why_run)"
run diff "$run1" "$run1/map-final.efimapd"
expect "diff DIR FINAL-FILE: equal, exit 0" \
	"$([[ $rc -eq 0 ]] && grep -q 'the maps are equal' "$tmp/out"; echo $?)" "$(why_run)"

# A real run folder: efimap's first boot under QEMU q35 + OVMF (samples/README).
real=$tmp/runs/qemu-ovmf/0001
# Expected values from the files themselves: the EFIMAPD header's nr_map
# (offset 20), run.txt's map: line, the report's verdict line.
real_final=$(od -An -tu4 -j20 -N4 "$real/map-final.efimapd" | tr -d ' ')
real_capture=$(sed -nE 's/^map: map-capture.efimapd entries=([0-9]+) .*/\1/p' "$real/run.txt")
real_counts=$(sed -nE 's/.*efimap: verdict: passed=([0-9]+) failed=([0-9]+) skipped=([0-9]+) efimap=pass fw_errors=([0-9]+) fw_warnings=([0-9]+) fw_info=([0-9]+).*/\1 passed, \2 failed, \3 skipped; firmware findings: \4 errors?, \5 warnings?, \6 info/p' "$real/report.txt")
run check "$real"
expect "a real run folder (QEMU + OVMF): the final map's $real_final entries, the kernel's verdict ($real_counts), the MAT clean" \
	"$([[ $rc -eq 0 && -n $real_final && -n $real_counts ]] &&
		grep -qE "^$real: run 0001 of .*: QEMU Standard PC" "$tmp/out" &&
		grep -qE "^$real: kernel verdict \(report.txt:[0-9]+\): PASS, $real_counts$" "$tmp/out" &&
		grep -qE "^$real: $real_final entries \(binary\), 0 errors.*final map, map-final.efimapd.*mat.bin checked$" "$tmp/out" &&
		! grep -q ': mat-' "$tmp/out"; echo $?)" "$(why_run)"
# The kernel checked the same map with the same library: its map findings
# (those naming an entry) must be the tool's, entry for entry.
grep -oE 'efimap: finding: [a-z]+: [a-z0-9-]+: entry [0-9]+ ' "$real/report.txt" |
	sed -E 's/^efimap: finding: //; s/ $//' | sort >"$tmp/kernel-findings"
grep -oE ': (error|warning|info): [a-z0-9-]+: entry [0-9]+ ' "$tmp/out" |
	sed -E 's/^: //; s/ $//' | sort >"$tmp/tool-findings"
expect "the real run: the kernel's map findings in report.txt are check's on map-final.efimapd" \
	"$([[ -s $tmp/kernel-findings ]] && cmp -s "$tmp/kernel-findings" "$tmp/tool-findings"; echo $?)" \
	"$(diff "$tmp/kernel-findings" "$tmp/tool-findings" | head -n 10)"
run check --map capture "$real"
expect "the real run's capture: the $real_capture entries run.txt announces" \
	"$([[ $rc -eq 0 && -n $real_capture ]] && grep -qE "^$real: $real_capture entries \(binary\)" "$tmp/out"; echo $?)" "$(why_run)"
run diff "$real/map-capture.txt" "$real/map-capture.efimapd"
expect "the real run's capture as efi=debug text and as EFIMAPD: the same map" \
	"$([[ $rc -eq 0 ]] && grep -q "0 removed, 0 added, 0 changed, $real_capture unchanged" "$tmp/out"; echo $?)" "$(why_run)"
mkdir -p "$tmp/copied" && cp -r "$rdir" "$tmp/copied/runs"
run runs "$tmp/copied"
expect "runs on a folder holding a runs/ copied off the stick: its runs" \
	"$([[ $rc -eq 0 && $(grep -cE '^[0-9]{4}  ' "$tmp/out") -eq 3 ]]; echo $?)" "$(why_run)"

# The memory attributes table: one folder per rule broken, exactly that finding.
bad=""
for d in "$tmp"/runs/mat/mat-*; do
	c=${d##*/}
	run check "$d"
	n_mat=$(grep -cE '^[^ ]+: (error|warning|info): mat-[a-z-]+: ' "$tmp/out")
	sev=error want_rc=1
	[[ $c == mat-no-ro-xp ]] && sev=warning want_rc=0
	[[ $rc -eq $want_rc && $n_mat -eq 1 ]] && grep -qE "^$d: $sev: $c: .*\(UEFI 2.10 section 4.6.4\)$" "$tmp/out" ||
		bad+="$c: $(why_run)"$'\n'
done
run check "$run1"
grep -q ': mat-' "$tmp/out" && bad+="0001's clean table has a finding: $(why_run)"$'\n'
expect "each MAT sample has exactly its own finding (error, mat-no-ro-xp a warning), cited; 0001's table none" \
	"$([[ -z $bad ]]; echo $?)" "$bad"
run check --mat "$tmp/runs/mat/mat-overlap/mat.bin" "$run1/map-capture.efimapd"
expect "--mat FILE checks a raw table against a map file" \
	"$([[ $rc -eq 1 ]] && grep -q 'error: mat-overlap: MAT entry 2 ' "$tmp/out" &&
		grep -q 'memory attributes table .*mat-overlap/mat.bin checked' "$tmp/out"; echo $?)" "$(why_run)"
run check --mat "$tmp/no-such.bin" "$run1"
expect "--mat with a missing file: exit 2, named" \
	"$([[ $rc -eq 2 ]] && grep -q 'no-such.bin' "$tmp/err"; echo $?)" "$(why_run)"
run show --mat "$tmp/runs/mat/mat-overlap/mat.bin" "$run1"
expect "--mat on show: a usage error" "$([[ $rc -eq 2 ]] && grep -q -- '--mat applies only to check' "$tmp/err"; echo $?)" "$(why_run)"
head -c 10 "$tmp/runs/mat/mat-overlap/mat.bin" >"$tmp/short-mat.bin"
run check --mat "$tmp/short-mat.bin" "$run1"
expect "--mat with 10 bytes: mat-unusable, shorter than the header" \
	"$([[ $rc -eq 1 ]] && grep -q 'mat-unusable: the memory attributes table is 10 bytes, shorter than its 16-byte header' "$tmp/out"; echo $?)" "$(why_run)"

# --- report -----------------------------------------------------------------------------
echo "KTAP version 1"
echo "1..$n"
printf '%s\n' "${results[@]}"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
