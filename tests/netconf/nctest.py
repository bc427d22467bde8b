#!/usr/bin/python3
"""NETCONF collection tests against ncsim (the libnetconf2 device simulator)
and fault peers, all on 127.0.0.1 in a private temp dir.

usage: nctest.py CASE --ncsim PATH --drive PATH [--eraudit PATH]
CASE: basic | hostkeys | auth | faults | e2e | interrupt | degrade
The collection runs through `eraudit collect` when --eraudit is given,
else (and for options the CLI does not have) through ncc_drive."""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nclib import Checks, Collector, CuttingProxy, Env, SilentServer, Sim, run_case, write_inventory  # noqa: E402

NC = "{urn:ietf:params:xml:ns:netconf:base:1.0}"
OC_IF = "http://openconfig.net/yang/interfaces"


def oc_config(n, tag):
    ifs = "".join('<interface><name>eth%d</name><config><name>eth%d</name><description>%s link %d</description>'
                  '<type xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">ianaift:ethernetCsmacd</type>'
                  '</config></interface>' % (i, i, tag, i) for i in range(n))
    return '<interfaces xmlns="%s">%s</interfaces>' % (OC_IF, ifs)


def state_xml(tag):
    return ('<interfaces xmlns="%s"><interface><name>eth0</name><state><oper-status>UP</oper-status>'
            '<description>%s</description></state></interface></interfaces>' % (OC_IF, tag))


def data_children(path):
    """The children of <rpc-reply>/<data> in a collected file, as canonical strings."""
    root = ET.parse(path).getroot()
    assert root.tag == NC + "rpc-reply", root.tag
    data = [c for c in root if c.tag.endswith("}data")][0]
    return [ET.canonicalize(ET.tostring(c)) for c in data]


def served_children(text):
    root = ET.fromstring("<x>%s</x>" % text)
    return [ET.canonicalize(ET.tostring(c)) for c in root]


def netconf_dir(out, dev):
    return os.path.join(out, "devices", dev, "netconf")


def setup(env, ncsim, devices, password="s3cret-pw-1", user="admin"):
    hostkey = env.keygen("hostkey")
    client = env.keygen("client")
    sim = Sim(env, ncsim, devices, hostkey, user=user, password=password, authkeys=[client + ".pub"])
    return sim, hostkey, client


# ---------------------------------------------------------------- cases

def case_basic(env, col, a, ck):
    devices = {
        "r1": {"running.xml": oc_config(3, "r1-running"), "state.xml": state_xml("r1-state")},
        "r2": {"running.xml": oc_config(2, "r2-running"), "candidate.xml": oc_config(4, "r2-candidate"),
               "state.xml": state_xml("r2-state")},
        "r3": {"running.xml": oc_config(1, "r3-running")},
    }
    sim, hostkey, client = setup(env, a.ncsim, devices)
    closed = env.free_ports(1)
    inv = env.path("inv.yaml")
    kh = env.path("known_hosts")
    write_inventory(inv, [("r1", sim.ports["r1"], "pw"), ("r2", sim.ports["r2"], "key"),
                          ("r3", sim.ports["r3"], "key"), ("down", closed, "key")], kh,
                    {"pw": {"username": "admin", "password-env": "NCTEST_PW"},
                     "key": {"username": "admin", "key-file": client}})
    out = env.path("snap")
    rc, st, text = col.run(inv, out, accept_new=True, extra_env={"NCTEST_PW": "s3cret-pw-1"})
    ck.check(rc == 3, "collect exits 3 when a device is not collected (got %d)" % rc)
    for d in ("r1", "r2", "r3"):
        ck.check(st.get(d, ("?",))[0] == "collected", "%s collected (%s)" % (d, st.get(d)))
    ck.check(st.get("down", ("?",))[0] == "failed" and "cannot connect" in st["down"][1]
             and str(closed) in st["down"][1], "closed port: failed, reason names the port (%s)" % (st.get("down"),))
    for d in ("r1", "r2", "r3"):
        got = data_children(os.path.join(netconf_dir(out, d), "running.xml"))
        ck.check(got == served_children(devices[d]["running.xml"]), "%s running.xml holds what the device served" % d)
    cand = data_children(os.path.join(netconf_dir(out, "r2"), "candidate.xml"))
    ck.check(cand == served_children(devices["r2"]["candidate.xml"]), "r2 candidate.xml is the candidate datastore")
    st_r1 = open(os.path.join(netconf_dir(out, "r1"), "state.xml")).read()
    ck.check("r1-state" in st_r1 and "ietf-netconf-nmda" in st_r1,
             "state.xml is <get-data> of operational (NMDA advertised)")
    caps = open(os.path.join(netconf_dir(out, "r1"), "capabilities.txt")).read().split("\n")
    ck.check("urn:ietf:params:netconf:base:1.1" in caps, "capabilities.txt lists <hello> capabilities")
    ck.check(any("module=ietf-netconf-nmda" in c for c in caps),
             "capabilities.txt lists YANG 1.1 modules from ietf-yang-library")
    ck.check(len(caps) == len(set(caps)), "capabilities.txt has no duplicate lines")
    yl = ET.parse(os.path.join(netconf_dir(out, "r1"), "yang-library.xml")).getroot()
    ck.check(yl.tag == NC + "rpc-reply", "yang-library.xml is the device's reply")
    schemas = os.listdir(os.path.join(netconf_dir(out, "r1"), "schemas"))
    ck.check("ietf-netconf@2011-06-01.yang" in schemas and "ietf-netconf-nmda@2019-01-07.yang" in schemas,
             "schemas/ holds MOD@REV.yang served by <get-schema> (%d files)" % len(schemas))
    nmda = open(os.path.join(netconf_dir(out, "r1"), "schemas", "ietf-netconf-nmda@2019-01-07.yang")).read()
    ck.check(nmda.startswith("module ietf-netconf-nmda") and nmda.rstrip().endswith("}"),
             "a fetched schema is whole (%d bytes)" % len(nmda))
    kh_lines = open(kh).read().splitlines()
    ck.check(len(kh_lines) == 3, "--accept-new-host-keys recorded the 3 reachable devices (%d lines)" % len(kh_lines))
    leaked = subprocess.run(["grep", "-rl", "s3cret-pw-1", out], capture_output=True, text=True).stdout
    ck.check(not leaked and "s3cret-pw-1" not in text, "the password is in no snapshot file and no output")
    ck.check(not os.path.exists(out + ".tmp") and not any(n.startswith(os.path.basename(out) + ".")
                                                          for n in os.listdir(env.dir)),
             "no temporary snapshot left beside the final one")
    ck.check(sim.alive(), "the simulator is still running")


def case_hostkeys(env, col, a, ck):
    devices = {"h1": {"running.xml": oc_config(1, "h1")}, "h2": {"running.xml": oc_config(1, "h2")}}
    sim, hostkey, client = setup(env, a.ncsim, devices)
    fp = env.fingerprint(hostkey + ".pub")
    inv = env.path("inv.yaml")
    kh = env.path("ssh", "known_hosts")
    write_inventory(inv, [("h1", sim.ports["h1"], "key"), ("h2", sim.ports["h2"], "key")], kh,
                    {"key": {"username": "admin", "key-file": client}})
    rc, st, _ = col.run(inv, env.path("s1"))
    for d in ("h1", "h2"):
        s, why = st.get(d, ("?", ""))
        ck.check(s == "failed" and "not known" in why and fp in why and str(sim.ports[d]) in why,
                 "unknown host key: %s refused, reason shows host, port and %s (%s)" % (d, fp, why))
    ck.check(rc == 3, "exit 3 when devices are refused (got %d)" % rc)
    ck.check(not os.path.exists(kh) or not open(kh).read().strip(), "known_hosts left alone without the flag")

    rc, st, text = col.run(inv, env.path("s2"), accept_new=True)
    ck.check(rc == 0 and all(st.get(d, ("?",))[0] == "collected" for d in devices),
             "--accept-new-host-keys: collected (%s)" % st)
    lines = open(kh).read().splitlines()
    ck.check(len(lines) == 2 and all(l.startswith("[127.0.0.1]:") for l in lines),
             "--accept-new-host-keys recorded [127.0.0.1]:PORT entries")
    rc, st, _ = col.run(inv, env.path("s3"))
    ck.check(rc == 0 and all(st.get(d, ("?",))[0] == "collected" for d in devices),
             "recorded keys are accepted without the flag")

    # h2 now presents another key on the same port: refused even with the flag.
    other = env.keygen("otherkey")
    with open(os.path.join(sim.data, "h2", "hostkey"), "w") as fh:
        fh.write(other + "\n")
    sim.restart()
    before = open(kh).read()
    rc, st, _ = col.run(inv, env.path("s4"), accept_new=True)
    s, why = st.get("h2", ("?", ""))
    fp2 = env.fingerprint(other + ".pub")
    ck.check(s == "failed" and "CHANGED" in why and fp2 in why,
             "changed host key: refused even with --accept-new-host-keys, new fingerprint shown (%s)" % why)
    ck.check(st.get("h1", ("?",))[0] == "collected", "the other device is still collected")
    ck.check(open(kh).read() == before, "a changed key is never recorded")


def case_auth(env, col, a, ck):
    devices = {"good": {"running.xml": oc_config(1, "good")}, "badpw": {"running.xml": oc_config(1, "x")},
               "nopw": {"running.xml": oc_config(1, "y")}, "badkey": {"running.xml": oc_config(1, "z")},
               "pwfile": {"running.xml": oc_config(1, "f")}, "agent": {"running.xml": oc_config(1, "a")}}
    sim, hostkey, client = setup(env, a.ncsim, devices, password="right-pass-7")
    stranger = env.keygen("stranger")
    pwfile = env.path("pw-secret")
    with open(pwfile, "w") as fh:
        fh.write("right-pass-7\n")
    os.chmod(pwfile, 0o600)
    # ssh-agent holding the client key; the inventory says agent: true.
    sock = env.path("agent.sock")
    env.spawn(["ssh-agent", "-D", "-a", sock], stdout=subprocess.DEVNULL)
    for _ in range(100):
        if os.path.exists(sock):
            break
        time.sleep(0.05)
    subprocess.run(["ssh-add", "-q", client], env=dict(os.environ, SSH_AUTH_SOCK=sock), check=True,
                   capture_output=True)
    inv = env.path("inv.yaml")
    write_inventory(inv, [("good", sim.ports["good"], "pw"), ("badpw", sim.ports["badpw"], "wrong"),
                          ("nopw", sim.ports["nopw"], "unset"), ("badkey", sim.ports["badkey"], "stranger"),
                          ("pwfile", sim.ports["pwfile"], "file"), ("agent", sim.ports["agent"], "agent")],
                    env.path("known_hosts"),
                    {"pw": {"username": "admin", "password-env": "NCTEST_PW"},
                     "wrong": {"username": "admin", "password-env": "NCTEST_BAD"},
                     "unset": {"username": "admin", "password-env": "NCTEST_UNSET_VARIABLE"},
                     "stranger": {"username": "admin", "key-file": stranger},
                     "file": {"username": "admin", "password-file": pwfile},
                     "agent": {"username": "admin", "agent": True}})
    rc, st, text = col.run(inv, env.path("s"), accept_new=True,
                           extra_env={"NCTEST_PW": "right-pass-7", "NCTEST_BAD": "wrong-pass-9",
                                      "SSH_AUTH_SOCK": sock})
    ck.check(st.get("good", ("?",))[0] == "collected", "password login works (%s)" % (st.get("good"),))
    ck.check(st.get("pwfile", ("?",))[0] == "collected", "password from a 0600 file works (%s)" % (st.get("pwfile"),))
    ck.check(st.get("agent", ("?",))[0] == "collected", "ssh-agent login works (%s)" % (st.get("agent"),))
    s, why = st.get("badpw", ("?", ""))
    ck.check(s == "failed" and "authentication failed" in why and "NCTEST_BAD" in why,
             "bad password: failed, reason names the variable (%s)" % why)
    s, why = st.get("nopw", ("?", ""))
    ck.check(s == "failed" and "NCTEST_UNSET_VARIABLE" in why, "unset password variable: failed (%s)" % why)
    s, why = st.get("badkey", ("?", ""))
    ck.check(s == "failed" and "authentication failed" in why and stranger in why,
             "unauthorized key: failed, reason names the key file (%s)" % why)
    ck.check("wrong-pass-9" not in text and "right-pass-7" not in text and
             not subprocess.run(["grep", "-rlE", "wrong-pass-9|right-pass-7", env.path("s")],
                                capture_output=True, text=True).stdout,
             "no password value in the output or the snapshot")
    ck.check(rc == 3, "exit 3 (got %d)" % rc)


def case_faults(env, col, a, ck):
    big = oc_config(20000, "big")                      # ~3.5 MB: long enough to be cut mid-reply
    huge_line = oc_config(1, "h")
    blob = "<x>" + "y" * 100 + "</x>"
    huge = huge_line[:-len("</interfaces>")] + blob * (50 * 1024 * 1024 // len(blob)) + "</interfaces>"
    devices = {"ok1": {"running.xml": oc_config(2, "ok1"), "state.xml": state_xml("ok1")},
               "ok2": {"running.xml": oc_config(2, "ok2")},
               "bigcfg": {"running.xml": big},
               "malformed": {"running.xml": oc_config(1, "m"), "fault": "malformed"},
               "huge": {"running.xml": huge}}
    sim, hostkey, client = setup(env, a.ncsim, devices)
    silent = SilentServer()
    env.servers.append(silent)
    cutter = CuttingProxy(sim.ports["bigcfg"], 1024 * 1024)
    env.servers.append(cutter)
    inv = env.path("inv.yaml")
    write_inventory(inv, [("ok1", sim.ports["ok1"], "key"), ("ok2", sim.ports["ok2"], "key"),
                          ("silent", silent.port, "key"), ("midreply", cutter.port, "key"),
                          ("malformed", sim.ports["malformed"], "key"), ("huge", sim.ports["huge"], "key")],
                    env.path("known_hosts"), {"key": {"username": "admin", "key-file": client}})
    # The proxy's port gets its own known_hosts entry: record all keys first.
    rc, st, text = col.run(inv, env.path("s1"), accept_new=True, use="drive", rss=True,
                           options=["--connect-timeout", "1500", "--max-reply", str(16 * 1024 * 1024)])
    for d in ("ok1", "ok2"):
        ck.check(st.get(d, ("?",))[0] == "collected", "%s collected next to the faults (%s)" % (d, st.get(d)))
    s, why = st.get("silent", ("?", ""))
    ck.check(s == "failed" and re.search(r"[Tt]ime", why or "") is not None,
             "server that never speaks: failed on the connect timeout (%s)" % why)
    s, why = st.get("midreply", ("?", ""))
    ck.check(s == "failed" and "connection" in why and "while reading the reply to <get-config>" in why,
             "connection closed mid-reply: failed, named (%s)" % why)
    s, why = st.get("malformed", ("?", ""))
    ck.check(s == "failed" and "malformed reply to <get-config>" in why,
             "malformed reply: failed, named (%s)" % why)
    s, why = st.get("huge", ("?", ""))
    ck.check(s == "failed" and "larger than the limit" in why and str(16 * 1024 * 1024) in why,
             "50 MB reply over max_reply_bytes: failed with the limit in the reason (%s)" % why)
    ck.check(col.rss_kb < 150 * 1024 * a.rss_factor,
             "memory stays bounded with a 50 MB reply refused (%d KB)" % col.rss_kb)
    ck.check(not os.path.exists(os.path.join(netconf_dir(env.path("s1"), "huge"), "running.xml")),
             "no partial running.xml for the refused reply")
    ck.check(rc == 3, "exit 3 (got %d)" % rc)

    # The default limit (256 MiB, ERAUDIT_MAX_FILE_SIZE) takes the 50 MB reply, without blowing up memory.
    inv2 = env.path("inv2.yaml")
    write_inventory(inv2, [("huge", sim.ports["huge"], "key"), ("ok1", sim.ports["ok1"], "key")],
                    env.path("known_hosts"), {"key": {"username": "admin", "key-file": client}})
    rc, st, _ = col.run(inv2, env.path("s2"), rss=True)
    size = os.path.getsize(os.path.join(netconf_dir(env.path("s2"), "huge"), "running.xml")) \
        if st.get("huge", ("?",))[0] == "collected" else 0
    ck.check(rc == 0 and size > 50 * 1024 * 1024, "50 MB reply collected whole under the default limit (%d bytes)"
             % size)
    ck.check(col.rss_kb < 400 * 1024 * a.rss_factor,
             "peak RSS with a 50 MB reply: %d KB (< %d MB)" % (col.rss_kb, 400 * a.rss_factor))
    ck.check(sim.alive(), "the simulator survived")


def example_inventory(src, dst, ports, known_hosts, key):
    """The bundled example inventory, NETCONF only, pointed at the simulator."""
    out, skip, dev, in_devices = [], False, None, False
    for line in open(src):
        if line.startswith("- name: "):
            dev = line.split()[-1]
            skip = dev not in ports and in_devices
        if not line.startswith(" ") and not line.startswith("-"):
            skip = False
            in_devices = line.startswith("devices:")
        if skip:
            continue
        if line.startswith("known-hosts:"):
            line = "known-hosts: %s\n" % known_hosts
        elif line.startswith("  key-file:"):
            line = "  key-file: %s\n" % key
        elif line.startswith("  host:") and dev in ports:
            line = "  host: 127.0.0.1\n  port: %d\n" % ports[dev]
        elif line.startswith("  collectors:"):
            line = "  collectors: [netconf]\n"
        out.append(line)
    with open(dst, "w") as fh:
        fh.write("".join(out))


def findings_of(path):
    """The report without what changes from run to run."""
    r = json.load(open(path))["eraudit-findings:report"]
    for k in ("generated", "snapshot", "snapshot-created"):
        r.pop(k, None)
    return r


def case_e2e(env, col, a, ck):
    """eraudit collect / audit -i against ncsim serving the bundled example
    network's NETCONF replies: the same report as the bundled snapshot."""
    if not a.eraudit:
        ck.check(False, "e2e needs --eraudit")
        return
    ex = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                      "inventory", "example")
    snap = os.path.join(ex, "snapshot")
    names = sorted(d for d in os.listdir(os.path.join(snap, "devices"))
                   if os.path.isdir(os.path.join(snap, "devices", d, "netconf")))
    devices = {}
    for d in names:
        nd = os.path.join(snap, "devices", d, "netconf")
        devices[d] = {f: open(os.path.join(nd, f)).read() for f in os.listdir(nd) if f.endswith(".xml")}
    sim, hostkey, client = setup(env, a.ncsim, devices, user="eraudit")
    inv = env.path("inventory.yaml")
    example_inventory(os.path.join(ex, "inventory.yaml"), inv, sim.ports, env.path("known_hosts"), client)

    # The reference: the bundled snapshot reduced to the same NETCONF data.
    ref = env.path("ref")
    shutil.copytree(snap, ref)
    for d in os.listdir(os.path.join(ref, "devices")):
        if d not in devices:
            shutil.rmtree(os.path.join(ref, "devices", d))
        elif os.path.isdir(os.path.join(ref, "devices", d, "snmp")):
            shutil.rmtree(os.path.join(ref, "devices", d, "snmp"))
    mpath = os.path.join(ref, "manifest.json")
    m = json.load(open(mpath))
    man = m["eraudit-snapshot:manifest"]
    man["device"] = [dict(x, collectors="netconf") for x in man["device"] if x["name"] in devices]
    json.dump(m, open(mpath, "w"), indent=2)
    shutil.copy(inv, os.path.join(ref, "inventory.yaml"))
    p = subprocess.run([a.eraudit, "audit", "--snapshot", ref, "-i", inv, "-f", "json", "-o", env.path("ref.json")],
                       capture_output=True, text=True)
    ck.check(os.path.exists(env.path("ref.json")), "reference audit of the bundled replies (exit %d) %s"
             % (p.returncode, p.stderr[-200:]))

    out = env.path("snap")
    rc, st, text = col.run(inv, out, accept_new=True)
    ck.check(rc == 0 and all(st.get(d, ("?",))[0] == "collected" for d in devices),
             "eraudit collect: every example device collected from ncsim (%s)" % st)
    p = subprocess.run([a.eraudit, "audit", "--snapshot", out, "-f", "json", "-o", env.path("snap.json")],
                       capture_output=True, text=True)
    ck.check(p.returncode == json.load(open(env.path("ref.json")))["eraudit-findings:report"]["exit-code"],
             "audit of the collected snapshot: same exit code as the reference (%d)" % p.returncode)
    ck.check(findings_of(env.path("snap.json")) == findings_of(env.path("ref.json")),
             "audit of the collected snapshot: the same report as the bundled replies")

    os.mkdir(env.path("tmp"))
    env_live = dict(os.environ, XDG_CACHE_HOME=env.path("cache"), TMPDIR=env.path("tmp"))
    p = subprocess.run([a.eraudit, "audit", "-i", inv, "-f", "json", "-o", env.path("live.json")],
                       capture_output=True, text=True, env=env_live)
    ck.check(os.path.exists(env.path("live.json")) and
             findings_of(env.path("live.json")) == findings_of(env.path("ref.json")),
             "eraudit audit -i (live): the same report (exit %d)" % p.returncode)
    left = os.listdir(env.path("tmp"))
    ck.check(not left, "the live audit removes the snapshot it collected for itself (left: %s)" % left)

    # One device down: exit 3 (or worse), a not-collected finding naming it, the others audited.
    env.stop(sim.proc)
    down = names[0]
    keep = {d: devices[d] for d in names[1:]}
    sim2 = Sim(env, a.ncsim, keep, hostkey, user="eraudit", authkeys=[client + ".pub"], name="sim2")
    ports = dict(sim2.ports)
    ports[down] = env.free_ports(1)
    example_inventory(os.path.join(ex, "inventory.yaml"), inv, ports, env.path("known_hosts2"), client)
    p = subprocess.run([a.eraudit, "audit", "-i", inv, "-f", "json", "-o", env.path("down.json"),
                        "--accept-new-host-keys"], capture_output=True, text=True, env=env_live)
    rep = json.load(open(env.path("down.json")))["eraudit-findings:report"] if os.path.exists(
        env.path("down.json")) else {}
    ck.check(p.returncode in (1, 3) and rep.get("summary", {}).get("devices-not-collected") == 1,
             "one device down: exit %d, one device not collected" % p.returncode)
    ck.check(down in json.dumps(rep.get("finding", rep)) and "cannot connect" in json.dumps(rep),
             "the not-collected finding names %s and why" % down)


def case_interrupt(env, col, a, ck):
    """SIGTERM or SIGINT in the middle of a collection (a device that never
    answers holds it up): nothing half-written is left, and the exit code
    says which signal it was."""
    if not a.eraudit:
        ck.check(False, "interrupt needs --eraudit")
        return
    sim, hostkey, client = setup(env, a.ncsim, {"ok1": {"running.xml": oc_config(2, "ok1")}})
    silent = SilentServer()
    env.servers.append(silent)
    inv = env.path("inv.yaml")
    write_inventory(inv, [("ok1", sim.ports["ok1"], "key"), ("silent", silent.port, "key")],
                    env.path("known_hosts"), {"key": {"username": "admin", "key-file": client}})
    os.mkdir(env.path("tmp"))
    run_env = dict(os.environ, XDG_CACHE_HOME=env.path("cache"), TMPDIR=env.path("tmp"))
    os.mkdir(env.path("out"))
    for sig, args in ((signal.SIGTERM, ["collect", "-i", inv, "-o", env.path("out", "snap")]),
                      (signal.SIGINT, ["audit", "-i", inv, "-f", "json", "-o", env.path("out", "r.json")])):
        p = subprocess.Popen([a.eraudit] + args + ["--accept-new-host-keys"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=run_env)
        time.sleep(2.0)   # ok1 is collected by then; silent holds out for 10 s
        p.send_signal(sig)
        try:
            _, err = p.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            _, err = p.communicate()
        left = sorted(os.listdir(env.path("out"))) + sorted(os.listdir(env.path("tmp")))
        ck.check(p.returncode == 128 + sig, "%s %s: exit %d (128 + %d)" % (args[0], sig.name, p.returncode, sig))
        ck.check(not left, "%s %s: no half-written snapshot left (%s)" % (args[0], sig.name, left))
        ck.check("interrupted; removed" in err, "%s %s: says what it removed (%s)" % (args[0], sig.name,
                                                                                     err.strip()[-200:]))


OC_ACL = "http://openconfig.net/yang/acl"


def oc_acl(entries):
    """openconfig-acl: an ACL_IPV4 set IN with (sequence-id, forwarding-action or None) entries."""
    es = "".join('<acl-entry><sequence-id>%d</sequence-id><config><sequence-id>%d</sequence-id></config>'
                 '<ipv4><config><destination-address>203.0.113.%d/32</destination-address>'
                 '<protocol xmlns:oc-pkt="http://openconfig.net/yang/packet-match-types">oc-pkt:IP_TCP</protocol>'
                 '</config></ipv4>%s</acl-entry>'
                 % (seq, seq, seq, '<actions><config><forwarding-action>%s</forwarding-action></config></actions>'
                    % act if act else "") for seq, act in entries)
    return ('<acl xmlns="%s"><acl-sets><acl-set><name>IN</name><type>ACL_IPV4</type><config><name>IN</name>'
            '<type>ACL_IPV4</type></config><acl-entries>%s</acl-entries></acl-set></acl-sets></acl>' % (OC_ACL, es))


def ietf_config(forwarding):
    """ietf-interfaces + ietf-access-control-list: two interfaces and an ACL of two ACEs."""
    ifs = "".join('<interface><name>ge-0/0/%d</name><type xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">'
                  'ianaift:ethernetCsmacd</type><enabled>true</enabled></interface>' % i for i in range(2))
    aces = "".join('<ace><name>%s</name><matches><ipv4><destination-ipv4-network>203.0.113.%d/32'
                   '</destination-ipv4-network></ipv4></matches><actions><forwarding>%s</forwarding></actions></ace>'
                   % (name, i, fwd) for i, (name, fwd) in enumerate([("a", forwarding), ("b", "drop")]))
    return ('<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces">%s</interfaces>'
            '<acls xmlns="urn:ietf:params:xml:ns:yang:ietf-access-control-list"><acl><name>IN</name>'
            '<type>ipv4-acl-type</type><aces>%s</aces></acl></acls>' % (ifs, aces))


def case_degrade(env, col, a, ck):
    """One unreadable element costs that element: collect marks the device
    partial with the element named (exit 3), the audit keeps the rest and
    gives the same reason; replies no mapper reads fail the device at collect."""
    if not a.eraudit:
        ck.check(False, "degrade needs --eraudit")
        return
    devices = {
        "good": {"running.xml": oc_config(2, "good") + oc_acl([(10, "ACCEPT"), (20, "DROP")])},
        "ocbad": {"running.xml": oc_config(3, "ocbad") + oc_acl([(10, "ACCEPT"), (20, None), (30, "DROP")])},
        "ietfbad": {"running.xml": ietf_config("teleport")},
        "unknown": {"running.xml": '<system xmlns="urn:example:no-such-device-model"><hostname>x'
                                   '</hostname></system>'},
    }
    sim, hostkey, client = setup(env, a.ncsim, devices)
    inv = env.path("inv.yaml")
    write_inventory(inv, [(d, sim.ports[d], "key") for d in sorted(devices)], env.path("known_hosts"),
                    {"key": {"username": "admin", "key-file": client}})
    out = env.path("snap")
    rc, st, text = col.run(inv, out, accept_new=True)
    ck.check(rc == 3, "collect exits 3 when replies cannot be fully read (got %d)" % rc)
    ck.check(st.get("good", ("?",))[0] == "collected", "good: collected (%s)" % (st.get("good"),))
    why = st.get("ocbad", ("?", ""))
    ck.check(why[0] == "partial" and re.search(r"skipped 1 unreadable element: netconf/running\.xml:\d+: "
                                               r"/acl/acl-sets/acl-set\[name='IN'\]/acl-entries/acl-entry"
                                               r"\[sequence-id='20'\]: acl-entry 20 without a forwarding-action",
                                               why[1]) is not None, "ocbad: partial, the entry named (%s)" % (why,))
    why = st.get("ietfbad", ("?", ""))
    ck.check(why[0] == "partial" and "ace[name='a']/actions/forwarding: forwarding 'teleport': expected accept" in why[1],
             "ietfbad: partial, the ACE and the value named (%s)" % (why,))
    why = st.get("unknown", ("?", ""))
    ck.check(why[0] == "failed" and "no known data model" in why[1] and "urn:example:no-such-device-model" in why[1],
             "unknown: failed at collect, namespaces named (%s)" % (why,))
    ck.check("0 not fully collected" not in text, "collect does not say everything was collected")

    model = env.path("model.json")
    p = subprocess.run([a.eraudit, "audit", "--snapshot", out, "-f", "json", "-o", env.path("audit.json"),
                        "--dump-model", model], capture_output=True, text=True)
    ck.check(p.returncode in (1, 3), "audit of the snapshot: exit %d %s" % (p.returncode, p.stderr[-300:]))
    devs = {d["name"]: d for d in json.load(open(model))["eraudit-network:network"]["device"]} \
        if os.path.exists(model) else {}
    for d in ("ocbad", "ietfbad", "unknown"):
        col_ = devs.get(d, {}).get("collection", {})
        ck.check(col_.get("status") == st.get(d, ("?",))[0] and col_.get("reason") == st.get(d, ("?", ""))[1],
                 "%s: the audit gives collect's status and reason (%s)" % (d, col_))
    oc = devs.get("ocbad", {})
    rules = [r["seq"] for f in oc.get("filter", []) for r in f.get("rule", [])]
    ck.check(len(oc.get("interface", [])) == 3 and sorted(rules) == [10, 30],
             "ocbad: 3 interfaces and rules 10, 30 survive; only 20 is lost (%s)" % rules)
    ie = devs.get("ietfbad", {})
    rules = [r["seq"] for f in ie.get("filter", []) for r in f.get("rule", [])]
    ck.check(len(ie.get("interface", [])) == 2 and rules == [20], "ietfbad: 2 interfaces and ACE b survive (%s)" % rules)
    ck.check(sim.alive(), "the simulator is still running")


CASES = {"degrade": case_degrade, "interrupt": case_interrupt, "e2e": case_e2e, "basic": case_basic, "hostkeys": case_hostkeys, "auth": case_auth, "faults": case_faults}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("case", choices=sorted(CASES))
    ap.add_argument("--ncsim", required=True)
    ap.add_argument("--drive", required=True)
    ap.add_argument("--eraudit")
    ap.add_argument("--rss-factor", type=int, default=1, help="memory limits times this (sanitizer builds)")
    a = ap.parse_args()
    env = Env(a.case)
    ck = Checks()
    col = Collector(env, eraudit=a.eraudit, drive=a.drive)
    run_case(env, ck, CASES[a.case], env, col, a, ck)


if __name__ == "__main__":
    main()
