// SPDX-License-Identifier: GPL-2.0-only
/*
 * set_memory.c - the direct map's leaves by size: what /proc/meminfo's
 * DirectMap lines say. Kernel twin: arch/x86/mm/pat/set_memory.c
 * (update_page_count, arch_report_meminfo).
 */
#include "strbuf.h"
#include "x86.h"

void update_page_count(struct mhp_machine *m, int level, int64_t pages)
{
	m->direct_pages_count[level] += (uint64_t)pages;
}

/* Models arch_report_meminfo(): DirectMap1G only when the direct map may use 1G pages. */
void x86_report_meminfo(const struct mhp_machine *m, struct strbuf *sb)
{
	const uint64_t *c = m->direct_pages_count;
	sb_printf(sb, "DirectMap4k:    %8llu kB\n", (unsigned long long)(c[PG_LEVEL_4K] << 2));
	sb_printf(sb, "DirectMap2M:    %8llu kB\n", (unsigned long long)(c[PG_LEVEL_2M] << 11));
	if (m->direct_gbpages)
		sb_printf(sb, "DirectMap1G:    %8llu kB\n", (unsigned long long)(c[PG_LEVEL_1G] << 20));
}
