// SPDX-License-Identifier: BSD-2-Clause
/*
 * The serial console on AArch64: a PL011 (or an SBSA generic UART, its
 * register subset) wherever the firmware's tables say it is; nothing sits
 * at a fixed address on Arm. Where it comes from, in order:
 *   1. ACPI SPCR (Microsoft's "Serial Port Console Redirection Table",
 *      revision 2+; interface types from the DBG2 table's serial
 *      subtypes): a PL011 or SBSA UART in system memory;
 *   2. the device tree: /chosen stdout-path (alias resolved), else the
 *      first "arm,pl011" / "arm,sbsa-uart" node, its reg translated.
 * None found: the kernel runs silent on serial (the screen and the
 * stored report still work); nothing here waits without bound.
 *
 * The firmware has set the UART up (it is its console): the baud rate and
 * line settings are kept, so the clock, which no table gives reliably,
 * never matters. The same lookups find the PSCI conduit (psci_init) while
 * the firmware's tables are certainly mapped and not yet freed.
 */
#include "kernel/arch.h"
#include "kernel/arm64/fw_tables.h"
#include "kernel/arm64/psci.h"
#include "kernel/arm64/serial.h"
#include "kernel/kernel.h"
#include "lib/fdt.h"
#include "lib/printf.h"
#include "lib/string.h"

/* PL011 registers (Arm PrimeCell UART (PL011) TRM, DDI 0183, section 3.2). */
#define UART_DR		 0x000
#define UART_FR		 0x018
#define UART_CR		 0x030
#define FR_TXFF		 (1u << 5) /* transmit FIFO full */
#define CR_UARTEN	 (1u << 0)
#define CR_TXE		 (1u << 8)
#define UART_REGION_SIZE 0x1000ULL /* the PL011's 4 KiB register frame */

/* SPCR fields (SPCR revision 2: interface type at 36, base address GAS at 40). */
#define SPCR_OFF_TYPE	      36
#define SPCR_OFF_BASE	      40 /* ACPI 6.5 section 5.2.3.2 generic address structure */
#define SPCR_MIN_LEN	      52
#define GAS_SPACE_MEMORY      0
#define DBG2_ARM_PL011	      0x03 /* serial port subtypes (DBG2 table, table 3) */
#define DBG2_ARM_SBSA_32BIT   0x0d
#define DBG2_ARM_SBSA_GENERIC 0x0e

static u64 uart_base, uart_size;
static bool present, full_pl011;
static const char *source = "none";
static char why[96] = "no SPCR table and no device tree with a PL011";

static u32 uart_read(u32 reg)
{
	return *(volatile u32 *)(uintptr_t)(uart_base + reg);
}

static void uart_write(u32 reg, u32 v)
{
	*(volatile u32 *)(uintptr_t)(uart_base + reg) = v;
}

/* The console from ACPI SPCR; false when there is no usable one (why says so). */
static bool from_spcr(void)
{
	const struct acpi_sdt_header *spcr = acpi_table_find(NULL, "SPCR", SPCR_MIN_LEN);
	const u8 *p = (const u8 *)spcr;
	u8 type;
	u64 addr;

	if (!spcr)
		return false;
	type = p[SPCR_OFF_TYPE];
	memcpy(&addr, p + SPCR_OFF_BASE + 4, sizeof(addr));
	if (type != DBG2_ARM_PL011 && type != DBG2_ARM_SBSA_32BIT &&
	    type != DBG2_ARM_SBSA_GENERIC) {
		fmt_snprintf(why, sizeof(why), "SPCR names interface type 0x%02x, not a PL011",
			     type);
		return false;
	}
	/* A zero base address means console redirection is off (SPCR: "Base Address"). */
	if (p[SPCR_OFF_BASE] != GAS_SPACE_MEMORY || !addr) {
		fmt_snprintf(why, sizeof(why), "SPCR's UART is not in memory (space %u, 0x%llx)",
			     p[SPCR_OFF_BASE], (unsigned long long)addr);
		return false;
	}
	uart_base = addr;
	uart_size = UART_REGION_SIZE;
	full_pl011 = type == DBG2_ARM_PL011;
	source = "ACPI SPCR";
	return true;
}

/* A PL011 or SBSA UART node's first reg entry; false if it is neither or has none. */
static bool take_node(const struct fdt *f, int node, const char *src)
{
	u64 addr, size;
	bool pl011 = fdt_compatible(f, node, "arm,pl011");

	if (!pl011 && !fdt_compatible(f, node, "arm,sbsa-uart"))
		return false;
	if (!fdt_reg(f, node, 0, &addr, &size) || !addr)
		return false;
	uart_base = addr;
	uart_size = size > UART_REGION_SIZE ? size : UART_REGION_SIZE;
	full_pl011 = pl011;
	source = src;
	return true;
}

static bool from_device_tree(void)
{
	const void *blob = fdt_config_blob(NULL);
	enum fdt_error e;
	struct fdt f;
	int node;

	if (!blob)
		return false;
	e = fdt_open(&f, blob, 1u << 24);
	if (e != FDT_OK) {
		fmt_snprintf(why, sizeof(why), "the device tree is unusable (%s)",
			     fdt_error_str(e));
		return false;
	}
	node = fdt_stdout_node(&f);
	if (node >= 0 && take_node(&f, node, "device tree stdout-path"))
		return true;
	node = fdt_find_compatible(&f, -1, "arm,pl011");
	if (node < 0)
		node = fdt_find_compatible(&f, -1, "arm,sbsa-uart");
	if (node >= 0 && take_node(&f, node, "device tree pl011 node"))
		return true;
	fmt_snprintf(why, sizeof(why), "the device tree names no PL011 with an address");
	return false;
}

void serial_init_from(struct handoff *h)
{
	arm64_boot_handoff = h;
	serial_init();
}

void serial_init(void)
{
	static bool tried;

	/* Once per image: the stub's call (serial_init_from) or kernel_main's, whichever first. */
	if (tried)
		return;
	tried = true;
	psci_init(NULL);
	if (!fw_tables_handoff(NULL))
		return;
	if (!from_spcr() && !from_device_tree())
		return;
	/* A full PL011 the firmware left off: on, transmit enabled (SBSA UARTs have no CR). */
	if (full_pl011 && (uart_read(UART_CR) & (CR_UARTEN | CR_TXE)) != (CR_UARTEN | CR_TXE))
		uart_write(UART_CR, uart_read(UART_CR) | CR_UARTEN | CR_TXE);
	present = true;
	printk("efimap: serial: pl011 at 0x%llx (%s); psci: %s (%s)", (unsigned long long)uart_base,
	       source, psci_conduit_name(), psci_conduit_source());
}

u64 serial_mmio_base(void)
{
	return present ? uart_base : 0;
}

u64 serial_mmio_size(void)
{
	return present ? uart_size : 0;
}

const char *serial_absent_reason(void)
{
	return present ? "" : why;
}

static void put(char c)
{
	/* Bounded: a UART that never drains (no clock, wrong address) must not hang the run. */
	for (u32 spin = 0; spin < 1000000 && (uart_read(UART_FR) & FR_TXFF); spin++)
		cpu_relax();
	uart_write(UART_DR, (u8)c);
}

void serial_write(const char *s, size_t n)
{
	if (!present)
		return;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			put('\r');
		put(s[i]);
	}
}
