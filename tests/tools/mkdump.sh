#!/usr/bin/env bash
# Write a binary memory-map dump (the format of tools/parse.h: a 32-byte
# header, then nr_map descriptors of desc_size bytes, little-endian) from a
# text spec, so that tests can carry what only a raw dump can: a desc_size
# other than 40/48, desc_version != 1, all-zero trailing descriptors. With
# mat_version, a memory attributes table instead (UEFI 2.10 section 4.6.4:
# a 16-byte header Version, NumberOfEntries, DescriptorSize, Flags, then the
# descriptors), as a run folder's mat.bin holds it.
#
# usage: mkdump.sh SPEC OUT
# SPEC lines ('#' starts a comment):
#   desc_size N                     default 48
#   desc_version N                  default 1
#   desc TYPE PHYS PAGES ATTR [VIRT]  one descriptor (decimal or 0x hex; virt_addr 0 unless given)
#   zero                            one all-zero descriptor
#   mat_version N                   write a memory attributes table of version N
#   mat_entries N                   its NumberOfEntries (default: the desc lines), to make
#                                   a header that disagrees with the size
#   mat_flags N                     its Flags (default 0)
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
desc_size=48 desc_version=1 mat_version="" mat_entries="" mat_flags=0
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
	desc_size | desc_version | mat_version | mat_entries | mat_flags)
		[[ ${#w[@]} -eq 2 ]] || die "$spec:$lineno: ${w[0]} takes one number"
		printf -v "${w[0]}" '%s' "$((w[1]))"
		;;
	desc)
		[[ ${#w[@]} -eq 5 || ${#w[@]} -eq 6 ]] ||
			die "$spec:$lineno: desc takes TYPE PHYS PAGES ATTR [VIRT]"
		descs+=("${w[1]} ${w[2]} ${w[3]} ${w[4]} ${w[5]:-0}")
		;;
	zero) descs+=("0 0 0 0 0") ;;
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
	if [[ -n $mat_version ]]; then
		printf %b "$(le "$mat_version" 4)$(le "${mat_entries:-${#descs[@]}}" 4)$(le "$desc_size" 4)$(le "$mat_flags" 4)"
	else
		printf 'EFIMAPD\0'
		printf %b "$(le 32 4)$(le "$desc_size" 4)$(le "$desc_version" 4)$(le ${#descs[@]} 4)$(le 0 8)"
	fi
	for d in "${descs[@]}"; do
		read -r type phys pages attr virt <<<"$d"
		bytes="$(le "$type" 4)$(le 0 4)$(le "$phys" 8)$(le "$virt" 8)$(le "$pages" 8)$(le "$attr" 8)"
		# 40 bytes of descriptor, then zero padding, cut or padded to desc_size.
		for ((i = 40; i < desc_size; i++)); do
			bytes+='\x00'
		done
		printf %b "${bytes:0:$((desc_size * 4))}"
	done
} >"$out" || die "$out: cannot write"
