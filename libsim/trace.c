/*
 * trace.c - events: one per meaningful action, narrated, as JSON, and hashed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct mhp_trace_field TF_U(const char *key, uint64_t v)
{
	return (struct mhp_trace_field){ .key = key, .num = v };
}

struct mhp_trace_field TF_X(const char *key, uint64_t v)
{
	return (struct mhp_trace_field){ .key = key, .num = v, .hex = 1 };
}

struct mhp_trace_field TF_S(const char *key, const char *s)
{
	return (struct mhp_trace_field){ .key = key, .str = s ? s : "" };
}

/* A JSON string: plain runs are copied whole, only quotes, backslashes and controls escaped. */
static void json_string(struct strbuf *sb, const char *s)
{
	sb_put(sb, "\"", 1);
	while (*s) {
		size_t run = strcspn(s, "\"\\\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f"
				 "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f");
		sb_put(sb, s, run);
		s += run;
		if (!*s)
			break;
		unsigned char c = (unsigned char)*s++;
		if (c == '"' || c == '\\')
			sb_printf(sb, "\\%c", c);
		else
			sb_printf(sb, "\\u%04x", c);
	}
	sb_put(sb, "\"", 1);
}

int mhp_trace_format_json(const struct mhp_trace_event *ev, char *buf, size_t cap)
{
	struct strbuf sb;
	sb_init(&sb, buf, cap);
	sb_printf(&sb, "{\"seq\":%llu,\"type\":", (unsigned long long)ev->seq);
	json_string(&sb, ev->type);
	for (unsigned i = 0; i < ev->nfields; i++) {
		const struct mhp_trace_field *f = &ev->fields[i];
		sb_printf(&sb, ",");
		json_string(&sb, f->key);
		sb_printf(&sb, ":");
		if (f->str)
			json_string(&sb, f->str);
		else if (f->hex)
			sb_printf(&sb, "\"%#llx\"", (unsigned long long)f->num);
		else
			sb_printf(&sb, "%llu", (unsigned long long)f->num);
	}
	sb_printf(&sb, ",\"text\":");
	json_string(&sb, ev->text);
	sb_printf(&sb, "}");
	return (int)sb.len;
}

/* Folds a string into h eight bytes at a time: every event pays it, most with no one listening. */
static uint64_t hash_str(uint64_t h, const char *s)
{
	size_t n = strlen(s) + 1;
	for (size_t i = 0; i < n; i += 8) {
		uint64_t w = 0;
		memcpy(&w, s + i, n - i < 8 ? n - i : 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	return h;
}

/*
 * Folds an event into the trace hash: type, each field (key and value), and
 * the text's format (not the text: it is rendered only for a sink, so a run
 * without one, a fuzzer's or a benchmark's, hashes the same and pays nothing).
 */
static uint64_t hash_event(uint64_t h, const struct mhp_trace_event *ev, const char *fmt)
{
	h = hash_str(h, ev->type);
	for (unsigned i = 0; i < ev->nfields; i++) {
		const struct mhp_trace_field *f = &ev->fields[i];
		h = hash_str(h, f->key);
		if (f->str)
			h = hash_str(h, f->str);
		else
			h = (h ^ f->num) * 0xbf58476d1ce4e5b9ull, h ^= h >> 31;
	}
	return hash_str(h, fmt);
}

void trace_emit(struct mhp_machine *m, const char *type, const struct mhp_trace_field *f,
		unsigned n, const char *fmt, ...)
{
	char text[512];
	struct mhp_trace_event ev = { .seq = m->trace.seq++, .type = type, .text = text };
	va_list ap;

	assert(n <= MHP_TRACE_MAX_FIELDS);
	ev.nfields = n;
	memcpy(ev.fields, f, n * sizeof(*f));
	m->trace.hash = hash_event(m->trace.hash, &ev, fmt);
	if (!m->trace.sink)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	m->trace.sink(&ev, m->trace.ctx);
}

void mhp_trace_set_sink(struct mhp_machine *m, mhp_trace_sink sink, void *ctx)
{
	m->trace.sink = sink;
	m->trace.ctx = ctx;
}

uint64_t mhp_trace_hash(const struct mhp_machine *m)
{
	return m->trace.hash;
}
