// SPDX-License-Identifier: BSD-2-Clause
/*
 * kernel_main: the kernel core, entered from the stub with boot services
 * gone, interrupts off, on the kernel stack. Steps follow docs/architecture.md
 * "Boot flow/kernel"; later phases (reservations, reclaim, runtime tables)
 * slot in between the map and the self-tests.
 */
#include "kernel/accept_boot.h"
#include "kernel/arch.h"
#include "kernel/acpi_check.h"
#include "kernel/config_tables.h"
#include "kernel/fbcon.h"
#include "kernel/efi.h"
#include "kernel/findings.h"
#include "kernel/firmware_id.h"
#include "kernel/kernel.h"
#include "kernel/kexec.h"
#include "kernel/reclaim_boot.h"
#include "kernel/report.h"
#include "lib/printf.h"
#include "tests/ktap.h"

struct kernel_state kstate;

extern char ImageBase[];

u64 kernel_image_base(void)
{
	return kstate.handoff ? kstate.handoff->image_base : (u64)(uintptr_t)ImageBase;
}

u64 kernel_image_end(void)
{
	return kstate.handoff ? kstate.handoff->image_base + kstate.handoff->image_size : 0;
}

static void report_option(void *ctx, const char *msg)
{
	(void)ctx;
	printk("efimap: option: %s", msg);
}

static void print_map(const struct memmap *map)
{
	struct mm_iter it;
	struct mm_desc *md;
	char line[160];

	for_each_mm_desc (map, it, md) {
		mm_format_line(line, sizeof(line), it.index, md);
		printk("%s", line);
	}
}

/* Deep enough to run through any stack; the volatile buffer keeps every frame. */
static volatile u64 recurse_limit = ~0ULL;

static u64 recurse(u64 depth)
{
	volatile u8 frame[512];

	if (depth == recurse_limit)
		return 0;
	frame[depth % sizeof(frame)] = (u8)depth;
	return recurse(depth + 1) + frame[(depth * 7) % sizeof(frame)];
}

/* Fault injection (efimap.inject=...): proves that failures end without a verdict. */
static void inject_faults(u32 inject)
{
	if (inject & INJECT_NO_RUNTIME) {
		/* What a firmware fault in a runtime call will do: the run goes on without them. */
		printk("efimap: inject: runtime services switched off");
		efi_runtime_off("efimap.inject=no-runtime");
	}
	if (inject & INJECT_STACK_OVERFLOW) {
		printk("efimap: inject: recursing into the stack guard page");
		recurse(0);
	}
	if (inject & INJECT_HANG) {
		printk("efimap: inject: hanging on purpose");
		halt_forever();
	}
	if (inject & INJECT_PAGEFAULT) {
		printk("efimap: inject: reading page 0");
		volatile u8 *volatile page0 = (volatile u8 *)(uintptr_t)0x10;

		(void)*page0;
	}
	if (inject & INJECT_TRIPLE_FAULT) {
		arch_traps_break(); /* says what it does: the way differs per arch */
	}
}

/*
 * The verdict in its two parts (docs/architecture.md "Firmware is not OVMF"): efimap's
 * own self-tests, then the firmware's findings. Serial and report get the
 * summary line, KTAP a closing comment, the screen one band line; the exit
 * status (kernel_end) tells the four outcomes apart.
 */
static enum verdict show_verdict(const struct ktap_totals *tot)
{
	const struct fw_counts *fw = fw_counts();
	u32 errors = fw->by_severity[FW_ERROR];
	char text[80];

	printk("efimap: verdict: passed=%u failed=%u skipped=%u efimap=%s fw_errors=%u "
	       "fw_warnings=%u fw_info=%u firmware=%s",
	       tot->passed, tot->failed, tot->skipped, tot->failed ? "fail" : "pass", errors,
	       fw->by_severity[FW_WARNING], fw->by_severity[FW_INFO], errors ? "errors" : "ok");
	/* For a KTAP reader: the firmware's half, which no test result carries. */
	fmt_snprintf(text, sizeof(text), "# firmware findings: errors=%u warnings=%u info=%u",
		     errors, fw->by_severity[FW_WARNING], fw->by_severity[FW_INFO]);
	console_line(text);
	report_add_line(&kreport, text);
	if (tot->failed) {
		fmt_snprintf(text, sizeof(text), "FAIL  %u passed, %u failed", tot->passed,
			     tot->failed);
		fbcon_verdict(FBCON_FAIL, text);
		return VERDICT_FAIL;
	}
	if (errors) {
		fmt_snprintf(text, sizeof(text), "PASS  %u passed, 0 failed; firmware: %u errors",
			     tot->passed, errors);
		fbcon_verdict(FBCON_FW_ERRORS, text);
		return VERDICT_PASS_FW_ERRORS;
	}
	fmt_snprintf(text, sizeof(text), "PASS  %u passed, %u failed", tot->passed, tot->failed);
	fbcon_verdict(FBCON_PASS, text);
	return VERDICT_PASS;
}

void kernel_main(struct handoff *h);

void kernel_main(struct handoff *h)
{
	struct ktap_totals tot = { 0 };
	enum handoff_error herr;
	enum mm_init_error merr;
	const char *err;

	serial_init();
	arch_traps_init();

	herr = handoff_validate(h);
	if (herr != HANDOFF_OK) {
		/* Nothing in the block can be trusted, not even the TSC rate. */
		printk("efimap: handoff: invalid at %p (%s)", (void *)h, handoff_error_str(herr));
		kernel_no_verdict("bad handoff");
	}
	time_init(h->tsc_hz, h->tsc_at_entry);
	kstate.handoff = h;
	printk("efimap: kernel core entered; handoff v%u, %u bytes, UEFI %u.%02u", h->version,
	       h->size, h->uefi_revision >> 16, h->uefi_revision & 0xffff);
	printk("efimap: cmdline: \"%s\"%s%s", h->cmdline,
	       (h->flags & HANDOFF_OPTIONS_FILE) ? " (includes efimap.cfg)" : "",
	       (h->flags & HANDOFF_CMDLINE_TRUNCATED) ? " (truncated)" : "");
	if (h->flags & HANDOFF_LOAD_OPTIONS_BINARY)
		printk("efimap: option: LoadOptions are not text (a Boot#### entry's binary "
		       "data?); ignored");
	kstate.option_problems = (u32)options_parse(&kstate.opts, h->cmdline, report_option, NULL);
	kexec_entry(h, &kstate.opts); /* SetVirtualAddressMap: once per boot, whatever comes */
	/* Not ours (U-Boot passes its bootargs, a shell the image name): said, never an error. */
	if (kstate.opts.foreign_words)
		printk("efimap: option: %u words that are not efimap.* options skipped (first: "
		       "\"%s\"; another loader's words, such as U-Boot's bootargs)",
		       kstate.opts.foreign_words, kstate.opts.first_foreign);
	fbcon_init(h, !kstate.opts.fbcon_off);

	config_tables_print(h);
	printk("efimap: ebs: attempts=%u", h->ebs_attempts);
	if (h->flags & HANDOFF_EBS_FAILED)
		kernel_no_verdict("ExitBootServices failed twice; firmware state unknown");

	merr = memmap_init(&kstate.map, (void *)(uintptr_t)h->map_base, h->desc_size,
			   h->desc_version, h->nr_map, h->map_capacity);
	if (merr != MM_OK) {
		printk("efimap: map: unusable (%s): desc_size=%u entries=%u capacity=%u",
		       memmap_init_error_str(merr), h->desc_size, h->nr_map, h->map_capacity);
		kernel_no_verdict("bad memory map");
	}
	/* Printed as the firmware gave it, so that it diffs against a Linux efi=debug log. */
	print_map(&kstate.map);
	report_keep_map(h); /* for the stored results, before anything sorts or compacts it */
	if (h->run_number)
		printk("efimap: run: number=%04u captured=%u (\\EFI\\efimap\\runs\\%04u)",
		       h->run_number, !!(h->run_flags & HANDOFF_RUN_CAPTURED), h->run_number);
	else
		printk("efimap: run: number=none (the stub wrote no run folder)");
	printk("efimap: map: entries=%u desc_size=%u desc_version=%u capacity=%u", h->nr_map,
	       h->desc_size, h->desc_version, h->map_capacity);
	/* Before map_check may sort the map: the runtime entries in the firmware's order. */
	efi_svam_report(h, &kstate.map);
	map_check(&kstate.map, &kstate.validation);

	cpu_features_report(h); /* probed, never assumed; said before paging can refuse */
	/* Units still unaccepted stay out of the kernel's tables until accepted. */
	err = paging_init(h, &kstate.map, kaccept_init(h, &kstate.map, &kstate.opts), &kstate.pml4,
			  &kstate.pt_pages_used);
	if (err) {
		printk("efimap: paging: %s (pool %llu pages)", err,
		       (unsigned long long)h->pt_pool_pages);
		kernel_no_verdict("cannot build page tables");
	}
	printk("efimap: paging: pt_pages=%llu pool_pages=%llu",
	       (unsigned long long)kstate.pt_pages_used, (unsigned long long)h->pt_pool_pages);
	fbcon_report(paging_fb_cache());
	/* Early (it reads through the kernel's tables), so the report's kept head names it. */
	firmware_id_print(h);
	acpi_check_rsdp(h);

	/* The EFI tables: the rest of the stub's page-table pool, after the kernel's. */
	efi_runtime_init(h, &kstate.map, kstate.pml4,
			 h->pt_pool_base + kstate.pt_pages_used * PAGE_SIZE,
			 h->pt_pool_pages - kstate.pt_pages_used);
	/* Reclaim phase 1: reserve boot-services memory, tag what stays, start the allocator. */
	reclaim_early(h, &kstate.map);
	kexec_add_free(h, &kreclaim.pa); /* re-entered: RAM the compacted map no longer lists */

	inject_faults(kstate.opts.inject);
	/* Phase 2: boot-services memory leaves the EFI tables, is freed and junk-filled. */
	reclaim_late();
	/* So the first runtime calls already run with boot-services memory gone. */
	efi_runtime_probe();
	/* What boot itself accepted; the self-tests accept more afterwards. */
	kaccept_summary();
	kexec_check(h); /* efimap.kexec: what this instance inherited, before the self-tests */

	selftest_run(&kstate.opts, &tot);
	/* The injected firmware fault, if the runtime suite did not make it already. */
	if ((kstate.opts.inject & INJECT_RT_FAULT) && !efi_rt()->faults) {
		const char *why;

		efi_inject_fault(&why);
	}
	efi_runtime_summary();
	/* efimap.kexec: start the next instance (no return), or the last one ends the chain. */
	kernel_end(kstate.opts.exit, kexec_next(h, &kstate.opts, show_verdict(&tot), &tot));
}
