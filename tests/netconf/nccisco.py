#!/usr/bin/python3
"""Cisco IOS-XE and IOS-XR over NETCONF (issue 13), on 127.0.0.1 in a private temp dir.

usage: nccisco.py CASE --ncsim PATH --eraudit PATH
CASE:
  map    the fixtures in tests/netconf/cisco/ (written from Cisco's published
         YANG modules) as a snapshot: every element the mappers read lands in
         the model, every element they cannot read is skipped by name (file,
         line, path) and the device is partial, never failed
  live   two simulators speak as an IOS-XE and as an IOS-XR device (their
         capabilities, their replies); `eraudit collect` recognizes each from
         its <hello>, asks for its operational data with the platform's
         subtree filters (the IOS-XR RIB by the keys of the prefixes that
         matter), stores the replies with the planted secrets removed, and the
         audit of that snapshot maps to the same model as `map`
"""
import argparse
import json
import re
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from nclib import Checks, Env, Sim, run_case  # noqa: E402

FIX = os.path.join(HERE, "cisco")
XE_CAPS = ["http://cisco.com/ns/yang/Cisco-IOS-XE-native?module=Cisco-IOS-XE-native&revision=2023-03-01",
           "http://cisco.com/ns/yang/Cisco-IOS-XE-bgp-oper?module=Cisco-IOS-XE-bgp-oper&revision=2023-03-01"]
XR_CAPS = ["http://cisco.com/ns/yang/Cisco-IOS-XR-ipv4-bgp-cfg?module=Cisco-IOS-XR-ipv4-bgp-cfg&revision=2019-04-05",
           "http://cisco.com/ns/yang/Cisco-IOS-XR-ip-rib-ipv4-oper?module=Cisco-IOS-XR-ip-rib-ipv4-oper&revision=2019-01-11"]
# A 7.x device announcing only unified models (Cisco-IOS-XR-um-*), the ACL one among them.
XR_UM_CAPS = ["http://cisco.com/ns/yang/Cisco-IOS-XR-um-%s?module=Cisco-IOS-XR-um-%s&revision=2021-09-20" % (m, m)
              for m in ("interface-cfg", "ipv4-access-list-cfg", "router-bgp-cfg")]
PLANTED = "PLANTED-"

INVENTORY_TAIL = """circuits:
- name: c1
  sku: standard
  peering-location: Amsterdam
  primary: {device: xe1, neighbor: 203.0.113.2}
  secondary: {device: xe1, neighbor: 203.0.113.6}
  prefixes: [203.0.113.128/27]
- name: c2
  sku: standard
  peering-location: London
  primary: {device: xr1, neighbor: 203.0.113.10}
  secondary: {device: xr1, neighbor: 203.0.113.14}
  prefixes: [203.0.113.160/27]
tenant: {power-platform-region: europe}
"""
# Live collection asks the IOS-XR RIB for the routes of these prefixes (and the circuits').
SERVICES = "services: {service-tags: %s}\n" % os.path.join(ROOT, "rules", "data", "samples",
                                                           "ServiceTags_Public_sample.json")


def fixture(name):
    with open(os.path.join(FIX, name)) as f:
        return f.read()


def audit_model(env, eraudit, snap, tag):
    """Audit a snapshot; (exit code, {device: model}, report, files written)."""
    model, report = env.path(tag + "-model.json"), env.path(tag + "-report.json")
    p = subprocess.run([eraudit, "audit", "--snapshot", snap, "--format", "json", "-o", report, "--dump-model", model],
                       capture_output=True, text=True)
    devs = {}
    if os.path.exists(model):
        with open(model) as f:
            m = json.load(f)
        net = m.get("eraudit-network:network", m)
        devs = {d["name"]: d for d in net.get("device", [])}
    return p.returncode, devs, report, p.stdout + p.stderr


def find(lst, key, value):
    return next((x for x in lst or [] if x.get(key) == value), None)


def check_model(ck, devs):
    """What the fixtures say, as the model must hold it."""
    xe, xr = devs.get("xe1", {}), devs.get("xr1", {})
    # IOS-XE interfaces: type + number, subinterface, secondary address, shutdown.
    ifs = {i["name"]: i for i in xe.get("interface", [])}
    ck.check(set(ifs) >= {"GigabitEthernet1", "GigabitEthernet2", "GigabitEthernet3.100", "Loopback0",
                          "Port-channel1", "TenGigabitEthernet0/0/0"}, "XE interfaces named TYPE+NUMBER (%s)" % sorted(ifs))
    g3 = ifs.get("GigabitEthernet3.100", {})
    ck.check([(a["ip"], a["prefix-length"]) for a in g3.get("address", [])] == [("10.20.0.1", 24), ("10.20.1.1", 24)],
             "XE primary and secondary addresses with masks as prefix lengths")
    ck.check(ifs.get("GigabitEthernet2", {}).get("enabled") is False, "XE shutdown: enabled false")
    ck.check("address" not in ifs.get("TenGigabitEthernet0/0/0", {"address": 1}),
             "XE: a non-contiguous mask costs that address only, the interface stays")
    ck.check(ifs.get("GigabitEthernet1", {}).get("oper-status") == "up"
             and ifs.get("GigabitEthernet2", {}).get("oper-status") == "down",
             "XE interfaces-oper: oper status up / down")
    # IOS-XE BGP: peer-group inheritance, own settings override, AF route-maps, maximum-prefix, asdot.
    bgp = xe.get("bgp", {})
    ck.check(bgp.get("local-as") == 65010 and bgp.get("router-id") == "10.255.255.1"
             and bgp.get("ignore-as-path-length") is True, "XE router bgp: AS, router-id, bestpath as-path ignore")
    n2 = find(bgp.get("neighbor"), "address", "203.0.113.2") or {}
    ck.check(n2.get("peer-as") == 12076 and n2.get("md5") is True and n2.get("bfd") is True
             and n2.get("hold-time") == 90 and n2.get("keepalive") == 30 and n2.get("max-prefix") == 1000
             and n2.get("import-policy") == ["MS-IN"] and n2.get("export-policy") == ["MS-OUT"],
             "XE neighbor inherits remote-as, password (set), timers, fall-over bfd, route-maps and "
             "maximum-prefix from its peer-group (%s)" % n2)
    ck.check(n2.get("state") == "established" and n2.get("prefixes-received") == 9,
             "XE bgp-oper: session state and prefixes received")
    n6 = find(bgp.get("neighbor"), "address", "203.0.113.6") or {}
    ck.check(n6.get("enabled") is False and n6.get("keepalive") == 10 and n6.get("import-policy") == ["WEIGHTY"]
             and n6.get("export-policy") == ["MS-OUT"], "XE neighbor's own shutdown, timers, route-map in override")
    n1 = find(bgp.get("neighbor"), "address", "10.255.0.1") or {}
    ck.check(n1.get("peer-as") == 65546 and n1.get("local-address") == "10.255.255.1",
             "XE remote-as in asdot (1.10) and update-source Loopback0's address")
    ck.check(not find(bgp.get("neighbor"), "address", "192.0.2.1"), "XE VRF neighbors are kept out of the default table")
    # IOS-XE policy model.
    pols = {p["name"]: p for p in xe.get("policy", [])}
    msin = pols.get("MS-IN", {})
    ck.check([(t["name"], t.get("action"), t.get("set-local-preference"), t.get("match-community-set"))
              for t in msin.get("term", [])] == [("10", "accept", 200, ["MS-EUROPE"]), ("20", "reject", None, None)]
             and msin.get("default-action") == "reject", "XE route-map MS-IN: sequences, match community, set lp")
    out = (pols.get("MS-OUT", {}).get("term") or [{}])[0]
    ck.check(out.get("set-prepend-count") == 2 and out.get("match-prefix-set") == ["ER-NAT"]
             and out.get("set-community") == ["65010:100"], "XE route-map MS-OUT: prefix-list match, prepend x2, community")
    ck.check("WEIGHTY" not in pols, "XE route-map with set weight is left undefined (N/E), not guessed")
    psets = {p["name"]: p for p in xe.get("prefix-set", [])}
    ck.check([(e["prefix"], e["range"]) for e in psets.get("ER-NAT", {}).get("entry", [])]
             == [("203.0.113.128/27", "exact"), ("198.18.0.0/15", "24..28")] and "HOLES" not in psets,
             "XE prefix-lists: ge/le ranges; a deny before a permit leaves the list undefined")
    cs = {c["name"]: c for c in xe.get("community-set", [])}
    ck.check(cs.get("MS-EUROPE", {}).get("member") == ["12076:51002", "12076:51003"] and "NO-EXPORT-ONLY" not in cs,
             "XE community-list standard permit lines; a deny line leaves the list undefined")
    # IOS-XE ACL and NAT.
    f = find(xe.get("filter"), "name", "ER-IN") or {}
    ck.check(f.get("ingress-interface") == ["GigabitEthernet1"]
             and [(r["seq"], r["source"], r["destination"], r["protocol"], r["ports"]) for r in f.get("rule", [])]
             == [(10, "any", "203.0.113.140/32", "tcp", "443"), (20, "20.38.80.0/20", "any", "udp", "3478-3481"),
                 (40, "any", "any", "ip", "any")], "XE extended ACL entries and ip access-group in (%s)" % f)
    nat = xe.get("nat", {})
    pools = {p["name"]: p for p in nat.get("pool", [])}
    ck.check(pools.get("ER-POOL", {}).get("prefix") == ["203.0.113.128/27"]
             and pools.get("ER-POOL", {}).get("interface") == "GigabitEthernet1", "XE NAT pool start/end as a prefix")
    rules = {r["id"]: r for r in nat.get("rule", [])}
    ck.check(rules.get("inside-source-list-NAT-GUEST", {}).get("translated-prefix") == "203.0.113.1/32"
             and rules.get("inside-source-list-NAT-GUEST", {}).get("egress-interface") == "GigabitEthernet1",
             "XE `ip nat inside source list ... interface G1 overload`: translated to the interface's address")
    ck.check(rules.get("inside-source-list-NAT-INSIDE", {}).get("pool") == "ER-POOL", "XE inside source list to a pool")
    ck.check(rules.get("static-10.20.0.10-203.0.113.150", {}).get("type") == "static", "XE static NAT")
    reason = xe.get("collection", {}).get("reason", "")
    ck.check(xe.get("collection", {}).get("status") == "partial"
             and "netconf/running.xml:" in reason and "/native/interface/TenGigabitEthernet" in reason
             and "'weight'" in reason and "object-group" in reason,
             "XE device partial; the reason names file:line, path and what was not read")
    ck.check(psets.get("OLD-FORM", {}).get("entry") == [{"prefix": "192.0.2.0/24", "range": "exact"}],
             "XE deprecated ip/prefix-list/prefixes/seq form still read")
    skipped = {s["part"]: s for s in xe.get("collection", {}).get("skipped", [])}
    ck.check(set(skipped) == {"interface/address", "prefix-set", "community-set", "policy", "filter/rule",
                              "bgp/neighbor"}
             and all(e.startswith("netconf/running.xml:") and ": /native/" in e
                     for s in skipped.values() for e in s.get("element", [])),
             "XE: each bad element costs that element only, recorded under collection/skipped by part with "
             "file:line: path (%s)" % sorted(skipped))
    # IOS-XR.
    xifs = {i["name"]: i for i in xr.get("interface", [])}
    ck.check("HundredGigE0/1/0/0" not in xifs and xifs.get("Bundle-Ether1", {}).get("enabled") is False
             and len(xifs.get("TenGigE0/0/0/1", {}).get("address", [])) == 2,
             "XR interface-configurations: active only, shutdown, primary and secondary addresses")
    xb = xr.get("bgp", {})
    ck.check(xb.get("local-as") == 196618, "XR instance AS 3.10 (as-xx.as-yy) is 196618")
    m10 = find(xb.get("neighbor"), "address", "203.0.113.10") or {}
    ck.check(m10.get("peer-as") == 12076 and m10.get("bfd") is True and m10.get("md5") is True
             and m10.get("hold-time") == 90 and m10.get("max-prefix") == 1000
             and m10.get("import-policy") == ["MS-IN"] and m10.get("export-policy") == ["MS-OUT"],
             "XR neighbor inherits through two neighbor-groups (%s)" % m10)
    m14 = find(xb.get("neighbor"), "address", "203.0.113.14") or {}
    ck.check(m14.get("import-policy") == ["MS-IN-2"] and m14.get("export-policy") == ["MS-OUT"]
             and m14.get("state") == "active", "XR neighbor's own route-policy-in overrides the group's; oper state")
    ck.check(not find(xb.get("neighbor"), "address", "192.0.2.1"), "XR VRF neighbors kept apart")
    xp = {p["name"]: p for p in xr.get("policy", [])}
    msin = xp.get("MS-IN", {})
    ck.check([(t["name"], t.get("action"), t.get("match-community-set-options")) for t in msin.get("term", [])]
             == [("line-3", "accept", "any"), ("line-6", "reject", "invert")]
             and msin.get("default-action") == "reject", "RPL if/else with pass and drop (%s)" % msin)
    mo = (xp.get("MS-OUT", {}).get("term") or [{}])[0]
    ck.check(mo.get("set-prepend-count") == 3 and mo.get("action") == "accept", "RPL prepend own-as 3 ... done")
    ck.check(xp.get("MS-IN-2", {}).get("default-action") == "accept", "RPL set med at top level passes every route")
    ck.check("TRICKY" not in xp and "TWO-SETS" not in xp and "CUT-SHORT" not in xp,
             "RPL the reader does not follow: policy left undefined")
    xps = {p["name"]: p for p in xr.get("prefix-set", [])}
    ck.check(("198.19.0.0/16", "24..24") in [(e["prefix"], e["range"]) for e in xps.get("ER-NAT", {}).get("entry", [])],
             "RPL prefix-set eq")
    ck.check("ANY-MS" not in {c["name"] for c in xr.get("community-set", [])}, "RPL community-set wildcard: undefined")
    xf = find(xr.get("filter"), "name", "ER-IN") or {}
    ck.check([r["seq"] for r in xf.get("rule", [])] == [10, 30] and xf.get("ingress-interface") == ["TenGigE0/0/0/0"],
             "XR ACL: remark skipped, unsupported operator skipped by name, bound inbound")
    ck.check(xifs.get("TenGigE0/0/0/0", {}).get("oper-status") == "up"
             and xifs.get("TenGigE0/0/0/1", {}).get("oper-status") == "down"
             and xifs.get("Bundle-Ether1", {}).get("oper-status") == "down",
             "XR pfi-im-cmd-oper line-state as oper status")
    routes = {r["prefix"] for r in xr.get("rib", {}).get("route", [])}
    ck.check(routes == {"20.38.80.0/20", "0.0.0.0/0"}, "XR rib-oper routes of the default table (%s)" % routes)
    xskipped = {s["part"]: s["count"] for s in xr.get("collection", {}).get("skipped", [])}
    ck.check(xskipped == {"filter/rule": 1, "community-set": 1, "policy": 3, "bgp/neighbor": 1},
             "XR: each bad element costs that element only (collection/skipped %s)" % xskipped)
    xreason = xr.get("collection", {}).get("reason", "")
    ck.check(xr.get("collection", {}).get("status") == "partial" and "route-policy TRICKY line 2" in xreason
             and "GONE" in xreason, "XR device partial; the reason names the RPL line not understood")


def write_snapshot(snap):
    # xr2: the same IOS-XR edge configured through the 7.x unified models (Cisco-IOS-XR-um-*)
    for dev, run, state in (("xe1", "xe-running.xml", "xe-state.xml"), ("xr1", "xr-running.xml", "xr-state.xml"),
                            ("xr2", "xr-um-running.xml", None)):
        d = os.path.join(snap, "devices", dev, "netconf")
        os.makedirs(d)
        shutil.copy(os.path.join(FIX, run), os.path.join(d, "running.xml"))
        if state:
            shutil.copy(os.path.join(FIX, state), os.path.join(d, "state.xml"))
    with open(os.path.join(snap, "inventory.yaml"), "w") as f:
        f.write("devices:\n- {name: xe1, host: 127.0.0.1, role: er-edge, collectors: [netconf]}\n"
                "- {name: xr1, host: 127.0.0.1, role: er-edge, collectors: [netconf]}\n"
                "- {name: xr2, host: 127.0.0.1, role: er-edge, collectors: [netconf]}\n" + INVENTORY_TAIL)
    with open(os.path.join(snap, "manifest.json"), "w") as f:
        json.dump({"eraudit-snapshot:manifest": {
            "format": 1, "tool-version": "0.1.0", "created": "2026-11-20T06:00:00Z", "inventory": "inventory.yaml",
            "device": [{"name": n, "status": "collected", "collectors": "netconf"} for n in ("xe1", "xr1", "xr2")]}}, f)


def check_um(ck, devs):
    """xr2: the IOS-XR unified models land in the same model as the classic ones."""
    um = devs.get("xr2", {})
    ifs = {i["name"]: i for i in um.get("interface", [])}
    ck.check([(a["ip"], a["prefix-length"]) for a in ifs.get("TenGigE0/0/0/0", {}).get("address", [])]
             == [("203.0.113.9", 30)] and ifs.get("Bundle-Ether1", {}).get("enabled") is False
             and "address" not in ifs.get("Bundle-Ether1", {"address": 1}),
             "UM interfaces: address/netmask, shutdown; a bad netmask costs that address only")
    f = find(um.get("filter"), "name", "ER-IN") or {}
    ck.check(f.get("ingress-interface") == ["TenGigE0/0/0/0"], "UM ipv4 access-group ingress binds the ACL")
    rules = [(r.get("seq"), r.get("action"), r.get("protocol"), r.get("source"), r.get("destination"), r.get("ports"))
             for r in f.get("rule", [])]
    ck.check(rules == [(10, "permit", "tcp", "any", "203.0.113.160/27", "443"),
                       (25, "permit", "udp", "203.0.113.10/32", "203.0.113.160/27", "500-4500"),
                       (30, "deny", "ip", "any", "any", "any")],
             "Cisco-IOS-XR-um-ipv4-access-list-cfg entries as the classic ones: remark skipped, wildcard, "
             "prefix-length, host, port names, range; the gt entry skipped by itself (%s)" % rules)
    els = [e for s in um.get("collection", {}).get("skipped", []) if s["part"] == "filter/rule"
           for e in s.get("element", [])]
    ck.check(len(els) == 1 and re.match(r"\S*running\.xml:\d+: \S*sequence\S*: access-list ER-IN 20: .*operator 'gt'",
                                          els[0]) is not None,
             "UM ACL: the skipped entry is named by file:line:path and why (%s)" % els)
    b = um.get("bgp", {})
    ck.check(b.get("local-as") == 196618 and b.get("router-id") == "10.255.255.2"
             and b.get("ignore-as-path-length") is True, "UM router bgp: asdot AS, router-id, bestpath as-path ignore")
    m10 = find(b.get("neighbor"), "address", "203.0.113.10") or {}
    ck.check(m10.get("peer-as") == 12076 and m10.get("bfd") is True and m10.get("md5") is True
             and m10.get("hold-time") == 90 and m10.get("keepalive") == 30 and m10.get("max-prefix") == 1000
             and m10.get("import-policy") == ["MS-IN"] and m10.get("export-policy") == ["MS-OUT"],
             "UM neighbor inherits through two neighbor-groups (use neighbor-group) (%s)" % m10)
    m14 = find(b.get("neighbor"), "address", "203.0.113.14") or {}
    ck.check(m14.get("enabled") is False and m14.get("bfd") is False, "UM neighbor's own shutdown, bfd disable")
    m1 = find(b.get("neighbor"), "address", "10.255.0.1") or {}
    ck.check(m1.get("peer-as") == 65546 and m1.get("local-address") == "10.255.255.2",
             "UM remote-as asdot, update-source Loopback0's address")
    ck.check(not find(b.get("neighbor"), "address", "192.0.2.1"), "UM VRF neighbors kept apart")
    pols = {p["name"] for p in um.get("policy", [])}
    ck.check(pols == {"MS-IN", "MS-OUT"} and {p["name"] for p in um.get("prefix-set", [])} == {"ER-NAT"},
             "Cisco-IOS-XR-um-route-policy-cfg RPL read as the classic one")
    sk = {s["part"]: s["count"] for s in um.get("collection", {}).get("skipped", [])}
    ck.check(sk == {"interface/address": 1, "bgp/neighbor": 1, "filter/rule": 1}
             and um.get("collection", {}).get("status") == "partial",
             "UM: the bad address and the neighbor of an undefined group cost themselves only (%s)" % sk)
    ck.check(um.get("source-model") == ["ios-xr"], "UM replies recorded as source model ios-xr")


def case_map(env, a, ck):
    snap = env.path("snap")
    write_snapshot(snap)
    rc, devs, report, text = audit_model(env, a.eraudit, snap, "map")
    # exit 3: both devices are partial (elements skipped) and nothing worse than that was found
    ck.check(rc in (0, 1, 3), "the audit of the fixtures runs (exit %d): %s" % (rc, text[-300:]))
    check_model(ck, devs)
    check_um(ck, devs)
    with open(report) as f:
        rep = json.load(f)["eraudit-findings:report"]
    ne = [x for x in rep.get("finding", []) if x.get("status") == "not-evaluated" and x.get("device") == "xe1"
          and "WEIGHTY" in x.get("message", "")]
    ck.check(bool(ne), "a rule that needs the unreadable route-map says N/E for that neighbor")


def case_live(env, a, ck):
    hostkey = env.keygen("hostkey")
    client = env.keygen("client")
    log_xe, log_xr, log_um = env.path("rpc-xe.log"), env.path("rpc-xr.log"), env.path("rpc-xr-um.log")
    sims = {}
    for dev, pfx, caps, log in (("xe1", "xe", XE_CAPS, log_xe), ("xr1", "xr", XR_CAPS, log_xr),
                                ("xr2", "xr-um", XR_UM_CAPS, log_um)):
        extra = ["--rpc-log", log, "--no-nmda"]
        for c in caps:
            extra += ["--capability", c]
        files = {"running.xml": fixture(pfx + "-running.xml")}
        if pfx != "xr-um":
            files["state.xml"] = fixture(pfx + "-state.xml")
        sims[dev] = Sim(env, a.ncsim, {dev: files}, hostkey, authkeys=[client + ".pub"], extra=extra,
                        name="sim-" + pfx)
    inv = env.path("inv.yaml")
    with open(inv, "w") as f:
        f.write("known-hosts: %s\nauth:\n- name: key\n  username: admin\n  key-file: %s\ndevices:\n"
                % (env.path("known_hosts"), client))
        for dev in ("xe1", "xr1", "xr2"):
            f.write("- {name: %s, host: 127.0.0.1, port: %d, role: er-edge, collectors: [netconf], auth: key}\n"
                    % (dev, sims[dev].ports[dev]))
        f.write(INVENTORY_TAIL + SERVICES)
    out = env.path("snap")
    penv = dict(os.environ, XDG_CACHE_HOME=env.path("cache"))
    p = subprocess.run([a.eraudit, "collect", "-i", inv, "-o", out, "--accept-new-host-keys"], capture_output=True,
                       text=True, env=penv, timeout=120)
    # The simulator has no Cisco YANG modules to serve: both devices are partial for that alone.
    st = {}
    with open(os.path.join(out, "manifest.json")) as f:
        for d in json.load(f)["eraudit-snapshot:manifest"]["device"]:
            st[d["name"]] = (d["status"], d.get("reason", ""))
    ck.check(p.returncode == 3 and all(st.get(d, ("",))[0] == "partial" and "schemas not fetched" in st[d][1]
                                       for d in ("xe1", "xr1", "xr2")),
             "eraudit collect of an IOS-XE and two IOS-XR devices (classic, unified): all in, partial only "
             "for the Cisco schemas the simulator cannot serve (exit %d, %s): %s"
             % (p.returncode, st, (p.stdout + p.stderr)[-300:]))
    caps = open(os.path.join(out, "devices", "xr1", "netconf", "capabilities.txt")).read()
    ck.check("Cisco-IOS-XR-ipv4-bgp-cfg" in caps, "capabilities.txt keeps the device's <hello>")
    xe_log = open(log_xe).read() if os.path.exists(log_xe) else ""
    xr_log = open(log_xr).read() if os.path.exists(log_xr) else ""
    ck.check("Cisco-IOS-XE-bgp-oper" in xe_log and "<neighbors/>" in xe_log and "Cisco-IOS-XR" not in xe_log,
             "IOS-XE recognized from <hello>: its <get> asks for bgp-oper neighbors only")
    ck.check("Cisco-IOS-XR-ip-rib-ipv4-oper" in xr_log
             and "<address>203.0.113.160</address><prefix-length>27</prefix-length>" in xr_log
             and "<address>0.0.0.0</address><prefix-length>0</prefix-length>" in xr_log
             and "Cisco-IOS-XE" not in xr_log,
             "IOS-XR recognized: its RIB is asked for by the keys of the routes that matter, not whole")
    um_log = open(log_um).read() if os.path.exists(log_um) else ""
    ck.check("Cisco-IOS-XR-ip-rib-ipv4-oper" in um_log and "Cisco-IOS-XE" not in um_log,
             "a device announcing only Cisco-IOS-XR-um-* models is recognized as IOS-XR")
    rc, devs, report, text = audit_model(env, a.eraudit, out, "live")
    check_model(ck, devs)
    umf = find(devs.get("xr2", {}).get("filter"), "name", "ER-IN") or {}
    ck.check([r["seq"] for r in umf.get("rule", [])] == [10, 25, 30]
             and umf.get("ingress-interface") == ["TenGigE0/0/0/0"],
             "<get-config> of running brings the Cisco-IOS-XR-um-ipv4-access-list-cfg ACL into the model, "
             "bound inbound (%s)" % umf)
    written = [out, report, env.path("live-model.json")]
    leaked = subprocess.run(["grep", "-rl", PLANTED] + written, capture_output=True, text=True).stdout
    ck.check(not leaked and PLANTED not in p.stdout + p.stderr + text,
             "no planted Cisco secret (password, secret, key, key-string, SNMP community) in any file written: %s"
             % leaked.strip())
    stored = open(os.path.join(out, "devices", "xe1", "netconf", "running.xml")).read()
    ck.check(stored.count("eraudit:redacted") >= 7, "the stored XE reply keeps each secret element, value removed")
    ck.check(all(s.alive() for s in sims.values()), "the simulators are still running")


CASES = {"map": case_map, "live": case_live}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("case", choices=sorted(CASES))
    ap.add_argument("--ncsim")
    ap.add_argument("--eraudit", required=True)
    a = ap.parse_args()
    env = Env("cisco-" + a.case)
    ck = Checks()
    run_case(env, ck, CASES[a.case], env, a, ck)


if __name__ == "__main__":
    main()
