// SPDX-License-Identifier: GPL-2.0-only
/*
 * arch.c - the architectures a model may name. Adding one is a row here and
 * its arch/<name>/ directory.
 */
#include <string.h>

#include "sim/kernel.h"
#include "strbuf.h"
#include "arch/arch.h"

static const struct arch_ops *const arches[] = {
	&arch_arm64,
	&arch_x86_64,
	&arch_riscv64,
};

bool arch_trace_fn_find(const struct arch_trace_fn *map, unsigned n, const char *type, const char **fn)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(map[i].type, type) == 0) {
			*fn = map[i].fn;
			return true;
		}
	return false;
}

bool arch_has_zone(const struct arch_ops *a, int zid)
{
	return !a->zones || (a->zones & (1u << zid));
}

const struct arch_ops *arch_find(const char *name)
{
	for (unsigned i = 0; i < ARRAY_SIZE(arches); i++)
		if (strcmp(arches[i]->name, name) == 0)
			return arches[i];
	return NULL;
}

void arch_names(char *buf, unsigned cap)
{
	const char *names[ARRAY_SIZE(arches)];
	struct strbuf sb;
	for (unsigned i = 0; i < ARRAY_SIZE(arches); i++)
		names[i] = arches[i]->name;
	sb_init(&sb, buf, cap);
	sb_put_choices(&sb, names, ARRAY_SIZE(arches));
}

const struct arch_ops *arch_default(void)
{
	return arches[0];
}

unsigned arch_teardown_names(const struct arch_ops *a, const char **names, unsigned cap)
{
	unsigned n = 0;
	while (n < cap && (names[n] = a->teardown_name(n)))
		n++;
	MHP_ASSERT(n < cap);   /* a registry is a handful of rows */
	return n;
}

unsigned arch_nr_teardowns(const struct arch_ops *a)
{
	const char *names[ARCH_MAX_TEARDOWNS];
	return arch_teardown_names(a, names, ARCH_MAX_TEARDOWNS);
}

int arch_teardown_find(const struct arch_ops *a, const char *name)
{
	const char *names[ARCH_MAX_TEARDOWNS];
	unsigned n = arch_teardown_names(a, names, ARCH_MAX_TEARDOWNS);
	for (unsigned i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

const struct arch_ops *arch_of_teardown(const char *name)
{
	for (unsigned i = 0; i < ARRAY_SIZE(arches); i++)
		if (arch_teardown_find(arches[i], name) >= 0)
			return arches[i];
	return NULL;
}

const char *arch_any_teardown_name(unsigned i)
{
	for (unsigned a = 0; a < ARRAY_SIZE(arches); a++) {
		const char *names[ARCH_MAX_TEARDOWNS];
		unsigned n = arch_teardown_names(arches[a], names, ARCH_MAX_TEARDOWNS);
		for (unsigned k = 0; k < n; k++) {
			if (arch_of_teardown(names[k]) != arches[a])
				continue;   /* an earlier arch has the name: counted there */
			if (i-- == 0)
				return names[k];
		}
	}
	return NULL;
}
