/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PSCI (Arm Power State Coordination Interface, DEN0022) for ending a run
 * when ResetSystem did not: SYSTEM_OFF and SYSTEM_RESET, through the
 * conduit (HVC or SMC) the firmware's tables name.
 */
#ifndef EFIMAP_KERNEL_ARM64_PSCI_H
#define EFIMAP_KERNEL_ARM64_PSCI_H

#include "kernel/handoff.h"
#include "lib/types.h"

/* Function IDs, SMC32 calling convention (DEN0022 section 5.1, table "PSCI function IDs"). */
#define PSCI_0_2_FN_VERSION	 0x84000000u
#define PSCI_0_2_FN_SYSTEM_OFF	 0x84000008u
#define PSCI_0_2_FN_SYSTEM_RESET 0x84000009u

/* FADT ARM_BOOT_ARCH: 2 bytes at offset 129 (ACPI 6.5 section 5.2.9; its flags: table 5.12). */
#define FADT_ARM_BOOT_ARCH_OFF 129u
#define FADT_PSCI_COMPLIANT    (1u << 0)
#define FADT_PSCI_USE_HVC      (1u << 1)

enum psci_conduit {
	PSCI_CONDUIT_NONE = 0, /* no table says PSCI is there: never call it */
	PSCI_CONDUIT_SMC,
	PSCI_CONDUIT_HVC,
};

/*
 * Find the conduit once, while the firmware's tables are still mapped and
 * unfreed: the ACPI FADT's ARM_BOOT_ARCH flags (PSCI_COMPLIANT, then
 * PSCI_USE_HVC), else the device tree's PSCI node "method" ("hvc"/"smc").
 * h may be NULL (then the block kernel_start was given).
 */
void psci_init(const struct handoff *h);
enum psci_conduit psci_conduit(void);
/* "hvc", "smc" or "none", and which table said so ("ACPI FADT", "device tree", "none"). */
const char *psci_conduit_name(void);
const char *psci_conduit_source(void);

/*
 * The arch's last way to end a run after ResetSystem did not (kernel_end,
 * kernel/exit.c): PSCI SYSTEM_RESET (reboot) or SYSTEM_OFF through the
 * conduit, said on one line first. Returns when there is no conduit or the
 * call failed. x86 twin: an empty inline in kernel/x86/arch.h.
 */
void arch_power_off(bool reboot);

/* SYSTEM_OFF / SYSTEM_RESET; they return only when there is no conduit or the call failed. */
void psci_system_off(void);
void psci_system_reset(void);

#endif
