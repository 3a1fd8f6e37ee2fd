#!/usr/bin/env bash
# The documentation against the code, both ways: every option, summary line,
# finding, host tool check and exit status the code has must be in docs/ (or
# the manual page), and every one the docs list must exist in the code. The
# names are read from the sources themselves, not from a list kept here, so a
# new option or finding without its line in the docs fails `make check`, and
# so does a documented one that was renamed or removed.
#   tests/docs-check.sh [--help]
# Then the sample outputs in README.md and docs/ against what the current code
# prints (scripts/docs-samples --check). Prints KTAP and a closing
# "N passed, N failed"; exit 1 on any failure. Needs only bash, grep, sed and
# build/efimap (for the samples).
#
# What is read where:
#   options        code: word_eq(key, "NAME") in kernel/options.c, stub/options.c
#                  docs: the table rows `efimap.NAME=` in docs/options.md; any
#                  `efimap.NAME=` anywhere in README.md or docs/ must exist
#   run-qemu       code: the --NAME) arms of scripts/run-qemu's option loop
#                  docs: the rows between the docs-check:run-qemu markers
#   inject faults  code: { "NAME", INJECT_... } in kernel/options.c
#                  docs: the rows between the docs-check:inject markers
#   summary lines  code: "efimap: TOPIC: in kernel/, stub/, lib/, accept/, memmap/
#                  (and each KEY= of those lines: code to docs, see below)
#                  docs: the rows between the docs-check:summary markers of
#                  docs/output.md; any `efimap: TOPIC:` in README.md or docs/
#   findings       code: fw_finding(..., "NAME" in kernel/ and the map's and the
#                  MAT's check tables ([MM_...] = { "NAME", ...) in memmap/
#                  (kernel/findings.[ch] define fw_finding and are left out)
#                  docs: the rows between the docs-check:findings markers
#   tool checks    code: memmap/'s check tables and parse_note_name() in
#                  tools/parse.c; build/efimap help checks too when built
#                  docs: the .TP tags of the "Checks" part of docs/efimap.1
#   exit statuses  code: `exit N` in scripts/run-qemu; QEMU_EXIT_* (status
#                  2 * value + 1) in kernel/*/qemu.h; TOOL_EXIT_* in tools/tool.h
#                  docs: the rows between the docs-check:exit-run-qemu and
#                  docs-check:exit-qemu markers, the EXIT STATUS of efimap(1)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

case ${1-} in
-h | --help)
	sed -n '2,/^set -uo/p' "$0" | sed -e '/^set -uo/d' -e 's/^# \{0,1\}//'
	exit 0
	;;
'') ;;
*)
	echo "docs-check: unknown argument '$1'; try 'tests/docs-check.sh --help'" >&2
	exit 2
	;;
esac

DOCS=${DOCS_DIR:-docs}
README=${DOCS_README:-README.md}
n=0
passed=0
failed=0
echo "KTAP version 1"

# result NAME MESSAGES...: ok when no messages, else not ok with each one.
result() {
	local name=$1
	shift
	n=$((n + 1))
	if [[ $# -eq 0 ]]; then
		passed=$((passed + 1))
		echo "ok $n $name"
		return
	fi
	failed=$((failed + 1))
	echo "not ok $n $name"
	local m
	for m in "$@"; do echo "# $m"; done
}

# compare WHAT CODE_LIST DOCS_LIST WHERE: both ways, one message per name.
compare() {
	local what=$1 code=$2 docs=$3 where=$4 msgs=() x
	[[ -n $code ]] || msgs+=("no $what found in the code: the extraction is broken")
	[[ -n $docs ]] || msgs+=("no $what found in $where: the markers or table are gone")
	while read -r x; do
		[[ -n $x ]] && msgs+=("$what '$x' is in the code but not in $where")
	done < <(comm -23 <(sort -u <<<"$code") <(sort -u <<<"$docs"))
	while read -r x; do
		[[ -n $x ]] && msgs+=("$what '$x' is in $where but not in the code")
	done < <(comm -13 <(sort -u <<<"$code") <(sort -u <<<"$docs"))
	result "$what: code and $where agree ($(sort -u <<<"$code" | grep -c .) in the code)" "${msgs[@]}"
}

# between FILE NAME: the lines between <!-- docs-check:NAME --> and
# <!-- /docs-check:NAME --> in FILE.
between() {
	sed -n "/<!-- docs-check:$2 -->/,/<!-- \/docs-check:$2 -->/p" "$1" 2>/dev/null
}

# first_cells: the code spans of each table row's first cell.
# (An escaped \| inside a cell is no cell boundary.)
first_cells() {
	grep -E '^\|' | sed -e 's/\\|/\x01/g' | sed -E 's/^\| *([^|]*)\|.*/\1/' |
		grep -oE '`[^`]+`' | tr -d '`' | tr '\001' '|'
}

all_docs() {
	cat "$README" "$DOCS"/*.md 2>/dev/null
}

# --- options ---
code=$(grep -hoE 'word_eq\(key, "[a-z_]+"\)' kernel/options.c stub/options.c 2>/dev/null |
	sed -E 's/.*"([a-z_]+)".*/efimap.\1=/' | sort -u)
docs=$(first_cells <"$DOCS/options.md" | grep -E '^efimap\.[a-z_]+=$' | sort -u)
compare "option" "$code" "$docs" "$DOCS/options.md"
# (an example of what the kernel says about an unknown option is no option)
mentioned=$(all_docs | grep -oE "(unknown option ')?efimap\\.[a-z_]+=" | grep -v '^unknown' | sort -u)
compare_mentions() { # WHAT CODE MENTIONED: every mention must be in the code
	local msgs=() x
	while read -r x; do
		[[ -n $x ]] && msgs+=("$1 '$x' is mentioned in $README or $DOCS/ but not in the code")
	done < <(comm -13 <(sort -u <<<"$2") <(sort -u <<<"$3"))
	result "$1: every one mentioned in $README and $DOCS/ exists" "${msgs[@]}"
}
compare_mentions "option" "$code" "$mentioned"

# --- scripts/run-qemu's options ---
code=$(grep -oE '^\s+(-[a-z] \| )?--[a-z0-9-]+\)' scripts/run-qemu | grep -oE -- '--[a-z0-9-]+' | sort -u)
docs=$(between "$DOCS/options.md" run-qemu | first_cells | grep -oE -- '^--[a-z0-9-]+' | sort -u)
compare "run-qemu option" "$code" "$docs" "$DOCS/options.md (run-qemu table)"

# --- efimap.inject= faults ---
code=$(grep -hoE '\{ *"[a-z-]+", *INJECT_[A-Z_]+ *\}' kernel/options.c | sed -E 's/.*"([a-z-]+)".*/\1/')
docs=$(between "$DOCS/options.md" inject | first_cells)
compare "inject fault" "$code" "$docs" "$DOCS/options.md (inject table)"

# --- summary lines ---
code=$(grep -rhoE '"efimap: [a-z_]+:' kernel stub lib accept memmap | sed -E 's/^"//' | sort -u)
docs=$(between "$DOCS/output.md" summary | first_cells | grep -oE '^efimap: [a-z_]+:' | sort -u)
compare "summary line" "$code" "$docs" "$DOCS/output.md (summary table)"
mentioned=$(all_docs | grep -oE '^ *(\[ *[0-9.]+\] )?efimap: [a-z_]+:|`efimap: [a-z_]+:' |
	grep -oE 'efimap: [a-z_]+:' | sort -u)
compare_mentions "summary line" "$code" "$mentioned"

# --- summary keys: every key=value the code prints on a summary line ---
# From the code: each run of adjacent string literals that starts with
# "efimap: TOPIC:" (a printk format and its continuation lines), and in it
# each KEY= after a space, comma, parenthesis or quote. From the docs: the
# summary table's second cells, under the topic of the row or the last row
# above that named one. Code to docs only: a key the code builds at run time
# (a %s= name) has no literal to find, so the docs may name more.
code=$(for f in $(grep -rlE '"efimap: [a-z_]+:' kernel stub lib accept memmap --include='*.[ch]'); do
	grep -Pzo 'L?"efimap: [a-z_]+:[^"]*"(\s*L?"[^"]*")*' "$f" | tr '\0' '\n' | tr -d '\n' |
		sed 's/L\{0,1\}"efimap: /\n&/g'
done | grep -E 'efimap: [a-z_]+:' | while IFS= read -r lit; do
	topic=$(grep -oE 'efimap: [a-z_]+:' <<<"$lit" | head -n 1)
	grep -oE '(^|[ ,("])[a-z_][a-z0-9_]*=' <<<"$lit" | grep -oE '[a-z_][a-z0-9_]*=' | sed "s/^/$topic /"
done | sort -u)
docs=$(between "$DOCS/output.md" summary | awk -F'|' '/^\|/ {
	if ($2 ~ /`efimap: [a-z_]+:/) { match($2, /efimap: [a-z_]+:/); topic = substr($2, RSTART, RLENGTH) }
	n = split($3, a, "`"); for (i = 2; i <= n; i += 2) print topic " " a[i] "=" }' | sort -u)
msgs=()
while read -r x; do
	[[ -n $x ]] && msgs+=("summary key '$x' is printed by the code but not in $DOCS/output.md (summary table)")
done < <(comm -23 <(echo "$code") <(echo "$docs"))
[[ -n $code ]] || msgs+=("no summary keys found in the code: the extraction is broken")
result "summary keys: every one the code prints is in $DOCS/output.md ($(grep -c . <<<"$code") in the code)" "${msgs[@]}"

# --- findings (kernel and the map's checks, which the kernel prints too) ---
kernel_findings=$(grep -rhzoE --exclude='findings.[ch]' 'fw_finding\([^"]*"[a-z0-9-]+"' kernel | tr '\0' '\n' |
	grep -oE '"[a-z0-9-]+"$' | tr -d '"')
map_checks=$(grep -hoE '\[MM_(CHECK|MAT)_[A-Z0-9_]+\] = \{ "[a-z0-9-]+"' memmap/*.c | sed -E 's/.*"([a-z0-9-]+)"/\1/')
code=$(printf '%s\n%s\n' "$kernel_findings" "$map_checks" | grep . | sort -u)
docs=$(between "$DOCS/output.md" findings | first_cells | sort -u)
compare "finding" "$code" "$docs" "$DOCS/output.md (findings table)"

# --- the host tool's checks ---
tool_only=$(sed -n '/^const char \*parse_note_name(/,/^}/p' tools/parse.c |
	grep -oE 'case PARSE_NOTE_[A-Z_]+:|return "[a-z0-9-]+"' | grep -A1 '^case' |
	grep -oE 'return "[a-z0-9-]+"' | sed -E 's/return "(.*)"/\1/')
code=$(printf '%s\n%s\n' "$map_checks" "$tool_only" | grep . | sort -u)
docs=$(sed -n '/^\.SS "Checks"/,/^\.\(PP\|SH\|SS [^C]\)/p' "$DOCS/efimap.1" |
	grep -A1 '^\.TP' | grep -oE '^\\fB[a-z0-9\\-]+\\fR$' | sed -e 's/\\fB//' -e 's/\\fR//' -e 's/\\-/-/g')
compare "tool check" "$code" "$docs" "$DOCS/efimap.1 (Checks)"
if [[ -x build/efimap ]]; then
	built=$(build/efimap help checks 2>/dev/null)
	compare "tool check (build/efimap help checks)" "$built" "$docs" "$DOCS/efimap.1 (Checks)"
fi

# --- exit statuses ---
code=$(grep -oE '(^|[^a-z_])exit [0-9]+' scripts/run-qemu | grep -oE '[0-9]+$' | sort -un)
docs=$(between "$DOCS/output.md" exit-run-qemu | grep -oE '^\| *[0-9]+ *\|' | tr -dc '0-9\n' | sort -un)
compare "run-qemu exit status" "$code" "$docs" "$DOCS/output.md (run-qemu exit statuses)"
code=$(grep -hoE '#define QEMU_EXIT_[A-Z_]+[[:space:]]+0x[0-9a-fA-F]+' kernel/*/qemu.h kernel/*.h 2>/dev/null |
	grep -v _PORT | while read -r _ _ v; do echo $((v * 2 + 1)); done | sort -un)
docs=$(between "$DOCS/output.md" exit-qemu | grep -oE '^\| *[0-9]+ *\|' | tr -dc '0-9\n' | sort -un)
compare "QEMU exit status (isa-debug-exit, semihosting)" "$code" "$docs" "$DOCS/output.md (QEMU exit statuses)"
code=$(grep -oE 'TOOL_EXIT_[A-Z_]+ = [0-9]+' tools/tool.h | grep -oE '[0-9]+$' | sort -un)
docs=$(sed -n '/^\.SH "EXIT STATUS"/,/^\.SH [^"]*[A-Z]/p' "$DOCS/efimap.1" | grep -A1 '^\.TP' |
	grep -oE '^\.B [0-9]+$' | grep -oE '[0-9]+' | sort -un)
compare "efimap exit status" "$code" "$docs" "$DOCS/efimap.1 (EXIT STATUS)"

# --- links: nothing points outside the repository, every docs/ link resolves ---
# The project's working notes lived beside the repository (../shared/design.md,
# facts/*.md); the repository must stand alone: docs/architecture.md replaces them.
outside='(\.\./)+(shared|seeds)|shared/(design|facts)|design\.md|facts/[a-z0-9-]+\.md|qemu-aavmf\.md|u-boot\.md|arch-contract\.md'
msgs=()
while IFS= read -r hit; do
	msgs+=("points outside the repository: $hit")
done < <(if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git grep -nE "$outside" -- . ':!tests/docs-check.sh'
else # a tree without git (an unpacked archive): every file but the build
	grep -rnE --exclude-dir=build --exclude-dir=.git --exclude=docs-check.sh "$outside" .
fi)
while IFS= read -r link; do
	[[ -e $link ]] || msgs+=("README.md links to $link, which does not exist")
done < <(grep -oE '\]\(docs/[^)#]+' "$README" | sed 's/^](//')
for f in "$DOCS"/*.md; do
	while IFS= read -r link; do
		[[ $link == http* || -e $DOCS/$link || -e $link ]] ||
			msgs+=("$f links to $link, which does not exist")
	done < <(grep -oE '\]\([^)#]+' "$f" | sed 's/^](//')
done
mapfile -t msgs < <(printf '%s\n' "${msgs[@]}" | grep . | sort -u)
result "links: none outside the repository, every local link resolves" "${msgs[@]}"

lines=$(wc -l <"$README")
if [[ $lines -le 250 ]]; then
	result "README.md is at most 250 lines ($lines)"
else
	result "README.md is at most 250 lines ($lines)" "README.md has $lines lines"
fi

# --- every script's --help: usage on stdout, and no work started ---
# Each runs with stand-ins first on PATH for the programs that would mean
# work (QEMU, apt-get, dd, mtools, sbsign, a scratch folder, make): any call
# leaves a mark and fails.
fake=$(mktemp -d "${TMPDIR:-/tmp}/efimap-docs-help.XXXXXX")
for prog in qemu-system-x86_64 qemu-system-aarch64 apt-get dd mcopy sbsign swtpm mktemp timeout make; do
	printf '#!/bin/sh\necho "$0 $*" >>"%s/called"\nexit 1\n' "$fake" >"$fake/$prog"
	chmod +x "$fake/$prog"
done
msgs=()
nscripts=0
for s in scripts/* tests/docs-check.sh tests/install-test.sh; do
	[[ -f $s && -x $s ]] || continue
	[[ $s == tests/docs-check.sh ]] && continue # this very script: its --help is above
	nscripts=$((nscripts + 1))
	rm -f "$fake/called"
	out=$(timeout 20 env PATH="$fake:$PATH" "$s" --help 2>&1 </dev/null)
	rc=$?
	if [[ -s $fake/called ]]; then
		msgs+=("$s --help started work: $(head -n 1 "$fake/called")")
	elif [[ $rc -eq 124 ]]; then
		msgs+=("$s --help did not return within 20 s")
	elif [[ -z $out || ($rc -ne 0 && $out != *usage*) ]]; then
		msgs+=("$s --help printed no usage (exit $rc)")
	fi
done
rm -rf "$fake"
result "every script's --help prints its usage and starts no work ($nscripts scripts)" "${msgs[@]}"

# --- samples: what the code prints now ---
if out=$(scripts/docs-samples --check 2>&1); then
	result "samples in README.md and docs/ match what the code prints"
else
	mapfile -t lines_out <<<"$out"
	result "samples in README.md and docs/ match what the code prints" "${lines_out[@]:0:40}"
fi

echo "1..$n"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
