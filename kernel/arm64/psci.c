// SPDX-License-Identifier: BSD-2-Clause
/* PSCI through the conduit the firmware's tables name (kernel/arm64/psci.h). */
#include "kernel/arm64/fw_tables.h"
#include "kernel/arm64/psci.h"
#include "kernel/kernel.h"
#include "lib/fdt.h"
#include "lib/string.h"

static enum psci_conduit conduit;
static const char *source = "none";
static bool found;

/* The FADT's answer, or false when there is no FADT (or it is too short to say). */
static bool conduit_from_fadt(const struct handoff *h)
{
	const struct acpi_sdt_header *fadt = acpi_table_find(h, "FACP", FADT_ARM_BOOT_ARCH_OFF + 2);
	u16 flags;

	if (!fadt)
		return false;
	memcpy(&flags, (const u8 *)fadt + FADT_ARM_BOOT_ARCH_OFF, sizeof(flags));
	source = "ACPI FADT";
	if (flags & FADT_PSCI_COMPLIANT)
		conduit = (flags & FADT_PSCI_USE_HVC) ? PSCI_CONDUIT_HVC : PSCI_CONDUIT_SMC;
	return true;
}

/* The device tree's PSCI node (Linux's binding, arm/psci.yaml: "method"). */
static bool conduit_from_dt(const struct handoff *h)
{
	static const char *const compat[] = { "arm,psci-1.0", "arm,psci-0.2", "arm,psci" };
	const void *blob = fdt_config_blob(h);
	struct fdt f;
	const char *m;
	int node = -1;
	u32 len;

	if (!blob || fdt_open(&f, blob, 1u << 24) != FDT_OK)
		return false;
	for (u32 i = 0; i < ARRAY_SIZE(compat) && node < 0; i++)
		node = fdt_find_compatible(&f, -1, compat[i]);
	m = fdt_getprop(&f, node, "method", &len);
	if (!m)
		return false;
	source = "device tree";
	if (len == 4 && !memcmp(m, "hvc", 4))
		conduit = PSCI_CONDUIT_HVC;
	else if (len == 4 && !memcmp(m, "smc", 4))
		conduit = PSCI_CONDUIT_SMC;
	return true;
}

void psci_init(const struct handoff *h)
{
	if (found)
		return;
	found = true;
	if (!conduit_from_fadt(h))
		conduit_from_dt(h);
}

enum psci_conduit psci_conduit(void)
{
	return conduit;
}

const char *psci_conduit_name(void)
{
	return conduit == PSCI_CONDUIT_HVC ? "hvc" : conduit == PSCI_CONDUIT_SMC ? "smc" : "none";
}

const char *psci_conduit_source(void)
{
	return source;
}

/*
 * One PSCI call (SMC Calling Convention, DEN0028: function ID in w0,
 * result in x0; x1-x17 may be changed by the callee). The conduit is not
 * checked against ID_AA64PFR0_EL1's EL2/EL3 fields: a guest sees no EL2,
 * yet its HVC reaches the hypervisor's PSCI (QEMU virt, KVM).
 */
static u64 psci_call(u32 fn)
{
	register u64 x0 __asm__("x0") = fn;

	if (conduit == PSCI_CONDUIT_HVC)
		__asm__ volatile("hvc #0"
				 : "+r"(x0)
				 :
				 : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
				   "x11", "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	else if (conduit == PSCI_CONDUIT_SMC)
		__asm__ volatile("smc #0"
				 : "+r"(x0)
				 :
				 : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
				   "x11", "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return x0;
}

void psci_system_off(void)
{
	if (conduit != PSCI_CONDUIT_NONE)
		psci_call(PSCI_0_2_FN_SYSTEM_OFF);
}

void psci_system_reset(void)
{
	if (conduit != PSCI_CONDUIT_NONE)
		psci_call(PSCI_0_2_FN_SYSTEM_RESET);
}

void arch_power_off(bool reboot)
{
	if (conduit == PSCI_CONDUIT_NONE)
		return;
	printk("efimap: exit: PSCI %s through %s (%s)", reboot ? "SYSTEM_RESET" : "SYSTEM_OFF",
	       psci_conduit_name(), psci_conduit_source());
	if (reboot)
		psci_system_reset();
	else
		psci_system_off();
}
