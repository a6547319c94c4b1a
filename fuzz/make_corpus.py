#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Writes the seed corpora of fuzz/corpus/ (run from anywhere; outputs are committed).

ops/    hand-made operation sequences in fuzz_ops.c's input format
sysfs/  hand-made records in fuzz_sysfs.c's input format
scenario/ every scenarios/*.yaml and some tests/bad/*.yaml, copied

The encoders below mirror the decoders in the harnesses: change both together.
"""
import shutil
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"

# ---- fuzz_ops.c ---------------------------------------------------------------
OP_ADD, OP_REMOVE, OP_BLOCK_WRITE, OP_AUTO_ONLINE, OP_PARAM, OP_ALLOC, OP_FREE, OP_FAIL_ALLOC = range(8)
TEARDOWN = {"arm64": 0, "x86-whatif": 1, "generic": 2}
RESOURCE = {"System RAM": 0, "virtio_mem": 1, "kmem": 2, "bogus": 3}
VALUES = ["online", "online_kernel", "online_movable", "offline", "1", "0"]
KINDS = ["anon", "file", "kernel", "pgtable", "hugetlb", "pinned", "bogus"]
PARAMS = ["contig-zones", "auto-movable", "ratio 0", "ratio 301", "ratio 3000", "numa N", "numa Y", "memmap Y"]


def hp_range(first, nblocks):
    """Blocks first..first+nblocks-1 of the hot-plug region (memory16 is block 0)."""
    assert 0 <= first < 8 and 1 <= nblocks <= 8 - first
    return bytes([(first << 4) | 3, nblocks - 1])


def boot_range(first, nblocks):
    """Boot memory blocks (memory8 is block 0)."""
    return bytes([(first << 4) | 1, nblocks - 1])


def raw_range(start, size):
    """Any start, a size up to 2 GiB."""
    assert size <= 2 << 30
    return bytes([0, 0]) + struct.pack("<QQ", start, size)


def huge_range(start, size):
    """A size with bit 48 set: beyond the physical address space, maybe wrapping."""
    return bytes([0xf0, 0]) + struct.pack("<QQ", start, size)


def add(rng, resource="virtio_mem", memmap_on_memory=False, nid0=True):
    b = RESOURCE[resource] | (0x80 if memmap_on_memory else 0)
    return bytes([OP_ADD]) + rng + bytes([0 if nid0 else 0xf1, b])


def remove(rng):
    return bytes([OP_REMOVE]) + rng


def block_write(block_id, value, attr="state", newline=True):
    sel = (block_id - 8) % 18
    b = (1 if attr == "online" else 0) | (VALUES.index(value) << 1) | (0x80 if newline else 0)
    return bytes([OP_BLOCK_WRITE, sel, b])


def auto_online(value):
    return bytes([OP_AUTO_ONLINE, VALUES.index(value) | 0x80])


def param(name):
    return bytes([OP_PARAM, PARAMS.index(name)])


def count_byte(n):
    assert 1 <= n <= 192 or (n % 256 == 0 and n // 256 <= 64)
    return n - 1 if n <= 192 else 191 + n // 256


def alloc(kind, tag, n):
    return bytes([OP_ALLOC, KINDS.index(kind), 0]) + struct.pack("<H", tag - 1) + bytes([count_byte(n)])


def free(tag, n):
    return bytes([OP_FREE]) + struct.pack("<H", tag - 1) + bytes([count_byte(n)])


def fail_alloc(nth, count):
    return bytes([OP_FAIL_ALLOC, nth, count - 1])


def ops_seeds():
    t = lambda name: bytes([TEARDOWN[name]])
    return {
        "add-remove-one": t("arm64") + add(hp_range(0, 1)) + block_write(16, "offline") + remove(hp_range(0, 1)),
        "add-all-offline-all": t("arm64") + add(hp_range(0, 8)) + b"".join(
            block_write(i, "offline") for i in range(16, 24)) + remove(hp_range(0, 8)),
        "manual-online-movable": t("x86-whatif") + auto_online("offline") + add(hp_range(2, 3)) +
            block_write(19, "online_movable") + block_write(18, "online_kernel") +
            block_write(20, "1", attr="online") + block_write(19, "0", attr="online"),
        "migrate-workload": t("arm64") + auto_online("online_movable") + add(hp_range(0, 2)) +
            alloc("anon", 1, 1024) + alloc("file", 2001, 512) + alloc("hugetlb", 3001, 4) +
            block_write(16, "offline") + remove(hp_range(0, 1)) + free(1, 1024) + free(3001, 4),
        "pinned-blocks-offline": t("arm64") + auto_online("online_movable") + add(hp_range(0, 1)) +
            alloc("pinned", 1, 64) + alloc("kernel", 100, 16) + block_write(16, "offline"),
        "boot-offline-refused": t("generic") + block_write(8, "offline") + block_write(12, "offline") +
            remove(boot_range(4, 1)),
        "memmap-on-memory": t("arm64") + add(hp_range(0, 2), memmap_on_memory=True) +
            block_write(17, "offline") + block_write(16, "offline") + remove(hp_range(0, 2)),
        "fault-injection": t("arm64") + fail_alloc(3, 2) + add(hp_range(0, 1)) + fail_alloc(1, 4) +
            add(hp_range(4, 4)) + block_write(20, "offline") + remove(hp_range(4, 4)),
        "auto-movable-policy": t("x86-whatif") + param("auto-movable") + param("ratio 0") + auto_online("online") +
            add(hp_range(0, 4)) + alloc("pgtable", 1, 256) + param("contig-zones") + add(hp_range(4, 2)),
        "bad-ranges": t("arm64") + add(raw_range(0x80001000, 0x8000000)) + add(raw_range(0x80000000, 0)) +
            add(huge_range(0xffffffffffff0000, 0x20000)) + remove(raw_range(0x40000000, 0x40000000)) +
            add(hp_range(7, 1), resource="bogus") + add(hp_range(6, 1), nid0=False),
        "overlap-and-readd": t("generic") + add(hp_range(0, 4)) + add(hp_range(2, 4)) + block_write(17, "offline") +
            remove(hp_range(1, 1)) + add(hp_range(1, 1), resource="kmem") + block_write(17, "online_kernel"),
        "fill-memory": t("arm64") + alloc("hugetlb", 1, 64) + add(hp_range(0, 8)) + alloc("anon", 1000, 16384) +
            block_write(23, "offline") + free(1000, 16384) + block_write(23, "offline"),
    }


# ---- fuzz_sysfs.c ---------------------------------------------------------------
BLOCK_FILES = ["state", "online", "state", "online", "valid_zones", "removable", "phys_index", "phys_device", "node0"]
FIXED = [
    "auto_online_blocks", "block_size_bytes", "memory_dir", "online_policy", "auto_movable_ratio",
    "auto_movable_numa_aware", "memmap_on_memory", "inject_online", "inject_offline", "kernel_page_tables",
    "has_memory", "node0_memory16", "meminfo", "zoneinfo", "vmstat", "iomem", "relative_state16", "bus_online17",
]
WORDS = ["online", "online_kernel", "online_movable", "offline", "1", "0", "contig-zones", "auto-movable",
         "Y", "N", "-12", "-16", "0x10", "301", "", " online", "offline\n\n"]
FULL_READ = 0


def block_sel(block_id, attr):
    for sel in range(0xe0):
        if 8 + sel % 17 == block_id and BLOCK_FILES[(sel // 17) % len(BLOCK_FILES)] == attr:
            return sel
    raise ValueError((block_id, attr))


def word(w, newline=False):
    return bytes([0x80 | WORDS.index(w) | (0x40 if newline else 0)])


def raw_value(value):
    assert len(value) < 0x80
    return bytes([len(value)]) + value


def rec_block(block_id, attr, value, read_cap=None):
    v = word(*value) if isinstance(value, tuple) else raw_value(value)
    return bytes([block_sel(block_id, attr)]) + v + bytes([FULL_READ if read_cap is None else 0xf0 | read_cap])


def rec_fixed(name, value, read_cap=None):
    v = word(*value) if isinstance(value, tuple) else raw_value(value)
    return bytes([0xe0 + FIXED.index(name)]) + v + bytes([FULL_READ if read_cap is None else 0xf0 | read_cap])


def rec_raw(path, value):
    return bytes([0xfc, len(path)]) + path + raw_value(value) + bytes([FULL_READ])


def sysfs_seeds():
    plug, inject = 1, 2
    return {
        "offline-online-hotplugged": bytes([plug]) + rec_block(16, "state", ("offline", True)) +
            rec_block(16, "state", ("online_movable", True)) + rec_block(17, "online", ("0", True)) +
            rec_block(17, "online", ("1",)),
        "boot-block-refuses": bytes([0]) + rec_block(8, "state", ("offline", True)) +
            rec_block(9, "online", ("0", True)) + rec_block(9, "valid_zones", b"x\n"),
        "auto-online-and-params": bytes([plug]) + rec_fixed("auto_online_blocks", ("online_movable", True)) +
            rec_fixed("online_policy", ("auto-movable", True)) + rec_fixed("auto_movable_ratio", ("301",)) +
            rec_fixed("auto_movable_numa_aware", ("N",)) + rec_fixed("memmap_on_memory", ("Y",)),
        "notifier-inject": bytes([plug | inject | (5 << 2)]) + rec_fixed("inject_offline", ("-16", True)) +
            rec_block(18, "state", ("offline", True)) + rec_fixed("inject_offline", ("0",)) +
            rec_fixed("inject_online", ("-12",)) + rec_block(18, "state", ("online",)),
        "short-reads": bytes([plug]) + rec_fixed("zoneinfo", b"", read_cap=0) + rec_fixed("iomem", b"", read_cap=1) +
            rec_block(16, "valid_zones", b"", read_cap=7) + rec_fixed("meminfo", b"", read_cap=15) +
            rec_fixed("node0_memory16", b"", read_cap=4),
        "raw-paths": bytes([plug]) + rec_raw(b"/sys/devices/system/memory/memory16/state", b"offline") +
            rec_raw(b"devices/system/memory/../memory/memory16/state", b"online") +
            rec_raw(b"/sys/bus/memory/devices/memory19/online", b"0\n") +
            rec_raw(b"/sys//devices///system/memory/memory20/state", b"offline") +
            rec_raw(b"/proc/iomem", b"x"),
        "odd-values": bytes([plug]) + rec_block(21, "state", b"online_movable\n\n") +
            rec_block(22, "state", b"OFFLINE") + rec_block(22, "online", b"2") +
            rec_fixed("auto_online_blocks", b"online\x00kernel") + rec_fixed("auto_movable_ratio", b"-1") +
            rec_fixed("inject_online", b"0x7fffffffffffffff"),
    }


# ---- fuzz_scenario.c ------------------------------------------------------------
BAD_SEEDS = ["01-unknown-top-key", "05-list-for-scalar", "07-size-bad-suffix", "24-unclosed-quote",
             "27-alias", "34-nul-in-scalar", "35-two-documents", "43-mapping-key-not-scalar"]


def write_dir(name, seeds):
    d = CORPUS / name
    d.mkdir(parents=True, exist_ok=True)
    for old in d.iterdir():
        old.unlink()
    for seed, data in seeds.items():
        (d / seed).write_bytes(data)


def main():
    write_dir("ops", ops_seeds())
    write_dir("sysfs", sysfs_seeds())
    scen = {p.name: p.read_bytes() for p in sorted((ROOT / "scenarios").glob("*.yaml"))}
    for name in BAD_SEEDS:
        p = ROOT / "tests" / "bad" / (name + ".yaml")
        scen["bad-" + p.name] = p.read_bytes()
    write_dir("scenario", scen)


if __name__ == "__main__":
    main()
