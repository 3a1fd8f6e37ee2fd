#!/usr/bin/env bash
# Write a binary memory-map dump (the format of tools/parse.h: a 32-byte
# header, then nr_map descriptors of desc_size bytes, little-endian) from a
# text spec, so that tests can carry what only a raw dump can: a desc_size
# other than 40/48, desc_version != 1, all-zero trailing descriptors.
#
# usage: mkdump.sh SPEC OUT
# SPEC lines ('#' starts a comment):
#   desc_size N                     default 48
#   desc_version N                  default 1
#   desc TYPE PHYS PAGES ATTR       one descriptor (decimal or 0x hex; virt_addr 0)
#   zero                            one all-zero descriptor
# Exit 0 written, 2 bad spec or usage.
set -uo pipefail

die() {
	echo "mkdump.sh: $*" >&2
	exit 2
}

[[ $# -eq 2 ]] || die "usage: mkdump.sh SPEC OUT"
spec=$1 out=$2
[[ -r $spec ]] || die "$spec: cannot read"

num='^(0[xX][0-9a-fA-F]{1,16}|[0-9]{1,19})$'
desc_size=48 desc_version=1
descs=()
lineno=0
while IFS= read -r line || [[ -n $line ]]; do
	lineno=$((lineno + 1))
	line=${line%%#*}
	read -r -a w <<<"$line"
	[[ ${#w[@]} -eq 0 ]] && continue
	for v in "${w[@]:1}"; do
		[[ $v =~ $num ]] || die "$spec:$lineno: '$v' is not a number"
	done
	case ${w[0]} in
	desc_size | desc_version)
		[[ ${#w[@]} -eq 2 ]] || die "$spec:$lineno: ${w[0]} takes one number"
		printf -v "${w[0]}" '%s' "$((w[1]))"
		;;
	desc)
		[[ ${#w[@]} -eq 5 ]] || die "$spec:$lineno: desc takes TYPE PHYS PAGES ATTR"
		descs+=("${w[1]} ${w[2]} ${w[3]} ${w[4]}")
		;;
	zero) descs+=("0 0 0 0") ;;
	*) die "$spec:$lineno: unknown keyword '${w[0]}'" ;;
	esac
done <"$spec"
((desc_size > 0 && desc_size <= 4096)) || die "$spec: desc_size $desc_size out of range"

# Little-endian bytes of $1, $2 bytes long, as \xNN escapes for printf.
le() {
	local v=$(($1)) n=$2 i s=
	for ((i = 0; i < n; i++)); do
		s+=$(printf '\\x%02x' $(((v >> (8 * i)) & 0xff)))
	done
	printf '%s' "$s"
}

{
	printf 'EFIMAPD\0'
	printf %b "$(le 32 4)$(le "$desc_size" 4)$(le "$desc_version" 4)$(le ${#descs[@]} 4)$(le 0 8)"
	for d in "${descs[@]}"; do
		read -r type phys pages attr <<<"$d"
		bytes="$(le "$type" 4)$(le 0 4)$(le "$phys" 8)$(le 0 8)$(le "$pages" 8)$(le "$attr" 8)"
		# 40 bytes of descriptor, then zero padding, cut or padded to desc_size.
		for ((i = 40; i < desc_size; i++)); do
			bytes+='\x00'
		done
		printf %b "${bytes:0:$((desc_size * 4))}"
	done
} >"$out" || die "$out: cannot write"
