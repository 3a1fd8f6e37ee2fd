// SPDX-License-Identifier: BSD-2-Clause
/* The flattened device tree reader (lib/fdt.h); section numbers: Devicetree Spec v0.4. */
#include "lib/fdt.h"
#include "lib/string.h"

/* Header fields (section 5.2), each a big-endian u32, by word index. */
enum {
	HDR_MAGIC,
	HDR_TOTALSIZE,
	HDR_OFF_STRUCT,
	HDR_OFF_STRINGS,
	HDR_OFF_RSVMAP,
	HDR_VERSION,
	HDR_LAST_COMP,
	HDR_BOOT_CPU,
	HDR_SIZE_STRINGS,
	HDR_SIZE_STRUCT,
};

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static u32 hdr(const u8 *blob, int field)
{
	return be32(blob + 4 * field);
}

const char *fdt_error_str(enum fdt_error e)
{
	switch (e) {
	case FDT_OK:
		return "ok";
	case FDT_ERR_NULL:
		return "no blob";
	case FDT_ERR_MAGIC:
		return "bad magic";
	case FDT_ERR_SIZE:
		return "bad totalsize";
	case FDT_ERR_VERSION:
		return "unsupported version";
	case FDT_ERR_LAYOUT:
		return "blocks outside the blob";
	}
	return "?";
}

/* Whether [off, off + len) lies inside [0, limit). */
static bool inside(u32 off, u32 len, u32 limit)
{
	return off <= limit && len <= limit - off;
}

enum fdt_error fdt_open(struct fdt *f, const void *blob, u32 max_size)
{
	const u8 *b = blob;

	*f = (struct fdt){ 0 };
	if (!b)
		return FDT_ERR_NULL;
	if (max_size < FDT_HEADER_SIZE || hdr(b, HDR_MAGIC) != FDT_MAGIC)
		return max_size < FDT_HEADER_SIZE ? FDT_ERR_SIZE : FDT_ERR_MAGIC;
	f->total = hdr(b, HDR_TOTALSIZE);
	if (f->total < FDT_HEADER_SIZE || f->total > max_size)
		return FDT_ERR_SIZE;
	/* Version 17 is current; 16 lacks size_dt_struct; a reader of 17 reads 16 and 17 (5.2). */
	f->version = hdr(b, HDR_VERSION);
	if (f->version < 16 || hdr(b, HDR_LAST_COMP) > 17)
		return FDT_ERR_VERSION;
	f->struct_off = hdr(b, HDR_OFF_STRUCT);
	f->strings_off = hdr(b, HDR_OFF_STRINGS);
	f->strings_size = hdr(b, HDR_SIZE_STRINGS);
	if (f->version >= 17)
		f->struct_size = hdr(b, HDR_SIZE_STRUCT);
	else if (f->strings_off > f->struct_off)
		f->struct_size = f->strings_off - f->struct_off;
	else
		f->struct_size = f->total - f->struct_off;
	if (f->struct_off % 4 || f->struct_off < FDT_HEADER_SIZE ||
	    !inside(f->struct_off, f->struct_size, f->total) ||
	    !inside(f->strings_off, f->strings_size, f->total))
		return FDT_ERR_LAYOUT;
	f->blob = b;
	return FDT_OK;
}

/* The structure block's token at off, or FDT_END when off is outside it. */
static u32 token(const struct fdt *f, u32 off)
{
	if (!f->blob || off % 4 || !inside(off, 4, f->struct_size))
		return FDT_END;
	return be32(f->blob + f->struct_off + off);
}

/* Where the node's properties start (past its name, 4-aligned), or 0 on damage. */
static u32 after_name(const struct fdt *f, u32 node)
{
	const char *name = (const char *)f->blob + f->struct_off + node + 4;
	u32 room, n = 0;

	if (token(f, node) != FDT_BEGIN_NODE)
		return 0;
	room = f->struct_size - node - 4;
	while (n < room && name[n])
		n++;
	if (n == room)
		return 0;
	return node + 4 + ALIGN_UP(n + 1, 4);
}

/* Past the property at off (an FDT_PROP token), or 0 on damage. */
static u32 after_prop(const struct fdt *f, u32 off)
{
	u32 len;

	if (!inside(off, 12, f->struct_size))
		return 0;
	len = be32(f->blob + f->struct_off + off + 4);
	if (!inside(off + 12, len, f->struct_size))
		return 0;
	return off + 12 + (u32)ALIGN_UP(len, 4);
}

int fdt_root(const struct fdt *f)
{
	u32 off = 0;

	while (token(f, off) == FDT_NOP)
		off += 4;
	return token(f, off) == FDT_BEGIN_NODE ? (int)off : -1;
}

int fdt_next_node(const struct fdt *f, int node, int *depth)
{
	int d = *depth + 1; /* the depth of node's children */
	u32 off;

	if (node < 0 || *depth < 0)
		return -1;
	off = after_name(f, (u32)node);
	while (off) {
		switch (token(f, off)) {
		case FDT_BEGIN_NODE:
			if (d <= 0 || d > FDT_MAX_DEPTH)
				return -1;
			*depth = d;
			return (int)off;
		case FDT_END_NODE:
			d--;
			off += 4;
			break;
		case FDT_PROP:
			off = after_prop(f, off);
			break;
		case FDT_NOP:
			off += 4;
			break;
		default: /* FDT_END, or a token that is not one */
			return -1;
		}
	}
	return -1;
}

const char *fdt_node_name(const struct fdt *f, int node)
{
	if (node < 0 || !after_name(f, (u32)node))
		return NULL;
	return (const char *)f->blob + f->struct_off + node + 4;
}

int fdt_parent(const struct fdt *f, int node)
{
	int stack[FDT_MAX_DEPTH + 1];
	int n = fdt_root(f), depth = 0;

	while (n >= 0) {
		stack[depth] = n;
		if (n == node)
			return depth ? stack[depth - 1] : -1;
		n = fdt_next_node(f, n, &depth);
	}
	return -1;
}

/* Whether a node named name is what path component c (len bytes) asks for (2.2.1). */
static bool name_matches(const char *name, const char *c, size_t len)
{
	if (strncmp(name, c, len))
		return false;
	if (!name[len])
		return true;
	if (name[len] != '@')
		return false;
	/* "serial" asks for any serial@...; "serial@1" only for that one. */
	for (size_t i = 0; i < len; i++)
		if (c[i] == '@')
			return false;
	return true;
}

int fdt_path_offset(const struct fdt *f, const char *path, size_t len)
{
	int node = fdt_root(f), depth = 0;
	size_t i = 0;

	if (!len || path[0] != '/')
		return -1;
	while (node >= 0) {
		size_t start, clen;
		int n, d, want;

		while (i < len && path[i] == '/')
			i++;
		if (i == len)
			return node;
		start = i;
		while (i < len && path[i] != '/')
			i++;
		clen = i - start;
		/* Search node's children (depth + 1) until the walk leaves node. */
		want = depth + 1;
		d = depth;
		n = fdt_next_node(f, node, &d);
		node = -1;
		while (n >= 0 && d >= want) {
			const char *name = fdt_node_name(f, n);

			if (d == want && name && name_matches(name, path + start, clen)) {
				node = n;
				depth = d;
				break;
			}
			n = fdt_next_node(f, n, &d);
		}
	}
	return -1;
}

const void *fdt_getprop(const struct fdt *f, int node, const char *name, u32 *len)
{
	u32 off;

	if (node < 0)
		return NULL;
	off = after_name(f, (u32)node);
	while (off) {
		u32 tok = token(f, off), nameoff, plen, next;

		if (tok == FDT_NOP) {
			off += 4;
			continue;
		}
		if (tok != FDT_PROP)
			return NULL;
		next = after_prop(f, off);
		if (!next)
			return NULL;
		plen = be32(f->blob + f->struct_off + off + 4);
		nameoff = be32(f->blob + f->struct_off + off + 8);
		if (nameoff < f->strings_size) {
			const char *s = (const char *)f->blob + f->strings_off + nameoff;
			size_t room = f->strings_size - nameoff, n = strlen(name);

			if (n < room && !memcmp(s, name, n + 1)) {
				if (len)
					*len = plen;
				return f->blob + f->struct_off + off + 12;
			}
		}
		off = next;
	}
	return NULL;
}

bool fdt_compatible(const struct fdt *f, int node, const char *compat)
{
	u32 len, i = 0;
	const char *list = fdt_getprop(f, node, "compatible", &len);
	size_t n = strlen(compat);

	while (list && i < len) {
		u32 s = i;

		while (i < len && list[i])
			i++;
		if (i < len && i - s == n && !memcmp(list + s, compat, n))
			return true;
		i++;
	}
	return false;
}

int fdt_find_compatible(const struct fdt *f, int start, const char *compat)
{
	int depth = 0, n = fdt_root(f);

	/* Walk from the root so that depth stays right; skip up to start. */
	if (start >= 0) {
		while (n >= 0 && n != start)
			n = fdt_next_node(f, n, &depth);
		if (n >= 0)
			n = fdt_next_node(f, n, &depth);
	}
	for (; n >= 0; n = fdt_next_node(f, n, &depth))
		if (fdt_compatible(f, n, compat))
			return n;
	return -1;
}

/* A u32 property (#address-cells, #size-cells), or def when absent or malformed. */
static u32 cells(const struct fdt *f, int node, const char *name, u32 def)
{
	u32 len;
	const u8 *p = fdt_getprop(f, node, name, &len);

	return p && len == 4 ? be32(p) : def;
}

/* n cells (1 or 2; 0 gives 0) read as one number; false when n > 2. */
static bool read_cells(const u8 *p, u32 n, u64 *out)
{
	if (n > 2)
		return false;
	*out = n == 2 ? (u64)be32(p) << 32 | be32(p + 4) : n == 1 ? be32(p) : 0;
	return true;
}

/* Translate addr, in bus's child address space, into bus's parent's (section 2.3.8). */
static bool translate(const struct fdt *f, int bus, int parent, u64 *addr)
{
	u32 len, ca = cells(f, bus, "#address-cells", 2), sc = cells(f, bus, "#size-cells", 1);
	u32 pa = cells(f, parent, "#address-cells", 2), entry = 4 * (ca + pa + sc);
	const u8 *r = fdt_getprop(f, bus, "ranges", &len);

	if (!r)
		return false; /* no ranges: the bus's children are not memory-mapped */
	if (!len)
		return true; /* empty: identity */
	for (u32 off = 0; entry && off + entry <= len; off += entry) {
		u64 child, par, size;

		if (!read_cells(r + off, ca, &child) || !read_cells(r + off + 4 * ca, pa, &par) ||
		    !read_cells(r + off + 4 * (ca + pa), sc, &size))
			return false;
		if (*addr >= child && *addr - child < size) {
			*addr = par + (*addr - child);
			return true;
		}
	}
	return false;
}

bool fdt_reg(const struct fdt *f, int node, u32 index, u64 *addr, u64 *size)
{
	int parent = fdt_parent(f, node), bus;
	u32 len, ac, sc;
	const u8 *reg;

	if (parent < 0)
		return false;
	ac = cells(f, parent, "#address-cells", 2);
	sc = cells(f, parent, "#size-cells", 1);
	reg = fdt_getprop(f, node, "reg", &len);
	if (!reg || !ac || ac > 2 || sc > 2 || (u64)(index + 1) * 4 * (ac + sc) > len)
		return false;
	reg += (size_t)index * 4 * (ac + sc);
	if (!read_cells(reg, ac, addr) || !read_cells(reg + 4 * ac, sc, size))
		return false;
	/* Up the tree: each bus below the root maps its children's addresses into its own. */
	for (bus = parent; bus >= 0 && bus != fdt_root(f); bus = fdt_parent(f, bus))
		if (!translate(f, bus, fdt_parent(f, bus), addr))
			return false;
	return bus >= 0;
}

int fdt_stdout_node(const struct fdt *f)
{
	int chosen = fdt_path_offset(f, "/chosen", 7);
	u32 len, n = 0;
	const char *p = fdt_getprop(f, chosen, "stdout-path", &len);

	if (!p)
		p = fdt_getprop(f, chosen, "linux,stdout-path", &len); /* the older name */
	if (!p || !len || p[len - 1])
		return -1;
	while (n < len - 1 && p[n] != ':')
		n++;
	if (p[0] != '/') {
		/* An alias: /aliases has a property of that name holding the path. */
		int aliases = fdt_path_offset(f, "/aliases", 8);
		char name[64];
		const char *path;
		u32 alen;

		if (aliases < 0 || n >= sizeof(name))
			return -1;
		memcpy(name, p, n);
		name[n] = '\0';
		path = fdt_getprop(f, aliases, name, &alen);
		if (!path || !alen || path[alen - 1])
			return -1;
		return fdt_path_offset(f, path, alen - 1);
	}
	return fdt_path_offset(f, p, n);
}
