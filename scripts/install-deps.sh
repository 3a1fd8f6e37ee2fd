#!/usr/bin/env bash
# Install what efimap needs, with apt-get, only if missing. Quiet when
# everything is there. Not root and something missing: say which packages
# to install and fail.
#   scripts/install-deps.sh        everything: build, run, test, bench
#   scripts/install-deps.sh build  only what `make` needs to build
#   scripts/install-deps.sh fuzz   the build plus clang and libFuzzer
set -euo pipefail
# --help: the comment above, and no work.
case ${1-} in -h | --help) sed -n '2,/^set -/{/^set -/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;; esac

scope=${1:-all}
case $scope in build | fuzz | all) ;; *) echo "usage: $0 [build|fuzz|all]" >&2; exit 2 ;; esac

# "package:what-must-exist" (a command name, or an absolute path).
# gnu-efi's AArch64 files are not a package here: Debian's gnu-efi:arm64 cannot be installed
# beside gnu-efi, so the build unpacks it into build/ (scripts/fetch-gnu-efi-arm64).
needs=(
	"gcc:gcc"
	"make:make"
	"binutils:objcopy"
	"gnu-efi:/usr/include/efi/efi.h"
	"gnu-efi:/usr/lib/crt0-efi-x86_64.o"
	"gcc-aarch64-linux-gnu:aarch64-linux-gnu-gcc"
	"binutils-aarch64-linux-gnu:aarch64-linux-gnu-objcopy"
	"console-setup-linux:/usr/share/consolefonts/Lat15-Terminus16.psf.gz"
)
[[ $scope == fuzz || $scope == all ]] && needs+=(
	"clang:clang"
	"libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a"
)
[[ $scope == all ]] && needs+=(
	"qemu-system-x86:qemu-system-x86_64"
	"ovmf:/usr/share/OVMF/OVMF_CODE_4M.fd"
	"mtools:mcopy"
	"dosfstools:mkfs.fat"
	"fdisk:sfdisk"
	"sbsigntool:sbsign"
	"openssl:openssl"
	"coreutils:timeout"
	"cppcheck:cppcheck"
	"valgrind:valgrind"
	"jq:jq"
	"libxml2-utils:xmllint"
	"swtpm:swtpm"
	"u-boot-qemu:/usr/lib/u-boot/qemu-x86_64/u-boot.rom"
	"u-boot-qemu:/usr/lib/u-boot/qemu_arm64/u-boot.bin"
	"qemu-system-arm:qemu-system-aarch64"
	"qemu-efi-aarch64:/usr/share/AAVMF/AAVMF_CODE.fd"
	"qemu-efi-aarch64:/usr/share/AAVMF/AAVMF_VARS.snakeoil.fd"
)

missing=()
for n in "${needs[@]}"; do
	pkg=${n%%:*}
	what=${n#*:}
	if [[ $what == /* ]]; then
		[[ -e $what ]] && continue
	else
		command -v "$what" >/dev/null 2>&1 && continue
	fi
	[[ " ${missing[*]-} " == *" $pkg "* ]] || missing+=("$pkg")
done

# The sanitizer runtimes come with gcc, but check that a sanitized program links.
if command -v gcc >/dev/null 2>&1; then
	tmp=$(mktemp -d)
	echo 'int main(void){return 0;}' >"$tmp/t.c"
	if ! gcc -fsanitize=address,undefined "$tmp/t.c" -o "$tmp/t" >/dev/null 2>&1; then
		missing+=("libasan8" "libubsan1")
	fi
	rm -rf "$tmp"
fi

[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
	echo "efimap: missing packages: ${missing[*]}" >&2
	echo "efimap: install them as root: apt-get install ${missing[*]}" >&2
	exit 1
fi

echo "efimap: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "efimap: installed ${missing[*]}"
