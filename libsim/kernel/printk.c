// SPDX-License-Identifier: GPL-2.0-only
/*
 * printk.c - the kernel log ring (dmesg). Kernel twin: kernel/printk/printk.c.
 *
 * A bounded ring of lines: the oldest fall out, as in the kernel's buffer.
 * Every line is also a trace event, so it reaches narration and the hash.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/printk.h"
#include "strbuf.h"
#include "sim/trace.h"

static const char *level_name(int level)
{
	switch (level) {
	case MHP_LOG_ERR: return "err";
	case MHP_LOG_WARN: return "warn";
	case MHP_LOG_INFO: return "info";
	default: return "debug";
	}
}

/* v's digits in base 10 or 16, written backwards from end; returns where they start. */
static char *put_digits(char *end, unsigned long long v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	do {
		*--end = digits[v % base];
		v /= base;
	} while (v);
	return end;
}

/*
 * A conversion with at most '#' (x and X, nonzero) and a zero-padded width
 * as its flags, put directly as the C library would print it: the sign or
 * "0x", then zeros up to the width, then the digits. false leaves it to
 * printf (a space-padded or left-justified width, '+', ' ').
 */
static bool put_plain(struct strbuf *sb, const char *spec, char conv, unsigned long long v)
{
	const char *p = spec + 1;
	bool alt = *p == '#', hex = conv == 'x' || conv == 'X';
	p += alt;
	bool zero = *p == '0';
	p += zero;
	unsigned width = 0;
	while (*p >= '0' && *p <= '9' && width < 64)
		width = width * 10 + (unsigned)(*p++ - '0');
	if ((size_t)(p - spec - 1) != strspn(spec + 1, "#0- +123456789") || (width && !zero) || (alt && !(hex && v)))
		return false;
	if (!hex && conv != 'd' && conv != 'u')
		return false;
	bool neg = conv == 'd' && (long long)v < 0;
	char d[24], *at = put_digits(d + sizeof(d), neg ? 0 - v : v, hex ? 16 : 10, conv == 'X');
	size_t digits = (size_t)(d + sizeof(d) - at), prefix = alt ? 2 : neg;
	sb_put(sb, alt ? (conv == 'x' ? "0x" : "0X") : "-", prefix);
	for (size_t i = prefix + digits; i < width; i++)
		sb_put(sb, "0", 1);
	sb_put(sb, at, digits);
	return true;
}

/*
 * Formats as the kernel's vsprintf does where it differs from the C library:
 * "%#x" of zero is "0x0" in the kernel, "0" in C. Conversions used by the
 * model's log lines: d, u, x, s, c with flags, width and l/ll/z lengths.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"   /* specs are rebuilt from a checked subset */
static void kernel_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
	struct strbuf sb;
	sb_init(&sb, buf, cap);
	while (*fmt) {
		if (*fmt != '%') {   /* the text up to the next conversion, as it is */
			size_t lit = strcspn(fmt, "%");
			sb_put(&sb, fmt, lit);
			fmt += lit;
			continue;
		}
		char spec[32];
		size_t n = strspn(fmt + 1, "#0- +123456789lz") + 2;
		if (n >= sizeof(spec))
			n = sizeof(spec) - 1;
		memcpy(spec, fmt, n);
		spec[n] = '\0';
		fmt += n;
		char conv = spec[n - 1];
		bool is_long = strchr(spec, 'l') || strchr(spec, 'z');
		if (conv == 's') {
			const char *str = va_arg(ap, const char *);
			if (str && n == 2)   /* "%s" itself */
				sb_put(&sb, str, strlen(str));
			else
				sb_printf(&sb, spec, str);
		} else if (conv == 'c' || conv == '%') {
			if (conv == 'c')
				sb_printf(&sb, "%c", va_arg(ap, int));
			else
				sb_printf(&sb, "%%");
		} else {
			unsigned long long v = is_long ? va_arg(ap, unsigned long long) : (unsigned)va_arg(ap, int);
			if (conv == 'd' && !is_long)
				v = (unsigned long long)(long long)(int)v;
			if (put_plain(&sb, spec, conv, v))
				continue;
			if (v == 0 && strchr(spec, '#') && (conv == 'x' || conv == 'X')) {
				int width = atoi(spec + strspn(spec, "%#0- +"));
				sb_printf(&sb, "0x%0*d", width > 2 ? width - 2 : 1, 0);
			} else if (conv == 'd') {
				char s2[40];
				snprintf(s2, sizeof(s2), "%%%.*slld", (int)strspn(spec + 1, "#0- +123456789"), spec + 1);
				sb_printf(&sb, s2, (long long)v);
			} else {
				char s2[40];
				snprintf(s2, sizeof(s2), "%%%.*sll%c", (int)strspn(spec + 1, "#0- +123456789"), spec + 1, conv);
				sb_printf(&sb, s2, v);
			}
		}
	}
}

#pragma GCC diagnostic pop

/* Models printk(): one line per call; a trailing newline is dropped. */
void printk(struct mhp_machine *m, int level, const char *fmt, ...)
{
	struct log_line *line = &m->log.lines[m->log.next % LOG_RING_LINES];
	va_list ap;

	va_start(ap, fmt);
	kernel_vsnprintf(line->text, sizeof(line->text), fmt, ap);
	va_end(ap);
	size_t len = strlen(line->text);
	if (len && line->text[len - 1] == '\n')
		line->text[len - 1] = '\0';
	line->level = (uint8_t)level;
	m->log.next++;

	struct mhp_trace_field f[] = { TF_S("level", level_name(level)), TF_S("message", line->text) };
	TRACE(m, "printk", f, "kernel log (%s): %s", level_name(level), line->text);
}

uint64_t mhp_log_count(const struct mhp_machine *m)
{
	return m->log.next;
}

const char *mhp_log_line(const struct mhp_machine *m, uint64_t seq, enum mhp_loglevel *level)
{
	if (seq >= m->log.next || m->log.next - seq > LOG_RING_LINES)
		return NULL;
	const struct log_line *line = &m->log.lines[seq % LOG_RING_LINES];
	if (level)
		*level = (enum mhp_loglevel)line->level;
	return line->text;
}
