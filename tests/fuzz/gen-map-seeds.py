#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Write the seed inputs of tests/fuzz/fuzz_map.c into tests/fuzz/corpus/map/.

The seeds are committed; this script says how they were made and remakes
them (deterministic: fixed random seed). Header bytes as fuzz_map.c reads
them: desc_size selector, version, capacity mode, taming bits, filter
predicate, window selector, 16-bit parameter; then descriptors.
"""
import os
import random
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "map")
RUN = 1 << 63
UC, WC, WT, WB = 1, 2, 4, 8
CACHE = UC | WC | WT | WB


def header(ds=48, version=1, cap=5, tame=0, filt=0, window=0, param=0):
    sel = {40: 0, 48: 1, 56: 2, 64: 3, 72: 4, 80: 5}[ds] if ds in (40, 48, 56, 64, 72, 80) else ds
    ver = 1 if version == 1 else 0xF0 | version
    return bytes([sel, ver, cap, tame, filt, window]) + struct.pack("<H", param)


def desc(ds, typ, phys, pages, attr, virt=0):
    d = struct.pack("<IIQQQQ", typ, 0, phys, virt, pages, attr)
    return d + b"\xa5" * (ds - len(d))


def ovmf_like(rng, n):
    """A firmware-looking map: ascending RAM split by type, runtime entries, MMIO at the top."""
    out, addr = [], 0
    for i in range(n):
        typ = rng.choice([7, 7, 7, 4, 4, 3, 3, 1, 2, 9, 10, 0, 5, 6])
        pages = rng.choice([1, 2, 3, 8, 16, 32, 256, 1024, 0x1F])
        attr = WB | WT | WC | UC
        if typ in (5, 6) or (typ == 0 and rng.random() < 0.3):
            attr |= RUN
        out.append((typ, addr, pages, attr))
        addr += pages << 12
        if rng.random() < 0.1:
            addr += rng.choice([1, 16, 512]) << 12
    out.append((11, 0xFFC00000, 0x400, UC | RUN))
    out.append((0, 0xFEC00000, 1, UC))
    return out


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def main():
    rng = random.Random(20261124)
    os.makedirs(OUT, exist_ok=True)

    m = ovmf_like(rng, 40)
    write("ovmf-48", header(48, cap=5) + b"".join(desc(48, *e) for e in m))
    write("ovmf-40-nocap", header(40, cap=0, window=0x80) + b"".join(desc(40, *e) for e in m))

    # Unsorted tail (the real-firmware shape the sort exists for), every capacity mode.
    m = ovmf_like(rng, 120)
    tail = m[80:]
    rng.shuffle(tail)
    m = m[:80] + tail
    for cap in range(6):
        write(f"tail-cap{cap}", header(48, cap=cap, filt=cap * 37, window=cap) +
              b"".join(desc(48, *e) for e in m))

    # Fully shuffled, big enough for every merge path at each stride.
    m = ovmf_like(rng, 300)
    rng.shuffle(m)
    for ds, cap in ((48, 0), (56, 3), (80, 1)):
        write(f"shuffled-{ds}-cap{cap}", header(ds, cap=cap, filt=0xA3) +
              b"".join(desc(ds, *e) for e in m))

    # Many equal starts: stability.
    m = [(rng.choice([0, 7, 4]), (rng.randrange(4)) << 21, rng.randrange(1, 64), WB) for _ in range(200)]
    write("equal-starts-cap0", header(48, cap=0) + b"".join(desc(48, *e) for e in m))
    write("equal-starts-cap3", header(64, cap=3) + b"".join(desc(64, *e) for e in m))

    # Runtime-heavy: layouts that fit the default window, and a small one that does not.
    m = [(rng.choice([5, 6, 11]), (i * 0x123) << 12, rng.randrange(1, 0x300), UC | WB | RUN)
         for i in range(60)]
    write("runtime-default-window", header(48, cap=5, tame=0x14, window=0) +
          b"".join(desc(48, *e) for e in m))
    write("runtime-small-window", header(48, cap=5, tame=0x14, window=1, param=3) +
          b"".join(desc(48, *e) for e in m))
    write("runtime-top-window", header(48, cap=2, tame=0x14, window=3, param=63) +
          b"".join(desc(48, *e) for e in m))
    write("runtime-misaligned-window", header(48, cap=2, window=0x41) +
          b"".join(desc(48, *e) for e in m[:4]))

    # Odd maps: bad sizes, a bad version, trailing zeros, overflow, empty.
    # 0xf7: bad_sizes[0xf7 % 12] = 44 (readable, but not a multiple of 8); 0xf3: 32.
    write("bad-size-44", bytes([0xF7]) + header(48)[1:] + bytes(range(44 * 3)))
    write("bad-size-32", bytes([0xF3, 0xF2]) + header(48)[2:] + bytes(range(32 * 3)))
    write("version-2", header(48, version=2) + b"".join(desc(48, *e) for e in ovmf_like(rng, 5)))
    write("trailing-zero", header(48) + b"".join(desc(48, *e) for e in ovmf_like(rng, 5)) +
          bytes(48 * 3))
    write("overflow", header(48) + desc(48, 7, 0xFFFFFFFFFFFF0000, 0x100, WB) +
          desc(48, 7, 0, 1 << 52, WB) + desc(48, 7, 0x1000, 0, WB))
    write("empty", header(48))


if __name__ == "__main__":
    main()
