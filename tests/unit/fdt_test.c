// SPDX-License-Identifier: BSD-2-Clause
/*
 * lib/fdt.c against device trees built here token by token as the
 * Devicetree Specification v0.4 chapter 5 lays a DTB out: a 40-byte
 * big-endian header (5.2), an empty memory reservation block (5.3), the
 * structure block's FDT_BEGIN_NODE / FDT_PROP / FDT_END_NODE / FDT_END
 * tokens with 4-byte padding (5.4), the strings block (5.5). The expected
 * addresses are worked out by hand from the tree's reg and ranges cells
 * (sections 2.3.6 and 2.3.8), not taken from the reader.
 */
#include "lib/fdt.h"
#include "lib/string.h"
#include "tests/unit/suites.h"

#define HDR  40u
#define RSV  16u /* one all-zero (address, size) pair ends the reservation block */
#define SOFF (HDR + RSV)

static u8 blob[2048];
static u32 at; /* next free byte of the structure block, from blob[0] */
static const char strs[] = "#address-cells\0#size-cells\0compatible\0reg\0ranges\0"
			   "stdout-path\0serial0\0method\0model";

static void put32(u32 off, u32 v)
{
	blob[off] = (u8)(v >> 24);
	blob[off + 1] = (u8)(v >> 16);
	blob[off + 2] = (u8)(v >> 8);
	blob[off + 3] = (u8)v;
}

static void tok(u32 v)
{
	put32(at, v);
	at += 4;
}

/* The offset of name in strs (a whole string of it). */
static u32 stroff(const char *name)
{
	for (u32 i = 0; i < sizeof(strs); i += (u32)strlen(strs + i) + 1)
		if (!strcmp(strs + i, name))
			return i;
	return 0xffffffffu;
}

static void begin(const char *name)
{
	u32 n = (u32)strlen(name) + 1;

	tok(FDT_BEGIN_NODE);
	memset(blob + at, 0, ALIGN_UP(n, 4));
	memcpy(blob + at, name, n);
	at += (u32)ALIGN_UP(n, 4);
}

static void prop(const char *name, const void *val, u32 len)
{
	tok(FDT_PROP);
	tok(len);
	tok(stroff(name));
	memset(blob + at, 0, ALIGN_UP(len, 4));
	memcpy(blob + at, val, len);
	at += (u32)ALIGN_UP(len, 4);
}

/* A property of n big-endian cells. */
static void prop_cells(const char *name, const u32 *c, u32 n)
{
	u8 v[64];

	for (u32 i = 0; i < n; i++) {
		v[4 * i] = (u8)(c[i] >> 24);
		v[4 * i + 1] = (u8)(c[i] >> 16);
		v[4 * i + 2] = (u8)(c[i] >> 8);
		v[4 * i + 3] = (u8)c[i];
	}
	prop(name, v, 4 * n);
}

static void prop_str(const char *name, const char *s)
{
	prop(name, s, (u32)strlen(s) + 1);
}

/* The header and strings around the structure block built so far; returns totalsize. */
static u32 finish(void)
{
	u32 struct_size, total;

	tok(FDT_END);
	struct_size = at - SOFF;
	memcpy(blob + at, strs, sizeof(strs));
	total = at + (u32)sizeof(strs);
	put32(0, FDT_MAGIC);
	put32(4, total);
	put32(8, SOFF);
	put32(12, at);
	put32(16, HDR);
	put32(20, 17);
	put32(24, 16);
	put32(28, 0);
	put32(32, sizeof(strs));
	put32(36, struct_size);
	return total;
}

/*
 * / { #address-cells = <2>; #size-cells = <2>;
 *     chosen { stdout-path = "serial0:115200n8"; };
 *     aliases { serial0 = "/soc/serial@20000"; };
 *     pl011@9000000 { compatible = "arm,pl011", "arm,primecell";
 *                     reg = <0x0 0x9000000 0x0 0x1000>; };
 *     psci { compatible = "arm,psci-1.0"; method = "hvc"; };
 *     soc { #address-cells = <1>; #size-cells = <1>;
 *           ranges = <0x0  0x1 0x10000000  0x100000>;
 *           serial@20000 { compatible = "arm,pl011"; reg = <0x20000 0x1000>; };
 *           serial@200000 { compatible = "arm,pl011"; reg = <0x200000 0x1000>; }; };
 *     bus { #address-cells = <1>; #size-cells = <1>;   (no ranges: not mapped)
 *           uart@0 { compatible = "arm,sbsa-uart"; reg = <0x0 0x1000>; }; }; };
 */
static u32 build(bool with_stdout)
{
	static const u32 two[] = { 2 }, one[] = { 1 };
	static const u32 pl011_reg[] = { 0, 0x9000000, 0, 0x1000 };
	static const u32 soc_ranges[] = { 0x0, 0x1, 0x10000000, 0x100000 };
	static const u32 s1_reg[] = { 0x20000, 0x1000 }, s2_reg[] = { 0x200000, 0x1000 };
	static const u32 u_reg[] = { 0x0, 0x1000 };
	static const char compat[] = "arm,pl011\0arm,primecell";

	memset(blob, 0, sizeof(blob));
	at = SOFF;
	begin("");
	prop_cells("#address-cells", two, 1);
	prop_cells("#size-cells", two, 1);
	begin("chosen");
	if (with_stdout)
		prop_str("stdout-path", "serial0:115200n8");
	tok(FDT_END_NODE);
	begin("aliases");
	prop_str("serial0", "/soc/serial@20000");
	tok(FDT_END_NODE);
	tok(FDT_NOP); /* section 5.4.1: ignored wherever it appears */
	begin("pl011@9000000");
	prop("compatible", compat, sizeof(compat));
	prop_cells("reg", pl011_reg, 4);
	tok(FDT_END_NODE);
	begin("psci");
	prop_str("compatible", "arm,psci-1.0");
	prop_str("method", "hvc");
	tok(FDT_END_NODE);
	begin("soc");
	prop_cells("#address-cells", one, 1);
	prop_cells("#size-cells", one, 1);
	prop_cells("ranges", soc_ranges, 4);
	begin("serial@20000");
	prop_str("compatible", "arm,pl011");
	prop_cells("reg", s1_reg, 2);
	tok(FDT_END_NODE);
	begin("serial@200000");
	prop_str("compatible", "arm,pl011");
	prop_cells("reg", s2_reg, 2);
	tok(FDT_END_NODE);
	tok(FDT_END_NODE);
	begin("bus");
	prop_cells("#address-cells", one, 1);
	prop_cells("#size-cells", one, 1);
	begin("uart@0");
	prop_str("compatible", "arm,sbsa-uart");
	prop_cells("reg", u_reg, 2);
	tok(FDT_END_NODE);
	tok(FDT_END_NODE);
	tok(FDT_END_NODE);
	return finish();
}

static void header_is_checked(struct ktap_test *t)
{
	struct fdt f;
	u32 total = build(true);

	KT_EXPECT_EQ(t, fdt_open(&f, blob, total), FDT_OK);
	KT_EXPECT_EQ(t, fdt_root(&f), 0);
	KT_EXPECT_EQ(t, fdt_open(&f, NULL, total), FDT_ERR_NULL);
	KT_EXPECT_EQ(t, fdt_open(&f, blob, total - 1),
		     FDT_ERR_SIZE); /* totalsize beyond the room */
	KT_EXPECT_EQ(t, fdt_open(&f, blob, HDR - 1), FDT_ERR_SIZE);
	put32(20, 15); /* version 15: older than any reader of 17 must accept */
	KT_EXPECT_EQ(t, fdt_open(&f, blob, total), FDT_ERR_VERSION);
	put32(20, 17);
	put32(24, 18); /* last_comp_version 18: not backwards compatible with 17 */
	KT_EXPECT_EQ(t, fdt_open(&f, blob, total), FDT_ERR_VERSION);
	put32(24, 16);
	put32(36, total); /* size_dt_struct past the end */
	KT_EXPECT_EQ(t, fdt_open(&f, blob, total), FDT_ERR_LAYOUT);
	build(true);
	put32(8, SOFF + 2); /* the structure block must be 4-byte aligned (5.4) */
	KT_EXPECT_EQ(t, fdt_open(&f, blob, total), FDT_ERR_LAYOUT);
	blob[0] = 0xd0 ^ 1;
	KT_EXPECT_EQ(t, fdt_open(&f, blob, total), FDT_ERR_MAGIC);
	KT_EXPECT_STREQ(t, fdt_error_str(FDT_ERR_MAGIC), "bad magic");
}

static void paths_names_and_parents(struct ktap_test *t)
{
	struct fdt f;
	int soc, s1, s2, root;

	KT_ASSERT(t, fdt_open(&f, blob, build(true)) == FDT_OK);
	root = fdt_root(&f);
	soc = fdt_path_offset(&f, "/soc", 4);
	s1 = fdt_path_offset(&f, "/soc/serial@20000", 17);
	s2 = fdt_path_offset(&f, "/soc/serial@200000", 18);
	KT_EXPECT(t, soc > 0 && s1 > soc && s2 > s1);
	KT_EXPECT_STREQ(t, fdt_node_name(&f, s1), "serial@20000");
	KT_EXPECT_EQ(t, fdt_parent(&f, s2), soc);
	KT_EXPECT_EQ(t, fdt_parent(&f, soc), root);
	KT_EXPECT_EQ(t, fdt_parent(&f, root), -1);
	/* Without a unit address a component matches the first node of that name (2.2.1). */
	KT_EXPECT_EQ(t, fdt_path_offset(&f, "/soc/serial", 11), s1);
	KT_EXPECT_EQ(t, fdt_path_offset(&f, "//soc//", 7), soc);
	KT_EXPECT_EQ(t, fdt_path_offset(&f, "/", 1), root);
	KT_EXPECT_EQ(t, fdt_path_offset(&f, "/serial@20000", 13), -1); /* not a child of / */
	KT_EXPECT_EQ(t, fdt_path_offset(&f, "/soc/serial@2", 13), -1);
	KT_EXPECT_EQ(t, fdt_path_offset(&f, "soc", 3), -1);
	KT_EXPECT_EQ(t, fdt_path_offset(&f, "/so", 3), -1); /* a prefix is not a name */
	KT_EXPECT_EQ(t, fdt_path_offset(&f, "/pl011@9000000/x", 16), -1);
}

static void properties_and_compatible(struct ktap_test *t)
{
	struct fdt f;
	int psci, pl011;
	u32 len = 0;
	const char *m;

	KT_ASSERT(t, fdt_open(&f, blob, build(true)) == FDT_OK);
	psci = fdt_path_offset(&f, "/psci", 5);
	m = fdt_getprop(&f, psci, "method", &len);
	KT_EXPECT(t, m && len == 4 && !strcmp(m, "hvc"));
	KT_EXPECT(t, !fdt_getprop(&f, psci, "reg", &len));
	KT_EXPECT(t, !fdt_getprop(&f, psci, "meth", &len));
	pl011 = fdt_path_offset(&f, "/pl011@9000000", 14);
	/* Each string of the list counts; a prefix or a longer name does not. */
	KT_EXPECT(t, fdt_compatible(&f, pl011, "arm,primecell"));
	KT_EXPECT(t, fdt_compatible(&f, pl011, "arm,pl011"));
	KT_EXPECT(t, !fdt_compatible(&f, pl011, "arm,pl01"));
	KT_EXPECT(t, !fdt_compatible(&f, pl011, "arm,pl0111"));
	KT_EXPECT_EQ(t, fdt_find_compatible(&f, -1, "arm,pl011"), pl011);
	KT_EXPECT_EQ(t, fdt_find_compatible(&f, pl011, "arm,pl011"),
		     fdt_path_offset(&f, "/soc/serial@20000", 17));
	KT_EXPECT_EQ(t, fdt_find_compatible(&f, -1, "arm,psci-1.0"), psci);
	KT_EXPECT_EQ(t, fdt_find_compatible(&f, -1, "ns16550a"), -1);
}

static void reg_translates_through_ranges(struct ktap_test *t)
{
	struct fdt f;
	u64 a = 0, s = 0;

	KT_ASSERT(t, fdt_open(&f, blob, build(true)) == FDT_OK);
	/* Root: 2 address cells, 2 size cells. */
	KT_EXPECT(t, fdt_reg(&f, fdt_path_offset(&f, "/pl011@9000000", 14), 0, &a, &s));
	KT_EXPECT_EQ(t, a, 0x9000000ULL);
	KT_EXPECT_EQ(t, s, 0x1000ULL);
	KT_EXPECT(t, !fdt_reg(&f, fdt_path_offset(&f, "/pl011@9000000", 14), 1, &a, &s));
	/* soc maps its 0x0-0xfffff at 0x1_1000_0000: 0x20000 is 0x1_1002_0000. */
	KT_EXPECT(t, fdt_reg(&f, fdt_path_offset(&f, "/soc/serial@20000", 17), 0, &a, &s));
	KT_EXPECT_EQ(t, a, 0x110020000ULL);
	KT_EXPECT_EQ(t, s, 0x1000ULL);
	/* 0x200000 is beyond the 1 MiB the range covers: no CPU address. */
	KT_EXPECT(t, !fdt_reg(&f, fdt_path_offset(&f, "/soc/serial@200000", 18), 0, &a, &s));
	/* A bus without ranges does not map its children (2.3.8). */
	KT_EXPECT(t, !fdt_reg(&f, fdt_path_offset(&f, "/bus/uart@0", 11), 0, &a, &s));
	KT_EXPECT(t, !fdt_reg(&f, fdt_root(&f), 0, &a, &s));
}

static void stdout_path_and_alias(struct ktap_test *t)
{
	struct fdt f;

	KT_ASSERT(t, fdt_open(&f, blob, build(true)) == FDT_OK);
	/* "serial0:115200n8": the alias, options dropped, gives /soc/serial@20000. */
	KT_EXPECT_EQ(t, fdt_stdout_node(&f), fdt_path_offset(&f, "/soc/serial@20000", 17));
	KT_ASSERT(t, fdt_open(&f, blob, build(false)) == FDT_OK);
	KT_EXPECT_EQ(t, fdt_stdout_node(&f), -1);
}

static void damage_is_not_found(struct ktap_test *t)
{
	struct fdt f;
	u32 total = build(true);
	int depth = 0, n, count = 0;

	KT_ASSERT(t, fdt_open(&f, blob, total) == FDT_OK);
	for (n = fdt_root(&f); n >= 0; n = fdt_next_node(&f, n, &depth))
		count++;
	KT_EXPECT_EQ(t, count, 10); /* /, chosen, aliases, pl011, psci, soc, 2 serials, bus, uart */
	/* The root's first property claims a length running past the structure block. */
	put32(SOFF + 8 + 4, 0x7ffffff0u);
	KT_ASSERT(t, fdt_open(&f, blob, total) == FDT_OK);
	KT_EXPECT(t, !fdt_getprop(&f, fdt_root(&f), "#address-cells", NULL));
	KT_EXPECT_EQ(t, fdt_path_offset(&f, "/soc", 4), -1);
	KT_EXPECT_EQ(t, fdt_stdout_node(&f), -1);
	/* A name offset outside the strings block matches nothing. */
	build(true);
	put32(SOFF + 8 + 8, 0x10000u);
	KT_ASSERT(t, fdt_open(&f, blob, total) == FDT_OK);
	KT_EXPECT(t, !fdt_getprop(&f, fdt_root(&f), "#address-cells", NULL));
	/* An unknown token ends the walk. */
	build(true);
	put32(SOFF, 0x7);
	KT_ASSERT(t, fdt_open(&f, blob, total) == FDT_OK);
	KT_EXPECT_EQ(t, fdt_root(&f), -1);
	KT_EXPECT_EQ(t, fdt_path_offset(&f, "/chosen", 7), -1);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(header_is_checked),	      KTAP_CASE(paths_names_and_parents),
	KTAP_CASE(properties_and_compatible), KTAP_CASE(reg_translates_through_ranges),
	KTAP_CASE(stdout_path_and_alias),     KTAP_CASE(damage_is_not_found),
};
KTAP_SUITE(fdt_suite, "fdt", cases);
