/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Byte and string helpers. In the image lib/string.c provides them (the
 * compiler may also emit calls to memcpy/memset); hosted builds use libc.
 */
#ifndef EFIMAP_LIB_STRING_H
#define EFIMAP_LIB_STRING_H

#include "lib/types.h"

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *hay, const char *needle);

#endif
