// SPDX-License-Identifier: GPL-2.0-only
/*
 * params.c - the kernel command line: each word goes to the file that owns
 * it, as early_param() and module_param() register them. Kernel twins:
 * kernel/params.c (parse_args) and init/main.c.
 */
#include <string.h>

#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/memory_hotplug.h"
#include "sim/mm_init.h"

#define CMDLINE_MAX 1024

/*
 * mhpsim.strict_tlb (mhpsim's, not a kernel parameter): every arch is held to
 * arm64's order, clear, flush, then free. x86-64 and RISC-V free before
 * their flush by design, so it is a what-if check, off by default.
 */
/*
 * mhpsim.strict_bug (mhpsim's too): 6.12's hot-add BUGs when a page-table
 * allocation fails (arm64's __pgd_pgtable_alloc(), RISC-V's alloc_*_late());
 * later trees return -ENOMEM and unwind (bfc184cb1ba7). By default the model
 * reports the BUG and unwinds as they do, so that a fuzz run goes on; with
 * this the BUG is an oops: the add stops where it was and nothing is undone.
 */
static bool *mhpsim_flag(struct mhp_machine *m, const char *word)
{
	return strcmp(word, "mhpsim.strict_tlb") == 0 ? &m->strict_tlb : &m->strict_bug;
}

static int mhpsim_strict(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err)
{
	if (value && strcmp(value, "1") != 0 && strcmp(value, "0") != 0)
		return mhp_err_set(err, -EINVAL, "%s=%s: expected 1 or 0 (or the bare word)", word, value);
	*mhpsim_flag(m, word) = !value || strcmp(value, "1") == 0;
	return 0;
}

/* Every word the model reads, and the function of its twin file that takes it. */
static const struct kernel_param {
	const char *name;
	int (*set)(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err);
} params[] = {
	{ "memhp_default_state", setup_memhp_default_state },
	{ "movable_node", cmdline_parse_movable_node },
	{ "memory_hotplug.online_policy", memory_hotplug_module_param },
	{ "memory_hotplug.auto_movable_ratio", memory_hotplug_module_param },
	{ "memory_hotplug.auto_movable_numa_aware", memory_hotplug_module_param },
	{ "memory_hotplug.memmap_on_memory", set_memmap_mode },
	{ "kfence.sample_interval", kfence_sample_interval },
	{ "debug_pagealloc", early_debug_pagealloc },
	{ "movablecore", cmdline_parse_core },
	{ "kernelcore", cmdline_parse_core },
	{ "mhpsim.strict_tlb", mhpsim_strict },
	{ "mhpsim.strict_bug", mhpsim_strict },
};

/* One "word=value" (value NULL for a bare word): the generic ones, then the architecture's. */
static int boot_param(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err)
{
	for (unsigned i = 0; i < ARRAY_SIZE(params); i++)
		if (strcmp(word, params[i].name) == 0)
			return params[i].set(m, word, value, err);
	int ret = m->arch->early_param ? m->arch->early_param(m, word, value, err) : -ENOENT;
	return ret == -ENOENT ? 0 : ret;   /* the kernel ignores words it does not know (they go to init) */
}

/* Splits the command line on spaces and hands each word to its owner. */
int parse_cmdline(struct mhp_machine *m, const char *cmdline, struct mhp_err *err)
{
	char buf[CMDLINE_MAX];
	if (strlen(cmdline) >= sizeof(buf))
		return mhp_err_set(err, -E2BIG, "kernel command line longer than %d bytes", CMDLINE_MAX - 1);
	memcpy(buf, cmdline, strlen(cmdline) + 1);
	char *save = NULL;
	for (char *w = strtok_r(buf, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
		char *eq = strchr(w, '=');
		if (eq)
			*eq = '\0';
		int ret = boot_param(m, w, eq ? eq + 1 : NULL, err);
		if (ret)
			return ret;
	}
	return 0;
}
