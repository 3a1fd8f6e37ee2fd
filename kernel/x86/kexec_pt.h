/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The x86-64 half of re-entry (kernel/kexec.h): identity-mapped transition
 * tables and the jump into a fresh instance of the image.
 */
#ifndef EFIMAP_KERNEL_X86_KEXEC_PT_H
#define EFIMAP_KERNEL_X86_KEXEC_PT_H

#include "kernel/handoff.h"
#include "kernel/palloc.h"
#include "memmap/memmap.h"

/*
 * Page tables for the way from the old instance to the new one's own
 * tables: every RAM entry of map and the framebuffer identity-mapped,
 * writable and executable, as the firmware's tables are at the first
 * entry. Built in pages from pa: free memory to the new instance, which
 * starts handing pages out only after its paging_init() left these
 * tables. Returns the PML4, or 0 with *why set.
 */
u64 kexec_pt_build(const struct handoff *h, const struct memmap *map, struct palloc *pa,
		   const char **why);

/* What kexec_jump() needs, on the old stack (the image's data is overwritten). */
struct kexec_jump_args {
	u64 cr3;	/* the transition tables */
	u64 dst;	/* the image, image_base */
	u64 src;	/* its pristine copy */
	u64 bytes;	/* image_size */
	u64 skip_start; /* [skip_start, skip_end): the code, identical in both, not copied */
	u64 skip_end;
	u64 handoff; /* the new instance's block */
	u64 stack_top;
};

/*
 * kernel/x86/kexec_jump.S: interrupts off, CR3 to the transition tables
 * (global TLB entries dropped), the image restored from its copy except
 * the code it runs from, then kernel_start(handoff, stack_top).
 */
__noreturn void kexec_jump(const struct kexec_jump_args *a);

#endif
