#!/usr/bin/env bash
# The layering rules of docs/architecture.md, enforced on every build:
#  - only stub/ (and the bench baseline app) include gnu-efi headers;
#  - lib/, memmap/ and accept/ include only lib/ and themselves, plus the
#    compiler's freestanding headers;
#  - nothing includes stub/ headers except stub/ itself;
#  - an arch's headers (kernel/x86/, kernel/arm64/) are included only by that
#    arch's own files (kernel/ARCH/, tests/guest/ARCH/), by the seams generic
#    code goes through (kernel/arch.h; kernel/pt.h for descriptor encodings)
#    and by host unit tests (tests/unit/, which test either arch's pure code);
#  - the kernel's reclaim decisions (kernel/resv, reclaim, reclaim_lines) are
#    freestanding: they include only lib/, memmap/ and each other, and they
#    are the only kernel/ headers tools/ may include (`efimap plan` runs them).
# The compiler enforces the first rule too (only stub/ gets -I/usr/include/efi).
set -uo pipefail
# --help: the comment above, and no work.
case ${1-} in -h | --help) sed -n '2,/^set -/{/^set -/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;; esac
cd "$(dirname "$0")/.." || exit 2

bad=0
report() {
	echo "layering: $1" >&2
	bad=1
}

while IFS= read -r hit; do
	report "$hit: gnu-efi header outside stub/"
done < <(grep -rnE '#include\s*[<"](efi|efilib|efiapi|efibind)\.h' \
	--include='*.[chS]' lib memmap accept kernel tools tests 2>/dev/null |
	grep -v '^tests/baseline/')

for dir in lib memmap accept; do
	[[ -d $dir ]] || continue
	while IFS= read -r hit; do
		file=${hit%%:*}
		inc=$(sed -E 's/.*#include\s*[<"]([^>"]+)[>"].*/\1/' <<<"$hit")
		case $inc in
		stdint.h | stddef.h | stdbool.h | stdarg.h) ;;
		lib/*) ;;
		"$dir"/*) ;;
		*) report "$file includes $inc: $dir/ may include only lib/, $dir/ and freestanding headers" ;;
		esac
	done < <(grep -rnE '^\s*#include' --include='*.[ch]' "$dir")
done

while IFS= read -r hit; do
	report "$hit: stub/ headers are private to stub/"
done < <(grep -rnE '#include\s*"stub/' --include='*.[chS]' lib memmap accept kernel tools tests 2>/dev/null)

for arch in x86 arm64; do
	while IFS= read -r hit; do
		file=${hit%%:*}
		case $file in
		kernel/"$arch"/* | tests/guest/"$arch"/* | tests/unit/* | kernel/arch.h | kernel/pt.h) ;;
		*) report "$hit: kernel/$arch/ headers are for kernel/$arch/ (generic code includes kernel/arch.h)" ;;
		esac
	done < <(grep -rnE "#include\s*\"kernel/$arch/" --include='*.[chS]' lib memmap accept kernel stub tools tests 2>/dev/null)
done

reclaim_files="kernel/resv.c kernel/resv.h kernel/reclaim.c kernel/reclaim.h kernel/reclaim_lines.c kernel/reclaim_lines.h"
reclaim_ok() {
	case $1 in
	stdint.h | stddef.h | stdbool.h | stdarg.h | lib/* | memmap/*) return 0 ;;
	kernel/resv.h | kernel/reclaim.h | kernel/reclaim_lines.h) return 0 ;;
	esac
	return 1
}
# shellcheck disable=SC2086 # a list of files
while IFS= read -r hit; do
	file=${hit%%:*}
	inc=$(sed -E 's/.*#include\s*[<"]([^>"]+)[>"].*/\1/' <<<"$hit")
	reclaim_ok "$inc" || report "$file includes $inc: the reclaim decisions must stay freestanding (lib/, memmap/, each other)"
done < <(grep -nE '^\s*#include' $reclaim_files /dev/null)

while IFS= read -r hit; do
	inc=$(sed -E 's/.*#include\s*[<"]([^>"]+)[>"].*/\1/' <<<"$hit")
	case $inc in
	kernel/resv.h | kernel/reclaim.h | kernel/reclaim_lines.h) ;;
	*) report "${hit%%:*} includes $inc: tools/ may include only the kernel's reclaim headers" ;;
	esac
done < <(grep -rnE '^\s*#include\s*"kernel/' --include='*.[ch]' tools 2>/dev/null)

exit $bad
