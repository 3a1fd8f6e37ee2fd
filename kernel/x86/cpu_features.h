/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CPU features the kernel's paging depends on, probed once and never
 * assumed (issue 13 item 5): NX and whether EFER.NXE really sets, PAT,
 * 1 GiB pages, MAXPHYADDR, 5-level paging. The decoding is pure code over
 * CPUID and control-register values (kernel/x86/cpu_features.c, built for
 * the host tests too); reading the CPU is kernel/x86/cpu_probe.c.
 */
#ifndef EFIMAP_KERNEL_X86_CPU_FEATURES_H
#define EFIMAP_KERNEL_X86_CPU_FEATURES_H

#include "lib/types.h"

/* CPUID bit positions (Intel SDM vol. 2A, CPUID; AMD APM vol. 3, appendix E). */
#define CPUID1_EDX_PAE	    (1u << 6)  /* leaf 1 EDX: physical address extension */
#define CPUID1_EDX_PAT	    (1u << 16) /* leaf 1 EDX: page attribute table */
#define CPUID7_ECX_LA57	    (1u << 16) /* leaf 7 subleaf 0 ECX: 5-level paging */
#define CPUIDX1_EDX_NX	    (1u << 20) /* leaf 0x80000001 EDX: execute disable */
#define CPUIDX1_EDX_PDPE1GB (1u << 26) /* leaf 0x80000001 EDX: 1 GiB pages */
#define CPUID_LEAF_EXT_MAX  0x80000000u
#define CPUID_LEAF_EXT_FEAT 0x80000001u
#define CPUID_LEAF_EXT_ADDR 0x80000008u

/* Identity mappings stop here: 2^47 is the top of the lower canonical half. */
#define CPU_CANONICAL_LOW_LIMIT (1ULL << 47)

/* What the CPU reported, as read; leaves beyond the maximum are ignored by the decoder. */
struct cpu_raw {
	u32 max_basic; /* CPUID 0 EAX */
	u32 leaf1_edx; /* CPUID 1 EDX */
	u32 leaf7_ecx; /* CPUID 7.0 ECX, meaningful only if max_basic >= 7 */
	u32 max_ext;   /* CPUID 0x80000000 EAX */
	u32 ext1_edx;  /* CPUID 0x80000001 EDX, meaningful only if max_ext >= 0x80000001 */
	u32 ext8_eax;  /* CPUID 0x80000008 EAX, meaningful only if max_ext >= 0x80000008 */
	u64 cr4;       /* CR4 as the firmware left it */
	bool efer_nxe; /* EFER.NXE read back as 1 (after setting it when NX was reported) */
};

/* Things this platform cannot enforce, one bit each (cpu_unenforced()). */
#define CPU_UNENF_WX	(1u << 0) /* no usable NX: every mapped page is executable */
#define CPU_UNENF_WC_FB (1u << 1) /* no PAT: the framebuffer is uncached, not write-combining */
#define CPU_UNENF_COUNT 2u

struct cpu_features {
	bool nx;	/* CPUID reports NX */
	bool nxe;	/* EFER.NXE is on: page-table NX bits are honoured */
	bool pat;	/* CPUID reports PAT: MSR_PAT exists */
	bool gb_pages;	/* 1 GiB pages (reported; efimap maps with 2 MiB and 4 KiB only) */
	u8 maxphyaddr;	/* physical-address width in bits */
	bool la57;	/* the CPU supports 5-level paging */
	bool la57_on;	/* CR4.LA57: the firmware left 5-level paging on */
	u32 unenforced; /* CPU_UNENF_* bits */
};

/* Whether extended leaf exists, given CPUID 0x80000000 EAX (max_ext). */
bool cpu_ext_leaf_valid(u32 max_ext, u32 leaf);

/*
 * Decode raw into *f (unenforced left 0; see cpu_unenforced()). A leaf
 * beyond the reported maximum reads as absent. MAXPHYADDR without leaf
 * 0x80000008 is 36 with PAE, else 32 (Intel SDM vol. 3A section 4.1.4);
 * a reported width of 0 is treated the same way, one above 52 (the
 * architectural maximum, SDM vol. 3A section 4.5) as 52.
 */
void cpu_features_decode(const struct cpu_raw *raw, struct cpu_features *f);

/*
 * What cannot be enforced with features f: W^X without usable NX (EFER.NXE
 * off), and a write-combining framebuffer without PAT (only when there is a
 * framebuffer to map). CPU_UNENF_* bits.
 */
u32 cpu_unenforced(const struct cpu_features *f, bool framebuffer);

/* How many bits of unenforced are set. */
u32 cpu_unenforced_count(u32 unenforced);

/* The sentence for one CPU_UNENF_* bit ("W^X (no NX: ...)"), or NULL for an unknown bit. */
const char *cpu_unenforced_str(u32 bit);

/*
 * The first physical address the kernel must not identity-map:
 * min(2^maxphyaddr, 2^47). Addresses at or above 2^MAXPHYADDR do not exist
 * (a page-table entry pointing there sets reserved bits, SDM vol. 3A
 * section 4.5.4); identity addresses at or above 2^47 would fall into PML4
 * slots 256-511, the upper half where the runtime window lives.
 */
u64 cpu_identity_limit(u8 maxphyaddr);

/*
 * The summary line without its "efimap: cpu: " prefix, e.g. "nx=1 nxe=1
 * pat=1 gb_pages=1 maxphyaddr=40 la57=0 la57_on=0 unenforced=0", into
 * buf. Returns what fmt_snprintf() returns.
 */
int cpu_features_format(char *buf, size_t size, const struct cpu_features *f);

/* --- kernel only (kernel/x86/cpu_probe.c) --- */

struct handoff;

/*
 * Read the CPU once (later calls return the same record): CPUID, CR4, and
 * EFER.NXE, which is set here when CPUID reports NX and then read back.
 * h (may be NULL) says whether there is a GOP framebuffer to map, for the
 * PAT line. Prints nothing.
 */
const struct cpu_features *cpu_features_probe(const struct handoff *h);

/* The probed features (probing without a handoff if nothing probed yet). */
const struct cpu_features *cpu_features(void);

/* Whether the kernel's tables use NX: CPUID said NX and EFER.NXE is on. */
bool cpu_nx(void);

/*
 * Probe, then print "efimap: cpu: ..." once, and one "efimap: cpu: cannot
 * enforce: ..." line for each thing this platform cannot enforce.
 */
void cpu_features_report(const struct handoff *h);

#endif
