// SPDX-License-Identifier: GPL-2.0-only
/*
 * notifier.c - the memory notifier chain.
 * Kernel twins: memory_notify() in drivers/base/memory.c, kernel/notifier.c.
 *
 * The chain holds the callbacks the model registers at boot, highest priority
 * first. Today that is arm64's boot-memory guard; error injection and drivers
 * join it in later issues.
 */
#include <string.h>

#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/memory.h"
#include "sim/printk.h"
#include "sim/trace.h"
#include "drivers/virtio_mem.h"


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

/*
 * Models memory-notifier-error-inject (lib/memory-notifier-error-inject.c):
 * a chosen event fails with a chosen errno, as its debugfs files ask.
 */
static int memory_error_inject(struct mhp_machine *m, int action, uint64_t start_pfn, uint64_t nr_pages)
{
	(void)start_pfn, (void)nr_pages;
	int err = action == MEM_GOING_ONLINE ? m->inject_going_online
		: action == MEM_GOING_OFFLINE ? m->inject_going_offline : 0;
	if (!err)
		return NOTIFY_DONE;
	pr_info(m, "Injecting error (%d) to %s", err, action_names[action]);
	return NOTIFY_STOP_MASK | (NOTIFY_OK - err);   /* notifier_from_errno() */
}

/* The architecture's own notifier (arm64: prevent_bootmem_remove_notifier). */
static int arch_bootmem_notifier(struct mhp_machine *m, int action, uint64_t start_pfn, uint64_t nr_pages)
{
	return m->arch->bootmem_notifier(m, action, start_pfn, nr_pages);
}

/* The callbacks the model can register, by the id a snapshot saves. */
static const struct { int (*fn)(struct mhp_machine *, int, uint64_t, uint64_t); const char *name; } callbacks[] = {
	[NOTIFIER_ARCH_BOOTMEM] = { arch_bootmem_notifier, "arch bootmem notifier" },
	[NOTIFIER_ERROR_INJECT] = { memory_error_inject, "memory-notifier-error-inject" },
	[NOTIFIER_VIRTIO_MEM] = { virtio_mem_memory_notifier, "virtio_mem_memory_notifier_cb" },
};

/*
 * Models register_memory_notifier(): higher priority first; among equals,
 * the earlier registration first (notifier_chain_register).
 */
int register_memory_notifier(struct mhp_machine *m, int id, int priority)
{
	if (m->nr_notifiers >= ARRAY_SIZE(m->notifiers))
		return -ENOMEM;
	unsigned i = 0;
	while (i < m->nr_notifiers && m->notifiers[i].priority >= priority)
		i++;
	memmove(&m->notifiers[i + 1], &m->notifiers[i], (m->nr_notifiers - i) * sizeof(m->notifiers[0]));
	m->notifiers[i].id = id;
	m->notifiers[i].priority = priority;
	m->nr_notifiers++;
	return 0;
}

void unregister_memory_notifier(struct mhp_machine *m, int id)
{
	for (unsigned i = 0; i < m->nr_notifiers; i++) {
		if (m->notifiers[i].id != id)
			continue;
		memmove(&m->notifiers[i], &m->notifiers[i + 1], (m->nr_notifiers - i - 1) * sizeof(m->notifiers[0]));
		m->nr_notifiers--;
		return;
	}
}

/* Models memory_notify(): calls the chain until a callback stops it; returns an errno. */
int memory_notify(struct mhp_machine *m, int action, uint64_t start_pfn, uint64_t nr_pages)
{
	int ret = NOTIFY_DONE;
	for (unsigned i = 0; i < m->nr_notifiers; i++) {
		ret = callbacks[m->notifiers[i].id].fn(m, action, start_pfn, nr_pages);
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

/*
 * modprobe / modprobe -r of memory-notifier-error-inject: loading registers
 * its callback at the given priority and creates its debugfs files.
 */
int mhp_modprobe(struct mhp_machine *m, const char *module, int priority, bool remove, struct mhp_err *err)
{
	if (strcmp(module, "memory-notifier-error-inject") != 0 && strcmp(module, "memory_notifier_error_inject") != 0)
		return mhp_err_set(err, -ENOENT, "modprobe: FATAL: Module %s not found", module);
	if (remove) {
		if (m->inject_loaded)
			unregister_memory_notifier(m, NOTIFIER_ERROR_INJECT);
		m->inject_loaded = false;
		m->inject_going_online = m->inject_going_offline = 0;
		return 0;
	}
	if (m->inject_loaded)
		return 0;   /* modprobe of a loaded module succeeds and does nothing */
	int ret = register_memory_notifier(m, NOTIFIER_ERROR_INJECT, priority);
	if (ret)
		return mhp_err_set(err, ret, "cannot register the notifier");
	m->inject_loaded = true;
	struct mhp_trace_field f[] = { TF_S("module", module), TF_U("priority", (uint64_t)priority) };
	TRACE(m, "modprobe", f, "memory-notifier-error-inject loaded at priority %d", priority);
	return 0;
}

/* The debugfs "error" file of one event: a signed decimal, clamped to [-4095, 0] on write. */
int *inject_error_slot(struct mhp_machine *m, const char *event)
{
	if (!m->inject_loaded)
		return NULL;
	if (strcmp(event, "MEM_GOING_ONLINE") == 0)
		return &m->inject_going_online;
	if (strcmp(event, "MEM_GOING_OFFLINE") == 0)
		return &m->inject_going_offline;
	return NULL;
}
