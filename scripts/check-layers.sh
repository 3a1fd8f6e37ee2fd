#!/usr/bin/env bash
# The layering rules of design.md, enforced on every build:
#  - only stub/ (and the bench baseline app) include gnu-efi headers;
#  - lib/, memmap/ and accept/ include only lib/ and themselves, plus the
#    compiler's freestanding headers;
#  - nothing includes stub/ headers except stub/ itself.
# The compiler enforces the first rule too (only stub/ gets -I/usr/include/efi).
set -uo pipefail
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

exit $bad
