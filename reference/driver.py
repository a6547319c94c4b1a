#!/usr/bin/env python3
"""The reference lane's driver: boots Debian's arm64 6.12 kernel under QEMU
(TCG) with one virtio-mem device, runs a step list on it, and records after
boot and after each step the write's result and the raw observation the
guest's /init prints (reference/guest-init). The canonical text comes from
the simulator's own formatter (`mhpsim observe`), so both sides share it.

    reference/driver.py record STEPS OUT.obs [--flavour arm64|arm64-16k] [--cmdline TEXT] [--smp N]

The machine is the one ../shared/reference-observations was recorded on:
-M virt, cortex-a72, 2 CPUs (their percpu areas show in MemTotal), 1 GiB of
boot RAM, a 1 GiB virtio-mem device on node 0.

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


class Guest:
    def __init__(self, flavour, cmdline, smp):
        d = os.path.join(DEPS, flavour)
        self.tmp = tempfile.mkdtemp(prefix="mhpsim-ref-")
        self.qmp_path = os.path.join(self.tmp, "qmp.sock")
        args = ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a72", "-smp", str(smp),
                "-m", "1G,maxmem=4G", "-nic", "none", "-object", "memory-backend-ram,id=vmem0,size=1G",
                "-device", "virtio-mem-pci,id=vm0,memdev=vmem0,node=0,requested-size=0",
                "-display", "none", "-monitor", "none", "-serial", "stdio",
                "-qmp", "unix:%s,server=on,wait=off" % self.qmp_path,
                "-kernel", os.path.join(d, "vmlinuz"), "-initrd", os.path.join(d, "initramfs.cpio.gz"),
                "-append", cmdline, "-no-reboot"]
        self.qemu = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.pending = b""
        self.until("@@ready", 120)
        self.qmp = socket.socket(socket.AF_UNIX)
        self.qmp.connect(self.qmp_path)
        self.qmp_file = self.qmp.makefile("rw")
        self.qmp_file.readline()                       # the greeting
        self.command("qmp_capabilities")

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
                raise RuntimeError("QMP %s: %s" % (name, reply["error"]["desc"]))

    def plug(self, size):
        """qom-set requested-size, then wait until the device's size stops moving (the driver settled)."""
        self.command("qom-set", path="/machine/peripheral/vm0", property="requested-size", value=size)
        last, since = None, time.monotonic()
        while time.monotonic() - since < 3:
            now = self.command("qom-get", path="/machine/peripheral/vm0", property="size")
            if now == size:
                return
            if now != last:
                last, since = now, time.monotonic()
            time.sleep(0.2)

    def sizes(self):
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


def observe(guest, boot):
    out, _ = guest.run("observe")
    raw = "\n".join(out) + "\n"
    fmt = subprocess.run([os.path.join(ROOT, "build", "mhpsim"), "observe"] + (["--boot"] if boot else []) + ["-"],
                         input=raw.encode(), stdout=subprocess.PIPE, check=True)
    return fmt.stdout.decode()


def record(steps_path, out_path, flavour, cmdline, smp):
    steps = [l.strip() for l in open(steps_path) if l.strip() and not l.startswith("#")]
    t0 = time.monotonic()
    guest = Guest(flavour, cmdline, smp)
    boot_s = time.monotonic() - t0
    kernel = open(os.path.join(DEPS, "kernel-version")).read().strip()
    with open(out_path, "w") as f:
        f.write("# reference record: %s\n# kernel: linux-image %s-%s\n# cmdline: %s\n\n"
                % (os.path.basename(steps_path), kernel, flavour, cmdline))
        f.write("### step 0: boot\nresult: ok\n%s\n%s\n" % (guest.sizes(), observe(guest, True)))
        times = []
        for i, words in enumerate(steps, 1):
            t = time.monotonic()
            result = step(guest, words)
            times.append(time.monotonic() - t)
            f.write("### step %d: %s\nresult: %s\n%s\n%s\n" % (i, words, result, guest.sizes(), observe(guest, False)))
    guest.close()
    print("%s: boot %.1f s, %d steps in %.1f s (kernel under TCG)" % (out_path, boot_s, len(steps), sum(times)))


def main():
    a = sys.argv[1:]
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
