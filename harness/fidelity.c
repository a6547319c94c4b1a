// SPDX-License-Identifier: GPL-2.0-only
/*
 * fidelity.c - the reference lane's diff: a scenario's observations by the
 * simulator against the real kernel's, recorded (scenarios/reference/),
 * field by field. A field is one line of an observation keyed by what it is
 * about (a block, a zone, a counter, the result, a log line); a difference
 * is either fixed in the model or listed as a known gap with its reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mhpsim/mhpsim.h>

#include "inspect.h"
#include "util.h"


#define FID_MAX_LINES 200000
#define FID_MAX_GAPS 256

struct fline {
	unsigned step;
	char key[160];
	const char *value;          /* the line itself */
	size_t len;
	bool matched;
	bool equal;                 /* matched by an equal line on the other side (not a skip, not a tolerance) */
};

struct fside {
	struct fline *v;
	size_t n;
};

/* The field a line of an observation is about. */
static void line_key(const char *l, size_t n, bool in_dmesg, const char *zone_node, char *key, size_t cap)
{
	char word[64];
	size_t w = strcspn(l, ":= ");
	snprintf(word, sizeof(word), "%.*s", (int)(w < n ? (w < 63 ? w : 63) : (n < 63 ? n : 63)), l);
	if (in_dmesg)
		snprintf(key, cap, "dmesg");
	else if (n > 2 && strncmp(l, "  memory", 8) == 0)
		snprintf(key, cap, "blocks/%.*s", (int)strcspn(l + 2, ":"), l + 2);
	else if (n > 2 && l[0] == ' ' && l[1] == ' ')
		snprintf(key, cap, "zones/%s/%.*s", zone_node, (int)strcspn(l + 2, " "), l + 2);
	else if (strncmp(l, "virtio-mem ", 11) == 0)
		snprintf(key, cap, "virtio-mem");
	else
		snprintf(key, cap, "%s", word);
}

/* Splits an --observe text (either side's) into keyed lines by step. */
static int fside_parse(const char *text, struct fside *s)
{
	s->v = calloc(FID_MAX_LINES, sizeof(*s->v));
	if (!s->v)
		return -ENOMEM;
	unsigned step = 0;
	bool in_dmesg = false;
	char zone_node[32] = "node0";
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		unsigned st;
		int node;
		bool indented = n > 2 && p[0] == ' ' && p[1] == ' ';
		if (sscanf(p, "### step %u", &st) == 1) {
			step = st;
			in_dmesg = false;
		} else if (!n || p[0] == '#' || s->n == FID_MAX_LINES) {
			/* a comment: nothing to compare */
		} else if (strncmp(p, "dmesg:", 6) == 0) {
			in_dmesg = true;
		} else if (sscanf(p, "zones (node %d)", &node) == 1) {
			snprintf(zone_node, sizeof(zone_node), "node%d", node);
			in_dmesg = false;
		} else if (strncmp(p, "blocks:", 7) != 0) {
			in_dmesg = in_dmesg && indented;
			struct fline *f = &s->v[s->n++];
			*f = (struct fline){ .step = step, .value = p, .len = n };
			line_key(p, n, in_dmesg, zone_node, f->key, sizeof(f->key));
		}
		p = e ? e + 1 : p + n;
	}
	return 0;
}

struct gap {
	char pattern[160];          /* a field key, or a prefix of a log line ("dmesg: virtio_mem ") */
	char reason[240];
};

static size_t gaps_parse(const char *text, struct gap *g)
{
	size_t n = 0;
	for (const char *p = text; p && *p && n < FID_MAX_GAPS;) {
		const char *e = strchr(p, '\n'), *bar;
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len && p[0] != '#' && (bar = memchr(p, '|', len))) {
			size_t pl = (size_t)(bar - p);
			while (pl && p[pl - 1] == ' ')
				pl--;
			snprintf(g[n].pattern, sizeof(g[n].pattern), "%.*s", (int)pl, p);
			const char *r = bar + 1;
			while (*r == ' ')
				r++;
			snprintf(g[n].reason, sizeof(g[n].reason), "%.*s", (int)(p + len - r), r);
			n++;
		}
		p = e ? e + 1 : p + len;
	}
	return n;
}

/* A pattern's scenario scope ("@NAME FIELD..."): the rest of the pattern, or NULL when another scenario's. */
static const char *in_scope(const char *pattern, const char *scenario)
{
	if (pattern[0] != '@')
		return pattern;
	const char *space = strchr(pattern, ' ');
	size_t n = space ? (size_t)(space - pattern - 1) : 0;
	if (!space || !scenario || strlen(scenario) != n || strncmp(pattern + 1, scenario, n) != 0)
		return NULL;
	return space + 1;
}

/* The known gap a differing line falls under, or NULL. */
static const struct gap *gap_of(const struct gap *g, size_t ng, const struct fline *f, const char *scenario)
{
	/* "KEY: the line", the line's own "KEY:" not repeated, a log line without its indent. */
	char text[400];
	const char *v = f->value;
	size_t n = f->len, k = strlen(f->key);
	while (n && *v == ' ')
		v++, n--;
	if (n > k && strncmp(v, f->key, k) == 0 && v[k] == ':')
		snprintf(text, sizeof(text), "%.*s", (int)n, v);
	else
		snprintf(text, sizeof(text), "%s: %.*s", f->key, (int)n, v);
	for (size_t i = 0; i < ng; i++) {
		const char *pat = in_scope(g[i].pattern, scenario);
		/* a bare key names that field alone (DMA is not DMA32); "KEY: text" is a line's start */
		if (pat && (strcmp(f->key, pat) == 0 || (strchr(pat, ':') && strncmp(text, pat, strlen(pat)) == 0)))
			return &g[i];
	}
	return NULL;
}

static bool same_line(const struct fline *a, const struct fline *b)
{
	return a->step == b->step && strcmp(a->key, b->key) == 0 && a->len == b->len &&
	       memcmp(a->value, b->value, a->len) == 0;
}

/* A known gap for this field of this step on the other side: a field differs as a whole. */
static const struct gap *gap_of_field(const struct gap *g, size_t ng, const struct fside *other, const struct fline *f,
				      const char *scenario)
{
	for (size_t i = 0; i < other->n; i++) {
		const struct fline *o = &other->v[i];
		if (!o->matched && o->step == f->step && strcmp(o->key, f->key) == 0 && strcmp(f->key, "dmesg") != 0) {
			const struct gap *gap = gap_of(g, ng, o, scenario);
			if (gap)
				return gap;
		}
	}
	return NULL;
}

/* Every line of one side without its equal on the other: reported, and counted as a gap or not. */
static void unmatched(const struct fside *s, const struct fside *other, const char *side, const struct gap *g,
		      size_t ng, const char *scenario, struct mhp_fidelity *res, FILE *report)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct fline *f = &s->v[i];
		if (f->matched)
			continue;
		const struct gap *gap = gap_of(g, ng, f, scenario);
		if (!gap)
			gap = gap_of_field(g, ng, other, f, scenario);
		if (gap)
			res->known++;
		else
			res->different++;
		if (report)
			fprintf(report, "step %u %s: only the %s has \"%.*s\"%s%s%s\n", f->step, f->key, side, (int)f->len,
				f->value, gap ? " (known gap: " : "", gap ? gap->reason : "", gap ? ")" : "");
	}
}

/* A gap line "@SCENARIO:STEP | reason": that scenario's comparison stops at STEP. */
static void scenario_departure(const struct gap *g, size_t ng, const char *scenario, struct mhp_fidelity *res)
{
	for (size_t i = 0; scenario && i < ng; i++) {
		const char *colon = strrchr(g[i].pattern, ':');
		size_t n = colon ? (size_t)(colon - g[i].pattern - 1) : 0;
		if (g[i].pattern[0] != '@' || !colon || strlen(scenario) != n || strncmp(g[i].pattern + 1, scenario, n) != 0)
			continue;
		unsigned step = (unsigned)strtoul(colon + 1, NULL, 10);
		if (step && (!res->departs_at || step < res->departs_at)) {
			res->departs_at = step;
			res->known_departure = 1;
			snprintf(res->departs_why, sizeof(res->departs_why), "%.*s", (int)sizeof(res->departs_why) - 1,
				 g[i].reason);
		}
	}
}

/*
 * "~KEY NAME DELTA | reason": the kernel's line of KEY equals the simulator's
 * once DELTA is taken from the number after NAME ("~MemTotal MemTotal: 4"):
 * a known, exact offset, not a licence for any value.
 */
static bool within_tolerance(const struct gap *gap, const struct fline *kl, const struct fline *sl)
{
	char key[160], name[64];
	long long delta;
	if (sscanf(gap->pattern, "~%159s %63s %lld", key, name, &delta) != 3 || strcmp(key, kl->key) != 0)
		return false;
	char line[512];
	snprintf(line, sizeof(line), "%.*s", (int)(kl->len < sizeof(line) ? kl->len : sizeof(line) - 1), kl->value);
	char *at = strstr(line, name);
	if (!at)
		return false;
	at += strlen(name);
	while (*at == ' ')
		at++;
	char *end;
	long long v = strtoll(at, &end, 10);
	if (end == at)
		return false;
	char fixed[600];
	snprintf(fixed, sizeof(fixed), "%.*s%lld%s", (int)(at - line), line, v - delta, end);
	return strlen(fixed) == sl->len && memcmp(fixed, sl->value, sl->len) == 0;
}

/* Pairs the kernel's and the simulator's line of a field that differ only by a listed offset. */
static void tolerance_pass(struct fside *k, struct fside *s, const struct gap *g, size_t ng, struct mhp_fidelity *res,
			   FILE *report)
{
	for (size_t i = 0; i < k->n; i++) {
		struct fline *a = &k->v[i];
		for (size_t j = 0; j < s->n && !a->matched; j++) {
			struct fline *b = &s->v[j];
			if (b->matched || b->step != a->step || strcmp(a->key, b->key) != 0)
				continue;
			for (size_t x = 0; x < ng && !a->matched; x++) {
				if (g[x].pattern[0] != '~' || !within_tolerance(&g[x], a, b))
					continue;
				a->matched = b->matched = true;
				res->known++;
				if (report)
					fprintf(report, "step %u %s: \"%.*s\" against \"%.*s\" (known gap: %s)\n", a->step, a->key,
						(int)a->len, a->value, (int)b->len, b->value, g[x].reason);
			}
		}
	}
}

static bool is_result(const struct fline *f)
{
	return strcmp(f->key, "result") == 0 || strcmp(f->key, "output") == 0;
}

/* A side's line that its step before showed as well: a field the step left alone (results and log lines never are). */
static bool unchanged(const struct fside *side, size_t i)
{
	const struct fline *f = &side->v[i];
	if (f->step == 0 || is_result(f) || strcmp(f->key, "dmesg") == 0)
		return false;
	for (size_t j = i; j-- > 0 && side->v[j].step + 1 >= f->step;)
		if (side->v[j].step + 1 == f->step && strcmp(side->v[j].key, f->key) == 0 && side->v[j].len == f->len &&
		    memcmp(side->v[j].value, f->value, f->len) == 0)
			return true;
	return false;
}

/*
 * The score, where a known gap is a difference: every field, the fields a
 * step changed, and the step results (the result line and what a read read);
 * a step where the model is known to part from the kernel is a result that
 * differs. The kernel's lines are the fields, and so are the simulator's lines
 * that have no pair (a field only it shows).
 */
static void score(const struct fside *k, const struct fside *s, struct mhp_fidelity *res)
{
	for (size_t i = 0; i < k->n; i++) {
		const struct fline *f = &k->v[i];
		if (f->matched && !f->equal && strncmp(f->value, "result: skipped: ", 17) == 0)
			continue;
		res->fields++;
		if (is_result(f)) {
			res->results++;
			res->results_equal += f->equal;
		}
		if (!unchanged(k, i)) {
			res->changed++;
			res->changed_equal += f->equal;
		}
	}
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].matched)
			continue;
		res->fields++;
		res->changed += !unchanged(s, i);
	}
	res->results += res->known_departure;
}

/* What a step the guest skipped read on the simulator's side belongs to that result: it has no pair either. */
static void skipped_outputs(const struct fside *k, struct fside *s)
{
	for (size_t i = 0; i < k->n; i++) {
		const struct fline *a = &k->v[i];
		if (!a->matched || a->equal || strcmp(a->key, "result") != 0 || strncmp(a->value, "result: skipped: ", 17))
			continue;
		for (size_t j = 0; j < s->n; j++)
			if (s->v[j].step == a->step && !s->v[j].matched && strcmp(s->v[j].key, "output") == 0)
				s->v[j].matched = true;
	}
}

int mhp_fidelity_compare(const char *golden, const char *simulated, const char *gaps, const char *scenario,
			 FILE *report, struct mhp_fidelity *res)
{
	memset(res, 0, sizeof(*res));
	struct fside k = { 0 }, s = { 0 };
	struct gap *g = calloc(FID_MAX_GAPS, sizeof(*g));
	int ret = !g ? -ENOMEM : fside_parse(golden, &k);
	if (!ret)
		ret = fside_parse(simulated, &s);
	if (ret)
		goto out;
	size_t ng = gaps ? gaps_parse(gaps, g) : 0;
	/* Where the kernel's run departs from the scenario, nothing after is comparable: both sides stop there. */
	for (size_t i = 0; i < k.n && !res->departs_at; i++)
		if (strcmp(k.v[i].key, "result") == 0 && k.v[i].len > 17 && strncmp(k.v[i].value, "result: departs: ", 17) == 0) {
			res->departs_at = k.v[i].step;
			snprintf(res->departs_why, sizeof(res->departs_why), "%.*s", (int)(k.v[i].len - 17), k.v[i].value + 17);
		}
	scenario_departure(g, ng, scenario, res);
	if (res->departs_at) {
		while (k.n && k.v[k.n - 1].step >= res->departs_at)
			k.n--;
		while (s.n && s.v[s.n - 1].step >= res->departs_at)
			s.n--;
	}
	/* A step the guest skipped has no comparable result: its "skipped:" line pairs with whatever we printed. */
	for (size_t i = 0; i < k.n; i++) {
		struct fline *a = &k.v[i];
		for (size_t j = 0; j < s.n && !a->matched; j++) {
			struct fline *b = &s.v[j];
			if (b->matched)
				continue;
			if (b->step != a->step)
				continue;
			bool skipped = strcmp(a->key, "result") == 0 && strcmp(b->key, "result") == 0 && a->step == b->step &&
				       a->len > 17 && strncmp(a->value, "result: skipped: ", 17) == 0;
			if (skipped || same_line(a, b)) {
				a->matched = b->matched = true;
				a->equal = b->equal = !skipped;
				res->equal += !skipped;
				res->skipped += skipped;
			}
		}
	}
	skipped_outputs(&k, &s);
	tolerance_pass(&k, &s, g, ng, res, report);
	unmatched(&k, &s, "kernel", g, ng, scenario, res, report);
	unmatched(&s, &k, "simulator", g, ng, scenario, res, report);
	score(&k, &s, res);
out:
	free(k.v);
	free(s.v);
	free(g);
	return ret;
}
