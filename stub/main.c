// SPDX-License-Identifier: BSD-2-Clause
/*
 * efi_main: gather what the kernel needs, allocate it, take the final map,
 * exit boot services and jump. Steps follow docs/architecture.md "Boot flow/stub".
 */
#include "kernel/arch.h"
#include "lib/string.h"
#include "memmap/layout.h"
#include "stub/stub.h"

EFI_SYSTEM_TABLE *stub_st;
EFI_HANDLE stub_image;

/* Linker-script symbols bounding the image's code and constants (see efimap.lds). */
extern char _text[], _etext[], _rodata[], _erodata[];

#define MAX_PREPARE_TRIES 4

static void ascii_from_ucs2(char *out, size_t size, const CHAR16 *in)
{
	size_t i = 0;

	for (; in && in[i] && i + 1 < size; i++)
		out[i] = in[i] < 0x80 ? (char)in[i] : '?';
	out[i] = '\0';
}

/* Handoff fields known before the final map. */
static void fill_handoff(struct handoff *h, const struct stub_memory *m, EFI_LOADED_IMAGE *li,
			 const char *cmdline, u32 flags, u64 tsc_entry, u64 tsc_hz)
{
	EFI_SYSTEM_TABLE *st = stub_st;

	memset(h, 0, sizeof(*h));
	h->magic = HANDOFF_MAGIC;
	h->version = HANDOFF_VERSION;
	h->size = sizeof(*h);
	h->flags = flags;
	h->system_table = (u64)(uintptr_t)st;
	h->runtime_services = (u64)(uintptr_t)st->RuntimeServices;
	/* SetVirtualAddressMap makes these virtual; the kernel checks its translation back. */
	h->fw_vendor_phys = (u64)(uintptr_t)st->FirmwareVendor;
	h->config_table_phys = (u64)(uintptr_t)st->ConfigurationTable;
	h->uefi_revision = st->Hdr.Revision;
	h->nr_config_tables_fw = (u32)st->NumberOfTableEntries;
	for (UINTN i = 0; i < st->NumberOfTableEntries; i++) {
		if (i == HANDOFF_MAX_CONFIG_TABLES) {
			h->flags |= HANDOFF_CONFIG_TRUNCATED;
			break;
		}
		memcpy(&h->config[i].guid, &st->ConfigurationTable[i].VendorGuid,
		       sizeof(h->config[i].guid));
		h->config[i].table = (u64)(uintptr_t)st->ConfigurationTable[i].VendorTable;
		h->nr_config_tables++;
	}
	memcpy(h->cmdline, cmdline, strlen(cmdline) + 1);
	h->image_base = (u64)(uintptr_t)li->ImageBase;
	h->image_size = li->ImageSize;
	h->text_start = (u64)(uintptr_t)_text;
	h->text_end = (u64)(uintptr_t)_etext;
	h->rodata_start = (u64)(uintptr_t)_rodata;
	h->rodata_end = (u64)(uintptr_t)_erodata;
	h->stack_base = m->stack;
	h->stack_size = m->stack_pages * PAGE_SIZE;
	h->pt_pool_base = m->pool;
	h->pt_pool_pages = m->pool_pages;
	h->handoff_pages = m->handoff_pages;
	h->tsc_hz = tsc_hz;
	h->tsc_at_entry = tsc_entry;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	static char cmdline[HANDOFF_CMDLINE_SIZE];
	struct stub_memory m;
	struct stub_accept acc;
	struct stub_fb fb;
	struct options opts;
	struct stub_sb sb;
	EFI_LOADED_IMAGE *li;
	u32 run_number, run_flags = 0;
	struct handoff *h = NULL;
	char vendor[64];
	u64 tsc_entry = arch_counter(), tsc_hz;
	u32 flags;
	EFI_STATUS status;

	stub_kexec_keep_image(image, st); /* first: before any of the image's data changes */
	stub_st = st;
	stub_image = image;
	ascii_from_ucs2(vendor, sizeof(vendor), st->FirmwareVendor);
	stub_log("efimap: stub: UEFI %u.%02u, firmware \"%s\" rev 0x%x", st->Hdr.Revision >> 16,
		 st->Hdr.Revision & 0xffff, vendor, st->FirmwareRevision);

	status = bs_call(HandleProtocol, image, &li_guid, (void **)&li);
	if (EFI_ERROR(status)) {
		stub_log("efimap: stub: no EFI_LOADED_IMAGE_PROTOCOL (status 0x%llx)",
			 (unsigned long long)status);
		return status;
	}
	flags = stub_read_options(li, cmdline, sizeof(cmdline));
	stub_log("efimap: stub: options \"%s\"", cmdline);
	stub_report_secure_boot(&sb);
	/* The kernel reports option problems; the stub only needs the injections. */
	options_parse(&opts, cmdline, NULL, NULL);
	stub_kexec_decide(&opts); /* before anything else allocates */
	/* The last boot's results, before this boot can store its own. */
	stub_save_results(li);
	stub_remove_fillers();
	/* This boot's run folder: it allocates, so before the final sizing. */
	run_number = opts.capture_off ? 0 : stub_capture_run(li, cmdline, &sb, &run_flags);
	if (opts.capture_off)
		stub_log("efimap: run: folder=none (efimap.capture=off)");

	tsc_hz = stub_calibrate_tsc();
	stub_log("efimap: stub: TSC %llu kHz", (unsigned long long)(tsc_hz / 1000));
	stub_find_framebuffer(&fb);
	stub_find_tpm_log();

	for (int tries = 0;; tries++) {
		/*
		 * 32 spare descriptors at first, doubling if the map outgrows them.
		 * [_text, _erodata) spans both ranges paging.c protects (code, constants).
		 */
		status = stub_allocate(&m, 32u << tries, (u64)(uintptr_t)_text,
				       (u64)(uintptr_t)_erodata,
				       pgtable_pages_for_range(fb.base, fb.size) +
					       PAGING_EXTRA_PT_PAGES);
		if (EFI_ERROR(status))
			return status;
		/* Last allocation: the unaccepted-memory table, installed before the handoff copies
		 * the tables. */
		stub_accept_prepare(&acc, &opts);
		h = (struct handoff *)(uintptr_t)m.handoff;
		fill_handoff(h, &m, li, cmdline, flags, tsc_entry, tsc_hz);
		stub_kexec_fill(h);
		stub_fill_framebuffer(h, &fb);
		stub_fill_tpm_log(h);
		h->run_number = run_number;
		h->run_flags = run_flags;
		stub_log("efimap: stub: exiting boot services");
		status = stub_exit_boot_services(&m, h, opts.inject & INJECT_EBS_RETRY);
		if (status != EFI_BUFFER_TOO_SMALL || tries + 1 == MAX_PREPARE_TRIES)
			break;
		stub_log("efimap: stub: map outgrew its buffer, sizing again");
		stub_accept_release(&acc);
		stub_release(&m);
	}
	if (EFI_ERROR(status)) {
		/* Still in boot services: say why and give control back to the firmware. */
		stub_log("efimap: stub: final GetMemoryMap/ExitBootServices failed (status 0x%llx)",
			 (unsigned long long)status);
		stub_accept_release(&acc);
		stub_release(&m);
		return status;
	}

	/*
	 * Boot services are gone. The bitmap is filled from the final map and
	 * its edges accepted (docs/architecture.md step 5). The runtime regions get their virtual
	 * addresses (efimap.va=, default: memmap/layout.h), then seal the
	 * handoff and enter the kernel for good.
	 */
	/* The kernel's console and vectors: a fault from here on is reported, never a hang. */
	serial_init_from(h);
	arch_traps_init();
	stub_accept_build(&acc, h, &opts);
	stub_set_virtual_address_map(h, &opts, opts.va_base, opts.va_size);
	h->checksum = handoff_checksum(h);
	if (opts.inject & INJECT_BAD_HANDOFF)
		h->cmdline[0] ^= 0x20; /* after sealing: the kernel must notice */
	kernel_start(h, m.stack + m.stack_pages * PAGE_SIZE);
}
