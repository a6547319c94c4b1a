# SPDX-License-Identifier: GPL-2.0-only
# The history gauntlet's data (scripts/history.py, docs/history.md): one entry
# per bug of ../shared/HISTORY.md, in its order.
#
# undo: how the bug is put back into a copy of the tree (the edit is ours and
#       is described in words; its operations name lines by a fragment);
# probe: the mhpsim command that must fail (exit 1, its output matching
#       "catch") with the bug and pass on the tree with the fix;
# status: caught | not caught | out of reach; lacks: what the model needs.
#
# "Fixed" trees: a fix that landed before 6.12 (or was backported to Debian's
# 6.12.118) is in the stock tree, which CI builds anyway: its binary runs the
# same probe and must pass it.

FUZZ = ["fuzz", "--seed", "1", "--steps", "2000", "--out", "@OUT@"]

BUGS = [
    dict(
        id="A1", commit="48478b9f7913", arch="arm64",
        function="unmap_hotplug_{pte,pmd,pud}_range, unmap_hotplug_range",
        breaks="the linear map's entries are flushed one page at a time as they are cleared, with no "
               "flush of the whole range at the end: a contiguous block's TLB entries outlive the remove",
        status="caught",
        caught_by="the differential: the tree's TLB and flushes differ from the model's "
                  "(TLB-STALE needs contiguous-bit TLB semantics to see the stale entry itself)",
        fixed="6.12.118 has the fix (backported): the stock tree passes",
        undo=dict(words="After each linear-map clear at the PTE, PMD and PUD levels, a one-page flush of that "
                        "address again; the range flush at the end of unmap_hotplug_range() goes, with the "
                        "start address it kept for it.",
                  edits=[dict(file="arch/arm64/mm/mmu.c", ops=[
                      ("after", "unmap_hotplug_pte_range", "__pte_clear(",
                       "\t\tif (!free_mapped)\n\t\t\tflush_tlb_kernel_range(addr, addr + PAGE_SIZE);"),
                      ("after", "unmap_hotplug_pmd_range", "pmd_clear(pmdp);",
                       "\t\t\tif (!free_mapped)\n\t\t\t\tflush_tlb_kernel_range(addr, addr + PAGE_SIZE);"),
                      ("after", "unmap_hotplug_pud_range", "pud_clear(pudp);",
                       "\t\t\tif (!free_mapped)\n\t\t\t\tflush_tlb_kernel_range(addr, addr + PAGE_SIZE);"),
                      ("delete", "unmap_hotplug_range", "unsigned long start = addr;"),
                      ("delete", "unmap_hotplug_range", "if (!free_mapped)"),
                      ("delete", "unmap_hotplug_range", "flush_tlb_kernel_range(start, end);"),
                  ])]),
        probe=dict(args=FUZZ + ["--model", "server-2node-arm64-4k", "--cmdline", "rodata=on kfence.sample_interval=100",
                                "--differential", "kernel"],
                   catch="DIFFERENTIAL"),
    ),
    dict(
        id="X2", commit="98fe3633c5a4", arch="x86-64",
        function="remove_p4d_table / free_pud_table",
        breaks="with 4-level paging the P4D entry is the PGD entry: an emptied PUD table is freed and the "
               "PGD entry cleared, which per-process copies of the kernel's PGD entries still hold",
        status="caught",
        caught_by="the differential: the PUD table the tree frees is live in the model, and the "
                  "scenario's expectation (PUD: 3) fails; an invariant needs per-process PGD copies",
        fixed="in the stock tree (4.12): it passes",
        undo=dict(words="remove_p4d_table() frees the emptied PUD table whatever the paging depth: the test "
                        "for 5-level paging in front of free_pud_table() goes.",
                  edits=[dict(file="arch/x86/mm/init_64.c", ops=[
                      ("delete", "remove_p4d_table", "if (pgtable_l5_enabled())"),
                  ])]),
        # A fuzz run's differential sees the edit first as one more descriptor read (free_pud_table()
        # scanning a PUD table that is not empty): a scenario whose PUD table empties shows the free itself.
        probe=dict(args=["diff", "scenarios/x86_64/16-pud-table-stays.yaml"], catch="is live with x86 only"),
    ),
]

# The other rows; those out of reach say what each lacks (docs/history-triage.md has the reading behind them).
BUGS += [
    dict(id="A3", commit="c594b83457cc", arch="arm64", function="free_hotplug_pgtable_page",
         breaks="hot-add tables built with a constructor are freed without the destructor: the page keeps "
                "its page-table type, NR_PAGETABLE and the split lock leak",
         status="caught",
         caught_by="PAGE-OWNER: a table freed while still constructed (the tree's own add side constructs "
                   "every level's table, its remove side frees them)",
         fixed="Debian's 7.3 as it is (it has 5e8eb9aeeda3 and the fix): the same probe passes",
         fixed_tree=".deps/linux-source-7.3",
         undo=dict(base=".deps/linux-source-7.3",
                   words="free_hotplug_pgtable_page() frees the page without pagetable_dtor(), as it did "
                         "between 5e8eb9aeeda3 and the fix (no Debian tree is from then).",
                   edits=[dict(file="arch/arm64/mm/mmu.c", ops=[
                       ("delete", "free_hotplug_pgtable_page", "pagetable_dtor(page_ptdesc(page));"),
                   ])]),
         probe=dict(args=FUZZ + ["--model", "qemu-virt-arm64-4k", "--strategy", "kernel"],
                    catch="PAGE-OWNER")),
    dict(id="A4", commit="bfc184cb1ba7", arch="arm64",
         function="alloc_init_*, __create_pgd_mapping, arch_add_memory",
         breaks="a page-table allocation that fails during hot-add hits BUG_ON instead of -ENOMEM and an unwind",
         status="caught",
         caught_by="PT-COVER under mhpsim.strict_bug (the BUG is an oops, so nothing unwinds): the tree's "
                   "own add side stops at its BUG_ON with part of the range mapped, memory that is not "
                   "present; by default the BUG is traced and the add unwound, as later trees do",
         fixed="Debian's 7.3 as it is: __create_pgd_mapping() returns -ENOMEM, arch_add_memory() unwinds, "
               "the same probe passes",
         fixed_tree=".deps/linux-source-7.3",
         probe=dict(args=FUZZ + ["--model", "qemu-virt-arm64-4k", "--strategy", "kernel",
                                 "--cmdline", "mhpsim.strict_bug"],
                    catch="PT-COVER")),
    dict(id="A7", commit="59305202c67f", arch="arm64 (+riscv, s390)", function="ptdump_walk_pgd",
         breaks="ptdump_check_wx() walks the kernel tables without the hotplug lock and reads a table "
                "that hot-remove just freed",
         status="caught",
         caught_by="WALKER-UAF: every schedule of the walker against the tree's own remove is checked; the "
                   "debugfs dump, which its ptdump_show() locked, is not reported (the withdrawn 2025 race)",
         fixed="6.12.118 (backported): the walk takes the lock, the same probe passes",
         undo=dict(words="mm/ptdump.c is not extracted: the walkers and their locking are the model's "
                         "(libsim/mm/ptdump.c), and the mutant puts the lock back where trees before the fix "
                         "had it (ptdump_show() only); the frees are the tree's (--strategy kernel).",
                   mutant="check-wx-unlocked"),
         probe=dict(args=FUZZ + ["--model", "qemu-virt-arm64-4k", "--strategy", "kernel"], catch="WALKER-UAF")),
    dict(id="A8", commit="bf2b59f60ee1", arch="arm64", function="ptdump_show",
         breaks="the debugfs kernel_page_tables dump walks tables that hot-remove frees",
         status="caught",
         caught_by="WALKER-UAF, as A7",
         fixed="in the stock tree (5.7; since 59305202c67f in ptdump_walk_pgd()): the same probe passes",
         undo=dict(words="As A7, with no walker taking the hotplug lock.", mutant="ptdump-unlocked"),
         probe=dict(args=FUZZ + ["--model", "qemu-virt-arm64-4k", "--strategy", "kernel"], catch="WALKER-UAF")),
    dict(id="A9", commit="58284a901b42", arch="arm64", function="arch_add_memory (arch_get_mappable_range)",
         breaks="a linear mapping built outside [PAGE_OFFSET, PAGE_END) over other kernel VA regions",
         status="caught",
         caught_by="PT-COVER: present memory whose linear address lies past PAGE_END (the window check now runs "
                   "before the check's range is clipped to the mappable range, the code's own word)",
         fixed="in the stock tree (5.10): the add is refused with E2BIG and the same probe passes",
         undo=dict(words="arch_get_mappable_range() and the linear map's add side are the model's (not extracted "
                         "yet): the mutant makes the range the generic one, every physical address.",
                   mutant="mappable-range-any"),
         probe=dict(args=["run", "--teardown", "kernel", "scenarios/54-add-past-the-linear-map.yaml"],
                    catch="invariant PT-COVER")),
    dict(id="A10", commit="ee7febce0519", arch="arm64", function="arch_get_mappable_range",
         breaks="with KASLR the linear map's PA range wraps and a valid hot-add is refused",
         status="out of reach", lacks="a randomized memstart_addr (the models are nokaslr) and a mutant"),
    dict(id="A11", commit="bbd6ec605c0f (guard)", arch="arm64",
         function="prevent_bootmem_remove_notifier, validate_bootmem_online",
         breaks="without the early-section veto boot memory's reserved tables and memmap reach "
                "free_hotplug_page_range()",
         status="caught",
         caught_by="COUNTERS: the tree's free_hotplug_page_range() WARNs on the PageReserved boot memmap and "
                   "frees it with free_pages(), so NR_FREE_PAGES passes the zone's managed pages",
         fixed="in the stock tree (5.7, 5.11): the offline is refused (EPERM) and the same probe passes",
         undo=dict(words="The notifier is the model's (libsim/arch/arm64/mmu.c, not extracted): the mutant "
                         "drops its early_section() veto, as HISTORY.md says to; the remove is the tree's own "
                         "(--teardown kernel).",
                   mutant="bootmem-no-veto"),
         probe=dict(args=["run", "--teardown", "kernel", "scenarios/53-boot-memory-guard.yaml"],
                    catch="invariant COUNTERS")),
    dict(id="R1", commit="21f1b85c8912", arch="riscv", function="free_pmd_table",
         breaks="the PMD destructor runs on a vmemmap PMD table that never had a constructor "
                "(VM_BUG_ON_PAGE in pmd_ptlock_free())",
         status="caught",
         caught_by="PAGE-OWNER (a table's destructor pairs with its constructor), on fuzz-riscv64-sv48, "
                   "whose memory at 128 GiB has vmemmap PMD tables of its own",
         fixed="6.12.118 has the fix (6.13, backported): the stock tree passes",
         undo=dict(words="free_pmd_table() runs the PMD destructor whatever the table maps: the test for "
                         "the vmemmap in front of pagetable_pmd_dtor() goes.",
                   edits=[dict(file="arch/riscv/mm/init.c", ops=[
                       ("delete", "free_pmd_table", "if (!is_vmemmap)"),
                   ])]),
         probe=dict(args=FUZZ + ["--model", "fuzz-riscv64-sv48", "--strategy", "kernel"], catch="PAGE-OWNER")),
    dict(id="R2", commit="37992b7f1097", arch="riscv", function="ptdump_show vs remove_pgd_mapping",
         breaks="the ptdump dump walks freed tables",
         status="caught",
         caught_by="WALKER-UAF, as A7: RISC-V frees an emptied table before it clears its entry, so a walk "
                   "that starts after the free follows the entry",
         fixed="in the stock tree (6.11; since 59305202c67f in ptdump_walk_pgd()): the same probe passes",
         undo=dict(words="As A8.", mutant="ptdump-unlocked"),
         probe=dict(args=FUZZ + ["--model", "qemu-virt-riscv64-sv48", "--strategy", "kernel"],
                    catch="WALKER-UAF")),
    dict(id="X1", commit="af2cf278ef4f", arch="x86-64", function="remove_pagetable / free_pud_table",
         breaks="an emptied PUD table is freed and its PGD entry cleared: per-process PGD copies keep it",
         status="caught", same_as="X2",
         caught_by="in 6.12's structure its undo is X2's edit (the P4D level is folded into the PGD): "
                   "the same probe, the same step",
         fixed="in the stock tree (4.2): it passes"),
    dict(id="X4", commit="280abe14b6e0", arch="x86-64", function="vmemmap_use_new_sub_pmd",
         breaks="the unused head of a vmemmap PMD is marked at the wrong address: live struct pages "
                "overwritten, the PMD never freed",
         status="out of reach",
         lacks="sub-section ZONE_DEVICE adds exist now (memremap, --zone-device), but 6.12 populates a partial "
               "section's memmap with base pages and a whole one at a 2 MiB-aligned address, so the sub-PMD path "
               "runs only with a struct page of other than 64 bytes (a debug config); it also needs the x86 add "
               "side in the loop and a byte shadow of the memmap for the PAGE_UNUSED marks"),
    dict(id="X6", commit="none (posted 2021)", arch="x86-64",
         function="free_{pte,pmd,pud}_table, remove_pagetable",
         breaks="pages are freed before the one flush_tlb_all() at the end: caches may still reach them",
         status="caught",
         caught_by="TLB-STALE under mhpsim.strict_tlb (arm64's order, clear, flush, then free, asked of every "
                   "arch): 6.12's own init_64.c frees a cached vmemmap block first; the hazard is counted "
                   "(freed_while_cached) and reported without the parameter",
         fixed="not merged upstream: the fix as posted, in our words (frees wait for the flush), passes",
         fix=dict(words="remove_pagetable() has free_pagetable() hold back every page it would free, vmemmap "
                        "blocks and tables alike, and free them after its flush_tlb_all().",
                  edits=[dict(file="arch/x86/mm/init_64.c", ops=[
                      # Kept in the function: the extraction copies function bodies only.
                      ("before", "free_pagetable", "unsigned long magic;",
                       "\t/* history X6, the 2021 fix in our words: a removal's frees wait for its flush. */\n"
                       "\tstatic struct { struct page *page; int order; } held[4096];\n"
                       "\tstatic int nr_held, holding;\n"
                       "\tif (!page) {   /* order 1: hold the frees from now on; 0: free what is held */\n"
                       "\t\tholding = order;\n"
                       "\t\tfor (int i = 0; !order && i < nr_held; i++)\n"
                       "\t\t\tfree_pagetable(held[i].page, held[i].order);\n"
                       "\t\tnr_held = order ? nr_held : 0;\n"
                       "\t\treturn;\n"
                       "\t}\n"
                       "\tif (holding && nr_held < 4096) {\n"
                       "\t\theld[nr_held].page = page;\n"
                       "\t\theld[nr_held++].order = order;\n"
                       "\t\treturn;\n"
                       "\t}"),
                      ("before", "remove_pagetable", "for (addr = start; addr < end; addr = next) {",
                       "\tfree_pagetable(NULL, 1);"),
                      ("after", "remove_pagetable", "flush_tlb_all();", "\tfree_pagetable(NULL, 0);"),
                  ])]),
         probe=dict(args=["run", "--teardown", "kernel", "tests/history/x6-strict.yaml"],
                    catch="invariant TLB-STALE")),
    dict(id="X7", commit="5e0fb5df2ee8", arch="x86-64 (ioremap)", function="pud_free_pmd_page, pmd_free_pte_page",
         breaks="a lower table freed after its entry is cleared with no TLB purge",
         status="out of reach",
         lacks="no ioremap huge mappings in the model; the class is caught in hot-remove (mutant "
               "no-table-flush, TLB-STALE)"),
    dict(id="X8", commit="f931ab479dd2", arch="x86-64", function="kernel_physical_mapping_init",
         breaks="two hot-adds race to populate one PGD entry and the loser installs a wrong table",
         status="out of reach", lacks="the x86 add side in the loop and a scheduler of two hot-adds"),
    dict(id="M1", commit="f42ce5f087eb", arch="generic", function="add_memory_resource",
         breaks="the error path removes with no altmap: memmap pages from the hot-added range go to the "
                "buddy allocator",
         status="caught",
         caught_by="PAGE-OWNER (an altmap's page is never freed to the buddy allocator), when the tree's "
                   "vmemmap_free() gets no altmap and frees the block's memmap with free_pages()",
         fixed="in the stock tree (6.7): the same probe passes",
         undo=dict(words="add_memory_resource() is generic code, the model's (libsim/mm/memory_hotplug.c): the "
                         "mutant drops the altmap on its error path; the vmemmap is freed by the tree's own "
                         "arm64 code (--teardown kernel).",
                   mutant="add-error-drops-altmap"),
         probe=dict(args=["run", "--teardown", "kernel", "scenarios/52-failed-add-returns-the-altmap.yaml"],
                    catch="invariant PAGE-OWNER")),
]
_order = ["A1", "A3", "A4", "A7", "A8", "A9", "A10", "A11", "R1", "R2", "X1", "X2", "X4", "X6", "X7", "X8", "M1"]
BUGS.sort(key=lambda b: _order.index(b["id"]))
