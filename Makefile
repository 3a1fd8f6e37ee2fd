# efimap: one plain Makefile. `make help` lists every target.
#
# Flags: CFLAGS/LDFLAGS are yours (optimisation, debug info); the flags the
# image cannot work without are added after them, so they cannot be dropped
# or overridden from the command line.

CC      ?= cc
LD      ?= ld
OBJCOPY ?= objcopy
CFLAGS  ?= -O2 -g
HOST_CFLAGS ?= -O1 -g

EFI_INC  := /usr/include/efi
EFI_LIB  := /usr/lib
EFI_CRT0 := $(EFI_LIB)/crt0-efi-x86_64.o
EFI_LDS  := $(EFI_LIB)/elf_x86_64_efi.lds
# efimap's own layout: page-aligned sections packed without gaps (sbsign
# hashes the file contiguously), .rodata apart from writable .data.
IMAGE_LDS := stub/efimap.lds
# The PE sections, in the order the linker script lays them out.
# .dynsym stays ELF-only: crt0's _relocate reads DT_RELA/DT_RELASZ/DT_RELAENT
# from .dynamic and applies R_X86_64_RELATIVE entries, which name no symbol.
IMAGE_PE_SECTIONS := -j .text -j .reloc -j .rodata -j .data -j .bss -j .dynamic -j .rela -j .sbat
# make fails when $(B)/efimap.efi grows past this (KiB): the file is read
# from the stick and copied by the loader before anything runs, and small
# machines' firmware refuses big images ("Out of Resources").
IMAGE_MAX_KIB := 256
# shim's SBAT data (scripts/make-sbat): efimap's generation, the version and
# URL fields, and an optional vendor line of a distributor's own.
SBAT_GENERATION ?= 1
SBAT_VERSION ?=
SBAT_URL ?= urn:efimap
SBAT_VENDOR ?=

B := build

# `make V=1` shows full command lines.
ifeq ($(V),1)
Q :=
else
Q := @
endif

WARN := -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wshadow
# Required for code that runs inside firmware and after it: no libc, position
# independent (gnu-efi relocates the image itself), no red zone (exceptions
# push onto the same stack), no SSE (nothing saves vector state), MS ABI
# available for firmware calls.
IMAGE_REQUIRED := -std=gnu11 $(WARN) -ffreestanding -fpic -fno-stack-protector \
	-fno-stack-check -fshort-wchar -mno-red-zone -mgeneral-regs-only \
	-maccumulate-outgoing-args -fno-asynchronous-unwind-tables \
	-fno-omit-frame-pointer -fno-strict-aliasing -fno-delete-null-pointer-checks -I.
# Only stub/ sees gnu-efi: everything else fails to compile if it tries.
STUB_REQUIRED := -isystem $(EFI_INC) -isystem $(EFI_INC)/x86_64 -DGNU_EFI_USE_MS_ABI
HOST_REQUIRED := -std=gnu11 $(WARN) -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -I.

LIB_SRC    := lib/string.c lib/printf.c lib/crc32.c lib/psf.c lib/smbios.c lib/fdt.c
MEMMAP_SRC := $(wildcard memmap/*.c)
ACCEPT_SRC := $(wildcard accept/*.c)
KERNEL_SRC := $(wildcard kernel/*.c kernel/x86/*.c)
# The kernel's reclaim decisions, freestanding: the host tool's `plan` runs them too.
RECLAIM_SRC := kernel/resv.c kernel/reclaim.c kernel/reclaim_lines.c
KERNEL_ASM := $(wildcard kernel/*.S kernel/x86/*.S)
STUB_SRC   := $(wildcard stub/*.c)
KTAP_SRC   := tests/ktap.c
UNIT_SRC   := $(filter-out tests/unit/host_main.c tests/unit/pte_arm64_test.c,$(wildcard tests/unit/*.c))
# The unit suites the guest runs too: only those whose subject the image's
# freestanding build can get wrong where the host's cannot (its own printf
# under -mgeneral-regs-only, descriptor strides, the handoff block's layout
# as the stub and kernel compile it). The other unit suites are pure logic
# and run on the host only, under ASan+UBSan (tests/guest/registry.c).
GUEST_UNIT_SRC := tests/unit/printf_test.c tests/unit/memmap_test.c tests/unit/handoff_test.c
GUEST_SRC  := $(wildcard tests/guest/*.c tests/guest/x86/*.c)

IMAGE_OBJ := $(patsubst %.c,$(B)/image/%.o,$(LIB_SRC) $(MEMMAP_SRC) $(ACCEPT_SRC) $(KERNEL_SRC) \
		$(KTAP_SRC) $(GUEST_UNIT_SRC) $(GUEST_SRC)) \
	$(patsubst %.S,$(B)/image/%.o,$(KERNEL_ASM)) \
	$(patsubst %.c,$(B)/stub/%.o,$(STUB_SRC)) $(B)/image/stub/sbat.o

# The AArch64 image, $(B)/efimap-aa64.efi: the same generic sources with
# kernel/arm64/ in place of kernel/x86/, cross-compiled against gnu-efi's
# arm64 files, which Debian ships only as gnu-efi:arm64 (not installable
# beside the x86 package): scripts/fetch-gnu-efi-arm64 unpacks it into $(AA64_EFI).
AA64_CROSS ?= aarch64-linux-gnu-
AA64_EFI := $(B)/gnu-efi-arm64/usr
AA64_EFI_STAMP := $(AA64_EFI)/lib/libgnuefi.a
# As IMAGE_REQUIRED, for AArch64: AAPCS64 has no red zone and no MS ABI;
# -mno-outline-atomics keeps libgcc's atomics helpers out (none are linked).
AA64_REQUIRED := -std=gnu11 $(WARN) -ffreestanding -fpic -fno-stack-protector -fno-stack-check \
	-fshort-wchar -mgeneral-regs-only -mno-outline-atomics -fno-asynchronous-unwind-tables \
	-fno-omit-frame-pointer -fno-strict-aliasing -fno-delete-null-pointer-checks -I.
AA64_STUB_REQUIRED := -isystem $(AA64_EFI)/include/efi -isystem $(AA64_EFI)/include/efi/aarch64 \
	-DCONFIG_aarch64
AA64_LDS := stub/efimap-aa64.lds
AA64_KERNEL_SRC := $(wildcard kernel/*.c kernel/arm64/*.c)
AA64_KERNEL_ASM := $(wildcard kernel/*.S kernel/arm64/*.S)
AA64_GUEST_SRC := $(wildcard tests/guest/*.c tests/guest/arm64/*.c)
AA64_OBJ := $(patsubst %.c,$(B)/aa64/image/%.o,$(LIB_SRC) $(MEMMAP_SRC) $(ACCEPT_SRC) \
		$(AA64_KERNEL_SRC) $(KTAP_SRC) $(GUEST_UNIT_SRC) $(AA64_GUEST_SRC)) \
	$(patsubst %.S,$(B)/aa64/image/%.o,$(AA64_KERNEL_ASM)) \
	$(patsubst %.c,$(B)/aa64/stub/%.o,$(STUB_SRC))

# The host build: the same library and unit-test sources, with sanitizers.
HOST_LIB_SRC := lib/printf.c lib/crc32.c lib/psf.c lib/smbios.c lib/fdt.c $(MEMMAP_SRC) kernel/options.c kernel/handoff.c \
	kernel/pgtable_size.c kernel/x86/cpu_features.c kernel/report.c kernel/efi_status.c kernel/pt.c \
	kernel/efi_pt.c $(RECLAIM_SRC) kernel/palloc.c kernel/config_tables.c \
	kernel/live_tables.c kernel/tcg_log.c $(ACCEPT_SRC) kernel/accept_map.c kernel/rt_services.c kernel/run_store.c \
	kernel/arm64/fw_tables.c
HOST_TEST_OBJ := $(patsubst %.c,$(B)/host/%.o,$(HOST_LIB_SRC) $(KTAP_SRC) $(UNIT_SRC) \
	tests/unit/host_main.c)
# The shared page-table code once more with arm64's descriptors (kernel/arm64/pte.h)
# on the host: efi_pt's suite and the descriptor bits themselves (pte_arm64).
PTE_ARM64_SRC := lib/printf.c $(MEMMAP_SRC) kernel/pt.c $(ACCEPT_SRC) kernel/efi_pt.c kernel/pgtable_size.c \
	$(KTAP_SRC) tests/unit/efi_pt_test.c tests/unit/pte_arm64_test.c tests/unit/host_main.c
PTE_ARM64_OBJ := $(patsubst %.c,$(B)/host-pte-arm64/%.o,$(PTE_ARM64_SRC))

# The host tool `efimap` (tools/): plain -O2, no sanitizers; the tests use a
# sanitized build of the same sources, $(B)/efimap-san.
TOOL_CFLAGS ?= -O2 -g
TOOL_REQUIRED := -std=gnu11 $(WARN) -I.
TOOL_SRC   := $(wildcard tools/*.c)
TOOL_LIB_SRC := lib/printf.c $(MEMMAP_SRC) $(RECLAIM_SRC)
TOOL_OBJ   := $(patsubst %.c,$(B)/tool/%.o,$(TOOL_LIB_SRC) $(TOOL_SRC))
TOOL_SAN_OBJ := $(patsubst %.c,$(B)/host/%.o,$(TOOL_LIB_SRC) $(TOOL_SRC))
# Host-only tests of the tool's parser and reports: KTAP like the unit tests.
TOOLTEST_SRC := $(wildcard tests/tools/*.c)
TOOLTEST_OBJ := $(patsubst %.c,$(B)/host/%.o,$(TOOL_LIB_SRC) \
	$(filter-out tools/main.c,$(TOOL_SRC)) $(KTAP_SRC) $(TOOLTEST_SRC))

# libFuzzer targets (clang): tests/fuzz/fuzz_*.c, each its own binary.
FUZZ_CC    ?= clang
FUZZ_REQUIRED := -std=gnu11 $(WARN) -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -I.
FUZZ_SRC   := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN   := $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(FUZZ_SRC))
FUZZ_LIB_SRC := $(TOOL_LIB_SRC) $(filter-out tools/main.c,$(TOOL_SRC)) $(ACCEPT_SRC)

# The memmap micro-benchmark (`make bench`).
BENCH_SRC  := $(wildcard tests/bench/*.c)

PREFIX ?= /usr/local

LAYERS_STAMP := $(B)/.layers-ok

.PHONY: FORCE all aa64 help deps deps-build deps-fuzz run check check-host check-boot check-tools bench \
	fuzz install uninstall clean format lint image sign sign-snakeoil image-shim shim-test
.DEFAULT_GOAL := all

all: $(B)/efimap.efi $(B)/efimap-aa64.efi $(B)/unit-tests $(B)/unit-tests-pte-arm64 $(B)/efimap $(B)/efimap-san $(B)/tool-tests $(B)/findtext \
	$(B)/ktap-read

help:
	@echo "efimap make targets:"
	@echo "  all         build $(B)/efimap.efi and $(B)/efimap-aa64.efi (the UEFI images, x86-64 and"
	@echo "              AArch64), $(B)/efimap (the host tool),"
	@echo "              the host test programs, the screendump checker $(B)/findtext and the"
	@echo "              KTAP reader $(B)/ktap-read that checks every boot's KTAP (default)"
	@echo "  image       $(B)/efimap-usb.img: a GPT disk image with one FAT32 ESP holding"
	@echo "              EFI/BOOT/BOOTX64.EFI and README.txt, for a USB stick (scripts/flash-usb)"
	@echo "  sign        KEY=key.pem CERT=cert.pem [KEY_PASSIN=pass:...]: sign for Secure Boot:"
	@echo "              $(B)/efimap-signed.efi and $(B)/efimap-usb-signed.img (sbsign; sbverify"
	@echo "              must pass and any sbsign warning fails)"
	@echo "  sign-snakeoil  the same with OVMF's snakeoil test key, into $(B)/snakeoil/ (for"
	@echo "              scripts/run-qemu --secure-boot; never for a real machine)"
	@echo "  image-shim  KEY=mok.key CERT=mok.crt [KEY_PASSIN=...]: a stick for a PC that trusts"
	@echo "              only Microsoft's keys, Secure Boot left on: $(B)/shim-stick/efimap-usb-shim.img"
	@echo "              with Debian's Microsoft-signed shim (BOOTX64.EFI), MokManager (mmx64.efi),"
	@echo "              efimap signed with KEY (grubx64.efi) and CERT in DER (efimap-mok.der)"
	@echo "              to enrol as a Machine Owner Key (README, Real hardware)"
	@echo "  shim-test   the same with a test MOK made here, into $(B)/shim-test/, plus an image"
	@echo "              without .sbat and a variable store with the MOK enrolled by driving"
	@echo "              MokManager in QEMU (scripts/enroll-mok), for scripts/run-qemu --shim"
	@echo "  run         build, then boot the image in QEMU+OVMF (q35, 512M, TCG), serial on"
	@echo "              this terminal; make run exits with the guest's verdict: 0 efimap passed"
	@echo "              and no firmware error findings, 1 an efimap self-test failed, 2 no"
	@echo "              verdict, 3 refused by Secure Boot, 4 efimap passed but the firmware"
	@echo "              has error findings (RUN_ARGS='--firmware uboot': U-Boot instead of OVMF)"
	@echo "  check       lint, host unit tests (ASan+UBSan), host tool tests and fuzz smoke,"
	@echo "              flash-usb tests, stick image and signature tests, then the QEMU boot"
	@echo "              tests and matrix (USB stick, Secure Boot, U-Boot too); every boot's KTAP"
	@echo "              is read by build/ktap-read and must agree with efimap's counts"
	@echo "  check-host  only the host tests (unit tests, flash-usb against fake devices, the"
	@echo "              KTAP reader on hand-written logs)"
	@echo "  check-tools only the host tool's tests and the fuzz smoke"
	@echo "  check-boot  only the image tests and the QEMU boot tests"
	@echo "  fuzz        run each libFuzzer target for FUZZ_SECONDS (default 300) seconds; the"
	@echo "              corpus grows in $(B)/fuzz/corpus-*, crashes go to $(B)/fuzz/crashes/"
	@echo "  aa64        $(B)/efimap-aa64.efi: the same image for AArch64 (cross-built; gnu-efi's"
	@echo "              arm64 files unpacked into $(B)/gnu-efi-arm64 by scripts/fetch-gnu-efi-arm64)"
	@echo "  install     install the host tool as \$$(PREFIX)/bin/efimap and its manual page as"
	@echo "              \$$(PREFIX)/share/man/man1/efimap.1 (PREFIX=$(PREFIX); DESTDIR honoured)"
	@echo "  uninstall   remove what install put under \$$(PREFIX) (the same PREFIX and DESTDIR)"
	@echo "  bench       memmap cost per descriptor at 10^2..10^5 entries, then boot time of"
	@echo "              efimap against a do-nothing gnu-efi app (medians, ratio), then lazy"
	@echo "              against eager acceptance of simulated unaccepted memory at 8G, then"
	@echo "              a chain of kernel instances (efimap.kexec=3): jump and instance times"
	@echo "  deps        install missing build, run and test packages with apt-get (run/check do this)"
	@echo "  deps-build  install only what building needs (make does this)"
	@echo "  deps-fuzz   install only what the fuzz targets need (clang and libFuzzer; fuzz and check do this)"
	@echo "  lint        cppcheck over the sources"
	@echo "  format      clang-format the C sources in place"
	@echo "  clean       remove $(B)/"
	@echo "  help        this list"
	@echo "Variables: CFLAGS, HOST_CFLAGS (yours; required flags are always added),"
	@echo "  RUN_ARGS (extra scripts/run-qemu options for 'make run', e.g. RUN_ARGS='--mem 2G'),"
	@echo "  CONSOLE_FONT (the PSF font the screen console embeds), BENCH_OPTIONS (efimap.cfg"
	@echo "  words for the efimap boots of 'make bench'), MATRIX_JOBS (QEMUs at once in the"
	@echo "  boot matrix of 'make check', default 2),"
	@echo "  SBAT_GENERATION, SBAT_VERSION, SBAT_URL, SBAT_VENDOR (the image's .sbat data for"
	@echo "  shim: efimap's line and an optional vendor line, scripts/make-sbat), IMAGE_MAX_KIB"
	@echo "  (the most $(B)/efimap.efi may weigh, default 256; make fails above it)"

# --- dependencies --------------------------------------------------------
deps:
	@scripts/install-deps.sh all

deps-build:
	@scripts/install-deps.sh build

$(LAYERS_STAMP): scripts/check-layers.sh $(shell find lib memmap accept kernel stub tools tests -name '*.[chS]' 2>/dev/null)
	@scripts/check-layers.sh
	@mkdir -p $(B) && touch $@

# --- the UEFI image ------------------------------------------------------
$(B)/image/%.o: %.c $(LAYERS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(IMAGE_REQUIRED) -MMD -MP -c $< -o $@

$(B)/image/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(IMAGE_REQUIRED) -MMD -MP -c $< -o $@

# The screen console's font, embedded by kernel/font.S: a PSF font from
# Debian's console-setup-linux (Terminus, SIL OFL 1.1), decompressed here.
# CONSOLE_FONT may name any PSF1/PSF2 file, gzipped or not.
CONSOLE_FONT ?= /usr/share/consolefonts/Lat15-Terminus16.psf.gz
# $(B)/console-font.psf is the font in use, for the image and for the tests'
# screendump checker; it follows CONSOLE_FONT through the name of the copy.
FONT_COPY := $(B)/font/$(notdir $(CONSOLE_FONT:.gz=))
FONT_PSF := $(B)/console-font.psf

$(FONT_COPY): | deps-build
	@mkdir -p $(dir $@)
	@echo "  FONT    $(CONSOLE_FONT)"
	$(Q)test -f $(CONSOLE_FONT) || { echo "no console font $(CONSOLE_FONT) (make deps)" >&2; exit 1; }
	$(Q)case $(CONSOLE_FONT) in *.gz) gzip -dc $(CONSOLE_FONT) >$@.tmp ;; \
		*) cp $(CONSOLE_FONT) $@.tmp ;; esac && mv $@.tmp $@

$(FONT_PSF): $(FONT_COPY)
	$(Q)cp $< $@

$(B)/image/kernel/font.o: kernel/font.S $(FONT_PSF)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(IMAGE_REQUIRED) -DCONSOLE_FONT_FILE='"$(FONT_PSF)"' -MMD -MP \
		-c $< -o $@

$(B)/stub/%.o: %.c $(LAYERS_STAMP) | deps-build
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(IMAGE_REQUIRED) $(STUB_REQUIRED) -MMD -MP -c $< -o $@

# -z defs: a shared object may leave symbols undefined, and crt0's
# self-relocation would then send calls to them into the weeds; refuse.
$(B)/efimap.so: $(IMAGE_OBJ) $(IMAGE_LDS) | deps-build
	@echo "  LD      $@"
	$(Q)$(LD) $(LDFLAGS) -shared -Bsymbolic -nostdlib -znocombreloc -z noexecstack -z defs \
		-T $(IMAGE_LDS) $(EFI_CRT0) $(IMAGE_OBJ) -L$(EFI_LIB) -lgnuefi -o $@

# The SBAT CSV, remade every run but rewritten only when it changes.
$(B)/sbat.csv: FORCE
	$(Q)SBAT_GENERATION='$(SBAT_GENERATION)' SBAT_VERSION='$(SBAT_VERSION)' SBAT_URL='$(SBAT_URL)' \
		SBAT_VENDOR='$(SBAT_VENDOR)' scripts/make-sbat $@

$(B)/image/stub/sbat.o: stub/sbat.S $(B)/sbat.csv
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(IMAGE_REQUIRED) -DSBAT_FILE='"$(B)/sbat.csv"' -c $< -o $@

FORCE:

# --strip-all: no COFF symbol table after the sections, so the file is
# exactly headers + sections and sbsign's hash covers every byte.
$(B)/efimap.efi: $(B)/efimap.so scripts/pe-nx-compat
	@echo "  EFI     $@"
	$(Q)$(OBJCOPY) $(IMAGE_PE_SECTIONS) --strip-all \
		--target efi-app-x86_64 --subsystem=10 $< $@.tmp
	$(Q)scripts/pe-nx-compat $@.tmp
	$(Q)size=$$(stat -c %s $@.tmp); if [ $$size -gt $$(($(IMAGE_MAX_KIB) * 1024)) ]; then \
		echo "$@: $$size bytes, more than IMAGE_MAX_KIB=$(IMAGE_MAX_KIB) KiB (objdump -h $@.tmp)" >&2; \
		exit 1; fi
	$(Q)mv $@.tmp $@

# --- the AArch64 image ----------------------------------------------------
aa64: $(B)/efimap-aa64.efi

$(AA64_EFI_STAMP): scripts/fetch-gnu-efi-arm64 | deps-build
	$(Q)scripts/fetch-gnu-efi-arm64 $(B)/gnu-efi-arm64
	$(Q)touch $@

$(B)/aa64/image/kernel/font.o: kernel/font.S $(FONT_PSF)
	@mkdir -p $(dir $@)
	@echo "  CC64    $<"
	$(Q)$(AA64_CROSS)gcc $(CFLAGS) $(AA64_REQUIRED) -DCONSOLE_FONT_FILE='"$(FONT_PSF)"' -MMD -MP \
		-c $< -o $@

$(B)/aa64/image/%.o: %.c $(LAYERS_STAMP) | deps-build
	@mkdir -p $(dir $@)
	@echo "  CC64    $<"
	$(Q)$(AA64_CROSS)gcc $(CFLAGS) $(AA64_REQUIRED) -MMD -MP -c $< -o $@

$(B)/aa64/image/%.o: %.S | deps-build
	@mkdir -p $(dir $@)
	@echo "  CC64    $<"
	$(Q)$(AA64_CROSS)gcc $(CFLAGS) $(AA64_REQUIRED) -MMD -MP -c $< -o $@

$(B)/aa64/stub/%.o: %.c $(LAYERS_STAMP) $(AA64_EFI_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC64    $<"
	$(Q)$(AA64_CROSS)gcc $(CFLAGS) $(AA64_REQUIRED) $(AA64_STUB_REQUIRED) -MMD -MP -c $< -o $@

$(B)/efimap-aa64.so: $(AA64_OBJ) $(AA64_LDS) $(AA64_EFI_STAMP)
	@echo "  LD64    $@"
	$(Q)$(AA64_CROSS)ld $(LDFLAGS) -shared -Bsymbolic -nostdlib -znocombreloc -z noexecstack \
		-z defs --no-warn-rwx-segments --defsym=EFI_SUBSYSTEM=0xa -T $(AA64_LDS) \
		$(AA64_EFI)/lib/crt0-efi-aarch64.o $(AA64_OBJ) -L$(AA64_EFI)/lib -lgnuefi -o $@

# A flat binary: crt0's own PE header is its first page (stub/efimap-aa64.lds).
# objcopy stops at the last byte of .rela.dyn, but the header says the data
# section's raw bytes run to _edata (page aligned), and edk2 refuses a file that
# ends sooner (LoadImage: EFI_UNSUPPORTED): pad to _edata (file offset = address).
$(B)/efimap-aa64.efi: $(B)/efimap-aa64.so
	@echo "  EFI64   $@"
	$(Q)$(AA64_CROSS)objcopy -j .text.head -j .text -j .rodata -j .dynamic -j .data \
		-j .rela.dyn -O binary $< $@.tmp
	$(Q)truncate -s $$((0x$$($(AA64_CROSS)nm $< | sed -n 's/ [A-Za-z] _edata$$//p'))) $@.tmp
	$(Q)mv $@.tmp $@

# --- the USB stick image ------------------------------------------------
# A GPT disk with one ESP, made without root or loop devices (sfdisk + mtools).
image: $(B)/efimap-usb.img

$(B)/efimap-usb.img: $(B)/efimap.efi scripts/make-usb-image image/README.txt | deps
	@echo "  IMAGE   $@"
	$(Q)scripts/make-usb-image $(B)/efimap.efi $@

# --- Secure Boot signing -------------------------------------------------
# Always re-signed (phony): the key is not a file make can track.
sign: $(B)/efimap.efi | deps
	@test -n "$(KEY)" -a -n "$(CERT)" || \
		{ echo "make sign: give KEY=key.pem CERT=cert.pem (see README, Real hardware)" >&2; exit 1; }
	@echo "  SIGN    $(B)/efimap-signed.efi $(B)/efimap-usb-signed.img"
	$(Q)scripts/sign-image --key "$(KEY)" --cert "$(CERT)" \
		$(if $(KEY_PASSIN),--passin "$(KEY_PASSIN)") \
		$(B)/efimap.efi $(B)/efimap-signed.efi $(B)/efimap-usb-signed.img

sign-snakeoil: $(B)/snakeoil/efimap-usb-signed.img

$(B)/snakeoil/efimap-usb-signed.img: $(B)/efimap.efi scripts/sign-image scripts/make-usb-image \
		image/README.txt | deps
	@echo "  SIGN    $(B)/snakeoil/efimap-signed.efi (snakeoil test key)"
	$(Q)scripts/sign-image --snakeoil $(B)/efimap.efi $(B)/snakeoil/efimap-signed.efi $@

# --- Secure Boot through shim: Microsoft's keys and a Machine Owner Key ----
# shim comes from Debian's archive (apt-get download, dpkg-deb -x into
# $(B)/shim/, not installed: shim-signed would pull in grub).
image-shim: $(B)/efimap.efi | deps
	@test -n "$(KEY)" -a -n "$(CERT)" || \
		{ echo "make image-shim: give KEY=mok.key CERT=mok.crt (see README, Real hardware)" >&2; exit 1; }
	@echo "  SHIM    $(B)/shim-stick/efimap-usb-shim.img"
	$(Q)B=$(B) scripts/make-shim-image --key "$(KEY)" --cert "$(CERT)" \
		$(if $(KEY_PASSIN),--passin "$(KEY_PASSIN)") $(B)/efimap.efi $(B)/shim-stick

SHIM_TEST := $(B)/shim-test
shim-test: $(SHIM_TEST)/efimap-usb-shim.img $(SHIM_TEST)/nosbat/efimap-usb-shim.img \
	$(SHIM_TEST)/vars-mok.fd

# A throw-away key for QEMU only: a new one after `make clean`.
$(SHIM_TEST)/mok.crt: | deps
	@mkdir -p $(dir $@)
	@echo "  KEY     $@ (test MOK)"
	$(Q)openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj "/CN=efimap test MOK (QEMU only)/" \
		-keyout $(SHIM_TEST)/mok.key -out $@.tmp 2>/dev/null && mv $@.tmp $@

SHIM_IMAGE_DEPS := $(B)/efimap.efi $(SHIM_TEST)/mok.crt scripts/make-shim-image scripts/sign-image \
	scripts/make-usb-image image/README.txt

$(SHIM_TEST)/efimap-usb-shim.img: $(SHIM_IMAGE_DEPS)
	@echo "  SHIM    $@ (test MOK)"
	$(Q)B=$(B) scripts/make-shim-image --key $(SHIM_TEST)/mok.key --cert $(SHIM_TEST)/mok.crt \
		$(B)/efimap.efi $(SHIM_TEST) >/dev/null

# Order-only on the first stick: one download of shim at a time.
$(SHIM_TEST)/nosbat/efimap-usb-shim.img: $(SHIM_IMAGE_DEPS) | $(SHIM_TEST)/efimap-usb-shim.img
	@echo "  SHIM    $@ (test MOK, no .sbat)"
	$(Q)B=$(B) scripts/make-shim-image --no-sbat --key $(SHIM_TEST)/mok.key \
		--cert $(SHIM_TEST)/mok.crt $(B)/efimap.efi $(SHIM_TEST)/nosbat >/dev/null

# MokList depends on the key alone: enrolled once per key, then copied per boot.
$(SHIM_TEST)/vars-mok.fd: $(SHIM_TEST)/mok.crt scripts/enroll-mok | $(SHIM_TEST)/efimap-usb-shim.img
	@echo "  ENROLL  $@ (MokManager driven through QEMU's monitor)"
	$(Q)scripts/enroll-mok $(SHIM_TEST)/efimap-usb-shim.img $@ --log $(SHIM_TEST)/enroll.log

# --- host unit tests -----------------------------------------------------
$(B)/host/%.o: %.c $(LAYERS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(CC) $(HOST_CFLAGS) $(HOST_REQUIRED) -MMD -MP -c $< -o $@

$(B)/unit-tests: $(HOST_TEST_OBJ)
	@echo "  HOSTLD  $@"
	$(Q)$(CC) $(HOST_CFLAGS) $(HOST_REQUIRED) $^ -o $@

$(B)/host-pte-arm64/%.o: %.c $(LAYERS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $< (arm64 descriptors)"
	$(Q)$(CC) $(HOST_CFLAGS) $(HOST_REQUIRED) -DEFIMAP_PTE_ARM64 -MMD -MP -c $< -o $@

$(B)/unit-tests-pte-arm64: $(PTE_ARM64_OBJ)
	@echo "  HOSTLD  $@"
	$(Q)$(CC) $(HOST_CFLAGS) $(HOST_REQUIRED) $^ -o $@

# --- the host tool --------------------------------------------------------
$(B)/tool/%.o: %.c $(LAYERS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(CC) $(TOOL_CFLAGS) $(TOOL_REQUIRED) -MMD -MP -c $< -o $@

$(B)/efimap: $(TOOL_OBJ)
	@echo "  HOSTLD  $@"
	$(Q)$(CC) $(TOOL_CFLAGS) $(TOOL_REQUIRED) $^ -o $@

$(B)/efimap-san: $(TOOL_SAN_OBJ)
	@echo "  HOSTLD  $@"
	$(Q)$(CC) $(HOST_CFLAGS) $(HOST_REQUIRED) $^ -o $@

$(B)/tool-tests: $(TOOLTEST_OBJ)
	@echo "  HOSTLD  $@"
	$(Q)$(CC) $(HOST_CFLAGS) $(HOST_REQUIRED) $^ -o $@

# The tool and its manual page (docs/efimap.1, `man -l docs/efimap.1` in the tree).
install: $(B)/efimap
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(B)/efimap $(DESTDIR)$(PREFIX)/bin/efimap
	install -m 644 docs/efimap.1 $(DESTDIR)$(PREFIX)/share/man/man1/efimap.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/efimap $(DESTDIR)$(PREFIX)/share/man/man1/efimap.1

# --- fuzzing ---------------------------------------------------------------
$(B)/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB_SRC) $(LAYERS_STAMP) | deps-fuzz
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_REQUIRED) $< $(FUZZ_LIB_SRC) -o $@

deps-fuzz:
	@scripts/install-deps.sh fuzz

fuzz: $(FUZZ_BIN)
	@B=$(B) tests/fuzz/run.sh --keep-corpus $(or $(FUZZ_SECONDS),300)

$(B)/memmap-bench: $(BENCH_SRC) $(TOOL_LIB_SRC)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(CC) -O2 -g $(TOOL_REQUIRED) $^ -o $@

# The screendump checker of the boot tests (tests/screen/findtext.c).
$(B)/findtext: $(B)/host/tests/screen/findtext.o $(B)/host/lib/psf.o
	@echo "  HOSTLD  $@"
	$(Q)$(CC) $(HOST_CFLAGS) $(HOST_REQUIRED) $^ -o $@

# The KTAP reader of the boot tests (tests/ktap-read/ktap-read.c).
$(B)/ktap-read: $(B)/host/tests/ktap-read/ktap-read.o
	@echo "  HOSTLD  $@"
	$(Q)$(CC) $(HOST_CFLAGS) $(HOST_REQUIRED) $^ -o $@

# --- baseline app for `make bench` ---------------------------------------
$(B)/baseline/baseline.o: tests/baseline/baseline.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(IMAGE_REQUIRED) $(STUB_REQUIRED) -c $< -o $@

$(B)/baseline.efi: $(B)/baseline/baseline.o
	$(LD) -shared -Bsymbolic -nostdlib -znocombreloc -z noexecstack -T $(EFI_LDS) \
		$(EFI_CRT0) $< -L$(EFI_LIB) -lgnuefi -o $(B)/baseline.so
	$(OBJCOPY) -j .text -j .sdata -j .data -j .rodata -j .dynamic -j .dynsym -j .rel \
		-j .rela -j '.rel.*' -j '.rela.*' -j .reloc \
		--target efi-app-x86_64 --subsystem=10 $(B)/baseline.so $@

# --- running and testing -------------------------------------------------
# These need gnu-efi, QEMU and OVMF: `deps` installs what is missing first.
run: deps
	@$(MAKE) --no-print-directory $(B)/efimap.efi
	scripts/run-qemu $(RUN_ARGS)

check: deps
	@$(MAKE) --no-print-directory all lint image sign-snakeoil shim-test $(FUZZ_BIN)
	@tests/run-check.sh all

check-host: deps
	@$(MAKE) --no-print-directory $(B)/unit-tests $(B)/unit-tests-pte-arm64 $(B)/ktap-read
	@tests/run-check.sh host

check-tools: deps
	@$(MAKE) --no-print-directory $(B)/efimap $(B)/efimap-san $(B)/tool-tests $(FUZZ_BIN)
	@tests/run-check.sh tools

check-boot: deps
	@$(MAKE) --no-print-directory all image sign-snakeoil shim-test
	@tests/run-check.sh boot

bench: deps
	@$(MAKE) --no-print-directory $(B)/efimap.efi $(B)/baseline.efi $(B)/memmap-bench
	@$(B)/memmap-bench
	@scripts/bench.sh
	@scripts/bench-accept.sh
	@scripts/bench-kexec.sh

lint:
	@echo "  LINT    cppcheck"
	$(Q)cppcheck --quiet --error-exitcode=1 --enable=warning,portability --std=c11 \
		--suppress=missingIncludeSystem -I. lib memmap accept kernel tools tests/unit tests/tools \
		tests/fuzz tests/bench tests/ktap.c tests/ktap-read

format:
	clang-format -i $(shell find lib memmap accept kernel stub tools tests -name '*.[ch]')

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
