/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Re-entry (efimap.kexec=N, docs/architecture.md "Re-entry", seed 002's premise):
 * SetVirtualAddressMap happens once per boot, so every later kernel must
 * live with the layout and the firmware tables the first one kept. After
 * its verdict an instance starts a fresh one from the pristine copy of the
 * image the stub kept, at the same address, with a handoff built from its
 * own state; the new instance takes the same path as the first and checks
 * that nothing it inherited changed.
 *
 *   kexec_entry()     at entry: lock SetVirtualAddressMap away for good
 *   kexec_add_free()  after reclaim phase 1: the RAM the map no longer lists
 *   kexec_check()     after reclaim phase 2: layout, KERN, kept tables, free
 *   kexec_next()      after the verdict: start the next instance, or print
 *                     the chain's verdict (the last instance)
 */
#ifndef EFIMAP_KERNEL_KEXEC_H
#define EFIMAP_KERNEL_KEXEC_H

#include "kernel/kernel.h"
#include "kernel/palloc.h"

/* What the layout check found (handoff_kexec_hop.layout). */
enum kexec_layout {
	KEXEC_LAYOUT_NONE = 0,	/* no virtual addresses to check: SetVirtualAddressMap failed */
	KEXEC_LAYOUT_UNCHANGED, /* the layout function gives exactly the map's addresses */
	KEXEC_LAYOUT_CHANGED,	/* it does not, or they differ from the first instance's */
};

/* The checks of one instance (handoff_kexec_hop.checked and .failed). */
enum kexec_check {
	KEXEC_CHECK_LAYOUT = 1u << 0,	  /* layout function over the map == the map's addresses */
	KEXEC_CHECK_SVAM_GUARD = 1u << 1, /* a second SetVirtualAddressMap is refused */
	KEXEC_CHECK_TABLES = 1u << 2,	  /* kept firmware tables byte-identical to the first's */
	KEXEC_CHECK_KERN = 1u << 3,	  /* the same KERN ranges as the instance before */
	KEXEC_CHECK_FREE = 1u << 4,	  /* free memory not shrinking, nothing new freed */
	KEXEC_CHECK_ACCEPT = 1u << 5,	  /* no unit accepted by two instances */
	KEXEC_CHECK_RUNTIME = 1u << 6,	  /* runtime calls made, none faulted */
	KEXEC_CHECK_HOPS = 1u << 7,	  /* every earlier instance passed */
	KEXEC_CHECK_NR = 8,
};

struct kexec_state {
	bool active; /* efimap.kexec > 0, or re-entered */
	u32 hop;
	u32 instances; /* hops + 1 */
	u32 checked, failed;
	enum kexec_layout layout;
	u64 kept_kib, free_kib, freed_kib;
	u32 layout_crc;		/* runtime (phys, virt, pages) of this instance's map */
	u32 kern_ranges;	/* KERN reservations after reclaim */
	u32 kern_differences;	/* of them, not the instance before's (or not there at all) */
	u32 layout_mismatches;	/* runtime entries whose address the layout does not give */
	u32 table_mismatches;	/* kept tables whose bytes changed since the first instance */
	char first_table[96];	/* the first of them, named */
	u64 accept_twice_bytes; /* accepted by this instance and an earlier one */
	u32 svam_refused;	/* the guard's answer to the self-test's call (1: refused) */
	u32 svam_fake_calls;	/* how often the fake SetVirtualAddressMap ran (must be 0) */
	u32 earlier_failed;	/* earlier instances whose verdict was not a pass */
	u64 handed_free_pages;	/* RAM added from the handoff's kexec_free[] */
};
extern struct kexec_state kexec;

/* At entry, after the options: lock SetVirtualAddressMap away and say which hop this is. */
void kexec_entry(const struct handoff *h, const struct options *o);

/* After reclaim phase 1: hand kexec_free[] to the allocator (pages added). */
u64 kexec_add_free(const struct handoff *h, struct palloc *pa);

/* After reclaim phase 2 and the first runtime calls: run the checks (no-op without a chain). */
void kexec_check(const struct handoff *h);

/*
 * Whether this instance accepted memory the stub or an earlier instance had
 * accepted (the handoff's accept log): sets accept_twice_bytes and the
 * accept check. Again after the self-tests, which accept more.
 */
void kexec_check_accept(const struct handoff *h);

/*
 * After the verdict v: when another instance is due, build its handoff and
 * start it (no return). Otherwise, in a chain, print every hop's line and
 * the chain's verdict, and return the verdict to end with (a failed
 * earlier hop fails the chain); without one, return v.
 */
enum verdict kexec_next(struct handoff *h, const struct options *o, enum verdict v,
			const struct ktap_totals *tot);

#endif
