/*
 * printk.c - the kernel log ring (dmesg). Kernel twin: kernel/printk/printk.c.
 *
 * A bounded ring of lines: the oldest fall out, as in the kernel's buffer.
 * Every line is also a trace event, so it reaches narration and the hash.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *level_name(int level)
{
	switch (level) {
	case MHP_LOG_ERR: return "err";
	case MHP_LOG_WARN: return "warn";
	case MHP_LOG_INFO: return "info";
	default: return "debug";
	}
}

/* Models printk(): one line per call; a trailing newline is dropped. */
void printk(struct mhp_machine *m, int level, const char *fmt, ...)
{
	struct log_line *line = &m->log.lines[m->log.next % LOG_RING_LINES];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line->text, sizeof(line->text), fmt, ap);
	va_end(ap);
	size_t len = strlen(line->text);
	if (len && line->text[len - 1] == '\n')
		line->text[len - 1] = '\0';
	line->level = (uint8_t)level;
	m->log.next++;

	struct mhp_trace_field f[] = { TF_S("level", level_name(level)), TF_S("line", line->text) };
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
