#!/usr/bin/env python3
"""Pollers collecting their share live, merged and audited centrally.

The example network's NETCONF replies are served by the device simulator
(tests/netconf/ncsim.c over SSH on loopback). One `eraudit collect` collects
everything; three poller processes run at once, each `eraudit collect
--shard I/3`; another collects `--site` only. Each partial snapshot must
record the inventory's digest and the devices it was asked for (those
`collect --list` names) and hold only those; the merge of the three must
audit to the full collection's report.

usage: pollers_live.py --ncsim NCSIM --eraudit ERAUDIT
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "netconf"))
from nclib import Checks, Env, run_case  # noqa: E402
from nctest import example_inventory, findings_of, setup  # noqa: E402

SHARDS = 3


def manifest(snap):
    return json.load(open(os.path.join(snap, "manifest.json")))["eraudit-snapshot:manifest"]


def case(env, a, ck):
    ex = os.path.join(HERE, "..", "..", "inventory", "example")
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
    digest = "sha256:" + hashlib.sha256(open(inv, "rb").read()).hexdigest()
    penv = dict(os.environ, XDG_CACHE_HOME=env.path("cache"))

    def er(*args, cwd=None):
        p = subprocess.run([a.eraudit, *args], capture_output=True, text=True, env=penv, cwd=cwd)
        return p.returncode, p.stdout, p.stderr

    code, _, err = er("collect", "-i", inv, "-o", env.path("full"), "--accept-new-host-keys")
    ck.check(code == 0, "one collection of everything: exit 0 %s" % err[-300:])
    full = manifest(env.path("full"))
    ck.check(full.get("inventory-digest") == digest and "selection" not in full,
             "a full snapshot records the inventory's digest and no selection")

    # Three pollers at once, each its shard.
    procs = []
    for i in range(SHARDS):
        procs.append(subprocess.Popen([a.eraudit, "collect", "-i", inv, "--shard", "%d/%d" % (i, SHARDS), "-o",
                                       env.path("part-%d" % i)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      text=True, env=penv))
    outs = [(p.wait(), p.stdout.read()) for p in procs]
    ck.check(all(c == 0 for c, _ in outs), "three pollers, one shard each, at once: exit 0 (%s)"
             % [c for c, _ in outs])
    seen = []
    for i in range(SHARDS):
        part = env.path("part-%d" % i)
        m = manifest(part)
        _, listed, _ = er("collect", "-i", inv, "--list", "--shard", "%d/%d" % (i, SHARDS))
        listed = listed.split()
        asked = [x["name"] for x in m.get("asked", [])]
        got = sorted(x["name"] for x in m.get("device", []))
        on_disk = sorted(os.listdir(os.path.join(part, "devices"))) if os.path.isdir(os.path.join(part, "devices")) \
            else []
        ck.check(m.get("inventory-digest") == digest and m.get("selection") == "--shard %d/%d" % (i, SHARDS),
                 "part %d records the inventory's digest and its selection" % i)
        ck.check(sorted(asked) == sorted(listed) and got == sorted(listed) and on_disk == sorted(listed),
                 "part %d was asked for, collected and holds exactly the devices --list names (%s)" % (i, listed))
        seen += listed
    ck.check(sorted(seen) == sorted(x["name"] for x in full["device"]),
             "the shards cover every device once (%s)" % sorted(seen))

    code, _, err = er("snapshot", "merge", *[env.path("part-%d" % i) for i in range(SHARDS)], "-o", env.path("merged"))
    ck.check(code == 0, "merge of the three parts: exit 0 %s" % err[-300:])
    c1, _, _ = er("audit", "--snapshot", env.path("full"), "-f", "json", "-o", env.path("full.json"))
    c2, _, _ = er("audit", "--snapshot", env.path("merged"), "-f", "json", "-o", env.path("merged.json"))
    ck.check(c1 == c2 and os.path.exists(env.path("merged.json")) and
             findings_of(env.path("full.json")) == findings_of(env.path("merged.json")),
             "the merged snapshot audits to the full collection's report (exit %d and %d)" % (c1, c2))

    # A regional poller: one site only.
    code, listed, _ = er("collect", "-i", inv, "--list", "--site", "chi-dc")
    code, _, err = er("collect", "-i", inv, "--site", "chi-dc", "-o", env.path("chi"))
    m = manifest(env.path("chi"))
    ck.check(code == 0 and listed.split() and sorted(x["name"] for x in m["device"]) == sorted(listed.split()),
             "a --site poller collects that site's devices only (%s)" % listed.split())
    # Its snapshot alone: the other sites' devices were collected by nobody.
    code, _, err = er("snapshot", "merge", env.path("chi"), "-o", env.path("chi-merged"))
    m = manifest(env.path("chi-merged"))
    others = [x for x in m["device"] if x["name"] not in listed.split()]
    ck.check(code == 3 and others and all(x["reason"] == "not collected by any poller" for x in others),
             "merged alone: exit 3, every other device 'not collected by any poller'")
    shutil.rmtree(env.path("cache"), ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ncsim", required=True)
    ap.add_argument("--eraudit", required=True)
    a = ap.parse_args()
    env = Env("pollers")
    ck = Checks()
    run_case(env, ck, case, env, a, ck)


if __name__ == "__main__":
    main()
