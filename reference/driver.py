#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The reference lane's driver: boots Debian's arm64 6.12 kernel under QEMU
(TCG) with one virtio-mem device, runs a step list on it, and records after
boot and after each step the write's result and the raw observation the
guest's /init prints (reference/guest-init). The canonical text comes from
the simulator's own formatter (`mhpsim observe`), so both sides share it.

    reference/driver.py record STEPS OUT.obs [--flavour arm64|arm64-16k|x86_64|riscv64] [--cmdline TEXT] [--smp N]
    reference/driver.py record-scenario SCENARIO.yaml OUT.obs   (our scenarios, via mhpsim reference-steps)
    reference/driver.py drift GOLDEN.obs NEW.obs               (what reference/record.sh --drift reports)

The machine is the one ../shared/reference-observations was recorded on:
-M virt, cortex-a72, 2 CPUs (their percpu areas show in MemTotal), 1 GiB of
boot RAM, a 1 GiB virtio-mem device on node 0. The x86_64 flavour is QEMU's
q35 with its qemu64 CPU (4-level paging, no pdpe1gb), 2 CPUs, 2 GiB of boot
RAM and a 2 GiB virtio-mem device (models/qemu-q35-x86_64.yaml). The riscv64
flavour is QEMU's virt with its rv64 CPU (Sv57; the command line's no5lvl or
no4lvl picks Sv48 or Sv39) and OpenSBI (-bios default), 2 CPUs, the model's
boot RAM and no virtio-mem device: QEMU 10 has none for riscv64 (vm=none).

Step words (one a line, # comments), as in ../shared/reference-observations:
  plug SIZE               virtio-mem requested-size (QMP qom-set); waits for the guest
  state N VALUE           echo VALUE > memoryN/state   (online N TYPE, offline N: the same)
  write PATH VALUE        echo VALUE > /sys/devices/system/memory/PATH
  set auto_online_blocks VALUE
  cat PATH                cat /sys/devices/system/memory/PATH
Needs reference/setup.sh first. Prints the kernel's time per step.
"""
import errno
import json
import os
import select
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEPS = os.path.join(ROOT, ".deps", "reference")
MEM = "/sys/devices/system/memory"
CMDLINE = "console=ttyAMA0 quiet panic=-1 nokaslr norandmaps memhp_default_state=online"
ERRNO_BY_TEXT = {os.strerror(code): name for code, name in errno.errorcode.items()}
ERRNO_BY_TEXT["nonexistent directory"] = "ENOENT"   # busybox sh's word for a missing path


class QmpRefused(RuntimeError):
    """QEMU answered a QMP command with an error."""


def machine_words(machine):
    return dict(w.split("=", 1) for w in machine.split())


def machine_args(machine):
    """QEMU's memory arguments for a '# machine' line of mhpsim reference-steps:
    vm-block-size=SIZE vm-node=N vm-requested-size=SIZE nodes=SIZE[,SIZE...] (each NUMA node's
    boot RAM); vm-requested-size is what the device asks for from the start (its driver plugs it at probe)."""
    kv = machine_words(machine)
    nodes = kv.get("nodes", "1024M").split(",")
    total = sum(size_bytes(n) for n in nodes) >> 20
    if kv.get("vm") == "none":   # riscv64: boot memory only
        return ["-m", "%dM" % total]
    args = ["-m", "%dM,maxmem=%dM" % (total, total + 3072)]
    if len(nodes) > 1:
        for i, n in enumerate(nodes):
            args += ["-object", "memory-backend-ram,id=ram%d,size=%s" % (i, n),
                     "-numa", "node,nodeid=%d,memdev=ram%d" % (i, i)]
    args += ["-object", "memory-backend-ram,id=vmem0,size=%s" % kv.get("vm-size", "1G"),
             "-device", "virtio-mem-pci,id=vm0,memdev=vmem0,node=%s,requested-size=%s,block-size=%s"
             % (kv.get("vm-node", "0"), kv.get("vm-requested-size", "0"), kv.get("vm-block-size", "2M"))]
    return args


class Guest:
    def __init__(self, flavour, cmdline, smp, machine="vm-block-size=2M vm-node=0 nodes=1024M"):
        d = os.path.join(DEPS, flavour)
        self.tmp = tempfile.mkdtemp(prefix="mhpsim-ref-")
        self.qmp_path = os.path.join(self.tmp, "qmp.sock")
        # Cortex-A72 has no 16K translation granule: the 16K kernel runs on QEMU's "max" CPU.
        if flavour == "x86_64":
            board = ["qemu-system-x86_64", "-M", "q35", "-cpu", "qemu64"]
        elif flavour == "riscv64":
            board = ["qemu-system-riscv64", "-M", "virt", "-cpu", "rv64", "-bios", "default"]
        else:
            board = ["qemu-system-aarch64", "-M", "virt", "-cpu", "max" if flavour.endswith("16k") else "cortex-a72"]
        args = board + ["-smp", str(smp), "-nic", "none"] + \
            machine_args(machine) + ["-display", "none", "-monitor", "none", "-serial", "stdio",
                "-qmp", "unix:%s,server=on,wait=off" % self.qmp_path,
                "-kernel", os.path.join(d, "vmlinux" if flavour == "riscv64" else "vmlinuz"), "-initrd", os.path.join(d, "initramfs.cpio.gz"),
                "-append", cmdline, "-no-reboot"]
        self.has_vm = machine_words(machine).get("vm") != "none"
        self.qemu = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.pending = b""
        self.until("@@ready", 120)
        self.qmp = socket.socket(socket.AF_UNIX)
        self.qmp.connect(self.qmp_path)
        self.qmp_file = self.qmp.makefile("rw")
        self.qmp_file.readline()                       # the greeting
        self.command("qmp_capabilities")
        # A device started with a requested size is plugged by the driver's probe, from its workqueue,
        # while /init goes on: the boot is observed once that has settled.
        boot_size = size_bytes(machine_words(machine).get("vm-requested-size", "0"))
        if boot_size:
            self.settle(boot_size)

    def lines(self, timeout):
        """Yields the guest's console lines until timeout (seconds) passes without the wanted one."""
        end = time.monotonic() + timeout
        while True:
            while b"\n" in self.pending:
                line, self.pending = self.pending.split(b"\n", 1)
                yield line.decode("utf-8", "replace").rstrip("\r")
            left = end - time.monotonic()
            if left <= 0 or self.qemu.poll() is not None:
                raise RuntimeError("the guest stopped answering")
            ready, _, _ = select.select([self.qemu.stdout], [], [], left)
            if ready:
                chunk = os.read(self.qemu.stdout.fileno(), 65536)
                if not chunk:
                    raise RuntimeError("QEMU exited")
                self.pending += chunk

    def until(self, marker, timeout):
        out = []
        for line in self.lines(timeout):
            if line.startswith(marker):
                return out, line
            out.append(line)

    def run(self, shell, timeout=120):
        """Runs one shell line in the guest: its output lines and exit status."""
        self.qemu.stdin.write((shell + "\n").encode())
        self.qemu.stdin.flush()
        out, end = self.until("@@end ", timeout)
        return out, int(end.split()[1])

    def command(self, name, **arguments):
        self.qmp_file.write(json.dumps({"execute": name, "arguments": arguments}) + "\n")
        self.qmp_file.flush()
        while True:
            reply = json.loads(self.qmp_file.readline())
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise QmpRefused("QMP %s: %s" % (name, reply["error"]["desc"]))

    def plug(self, size):
        """qom-set requested-size, then wait until the device's size stops moving (the driver settled)."""
        self.command("qom-set", path="/machine/peripheral/vm0", property="requested-size", value=size)
        self.settle(size)

    def settle(self, size):
        """Waits until the device's size reaches size or stops moving, then until the blocks' states stop."""
        last, since = None, time.monotonic()
        while time.monotonic() - since < 3:
            now = self.command("qom-get", path="/machine/peripheral/vm0", property="size")
            if now == size:
                break
            if now != last:
                last, since = now, time.monotonic()
            time.sleep(0.2)
        # The device's size moves before the guest's memory blocks do: wait until their states stop changing.
        before, since = None, time.monotonic()
        while time.monotonic() - since < 1:
            out, _ = self.run("cat /sys/devices/system/memory/memory*/state | tr '\\n' ' '; ls -d /sys/devices/system/memory/memory* | wc -l")
            if out != before:
                before, since = out, time.monotonic()
            time.sleep(0.2)

    def sizes(self):
        """The device's line of an observation ("" without a device: the simulator's then is a known gap)."""
        if not self.has_vm:
            return ""
        get = lambda p: self.command("qom-get", path="/machine/peripheral/vm0", property=p) >> 20
        return "virtio-mem vm0: requested-size=%dM size=%dM" % (get("requested-size"), get("size"))

    def close(self):
        try:
            self.qemu.stdin.write(b"poweroff -f\n")
            self.qemu.stdin.flush()
            self.qemu.wait(10)
        except Exception:
            self.qemu.kill()
        self.qmp.close()


def line(text):
    """A line of an observation, or nothing."""
    return text + "\n" if text else ""


def size_bytes(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(text[:-1]) * units[text[-1]] if text[-1] in units else int(text, 0)


def write(guest, path, value):
    """echo VALUE > PATH: ok, or the errno's name the shell's message names."""
    out, status = guest.run("echo %s > %s" % (value, path))
    if status == 0:
        return "ok"
    text = out[-1].rsplit(": ", 1)[-1] if out else ""
    name = ERRNO_BY_TEXT.get(text)
    return "error %s (%s)" % (name, text) if name else "error (%s)" % " ".join(out)


def step(guest, words):
    """Runs one step: its result line."""
    w = words.split()
    if w[0] == "plug":
        guest.plug(size_bytes(w[1]))
        return "ok"
    if w[0] in ("state", "online"):
        return write(guest, "%s/memory%s/state" % (MEM, w[1]), w[2] if len(w) > 2 else "online")
    if w[0] == "offline":
        return write(guest, "%s/memory%s/state" % (MEM, w[1]), "offline")
    if w[0] == "write":
        return write(guest, "%s/%s" % (MEM, w[1]), w[2])
    if w[0] == "set":
        return write(guest, "%s/%s" % (MEM, w[1]), w[2])
    if w[0] == "cat":
        out, status = guest.run("cat %s/%s" % (MEM, w[1]))
        return ("ok\noutput: " + " | ".join(out)) if status == 0 else "error (%s)" % " ".join(out)
    raise ValueError("unknown step: %s" % words)


def scenario_step(guest, words):
    """One line of `mhpsim reference-steps`: the result (and output) lines the simulator prints too."""
    w = words.split(" ", 2)
    if w[0] == "skip":
        return "skipped: " + words[5:]
    if w[0] == "depart":
        return "departs: " + words[7:]
    if w[0] == "plug":
        try:
            guest.plug(size_bytes(w[1]))
        except QmpRefused:   # QEMU refuses the size (not a multiple of block-size, past the region)
            return "error EINVAL (%s)" % os.strerror(errno.EINVAL)
        return "ok"
    if w[0] in ("fill", "drop"):
        out, status = guest.run(words)
        return "ok" if status == 0 else "error (%s)" % " ".join(out)
    if w[0] == "echo":
        value = w[2] if len(w) > 2 and w[2] != '""' else ""
        # The kernel retries an offline until a signal: after 10 s, as ^C would (the model's offline_retries).
        out, status = guest.run("timeout 10 sh -c 'echo %s > %s'" % (value, w[1]))
        if status == 0:
            return "ok"
        if status in (124, 143):
            return "error EINTR (%s)" % os.strerror(errno.EINTR)
        text = out[-1].rsplit(": ", 1)[-1] if out else ""
        name = ERRNO_BY_TEXT.get(text)
        return "error %s (%s)" % (name, os.strerror(errno.__dict__[name])) if name else "error (%s)" % " ".join(out)
    if w[0] == "read":
        out, status = guest.run("if [ -L %s ]; then readlink %s; elif [ -d %s ]; then ls -1 %s; else cat %s; fi"
                                % ((w[1],) * 5))
        if status != 0:
            return "ok\noutput: error %s" % ERRNO_BY_TEXT.get(out[-1].rsplit(": ", 1)[-1] if out else "", "?")
        return "ok\noutput: " + " | ".join(out)
    raise ValueError("unknown reference step: %s" % words)


def run_recording(title, steps, run_step, out_path, flavour, cmdline, smp, machine=None):
    """Boots, runs the steps, writes the observations: the boot's and the steps' seconds."""
    t0 = time.monotonic()
    guest = Guest(flavour, cmdline, smp, *([machine] if machine else []))
    boot_s = time.monotonic() - t0
    kernel = open(os.path.join(DEPS, "kernel-version" + ("-" + flavour if flavour in ("x86_64", "riscv64") else ""))).read().strip()
    times = []
    head = "# reference record: %s\n# kernel: linux-image %s-%s\n# cmdline: %s\n\n" % (
        title, kernel, "amd64" if flavour == "x86_64" else flavour, cmdline)
    side = os.path.splitext(out_path)[0]
    with open(out_path, "w") as f, open(side + ".census", "w") as c:
        f.write(head)
        c.write(head.replace("reference record", "page census (reference/census.c)", 1))
        f.write("### step 0: boot\nresult: ok\n%s%s\n" % (line(guest.sizes()), observe(guest, True)))
        c.write("### step 0: boot\n%s" % census(guest))
        for i, words in enumerate(steps, 1):
            t = time.monotonic()
            result = run_step(guest, words)
            times.append(time.monotonic() - t)
            f.write("### step %d: %s\nresult: %s\n%s%s\n" % (i, words, result, line(guest.sizes()), observe(guest, False)))
            c.write("### step %d: %s\n%s" % (i, words, census(guest)))
    guest.close()
    # The kernel's own time (TCG): the boot to the shell's prompt, and each step without its observation.
    with open(side + ".time", "w") as t:
        t.write("# seconds on the real kernel under QEMU TCG (%s): boot, then each step without its observation\n"
                % kernel)
        t.write("boot %.2f\n" % boot_s)
        for i, s in enumerate(times, 1):
            t.write("step %d %.3f\n" % (i, s))
    return boot_s, times


def record_scenario(scenario, out_path, smp):
    """Records a scenario of ours: its steps as `mhpsim reference-steps` translates them."""
    mhpsim = os.path.join(ROOT, "build", "mhpsim")
    lines = subprocess.run([mhpsim, "reference-steps", scenario], stdout=subprocess.PIPE, check=True,
                           cwd=ROOT).stdout.decode().splitlines()
    flavour = lines[0].split(" ", 2)[2]
    cmdline = lines[1].split(" ", 2)[2]
    machine = lines[2].split(" ", 2)[2]
    boot_s, times = run_recording(os.path.relpath(scenario, ROOT), lines[3:], scenario_step, out_path, flavour,
                                  cmdline, smp, machine)
    sim = time.monotonic()
    subprocess.run([mhpsim, "run", "--quiet", scenario], stdout=subprocess.DEVNULL, cwd=ROOT)
    sim = time.monotonic() - sim
    kern = boot_s + sum(times)
    print("%s: real kernel %.2f s (boot %.1f s), simulator %.3f s: %.0f x" % (os.path.basename(scenario), kern, boot_s,
                                                                          sim, kern / sim if sim else 0))


def census(guest):
    """The page census of every block and the zones' pageblock counts (reference/census.c)."""
    out, _ = guest.run("pagecensus")
    return "\n".join(l for l in out if not l.startswith("@@")) + "\n"


def observe(guest, boot):
    out, _ = guest.run("observe")
    raw = "\n".join(out) + "\n"
    fmt = subprocess.run([os.path.join(ROOT, "build", "mhpsim"), "observe"] + (["--boot"] if boot else []) + ["-"],
                         input=raw.encode(), stdout=subprocess.PIPE, check=True)
    return fmt.stdout.decode()


def record(steps_path, out_path, flavour, cmdline, smp):
    """Records a step list in the words of ../shared/reference-observations."""
    steps = [l.strip() for l in open(steps_path) if l.strip() and not l.startswith("#")]
    boot_s, times = run_recording(os.path.basename(steps_path), steps, step, out_path, flavour, cmdline, smp)
    print("%s: boot %.1f s, %d steps in %.1f s (kernel under TCG)" % (out_path, boot_s, len(steps), sum(times)))


def drift(golden_path, new_path):
    """Compares a new recording with its golden: 0 when the kernel shows the same, 1 when it drifted.

    The real boot differs from boot to boot by one page of reserved memory
    (MemTotal by 4 kB, a zone's managed by 1, the banner's reserved by 4K):
    lines that differ only so are counted as that noise, not as drift."""
    import difflib
    import re
    body = lambda p: [l.rstrip("\n") for l in open(p) if not l.startswith("# ")]
    old, new = body(golden_path), body(new_path)
    num = re.compile(r"\d+")
    noise, changed = 0, []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        a, b = old[i1:i2], new[j1:j2]
        if op == "replace" and len(a) == len(b) and all(
                num.sub("#", x) == num.sub("#", y) and
                all(abs(int(p) - int(q)) <= 4 for p, q in zip(num.findall(x), num.findall(y))) for x, y in zip(a, b)):
            noise += len(a)
            continue
        changed += ["- " + x for x in a] + ["+ " + y for y in b]
    name = os.path.basename(golden_path)[:-4]
    extra = " (%d lines within one boot page, the boot-to-boot noise)" % noise if noise else ""
    if not changed:
        print("%s: no drift%s" % (name, extra))
        return 0
    print("%s: DRIFT: %d lines differ from the golden%s:" % (name, len(changed), extra))
    for line in changed[:20]:
        print("    " + line)
    return 1


def main():
    a = sys.argv[1:]
    if len(a) == 3 and a[0] == "drift":
        return drift(a[1], a[2])
    if len(a) == 3 and a[0] == "record-scenario":
        record_scenario(a[1], a[2], 2)
        return 0
    if len(a) < 3 or a[0] != "record":
        print(__doc__, file=sys.stderr)
        return 2
    opts = {"--flavour": "arm64", "--cmdline": CMDLINE, "--smp": "2"}
    rest = a[3:]
    for k, v in zip(rest[::2], rest[1::2]):
        if k not in opts:
            print(__doc__, file=sys.stderr)
            return 2
        opts[k] = v
    record(a[1], a[2], opts["--flavour"], opts["--cmdline"], int(opts["--smp"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
