#!/usr/bin/python3
"""Interoperability: eraudit collects from netconfd (yuma123, an independent
NETCONF server) behind a private OpenSSH sshd on 127.0.0.1, loaded with a
small YANG module of ours (tests/netconf/yang), and normalizes the result.

usage: interop.py --drive PATH [--eraudit PATH]
Exit 77 (skipped) when netconfd or sshd is not installed."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nclib import HERE, Checks, Collector, Env, write_inventory  # noqa: E402

NETCONFD = "/usr/sbin/netconfd"
SUBSYSTEM = "/usr/sbin/netconf-subsystem"
SSHD = "/usr/sbin/sshd"
YUMA = "/usr/share/yuma/modules"
ZONES = "eraudit-test-zones@2026-01-01.yang"

STARTUP = """<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
  <interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces">
    <interface>
      <name>eth0</name>
      <description>uplink to the ExpressRoute edge</description>
      <type xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">ianaift:ethernetCsmacd</type>
      <enabled>true</enabled>
      <ipv4 xmlns="urn:ietf:params:xml:ns:yang:ietf-ip">
        <address><ip>192.0.2.1</ip><prefix-length>30</prefix-length></address>
      </ipv4>
      <zone xmlns="urn:eraudit:test:zones">expressroute</zone>
    </interface>
    <interface>
      <name>eth1</name>
      <description>inside</description>
      <type xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">ianaift:ethernetCsmacd</type>
      <enabled>false</enabled>
      <zone xmlns="urn:eraudit:test:zones">inside</zone>
    </interface>
  </interfaces>
</config>
"""


def start_sshd(env, name, port, client_pub, subsystem):
    """A private sshd on 127.0.0.1:port whose netconf subsystem is @subsystem."""
    hostkey = env.keygen(name + "_host_key")
    os.chmod(hostkey, 0o600)
    auth = env.path(name + "_authorized_keys")
    shutil.copy(client_pub, auth)
    os.makedirs("/run/sshd", exist_ok=True)
    conf = env.path(name + "_sshd_config")
    pid = env.path(name + "_sshd.pid")
    with open(conf, "w") as fh:
        fh.write("\n".join([
            "Port %d" % port, "ListenAddress 127.0.0.1", "HostKey " + hostkey, "PidFile " + pid,
            "AuthorizedKeysFile " + auth, "StrictModes no", "PasswordAuthentication no",
            "KbdInteractiveAuthentication no", "UsePAM no", "PermitRootLogin prohibit-password",
            "Subsystem netconf " + subsystem, ""]))
    proc = env.spawn([SSHD, "-D", "-f", conf, "-E", env.path(name + "_sshd.log")])
    for _ in range(100):
        if os.path.exists(pid) or proc.poll() is not None:
            break
        time.sleep(0.05)
    return proc


class Netconfd:
    """netconfd in the foreground plus sshd running it as the netconf subsystem."""

    def __init__(self, env, user, client_pub):
        self.env = env
        self.port = env.free_ports(1)
        home = env.path("yuma")
        os.makedirs(os.path.join(home, "data"), exist_ok=True)
        self.sock = env.path("ncxserver.sock")
        startup = env.path("startup.xml")
        with open(startup, "w") as fh:        # a fresh copy each run: commits rewrite it
            fh.write(STARTUP)
        self.log = open(env.path("netconfd.log"), "w")
        self.nd = env.spawn([NETCONFD, "--yuma-home=" + home, "--modpath=%s:%s" % (os.path.join(HERE, "yang"), YUMA),
                             "--module=ietf-interfaces", "--module=ietf-ip", "--module=iana-if-type",
                             "--module=eraudit-test-zones", "--startup=" + startup,
                             "--ncxserver-sockname=" + self.sock, "--port=%d" % self.port, "--superuser=" + user,
                             "--access-control=off"], stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(100):
            if os.path.exists(self.sock) or self.nd.poll() is not None:
                break
            time.sleep(0.05)
        # a bare path is silently ignored: PORT@SOCKET it must be
        self.sshd = start_sshd(env, "nd", self.port, client_pub,
                               '"%s --ncxserver-sockname=%d@%s"' % (SUBSYSTEM, self.port, self.sock))

    def alive(self):
        return self.nd.poll() is None and self.sshd.poll() is None


def find(obj, pred):
    """Every dict in a JSON tree for which pred holds."""
    out = []
    if isinstance(obj, dict):
        if pred(obj):
            out.append(obj)
        for v in obj.values():
            out += find(v, pred)
    elif isinstance(obj, list):
        for v in obj:
            out += find(v, pred)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--drive", required=True)
    ap.add_argument("--eraudit")
    a = ap.parse_args()
    for p in (NETCONFD, SUBSYSTEM, SSHD, os.path.join(YUMA, "ietf")):
        if not os.path.exists(p):
            print("skipped: %s is not installed" % p)
            sys.exit(77)
    try:
        os.makedirs("/run/sshd", exist_ok=True)    # sshd's privilege separation directory
    except OSError as e:
        print("skipped: cannot create /run/sshd (%s)" % e)
        sys.exit(77)
    env = Env("interop")
    ck = Checks()
    col = Collector(env, eraudit=a.eraudit, drive=a.drive)
    try:
        run(env, col, a, ck)
    except Exception as e:
        import traceback
        traceback.print_exc()
        ck.check(False, "interop ran to the end (%s)" % e)
    finally:
        env.close()
    sys.exit(ck.done())


def run(env, col, a, ck):
    user = subprocess.run(["id", "-un"], capture_output=True, text=True, check=True).stdout.strip()
    client = env.keygen("client")
    srv = Netconfd(env, user, client + ".pub")
    ck.check(srv.alive(), "netconfd and sshd started on 127.0.0.1:%d" % srv.port)
    inv = env.path("inv.yaml")
    write_inventory(inv, [("nd1", srv.port, "key")], env.path("known_hosts"),
                    {"key": {"username": user, "key-file": client}})
    # netconfd 2.13 dies on its second <get-schema> of ietf-netconf: the
    # device's schema cache starts with that module, as a site would seed it.
    cache = env.path("cache", "eraudit", "schemas", "nd1")
    os.makedirs(cache)
    shutil.copy(os.path.join(YUMA, "ietf", "ietf-netconf@2011-06-01.yang"), cache)

    out = env.path("snap")
    rc, st, text = col.run(inv, out, accept_new=True)
    ck.check(rc == 0 and st.get("nd1", ("?",))[0] == "collected", "collected from netconfd (%s)" % (st,))
    nd = os.path.join(out, "devices", "nd1", "netconf")
    root = ET.parse(os.path.join(nd, "running.xml")).getroot()
    ns = {"if": "urn:ietf:params:xml:ns:yang:ietf-interfaces", "z": "urn:eraudit:test:zones"}
    zones = {i.findtext("if:name", namespaces=ns): i.findtext("z:zone", namespaces=ns)
             for i in root.iter("{%s}interface" % ns["if"])}
    ck.check(zones == {"eth0": "expressroute", "eth1": "inside"},
             "running.xml holds the interfaces with our module's zone leaf (%s)" % zones)
    ck.check(os.path.exists(os.path.join(nd, "candidate.xml")), "candidate.xml (netconfd has :candidate)")
    ck.check(os.path.exists(os.path.join(nd, "state.xml")), "state.xml (<get>, netconfd is not NMDA)")
    ours = open(os.path.join(HERE, "yang", ZONES)).read()
    got = os.path.join(nd, "schemas", ZONES)
    ck.check(os.path.exists(got) and open(got).read().strip() == ours.strip(),
             "our module came back whole through netconfd's <get-schema>")
    ck.check(srv.alive(), "netconfd is alive after the collection")

    rc, st, _ = col.run(inv, env.path("snap2"))
    ck.check(rc == 0 and st.get("nd1", ("?",))[0] == "collected", "second collection (schemas from the cache)")
    ck.check(srv.alive(), "netconfd is alive after the second collection")

    # SSH works but the netconf subsystem never speaks: refused on the connect timeout.
    mute_port = env.free_ports(1)
    start_sshd(env, "mute", mute_port, client + ".pub", "/bin/sleep 120")
    inv2 = env.path("inv2.yaml")
    write_inventory(inv2, [("mute", mute_port, "key"), ("nd1", srv.port, "key")], env.path("known_hosts"),
                    {"key": {"username": user, "key-file": client}})
    # Each its own connect timeout from the inventory: the mute device's short one is what is
    # judged; netconfd starts its subsystem and loads its modules per session, which on a busy
    # machine has taken more than 5 s, so it gets a minute.
    txt = open(inv2).read()
    txt = txt.replace("- name: mute\n", "- name: mute\n  connect-timeout: 5s\n")
    txt = txt.replace("- name: nd1\n", "- name: nd1\n  connect-timeout: 60s\n")
    open(inv2, "w").write(txt)
    rc, st, _ = col.run(inv2, env.path("snap3"), accept_new=True, use="drive")
    s_, why = st.get("mute", ("?", ""))
    ck.check(s_ == "failed" and "no <hello>" in why and "5000 ms" in why and col.elapsed < 60,
             "subsystem that never sends <hello>: failed after the connect timeout (%s, %.1f s)" % (why, col.elapsed))
    ck.check(st.get("nd1", ("?",))[0] == "collected", "netconfd collected next to it (%s)" % (st.get("nd1"),))

    if a.eraudit:
        model = env.path("model.json")
        p = subprocess.run([a.eraudit, "audit", "--snapshot", out, "-i", inv, "--dump-model", model,
                            "--format", "json", "-o", env.path("findings.json")], capture_output=True, text=True)
        ck.check(p.returncode in (0, 1) and os.path.exists(model),
                 "eraudit audit --snapshot normalizes it (exit %d) %s" % (p.returncode, p.stderr[-300:]))
        if os.path.exists(model):
            m = json.load(open(model))
            eth0 = find(m, lambda d: d.get("name") == "eth0")
            text0 = json.dumps(eth0)
            ck.check(eth0 and "uplink to the ExpressRoute edge" in text0 and "192.0.2.1" in text0,
                     "normalized tree: eth0 with its description and address (%s)" % text0[:300])
            eth1 = find(m, lambda d: d.get("name") == "eth1")
            ck.check(eth1 and any(d.get("enabled") is False for d in eth1), "normalized tree: eth1 disabled")
        # Live audit, then with the server gone: exit 3 and a finding naming it.
        env_live = dict(os.environ, XDG_CACHE_HOME=env.path("cache"))
        p = subprocess.run([a.eraudit, "audit", "-i", inv, "--format", "json"], capture_output=True, text=True,
                           env=env_live)
        ck.check(p.returncode in (0, 1), "eraudit audit -i (live) against netconfd: exit %d" % p.returncode)
        ck.check(srv.alive(), "netconfd is alive after the live audit")
        env.stop(srv.sshd)
        p = subprocess.run([a.eraudit, "audit", "-i", inv, "--format", "json"], capture_output=True, text=True,
                           env=env_live)
        ck.check(p.returncode == 3 and "nd1" in p.stdout,
                 "server down: exit 3 and a finding naming nd1 (exit %d)" % p.returncode)


if __name__ == "__main__":
    main()
