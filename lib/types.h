/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The one header every freestanding layer may include: fixed-width types in
 * the kernel's spelling. Only compiler-provided headers are used, so this
 * builds the same hosted and freestanding.
 */
#ifndef EFIMAP_LIB_TYPES_H
#define EFIMAP_LIB_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define ARRAY_SIZE(a)	 (sizeof(a) / sizeof((a)[0]))
#define PAGE_SHIFT	 12
#define PAGE_SIZE	 (1ULL << PAGE_SHIFT)
#define ALIGN_DOWN(x, a) ((x) & ~((u64)(a)-1))
#define ALIGN_UP(x, a)	 ALIGN_DOWN((x) + (u64)(a)-1, (a))
#define SZ_64K		 (1ULL << 16)
#define SZ_1M		 (1ULL << 20)
#define SZ_2M		 (2ULL << 20)
#define SZ_1G		 (1ULL << 30)

#define __packed       __attribute__((packed))
#define __noreturn     __attribute__((noreturn))
#define __printf(a, b) __attribute__((format(printf, a, b)))

#endif
