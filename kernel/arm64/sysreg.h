/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * AArch64 system registers the kernel reads or writes, and the fields it
 * decodes. "Arm ARM" is the Arm Architecture Reference Manual for
 * A-profile (DDI 0487); each field comes from the register's own page in
 * its chapter "AArch64 System Register Descriptions", named below (chapter
 * numbers move between issues of the manual, register names do not).
 */
#ifndef EFIMAP_KERNEL_ARM64_SYSREG_H
#define EFIMAP_KERNEL_ARM64_SYSREG_H

#include "lib/types.h"

/* Read or write a system register by its assembler name: read_sysreg(esr_el1). */
#define read_sysreg(reg)                                       \
	({                                                     \
		u64 __v;                                       \
		__asm__ volatile("mrs %0, " #reg : "=r"(__v)); \
		__v;                                           \
	})
#define write_sysreg(reg, v)                                                  \
	do {                                                                  \
		u64 __v = (u64)(v);                                           \
		__asm__ volatile("msr " #reg ", %0" : : "r"(__v) : "memory"); \
	} while (0)

static inline void isb(void)
{
	__asm__ volatile("isb" : : : "memory");
}

static inline void dsb_sy(void)
{
	__asm__ volatile("dsb sy" : : : "memory");
}

/* ESR_ELx (Arm ARM, ESR_EL1): EC [31:26], IL [25], ISS [24:0]. */
#define ESR_EC_SHIFT 26
#define ESR_EC_MASK  0x3fULL
#define ESR_IL	     (1ULL << 25)
#define ESR_ISS_MASK 0x1ffffffULL
#define esr_ec(esr)  (((esr) >> ESR_EC_SHIFT) & ESR_EC_MASK)
/* Exception classes (Arm ARM, ESR_EL1.EC). */
#define ESR_EC_UNKNOWN	  0x00
#define ESR_EC_WFX	  0x01
#define ESR_EC_FP_ASIMD	  0x07
#define ESR_EC_ILL_STATE  0x0e /* illegal execution state */
#define ESR_EC_SVC64	  0x15
#define ESR_EC_HVC64	  0x16
#define ESR_EC_SMC64	  0x17
#define ESR_EC_SYSREG	  0x18 /* trapped MSR/MRS/system instruction */
#define ESR_EC_IABT_LOWER 0x20
#define ESR_EC_IABT_CUR	  0x21
#define ESR_EC_PC_ALIGN	  0x22
#define ESR_EC_DABT_LOWER 0x24
#define ESR_EC_DABT_CUR	  0x25
#define ESR_EC_SP_ALIGN	  0x26
#define ESR_EC_SERROR	  0x2f
#define ESR_EC_BRK64	  0x3c
/* Data/instruction abort ISS (Arm ARM, "ISS encoding for an exception from a Data Abort"). */
#define ESR_ISS_WNR	    (1ULL << 6)	 /* data abort: caused by a write */
#define ESR_ISS_CM	    (1ULL << 8)	 /* data abort: from a cache maintenance instruction */
#define ESR_ISS_FNV	    (1ULL << 10) /* FAR not valid */
#define ESR_ISS_FSC_MASK    0x3fULL	 /* DFSC/IFSC */
#define ESR_FSC_TYPE(fsc)   ((fsc)&0x3c) /* the kind, level bits [1:0] dropped */
#define ESR_FSC_ADDR_SIZE   0x00
#define ESR_FSC_TRANSLATION 0x04
#define ESR_FSC_ACCESS	    0x08
#define ESR_FSC_PERMISSION  0x0c

/* SPSR_EL1 / PSTATE (Arm ARM, SPSR_EL1): mode M[3:0], the DAIF mask bits. */
#define SPSR_MODE_MASK 0xfULL
#define SPSR_MODE_EL1H 0x5ULL /* EL1 using SP_EL1 */
#define SPSR_DAIF      (0xfULL << 6)

/* ID_AA64MMFR0_EL1 (Arm ARM). */
#define MMFR0_PARANGE(v) ((v)&0xf)	     /* [3:0] physical address range */
#define MMFR0_TGRAN4(v)	 (((v) >> 28) & 0xf) /* [31:28] 0 or 1: supported, 0xf: not */
#define MMFR0_TGRAN64(v) (((v) >> 24) & 0xf) /* [27:24] 0: supported, 0xf: not */
#define MMFR0_TGRAN16(v) (((v) >> 20) & 0xf) /* [23:20] 0: not, 1 or 2: supported */
/* ID_AA64MMFR2_EL1 (Arm ARM): VARange [19:16], 1 = 52-bit VA with 64 KiB granule. */
#define MMFR2_VARANGE(v) (((v) >> 16) & 0xf)
/* ID_AA64PFR0_EL1 (Arm ARM): EL1 [7:4], EL2 [11:8], EL3 [15:12]; 0 = not implemented. */
#define PFR0_EL2(v) (((v) >> 8) & 0xf)
#define PFR0_EL3(v) (((v) >> 12) & 0xf)

/* TCR_EL1 (Arm ARM): T0SZ [5:0], T1SZ [21:16], IPS [34:32], EPD1 [23]. */
#define TCR_T0SZ(v) ((v)&0x3f)
#define TCR_T1SZ(v) (((v) >> 16) & 0x3f)
#define TCR_IPS(v)  (((v) >> 32) & 0x7)
#define TCR_EPD1    (1ULL << 23)

/* SCTLR_EL1 (Arm ARM): M [0] MMU on, WXN [19] writable implies XN. */
#define SCTLR_M	  (1ULL << 0)
#define SCTLR_WXN (1ULL << 19)

/* CurrentEL (Arm ARM, CurrentEL): the EL in bits [3:2]. */
#define CURRENTEL_EL(v) (((v) >> 2) & 0x3)

#endif
