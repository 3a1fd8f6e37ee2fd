/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A small read-only reader of flattened device trees (Devicetree
 * Specification v0.4, chapter 5 "Flattened Devicetree (DTB) Format"):
 * enough to find a console and the PSCI method on a firmware that
 * describes its machine by a device tree instead of ACPI. Freestanding,
 * host-tested (tests/unit/fdt_test.c). Every read is checked against the
 * blob's own sizes: a damaged blob gives "not found", never a read outside it.
 *
 * Nodes are named by their offset in the structure block (that of their
 * FDT_BEGIN_NODE token); negative values mean "none".
 */
#ifndef EFIMAP_LIB_FDT_H
#define EFIMAP_LIB_FDT_H

#include "lib/types.h"

#define FDT_MAGIC	0xd00dfeedu /* section 5.2: the header's first word, big-endian */
#define FDT_BEGIN_NODE	0x1u	    /* section 5.4.1: the structure block's tokens */
#define FDT_END_NODE	0x2u
#define FDT_PROP	0x3u
#define FDT_NOP		0x4u
#define FDT_END		0x9u
#define FDT_HEADER_SIZE 40u
#define FDT_MAX_DEPTH	32 /* deeper trees are refused as damaged */

struct fdt {
	const u8 *blob;
	u32 total;	  /* totalsize */
	u32 struct_off;	  /* off_dt_struct */
	u32 struct_size;  /* size_dt_struct (version 17), else what lies before the strings */
	u32 strings_off;  /* off_dt_strings */
	u32 strings_size; /* size_dt_strings */
	u32 version;
};

enum fdt_error {
	FDT_OK = 0,
	FDT_ERR_NULL,
	FDT_ERR_MAGIC,	 /* not 0xd00dfeed */
	FDT_ERR_SIZE,	 /* totalsize below the header or above what the caller allows */
	FDT_ERR_VERSION, /* last_comp_version above 17, or version below 16 */
	FDT_ERR_LAYOUT,	 /* a block outside the blob, or the structure block misaligned */
};

/* Check the header (section 5.2) of blob, which may be at most max_size bytes long. */
enum fdt_error fdt_open(struct fdt *f, const void *blob, u32 max_size);
const char *fdt_error_str(enum fdt_error e);

/* The root node's offset, or -1. */
int fdt_root(const struct fdt *f);

/*
 * The node after node in document order, or -1 at the end (or on damage).
 * *depth is node's depth on entry (the root's is 0) and the returned
 * node's on return; walking stops when it would leave the tree.
 */
int fdt_next_node(const struct fdt *f, int node, int *depth);

/* The node's name ("" for the root, "serial@9000000" otherwise), or NULL. */
const char *fdt_node_name(const struct fdt *f, int node);

/* The parent's offset, or -1 for the root (or on damage). */
int fdt_parent(const struct fdt *f, int node);

/*
 * The node at path ("/chosen", "/soc/serial@20000"; a component without a
 * unit address also matches a name that has one, section 2.2.1), len bytes
 * of it, or -1.
 */
int fdt_path_offset(const struct fdt *f, const char *path, size_t len);

/* A property's value and length (*len), or NULL when node has no such property. */
const void *fdt_getprop(const struct fdt *f, int node, const char *name, u32 *len);

/* Whether the node's "compatible" string list holds compat exactly (section 2.3.1). */
bool fdt_compatible(const struct fdt *f, int node, const char *compat);

/* The first node after start (-1: from the root) compatible with compat, or -1. */
int fdt_find_compatible(const struct fdt *f, int start, const char *compat);

/*
 * Entry index of the node's "reg" as a CPU physical address and size: the
 * cells counted by the parent's #address-cells/#size-cells (defaults 2 and
 * 1, section 2.3.5), then translated through every ancestor bus's "ranges"
 * up to the root (section 2.3.8: empty ranges is identity, no ranges means
 * no translation exists). False if anything is missing, or an address
 * needs more than 64 bits.
 */
bool fdt_reg(const struct fdt *f, int node, u32 index, u64 *addr, u64 *size);

/*
 * The node /chosen's stdout-path names (section 3.6), the alias resolved
 * through /aliases (section 3.3) and the ":options" part dropped; -1 when
 * there is none or it names no node.
 */
int fdt_stdout_node(const struct fdt *f);

#endif
