#!/usr/bin/env bash
# Build the sample run folders (tests/tools/samples/runs/, docs/run-folder.md)
# into a scratch directory, with their binary files made from text specs:
# every *.dumpspec becomes *.efimapd (an EFIMAPD dump) and every *.matspec
# *.bin (a memory attributes table), both by tests/tools/mkdump.sh. A folder
# holding a file `base` ("DIR FILE...", DIR relative to the folder) first
# gets those files of DIR, unless it has one of that name in any case.
#
# usage: mkruns.sh SRC DEST     (DEST must not exist)
# Exit 0 built, 2 bad usage or a spec mkdump.sh refused.
set -uo pipefail

die() {
	echo "mkruns.sh: $*" >&2
	exit 2
}

[[ $# -eq 2 ]] || die "usage: mkruns.sh SRC DEST"
src=$1 dest=$2
mkdump=$(dirname "$0")/mkdump.sh
[[ -d $src ]] || die "$src: not a directory"
[[ -e $dest ]] && die "$dest: exists"
cp -r "$src" "$dest" || die "$dest: cannot copy $src there"

while IFS= read -r base; do
	dir=$(dirname "$base")
	read -r from files <"$base" || die "$base: empty"
	for f in $files; do
		have=0
		for g in "$dir"/*; do
			g=${g##*/}
			[[ ${g,,} == "${f,,}" ]] && have=1
		done
		[[ $have -eq 1 ]] || cp "$dir/$from/$f" "$dir/$f" || die "$base: no $from/$f"
	done
	rm -f "$base"
done < <(find "$dest" -type f -name base)

while IFS= read -r spec; do
	case $spec in
	*.dumpspec) out=${spec%.dumpspec}.efimapd ;;
	*) out=${spec%.matspec}.bin ;;
	esac
	"$mkdump" "$spec" "$out" || die "$spec: mkdump.sh refused it"
	rm -f "$spec"
done < <(find "$dest" -type f \( -name '*.dumpspec' -o -name '*.matspec' \))
exit 0
