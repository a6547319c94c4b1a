/*
 * notifier.c - the memory notifier chain.
 * Kernel twins: memory_notify() in drivers/base/memory.c, kernel/notifier.c.
 *
 * The chain holds the callbacks the model registers at boot, highest priority
 * first. Today that is arm64's boot-memory guard; error injection and drivers
 * join it in later issues.
 */
#include "internal.h"

#define NOTIFY_DONE 0x0000
#define NOTIFY_OK 0x0001
#define NOTIFY_STOP_MASK 0x8000
#define NOTIFY_BAD (NOTIFY_STOP_MASK | 0x0002)

static const char *const action_names[] = {
	[MEM_ONLINE] = "MEM_ONLINE", [MEM_GOING_OFFLINE] = "MEM_GOING_OFFLINE",
	[MEM_OFFLINE] = "MEM_OFFLINE", [MEM_GOING_ONLINE] = "MEM_GOING_ONLINE",
	[MEM_CANCEL_ONLINE] = "MEM_CANCEL_ONLINE", [MEM_CANCEL_OFFLINE] = "MEM_CANCEL_OFFLINE",
	[MEM_PREPARE_ONLINE] = "MEM_PREPARE_ONLINE", [MEM_FINISH_OFFLINE] = "MEM_FINISH_OFFLINE",
};

/* Models notifier_to_errno(): NOTIFY_BAD becomes -EPERM. */
static int notifier_to_errno(int ret)
{
	ret &= ~NOTIFY_STOP_MASK;
	return ret > NOTIFY_OK ? NOTIFY_OK - ret : 0;
}

/* Models prevent_bootmem_remove_notifier() of arch/arm64/mm/mmu.c. */
int prevent_bootmem_remove_notifier(struct mhp_machine *m, int action, uint64_t start_pfn, uint64_t nr_pages)
{
	if (action != MEM_GOING_OFFLINE && action != MEM_OFFLINE)
		return NOTIFY_OK;
	for (uint64_t pfn = start_pfn; pfn < start_pfn + nr_pages; pfn += m->pages_per_section) {
		unsigned long long start = PFN_PHYS(m, pfn);
		unsigned long long end = start + (m->pages_per_section << m->page_shift);
		if (!early_section(__pfn_to_section(m, pfn)))
			continue;
		if (action == MEM_GOING_OFFLINE) {
			pr_warn(m, "Boot memory [%llx %llx] offlining attempted", start, end);
			return NOTIFY_BAD;
		}
		pr_err(m, "Boot memory [%llx %llx] offlined", start, end);
		return NOTIFY_DONE;
	}
	return NOTIFY_OK;
}

typedef int (*memory_notifier_fn)(struct mhp_machine *m, int action, uint64_t start_pfn, uint64_t nr_pages);

/* The chain in call order (priority, then registration). */
static const memory_notifier_fn memory_chain[] = {
	prevent_bootmem_remove_notifier,   /* arm64, priority 0, registered at early initcall */
};

/* Models memory_notify(): calls the chain until a callback stops it; returns an errno. */
int memory_notify(struct mhp_machine *m, int action, uint64_t start_pfn, uint64_t nr_pages)
{
	int ret = NOTIFY_DONE;
	for (size_t i = 0; i < ARRAY_SIZE(memory_chain); i++) {
		ret = memory_chain[i](m, action, start_pfn, nr_pages);
		if (ret & NOTIFY_STOP_MASK)
			break;
	}
	int err = notifier_to_errno(ret);
	struct mhp_trace_field f[] = { TF_S("action", action_names[action]), TF_X("start_pfn", start_pfn),
				       TF_U("pages", nr_pages), TF_S("result", err ? mhp_errno_name(err) : "ok") };
	TRACE(m, "memory_notify", f, "notifier chain: %s for pfn %#llx + %llu pages -> %s",
	      action_names[action], (unsigned long long)start_pfn, (unsigned long long)nr_pages,
	      err ? mhp_errno_name(err) : "ok");
	return err;
}
