"""Shared pieces of the NETCONF integration tests: a private temp dir, SSH
keys made at run time, the ncsim simulator, fault peers (a TCP server that
never speaks, a proxy that cuts a reply), inventories, and the collector.

Everything listens on 127.0.0.1 and is stopped at exit, also on failure or
SIGTERM (ctest's timeout)."""
import atexit
import json
import os
import random
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


class Checks:
    """Counts checks and prints a closing 'N passed, M failed' line."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, cond, what):
        if cond:
            self.passed += 1
            print("ok   %s" % what)
        else:
            self.failed += 1
            print("FAIL %s" % what)
        sys.stdout.flush()
        return cond

    def done(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed or not self.passed else 0


def run_case(env, ck, case, *args):
    """Run case(*args); a crash of the harness is a failed check with its trace. Closes env, exits."""
    try:
        case(*args)
    except Exception as e:
        import traceback
        traceback.print_exc()
        ck.check(False, "case ran to the end (%s)" % e)
    finally:
        env.close()
    sys.exit(ck.done())


class Env:
    """A private temp dir and the processes started in it."""

    def __init__(self, name):
        self.dir = tempfile.mkdtemp(prefix="eraudit-%s-" % name)
        self.procs = []
        self.servers = []
        atexit.register(self.close)
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)

    def _on_signal(self, sig, frame):
        self.close()
        sys.exit(128 + sig)

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def keygen(self, name, kind="ed25519"):
        p = self.path(name)
        args = ["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", "eraudit-test", "-f", p]
        if kind == "ecdsa-pem":
            args[3:5] = ["-t", "ecdsa", "-m", "PEM"]
        subprocess.run(args, check=True)
        return p

    def fingerprint(self, pubkey):
        out = subprocess.run(["ssh-keygen", "-l", "-E", "sha256", "-f", pubkey], check=True,
                             capture_output=True, text=True).stdout
        return out.split()[1]

    def free_ports(self, n):
        """A base port with n free consecutive ports after it."""
        for _ in range(200):
            base = random.randint(20000, 60000 - n)
            socks = []
            try:
                for p in range(base, base + n):
                    s = socket.socket()
                    s.bind(("127.0.0.1", p))
                    socks.append(s)
                return base
            except OSError:
                pass
            finally:
                for s in socks:
                    s.close()
        raise RuntimeError("no free ports")

    def spawn(self, args, **kw):
        p = subprocess.Popen(args, **kw)
        self.procs.append(p)
        return p

    def stop(self, p):
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    def close(self):
        for s in self.servers:
            s.stop()
        self.servers = []
        for p in self.procs:
            self.stop(p)
        self.procs = []
        if os.environ.get("NCTEST_KEEP"):
            print("kept %s" % self.dir)
        elif os.path.isdir(self.dir):
            shutil.rmtree(self.dir, ignore_errors=True)


class Sim:
    """ncsim serving device directories, one port per device."""

    def __init__(self, env, ncsim, devices, hostkey, user="admin", password=None, authkeys=(), extra=(),
                 name="sim"):
        """devices: {name: {"running.xml": text, ..., "hostkey": path, "fault": "malformed"}}"""
        self.env = env
        self.data = env.path(name + "-data")
        os.makedirs(self.data, exist_ok=True)
        for dev, files in devices.items():
            d = os.path.join(self.data, dev)
            os.makedirs(d, exist_ok=True)
            for f, text in files.items():
                with open(os.path.join(d, f), "w") as fh:
                    fh.write(text)
        self.args = [ncsim, "--dir", self.data, "--hostkey", hostkey, "--user", user]
        if password is not None:
            pw = env.path(name + "-password")
            with open(pw, "w") as fh:
                fh.write(password + "\n")
            self.args += ["--password-file", pw]
        for k in authkeys:
            self.args += ["--authorized-key", k]
        self.args += list(extra)
        self.base = None
        self.proc = None
        self.ports = {}
        self.start()

    def start(self, base=None):
        ports_file = self.env.path("ports-%d" % id(self))
        if os.path.exists(ports_file):
            os.unlink(ports_file)
        for _ in range(5):
            self.base = base or self.env.free_ports(len(os.listdir(self.data)))
            self.proc = self.env.spawn(self.args + ["--base-port", str(self.base), "--ports-out", ports_file])
            for _ in range(100):
                if os.path.exists(ports_file) or self.proc.poll() is not None:
                    break
                time.sleep(0.05)
            if os.path.exists(ports_file):
                with open(ports_file) as fh:
                    self.ports = {l.split()[0]: int(l.split()[1]) for l in fh if l.strip()}
                return
            self.env.stop(self.proc)
            if base:
                time.sleep(0.5)
        raise RuntimeError("ncsim did not start")

    def restart(self):
        """Same ports (after changing device files, e.g. a host key)."""
        self.env.stop(self.proc)
        self.start(self.base)

    def alive(self):
        return self.proc.poll() is None


class _Server:
    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.stopped = threading.Event()
        self.conns = []
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopped.is_set():
            r, _, _ = select.select([self.sock], [], [], 0.1)
            if r:
                c, _ = self.sock.accept()
                self.conns.append(c)
                self.handle(c)

    def handle(self, c):
        pass

    def stop(self):
        self.stopped.set()
        self.thread.join(2)
        for c in self.conns:
            c.close()
        self.sock.close()


class SilentServer(_Server):
    """Accepts TCP connections and never sends a byte."""


class CuttingProxy(_Server):
    """Relays to 127.0.0.1:upstream and closes both sides once the server has
    sent more than cut bytes: the client sees the connection end mid-reply."""

    def __init__(self, upstream, cut):
        self.upstream = upstream
        self.cut = cut
        super().__init__()

    def handle(self, c):
        threading.Thread(target=self._relay, args=(c,), daemon=True).start()

    def _relay(self, c):
        u = socket.create_connection(("127.0.0.1", self.upstream))
        sent = 0
        try:
            while not self.stopped.is_set():
                r, _, _ = select.select([c, u], [], [], 0.1)
                if c in r:
                    b = c.recv(65536)
                    if not b:
                        break
                    u.sendall(b)
                if u in r:
                    b = u.recv(65536)
                    if not b:
                        break
                    c.sendall(b)
                    sent += len(b)
                    if sent > self.cut:
                        break
        except OSError:
            pass
        c.close()
        u.close()


def write_inventory(path, devices, known_hosts, auths):
    """devices: [(name, port, auth)]; auths: {name: {"username":..., "key-file":..., "password-env":...}}"""
    lines = ["known-hosts: %s" % known_hosts, "auth:"]
    for name, a in auths.items():
        lines.append("- name: %s" % name)
        lines.append("  username: %s" % a["username"])
        if "key-file" in a:
            lines.append("  key-file: %s" % a["key-file"])
        if "password-env" in a:
            lines.append("  password: {env: %s}" % a["password-env"])
        if "password-file" in a:
            lines.append("  password: {file: %s}" % a["password-file"])
        if a.get("agent"):
            lines.append("  agent: true")
    lines.append("devices:")
    for name, port, auth in devices:
        lines += ["- name: %s" % name, "  host: 127.0.0.1", "  port: %d" % port, "  role: er-edge",
                  "  collectors: [netconf]", "  auth: %s" % auth]
    with open(path, "w") as fh:
        fh.write("\n".join(lines) + "\n")


class Collector:
    """Runs a collection and returns (exit code, {device: (status, reason)}, output)."""

    def __init__(self, env, eraudit=None, drive=None):
        self.env = env
        self.eraudit = eraudit
        self.drive = drive

    def run(self, inv, out, accept_new=False, jobs=None, options=(), use="eraudit", rss=False, timeout=300,
            extra_env=None, prefix=()):
        env = dict(os.environ)
        # The default schema cache is under $XDG_CACHE_HOME: keep it private.
        env["XDG_CACHE_HOME"] = self.env.path("cache")
        env.update(extra_env or {})
        if use == "eraudit" and self.eraudit:
            args = [self.eraudit, "collect", "-i", inv, "-o", out]
            if jobs:
                args += ["-j", str(jobs)]
            args += list(options)
        else:
            args = [self.drive, inv, out, "--schema-cache", self.env.path("cache", "eraudit", "schemas")]
            if jobs:
                args += ["--jobs", str(jobs)]
            args += list(options)
        if accept_new:
            args.append("--accept-new-host-keys")
        args = list(prefix) + args    # e.g. ip netns exec NS
        rssfile = self.env.path("rss.txt")
        if rss:
            args = ["/usr/bin/time", "-f", "%M", "-o", rssfile] + args
        t0 = time.monotonic()
        p = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env)
        self.elapsed = time.monotonic() - t0
        self.rss_kb = int(open(rssfile).read().split()[-1]) if rss else None
        status = {}
        manifest = os.path.join(out, "manifest.json")
        if os.path.exists(manifest):
            with open(manifest) as fh:
                m = json.load(fh)["eraudit-snapshot:manifest"]
            for d in m.get("device", []):
                status[d["name"]] = (d.get("status"), d.get("reason", ""))
        return p.returncode, status, p.stdout + p.stderr
