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
};

const struct arch_ops *arch_find(const char *name)
{
	for (unsigned i = 0; i < ARRAY_SIZE(arches); i++)
		if (strcmp(arches[i]->name, name) == 0)
			return arches[i];
	return NULL;
}

void arch_names(char *buf, unsigned cap)
{
	struct strbuf sb;
	sb_init(&sb, buf, cap);
	for (unsigned i = 0; i < ARRAY_SIZE(arches); i++)
		sb_printf(&sb, "%s%s", i == 0 ? "" : i + 1 == ARRAY_SIZE(arches) ? " or " : ", ", arches[i]->name);
}

const struct arch_ops *arch_default(void)
{
	return arches[0];
}

unsigned arch_nr_teardowns(const struct arch_ops *a)
{
	unsigned n = 0;
	while (n < 64 && a->teardown_name(n))   /* bounded: a registry is a handful of rows */
		n++;
	return n;
}

int arch_teardown_find(const struct arch_ops *a, const char *name)
{
	for (unsigned i = 0; i < arch_nr_teardowns(a); i++)
		if (strcmp(a->teardown_name(i), name) == 0)
			return (int)i;
	return -1;
}
