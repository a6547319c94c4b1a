// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_steps.c - every kind of scenario step in the step table reads back
 * what it writes: parse a sample, write it with its row's writer, parse that
 * again, and the two steps are equal (the fuzzer writes its scenarios so).
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "step.h"

/* One sample per row, in table order, with as many of the kind's keys as it takes. */
static const char *const samples[NR_STEP_KINDS] = {
	[STEP_SAY] = "- say: \"Hotplug: the 1st block, # not a comment\"\n",
	[STEP_READ] = "- read: /sys/devices/system/memory/memory8/state\n  expect: \"online\\n\"\n"
		      "  log: [\"a line: with a colon\", another]\n",
	[STEP_WRITE] = "- write: /sys/devices/system/memory/memory8/state\n  value: online_movable\n  newline: false\n"
		       "  expect: EBUSY\n  log: []\n  violates: ZONE-SPAN\n",
	[STEP_LIST] = "- list: /sys/devices/system/memory\n  expect: [block_size_bytes, memory0, \"\"]\n",
	[STEP_READLINK] = "- readlink: /sys/devices/system/memory/memory0/node0\n  expect: ../../node/node0\n",
	[STEP_ADD] = "- add_memory: { start: 0x40000000, size: 128M, node: 1, driver: virtio_mem, memmap_on_memory: true }\n"
		     "  expect: any\n",
	[STEP_REMOVE] = "- remove_memory: { start: 0x40000000, size: 1536K }\n  expect: EINVAL\n",
	[STEP_ZONEINFO] = "- zoneinfo: { node: 1, zone: Normal, spanned: 262144, present: 262144, free: 0 }\n",
	[STEP_MEMINFO] = "- meminfo: { MemTotal: 1000, MemFree: 12 }\n",
	[STEP_VMSTAT] = "- vmstat: { nr_free_pages: 5 }\n",
	[STEP_TOUCH] = "- touch: { struct_page: 0x40000 }\n  expect: EFAULT\n",
	[STEP_PAGETABLES] = "- pagetables: { tables: 12, PTE: 3 }\n",
	[STEP_FAIL_ALLOC] = "- fail_alloc: { at: 3, count: 2 }\n",
	[STEP_ALLOC] = "- alloc: { kind: hugetlb, pages: 4, node: 1, tag: 100 }\n  expect: ENOMEM\n",
	[STEP_FREE] = "- free: { tag: 100, pages: 4 }\n",
	[STEP_WHERE] = "- where: { tag: 100, pages: 2, zone: Movable, node: 0, block: 9, not_block: 8 }\n",
	[STEP_RETRIES] = "- offline_retries: 5\n",
	[STEP_MODPROBE] = "- modprobe: { module: virtio_mem, priority: 10 }\n  expect: ENOENT\n",
	[STEP_RMMOD] = "- rmmod: memory-notifier-error-inject\n",
	[STEP_VIRTIO_MEM] = "- virtio_mem: { requested_size: 256M, plugged: 128M }\n  log: [\"virtio_mem virtio0: plugged\"]\n",
	[STEP_HOLD] = "- hold: { tag: 42, pages: 3 }\n  expect: EINVAL\n",
	[STEP_RELEASE] = "- release: { tag: 42 }\n",
	[STEP_FAILSLAB] = "- failslab: { at: 2, count: unlimited, interval: 3 }\n",
	[STEP_MEMREMAP] = "- memremap: { start: 0x140200000, size: 6M, node: 1 }\n  expect: EBUSY\n",
	[STEP_MEMUNMAP] = "- memunmap: { start: 0x140200000, size: 6M }\n",
};

/* Parses the one step of a YAML sequence. */
static void parse_one(const char *text, struct step *st)
{
	struct ydoc doc;
	struct mhp_err err = { 0 };
	memset(st, 0, sizeof(*st));
	if (ydoc_load_buffer(text, strlen(text), "<step>", &doc, &err))
		fail_msg("%s\n%s", err.msg, text);
	assert_int_equal(doc.root->kind, Y_SEQ);
	assert_int_equal(doc.root->n, 1);
	struct step_parse c = { .doc = &doc, .err = &err };
	if (step_parse(&c, doc.root->items[0], st))
		fail_msg("%s\n%s", err.msg, text);
	ydoc_free(&doc);
}

static char *write_one(const struct step *st)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	step_write(f, st);
	assert_int_equal(fclose(f), 0);
	return text;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_list(char **a, unsigned na, char **b, unsigned nb)
{
	for (unsigned i = 0; na == nb && i < na; i++)
		if (!same_str(a[i], b[i]))
			return false;
	return na == nb;
}

/* Everything a step says, its positions in the file aside. */
static bool same_step(const struct step *a, const struct step *b)
{
	for (unsigned i = 0; a->nkv == b->nkv && i < a->nkv; i++)
		if (strcmp(a->kv[i].key, b->kv[i].key) != 0 || a->kv[i].value != b->kv[i].value)
			return false;
	return a->kind == b->kind && same_str(a->path, b->path) && same_str(a->text, b->text) &&
	       a->expect_err == b->expect_err && same_list(a->list, a->nlist, b->list, b->nlist) &&
	       same_list(a->log, a->nlog, b->log, b->nlog) && a->has_log == b->has_log && a->has_text == b->has_text &&
	       a->newline == b->newline && strcmp(a->violates, b->violates) == 0 && a->start == b->start &&
	       a->size == b->size && a->nid == b->nid && a->zone == b->zone && a->driver == b->driver &&
	       a->touch_kind == b->touch_kind && a->flags == b->flags && strcmp(a->kind_name, b->kind_name) == 0 &&
	       a->zone_expect == b->zone_expect && a->block_expect == b->block_expect &&
	       a->not_block == b->not_block && a->nkv == b->nkv;
}

static void test_every_step_kind_has_a_sample_of_its_own_kind(void **state)
{
	(void)state;
	for (int k = 0; k < NR_STEP_KINDS; k++) {
		struct step st;
		assert_non_null(samples[k]);
		parse_one(samples[k], &st);
		assert_int_equal(st.kind, k);
		step_free(&st);
	}
}

static void test_every_step_kind_reads_back_what_its_row_writes(void **state)
{
	(void)state;
	for (int k = 0; k < NR_STEP_KINDS; k++) {
		struct step a, b;
		parse_one(samples[k], &a);
		char *text = write_one(&a);
		parse_one(text, &b);
		if (!same_step(&a, &b))
			fail_msg("%s: the written step parses to another step:\n%s", step_table[k].word, text);
		free(text);
		step_free(&a);
		step_free(&b);
	}
}

static void test_a_written_step_is_written_again_byte_for_byte(void **state)
{
	(void)state;
	for (int k = 0; k < NR_STEP_KINDS; k++) {
		struct step a, b;
		parse_one(samples[k], &a);
		char *once = write_one(&a);
		parse_one(once, &b);
		char *twice = write_one(&b);
		assert_string_equal(once, twice);
		free(once);
		free(twice);
		step_free(&a);
		step_free(&b);
	}
}

static void test_a_step_the_fuzzer_writes_is_written_as_it_always_was(void **state)
{
	(void)state;
	struct step st;
	parse_one("- add_memory: { start: 0x48000000, size: 256M, driver: dax_kmem }\n  expect: EEXIST\n", &st);
	char *text = write_one(&st);
	assert_string_equal(text, "  - add_memory: { start: 0x48000000, size: 256M, driver: dax_kmem }\n"
				  "    expect: EEXIST\n");
	free(text);
	step_free(&st);
	parse_one("- write: /sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_ONLINE/error\n"
		  "  value: \"-12\"\n", &st);
	text = write_one(&st);
	assert_string_equal(text, "  - write: /sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_ONLINE/error\n"
				  "    value: \"-12\"\n    expect: ok\n");
	free(text);
	step_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_step_kind_has_a_sample_of_its_own_kind),
		cmocka_unit_test(test_every_step_kind_reads_back_what_its_row_writes),
		cmocka_unit_test(test_a_written_step_is_written_again_byte_for_byte),
		cmocka_unit_test(test_a_step_the_fuzzer_writes_is_written_as_it_always_was),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
