#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Write the seed inputs of tests/fuzz/fuzz_accept.c into tests/fuzz/corpus/accept/.

The seeds are committed; this script says how they were made and remakes
them (deterministic). The layout is the one fuzz_accept.c's comment gives:
an 11-byte header (ranges, table sizing, window/unit/failure flags, window
origin), then 9 bytes per range and per call (shape, u32 offset, u32 length).
"""
import os
import random
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "accept")
M = 1 << 20
UNIT, PAGE, BYTE, UNIT_PLUS_PAGE = 0, 1, 2, 3  # start alignment (shape bits 0-1)
AROUND_2U, UP_TO_16U, ANY, UNIT_MULT = 0, 4, 8, 12  # length class (shape bits 2-3)
RANGE, RANGE_FAIL, HAS, FIND, PENDING = 0x00, 0x40, 0x50, 0x60, 0x70  # call (bits 4-6)
REVERSED = 0x80


def header(nranges, sizing=0, window=0, unit64k=False, fail=False, origin=0):
    flags = window | (4 if unit64k else 0) | (8 if fail else 0)
    return bytes([nranges, sizing, flags]) + struct.pack("<Q", origin)


def item(shape, off, length):
    return struct.pack("<BII", shape, off & 0xFFFFFFFF, length & 0xFFFFFFFF)


def seed_ovmf_like():
    """One large page-aligned range above 4 GiB (the simulation's shape), lazy accepts."""
    out = header(1, window=1, origin=4 << 30)
    out += item(PAGE | ANY, 0, 60 * M)
    for off in (0, 2 * M, 5 * M + 4096, 30 * M):
        out += item(RANGE | PAGE | AROUND_2U, 16 * M + off, 4096)
    out += item(FIND, 16 * M, 3)
    out += item(PENDING | UNIT, 20 * M, 0)
    return out


def seed_overlapping(rng):
    """Overlapping, unsorted, byte-unaligned ranges; calls of every kind, some failing."""
    ranges = [item(rng.randrange(4) | rng.choice([AROUND_2U, UP_TO_16U, UNIT_MULT]),
                   rng.randrange(64 * M), rng.randrange(1 << 32)) for _ in range(9)]
    calls = [item(rng.randrange(0x80), rng.randrange(96 * M), rng.randrange(1 << 32))
             for _ in range(24)]
    return header(len(ranges), window=2, fail=True) + b"".join(ranges) + b"".join(calls)


def seed_top():
    """A window ending at 2^64: ranges that reach the last byte, guard units past the end."""
    out = header(3, window=3)
    out += item(UNIT | ANY, 40 * M, 0xFFFFFFFF)
    out += item(BYTE | AROUND_2U, 10 * M + 123, 3 * M)
    out += item(PAGE | REVERSED, 20 * M, 7)
    for off in (56 * M, 62 * M, 64 * M, 70 * M):
        out += item(RANGE | UNIT | UNIT_MULT, off, 1)
    return out


def seed_small_table():
    """A table sized too small (and one moved up): what it cannot describe is accepted."""
    out = header(2, sizing=3 | (8 << 3), window=0)
    out += item(UNIT | UNIT_MULT, 2 * M, 20)
    out += item(PAGE | UP_TO_16U, 30 * M, 9 * M)
    out += item(RANGE | UNIT | UNIT_MULT, 0, 40)
    return out


def seed_moved_base():
    out = header(2, sizing=4 | (3 << 3), window=1, origin=1 << 40)
    out += item(UNIT_PLUS_PAGE | UNIT_MULT, 0, 12)
    out += item(BYTE | ANY, 8 * M + 5, 20 * M)
    out += item(RANGE_FAIL | UNIT | UNIT_MULT, 0, 16)
    out += item(RANGE | UNIT | UNIT_MULT, 0, 16)
    return out


def seed_unit64k(rng):
    """64 KiB units: many short ranges and two-unit boundaries."""
    ranges = [item(rng.randrange(4) | AROUND_2U, rng.randrange(64 * M), rng.randrange(1 << 32))
              for _ in range(16)]
    calls = [item(RANGE | rng.randrange(4) | AROUND_2U, rng.randrange(96 * M),
                  rng.randrange(1 << 32)) for _ in range(16)]
    head = header(15, sizing=5 | (2 << 3), window=2, unit64k=True)
    return head + b"".join(ranges[:15]) + b"".join(calls)


def main():
    rng = random.Random(20261124)
    os.makedirs(OUT, exist_ok=True)
    seeds = {
        "empty": header(0),
        "ovmf-like": seed_ovmf_like(),
        "overlapping-failing": seed_overlapping(rng),
        "top-of-address-space": seed_top(),
        "small-table": seed_small_table(),
        "moved-base": seed_moved_base(),
        "unit-64k": seed_unit64k(rng),
    }
    for name, data in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
