// SPDX-License-Identifier: GPL-2.0-only
/*
 * reference_steps.c - one step as reference/driver.py words, or what a real
 * guest cannot do, marked, never faked: "skip REASON" when the step changes
 * nothing the observations see, "depart REASON" when it does (the kernel's
 * run then leaves the scenario, and the diff stops there).
 */
#include <stdio.h>
#include <string.h>

#include "step.h"

void reference_step(const struct step *st, struct reference_state *rs, FILE *out)
{
	const struct step_ops *row = &step_table[st->kind];
	if (row->reference)
		row->reference(st, rs, out);
	else
		fprintf(out, "%s\n", row->reference_says ? row->reference_says : "depart not mapped");
}

void reference_write(const struct step *st, struct reference_state *rs, FILE *out)
{
	(void)rs;
	fprintf(out, "echo %s %s\n", st->path, st->text[0] ? st->text : "\"\"");
}

/*
 * The page-table dump exists only with CONFIG_PTDUMP_DEBUGFS, which Debian's
 * 6.12 arm64 kernels leave out (their config: "is not set"): the guest cannot
 * take the read, and a read changes nothing the observations see.
 */
void reference_read(const struct step *st, struct reference_state *rs, FILE *out)
{
	(void)rs;
	if (strcmp(st->path, "/sys/kernel/debug/kernel_page_tables") == 0)
		fprintf(out, "skip the reference kernel is built without CONFIG_PTDUMP_DEBUGFS (no kernel_page_tables)\n");
	else
		fprintf(out, "read %s\n", st->path);
}

/*
 * Movable workload pages become a tmpfs file on the guest (shmem: movable,
 * on the LRU, migrated by an offline like the model's anon and file pages),
 * one file per alloc step, named by its first tag. The kernel places them by
 * its own allocator; the observation sees no free counts, only what an offline
 * then does. Kernel, pinned and hugetlb pages have no guest-side equivalent.
 * A fill past half of the guest's memory departs: tmpfs pages cannot be
 * swapped out here, so the guest would OOM-kill its own shell where the
 * model's allocations fail one by one.
 */
void reference_alloc(const struct step *st, struct reference_state *rs, FILE *out)
{
	bool movable = strcmp(st->kind_name, "anon") == 0 || strcmp(st->kind_name, "file") == 0;
	if (!movable || st->nid != 0 || rs->nfiles == sizeof(rs->files) / sizeof(rs->files[0])) {
		fprintf(out, "depart %s pages have no guest-side workload (only anon and file map to tmpfs)\n",
			st->kind_name);
		return;
	}
	if ((rs->filled + st->size * rs->page_size) * 2 > rs->boot_ram + rs->plugged) {
		fprintf(out, "depart tmpfs past half of the guest's memory: the guest would OOM-kill its shell\n");
		return;
	}
	rs->filled += st->size * rs->page_size;
	rs->files[rs->nfiles].tag = st->start;
	rs->files[rs->nfiles++].pages = st->size;
	fprintf(out, "fill %llu %llu\n", (unsigned long long)st->start, (unsigned long long)st->size);
}

void reference_free(const struct step *st, struct reference_state *rs, FILE *out)
{
	for (unsigned i = 0; i < rs->nfiles; i++)
		if (rs->files[i].tag == st->start && rs->files[i].pages == st->size) {
			rs->filled -= st->size * rs->page_size;
			rs->files[i] = rs->files[--rs->nfiles];
			fprintf(out, "drop %llu\n", (unsigned long long)st->start);
			return;
		}
	fprintf(out, "depart the free is not one whole tmpfs file the guest wrote\n");
}

/* The guest's driver does what the model's does: the same request. */
void reference_virtio_mem(const struct step *st, struct reference_state *rs, FILE *out)
{
	if (!rs->vm.size) {   /* riscv64: QEMU 10's virt has no virtio-mem device */
		fprintf(out, "depart the lane's machine has no virtio-mem device (QEMU 10 offers none on riscv64)\n");
		return;
	}
	rs->plugged = st->size;
	fprintf(out, "plug %lluM\n", (unsigned long long)(st->size >> 20));
}

void reference_add(const struct step *st, struct reference_state *rs, FILE *out)
{
	const struct inspect_range *vm = &rs->vm;
	if (st->driver == DRIVER_VIRTIO_MEM && st->start == vm->start + rs->plugged &&
	    rs->plugged + st->size <= vm->size) {
		rs->plugged += st->size;
		fprintf(out, "plug %lluM\n", (unsigned long long)(rs->plugged >> 20));
	} else {
		fprintf(out, "depart only virtio-mem adds memory in the guest, at the end of what it plugged\n");
	}
}

/* The guest has no remove_memory of its own: its virtio-mem driver unplugs (virtio_mem steps). */
void reference_remove(const struct step *st, struct reference_state *rs, FILE *out)
{
	(void)st;
	(void)rs;
	fprintf(out, "depart remove_memory of virtio-mem memory: the guest's driver unplugs instead (virtio_mem steps; "
		"this scenario predates them)\n");
}
