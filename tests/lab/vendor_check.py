#!/usr/bin/python3
"""The checks of a vendor lab scenario (tests/lab/vendor): one collection of
the lab whose edges answer as Junos or IOS-XE devices, audited.

usage: vendor_check.py PLATFORM PHASE OUT
  PLATFORM  junos | xe
  PHASE     before: every MSEE session established, each edge advertises its own pool
            after:  MSEE shut its session to er1's secondary (198.18.0.6), er2 also
                    advertises er1's pool 203.0.113.128/27
  OUT       directory with PHASE/snap (the snapshot), PHASE/report.json, PHASE/model.json
Prints "ok: ..." / "FAIL: ..." per check; exit 1 when any failed.
"""
import json
import os
import re
import sys

MODEL = {"junos": "junos", "xe": "ios-xe"}
EDGES = ("er1", "er2", "inet")
# rules whose verdicts come from live BGP state and the adj-RIB-out
RULES = ("PEER-002", "PEER-005", "PEER-008", "NAT-003", "NAT-005")
fails = 0


def check(ok, what):
    global fails
    print("%s: %s" % ("ok" if ok else "FAIL", what))
    fails += not ok


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        check(False, "read %s (%s)" % (path, e))
        return {}


def outcome(report, rule):
    return next((x.get("outcome") for x in report.get("rule", []) if x["id"] == rule), None)


def failing(report, rule, dev, rx):
    """The failing findings of @rule on a device matching @dev whose message matches @rx, with state evidence."""
    return [f for f in report.get("finding", []) if f["rule"] == rule and f["status"] == "fail"
            and re.fullmatch(dev, f.get("device", "")) and re.search(rx, f["message"])
            and f.get("evidence", {}).get("source") == "state"]


def finding(report, rule, status, dev, rx):
    return [f for f in report.get("finding", []) if f["rule"] == rule and f["status"] == status
            and re.fullmatch(dev, f.get("device", "")) and re.search(rx, f["message"])]


def main():
    platform, phase, out = sys.argv[1], sys.argv[2], sys.argv[3]
    d = os.path.join(out, phase)
    man = load(os.path.join(d, "snap", "manifest.json")).get("eraudit-snapshot:manifest", {})
    report = load(os.path.join(d, "report.json")).get("eraudit-findings:report", {})
    model = load(os.path.join(d, "model.json"))
    net = model.get("eraudit-network:network", model)
    devs = {x["name"]: x for x in net.get("device", [])}

    # The edges over NETCONF only: their BGP can come from the vendor replies alone.
    col = {x["name"]: (x["status"], " ".join(sorted(x.get("collectors", "").split())), x.get("reason", ""))
           for x in man.get("device", [])}
    want = {"er1": "netconf", "er2": "netconf", "inet": "netconf", "wan": "snmp"}
    ok = {n: c for n, (s, c, why) in col.items()
          # ncsim serves no Cisco YANG source: an IOS-XE device is partial for its schemas alone
          if s == "collected" or (platform == "xe" and s == "partial"
                                   and re.fullmatch(r"device %s: \d+ of \d+ schemas not fetched" % re.escape(n), why))}
    check(ok == want, "%s: 4 devices collected, the edges over NETCONF only (%s)" % (phase, col))
    for e in EDGES:
        sm = devs.get(e, {}).get("source-model", [])
        check(MODEL[platform] in sm and (platform != "junos" or "openconfig" not in sm),
              "%s: %s mapped by the %s mappers (source-model %s)" % (phase, e, MODEL[platform], sm))

    nbs = {n["address"]: n for n in devs.get("er1", {}).get("bgp", {}).get("neighbor", [])}
    pri, sec = nbs.get("198.18.0.2", {}), nbs.get("198.18.0.6", {})
    check(devs.get("er1", {}).get("bgp", {}).get("local-as") == 65010 and pri.get("peer-as") == 12076
          and pri.get("import-policy") == ["MS-IN"] and pri.get("export-policy") == ["MS-OUT"],
          "%s: er1 local AS, Microsoft neighbor's peer AS and route-maps from the %s configuration (%s)"
          % (phase, platform, json.dumps(pri)[:300]))
    check(pri.get("state") == "established" and pri.get("prefixes-received") == 6
          and pri.get("advertised-prefix") == ["203.0.113.128/27"],
          "%s: er1 198.18.0.2 established, 6 prefixes received, advertises exactly its pool" % phase)
    er2 = {n["address"]: n for n in devs.get("er2", {}).get("bgp", {}).get("neighbor", [])}
    adv2 = sorted(er2.get("198.18.0.10", {}).get("advertised-prefix", []))
    inet = {n["address"]: n for n in devs.get("inet", {}).get("bgp", {}).get("neighbor", [])}
    check(inet.get("198.18.0.18", {}).get("advertised-prefix") == ["198.51.100.0/28"],
          "%s: the Internet edge advertises only its own pool to the ISP" % phase)

    if platform == "junos":
        files = os.listdir(os.path.join(d, "snap", "devices", "er1", "netconf"))
        nd = os.path.join(d, "snap", "devices", "er1", "netconf")
        adv = os.listdir(os.path.join(nd, "junos-adv")) if "junos-adv" in files else []
        check({"junos-bgp.xml", "junos-interfaces.xml", "junos-route.xml"} <= set(files) and "198.18.0.2.xml" in adv,
              "%s: er1's snapshot holds the Junos replies (%s, junos-adv: %s)" % (phase, sorted(files), sorted(adv)))
        # the route to er2's pool, learned from the WAN reflector
        rt = {r["prefix"]: r for r in devs.get("er1", {}).get("rib", {}).get("route", [])}
        paths = rt.get("203.0.113.160/27", {}).get("path", [])
        check(any(p.get("protocol") == "bgp" and p.get("best") and p.get("next-hop") == "198.18.0.21"
                  and p.get("local-preference") == 100 for p in paths),
              "%s: er1's route to 203.0.113.160/27 from get-route-information (%s)" % (phase, paths))
    else:
        nd = os.path.join(d, "snap", "devices", "er1", "netconf")
        text = "".join(open(os.path.join(nd, f)).read() for f in ("running.xml", "state.xml")
                       if os.path.exists(os.path.join(nd, f)))
        check("http://cisco.com/ns/yang/Cisco-IOS-XE-native" in text and "Cisco-IOS-XE-bgp-oper" in text
              and "<session-state>" in text, "%s: er1's snapshot holds the IOS-XE native configuration and "
              "bgp-oper neighbors (the only BGP state served)" % phase)
    if phase == "before":
        check(sec.get("state") == "established", "before: er1 198.18.0.6 established (%s)" % sec.get("state"))
        check(adv2 == ["203.0.113.160/27"], "before: er2 advertises its own pool only (%s)" % adv2)
        for r in RULES:
            check(outcome(report, r) == "pass", "before: %s pass (%s)" % (r, outcome(report, r)))
        bad = [(f["rule"], f["message"]) for f in report.get("finding", []) if f["rule"] in RULES
               and f["status"] == "fail"]
        check(not bad, "before: no failing finding from %s (%s)" % (", ".join(RULES), bad[:3]))
        check(finding(report, "PEER-005", "pass", "er2", r"1 prefix advertised to 198\.18\.0\.10 "),
              "before: PEER-005 counts 1 prefix advertised by er2 to 198.18.0.10")
    else:
        check(sec.get("state") not in (None, "established") and sec.get("enabled") is not False,
              "after: er1 198.18.0.6 is %s, configured and enabled (the MSEE shut it)" % sec.get("state"))
        check(adv2 == ["203.0.113.128/27", "203.0.113.160/27"],
              "after: er2 advertises er1's pool too (%s)" % adv2)
        check(outcome(report, "PEER-002") == "fail" and failing(report, "PEER-002", "er1", r"198\.18\.0\.6"),
              "after: PEER-002 fails on er1 naming 198.18.0.6, evidence from state")
        check(not failing(report, "PEER-002", "er2", "."), "after: PEER-002 does not fail on er2")
        check(outcome(report, "NAT-005") == "fail" and failing(
            report, "NAT-005", "er1|er2", r"203\.0\.113\.128/27 advertised on circuit er-(pri|sec) overlaps "
            r"203\.0\.113\.128/27 on circuit er-(sec|pri)"),
            "after: NAT-005 fails on the pool both circuits advertise, evidence from state")
        # what er2 advertises to Microsoft went from 1 prefix to 2
        check(finding(report, "PEER-005", "pass", "er2", r"2 prefixes advertised to 198\.18\.0\.10 "),
              "after: PEER-005 counts 2 prefixes advertised by er2 to 198.18.0.10")
        # a session that is down advertises nothing anyone saw: not evaluated, never a guess
        check(finding(report, "PEER-008", "not-evaluated", "er1", r"198\.18\.0\.6 is \w+, not established"),
              "after: PEER-008 not evaluated for er1's 198.18.0.6 (not established)")
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
