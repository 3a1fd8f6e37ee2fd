#!/usr/bin/env bash
# `make install PREFIX=DIR` and `make uninstall PREFIX=DIR` into a scratch
# folder: the tool and its manual page land where a user's PATH and MANPATH
# look (DIR/bin/efimap, DIR/share/man/man1/efimap.1), the installed tool runs
# and points to the manual page, the page renders, DESTDIR is honoured, and
# uninstall removes exactly what install put there. Also: `make help` names
# every phony target of the Makefile. Prints KTAP and "N passed, N failed".
#   tests/install-test.sh [--help]
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
case ${1-} in
-h | --help) sed -n '2,/^set -uo/p' "$0" | sed -e '/^set -uo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
'') ;;
*) echo "install-test: unknown argument '$1'; try 'tests/install-test.sh --help'" >&2; exit 2 ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/efimap-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0
passed=0
failed=0
echo "KTAP version 1"
expect() { # NAME STATUS WHY
	n=$((n + 1))
	if [[ $2 -eq 0 ]]; then
		passed=$((passed + 1))
		echo "ok $n $1"
	else
		failed=$((failed + 1))
		echo "not ok $n $1"
		[[ -n ${3-} ]] && sed 's/^/# /' <<<"$3"
	fi
}
mk() { make --no-print-directory "$@" >"$tmp/make.out" 2>&1; }

pfx=$tmp/prefix
mk install PREFIX="$pfx"
rc=$?
expect "make install PREFIX=DIR: DIR/bin/efimap and DIR/share/man/man1/efimap.1" \
	"$([[ $rc -eq 0 && -x $pfx/bin/efimap && -f $pfx/share/man/man1/efimap.1 ]]; echo $?)" \
	"$(cat "$tmp/make.out")"
expect "the installed manual page is docs/efimap.1" \
	"$(cmp -s docs/efimap.1 "$pfx/share/man/man1/efimap.1"; echo $?)"
out=$("$pfx/bin/efimap" --help 2>&1)
expect "the installed tool runs and its --help points to the manual page" \
	"$(grep -q 'man efimap' <<<"$out"; echo $?)" "$out"
if command -v man >/dev/null; then
	page=$(MANPATH=$pfx/share/man MANWIDTH=80 man efimap 2>"$tmp/man.err")
	expect "man finds and renders the installed page (NAME, EXIT STATUS, the checks)" \
		"$(grep -q '^NAME' <<<"$page" && grep -q '^EXIT STATUS' <<<"$page" &&
			grep -q 'mat-outside-runtime' <<<"$page" && ! grep -q . "$tmp/man.err"; echo $?)" \
		"$(cat "$tmp/man.err")"
fi

mk uninstall PREFIX="$pfx"
rc=$?
left=$(find "$pfx" -type f)
expect "make uninstall PREFIX=DIR removes both files" \
	"$([[ $rc -eq 0 && -z $left ]]; echo $?)" "$(cat "$tmp/make.out")$left"

mk install PREFIX=/usr DESTDIR="$tmp/stage"
expect "DESTDIR is honoured: DESTDIR/usr/bin/efimap, nothing outside DESTDIR" \
	"$([[ -x $tmp/stage/usr/bin/efimap && -f $tmp/stage/usr/share/man/man1/efimap.1 ]]; echo $?)" \
	"$(cat "$tmp/make.out")"
mk uninstall PREFIX=/usr DESTDIR="$tmp/stage"
expect "uninstall with the same DESTDIR removes them" \
	"$([[ -z $(find "$tmp/stage" -type f) ]]; echo $?)" "$(find "$tmp/stage" -type f)"

# Every phony target but FORCE in `make help`.
targets=$(awk '/^\.PHONY:/ { on = 1 } on { print; if ($0 !~ /\\$/) on = 0 }' Makefile |
	sed -e 's/^\.PHONY://' -e 's/\\$//' |
	tr ' \t' '\n\n' | grep -v '^FORCE$' | grep .)
helped=$(make --no-print-directory help | grep -oE '^  [a-z0-9-]+' | tr -d ' ')
missing=$(comm -23 <(sort -u <<<"$targets") <(sort -u <<<"$helped"))
expect "make help lists every phony target ($(wc -w <<<"$targets"))" "$([[ -z $missing ]]; echo $?)" \
	"not in make help: $(tr '\n' ' ' <<<"$missing")"

echo "1..$n"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
