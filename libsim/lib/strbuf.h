/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * strbuf.h - bounded text building (lib/util.c).
 */
#ifndef MHPSIM_LIB_STRBUF_H
#define MHPSIM_LIB_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf { char *buf; size_t cap, len; };
void sb_init(struct strbuf *sb, char *buf, size_t cap);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_put(struct strbuf *sb, const char *s, size_t len);
/* s as a JSON string, quoted: only quotes, backslashes and control characters escaped. */
void sb_put_json_string(struct strbuf *sb, const char *s);
/* "a", "a or b", "a, b or c": the choices an error message offers. */
void sb_put_choices(struct strbuf *sb, const char *const *words, unsigned n);
/* A bitmap of nbits as the kernel prints it: "%*pbl" ("0-3,8") and "%*pb" (hex words). */
void sb_put_bitmap_list(struct strbuf *sb, const bool *bits, unsigned nbits);
void sb_put_bitmap_mask(struct strbuf *sb, const bool *bits, unsigned nbits);

#endif
