/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The machine half of re-entry (kernel/kexec.h): identity-mapped transition
 * tables, built here for both arches (kernel/pt.c), and the jump into a
 * fresh instance of the image, kexec_jump(), which each arch writes in
 * assembly (kernel/x86/kexec_jump.S, kernel/arm64/kexec_jump.S).
 */
#ifndef EFIMAP_KERNEL_KEXEC_PT_H
#define EFIMAP_KERNEL_KEXEC_PT_H

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
	u64 root;	/* the transition tables (x86: CR3; arm64: TTBR0_EL1) */
	u64 dst;	/* the image, image_base */
	u64 src;	/* its pristine copy */
	u64 bytes;	/* image_size */
	u64 skip_start; /* [skip_start, skip_end): the code, identical in both, not copied */
	u64 skip_end;
	u64 handoff; /* the new instance's block */
	u64 stack_top;
};

/*
 * Interrupts off, the transition tables loaded (stale TLB entries dropped),
 * the image restored from its copy except the code it runs from, then
 * kernel_start(handoff, stack_top). The offsets of struct kexec_jump_args
 * are the assembly's: change both together.
 */
__noreturn void kexec_jump(const struct kexec_jump_args *a);

#endif
