#!/usr/bin/env python3
"""A Junos network is judged as its OpenConfig twin (issue 12).

Audits tests/golden/cases/all-pass (OpenConfig and IETF replies) and
junos-all-pass (the same network with er1 as a Junos MX answering in the
xnm namespace straight in <rpc-reply>, and fw1 as an SRX answering in the
yang.juniper.net namespaces inside <data>), and checks that every rule has
the same outcome and every finding the same rule, device, circuit and
status. Then checks that junos-faults finds its seeded faults on the Junos
elements (a prefix-limit missing named by its Junos statement, one inherited
from the group found), and that junos-bad-element keeps the devices partial with the
file, line and path of the one element that could not be read.

Usage: junos_verdicts.py ERAUDIT
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.environ.get("GOLDEN_CASES") or os.path.join(HERE, "..", "golden", "cases")
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1798761600", ERAUDIT_TODAY="2026-11-22", NO_COLOR="1")


def audit(bin_, case, out):
    path = os.path.join(out, case + ".json")
    r = subprocess.run([bin_, "audit", "--snapshot", "snapshot", "--format", "json", "-o", path],
                       cwd=os.path.join(CASES, case), env=ENV, capture_output=True, text=True)
    if r.returncode >= 128 or "Sanitizer" in r.stderr:
        raise SystemExit("%s: crashed (exit %d): %s" % (case, r.returncode, r.stderr))
    with open(path) as f:
        return r.returncode, json.load(f)["eraudit-findings:report"]


def verdicts(rep):
    rules = {r["id"]: r["outcome"] for r in rep["rule"]}
    finds = sorted((f["rule"], f.get("device", ""), f.get("circuit", ""), f["status"]) for f in rep.get("finding", []))
    return rules, finds


def main():
    bin_ = sys.argv[1]
    failed = []

    def check(ok, what):
        print(("ok     " if ok else "FAILED ") + what)
        if not ok:
            failed.append(what)

    with tempfile.TemporaryDirectory() as out:
        code_oc, oc = audit(bin_, "all-pass", out)
        code_jn, jn = audit(bin_, "junos-all-pass", out)
        r_oc, f_oc = verdicts(oc)
        r_jn, f_jn = verdicts(jn)
        check(code_oc == code_jn == 0, "both audits exit 0 (OpenConfig %d, Junos %d)" % (code_oc, code_jn))
        for rid in sorted(r_oc):
            check(r_oc[rid] == r_jn.get(rid), "%s: OpenConfig %s, Junos %s" % (rid, r_oc[rid], r_jn.get(rid)))
        check(f_oc == f_jn, "same findings (rule, device, circuit, status): %d and %d" % (len(f_oc), len(f_jn)))
        for a, b in zip(f_oc, f_jn):
            if a != b:
                print("    first difference: %s vs %s" % (a, b))
                break

        code, rep = audit(bin_, "junos-faults", out)
        fails = {(f["rule"], f.get("device", "")): f for f in rep.get("finding", []) if f["status"] == "fail"}
        check(code == 1, "junos-faults exits 1 (got %d)" % code)
        want = [
            ("SEC-001", "fw1", "filter[name='from-zone expressroute to-zone trust']/rule[seq='2001']"),
            ("NAT-002", "er1", "fw1"),
            ("PREF-002", "er2", "neighbor[address='203.0.113.6']"),
            # er2's group MICROSOFT has no prefix-limit and its neighbor none of its own.
            ("PEER-013", "er2", "neighbor 203.0.113.6 family inet unicast prefix-limit maximum"),
        ]
        for rid, dev, needle in want:
            f = fails.get((rid, dev))
            text = json.dumps(f) if f else ""
            check(f is not None and needle in text, "junos-faults: %s fails on %s naming %s" % (rid, dev, needle))
        # er1's limit is set on its group and inherited by the neighbor: a pass with the value.
        f = [f for f in rep.get("finding", []) if f["rule"] == "PEER-013" and f.get("device") == "er1"]
        check(len(f) == 1 and f[0]["status"] == "pass" and "limit 4000" in f[0]["evidence"]["seen"] and
              f[0]["evidence"]["path"].endswith("neighbor[address='203.0.113.2']/max-prefix"),
              "junos-faults: PEER-013 passes on er1 with the group's prefix-limit 4000")

        code, rep = audit(bin_, "junos-bad-element", out)
        coll = {f.get("device"): f["message"] for f in rep.get("finding", []) if f["rule"] == "COLLECT-001"}
        check(code == 3, "junos-bad-element exits 3 (incomplete), got %d" % code)
        check("netconf/running.xml:" in coll.get("er1", "") and "neighbor[name='203.0.113.10']/peer-as" in
              coll.get("er1", ""), "er1 partial, naming file, line and the neighbor's peer-as")
        check("policy[name='legacy-app']" in coll.get("fw1", "") and "corp-legacy" in coll.get("fw1", ""),
              "fw1 partial, naming the policy whose application is unknown")
        r_bad, _ = verdicts(rep)
        check(all(r_bad[k] == r_oc[k] for k in r_oc), "the rest of both devices still gives the all-pass verdicts")
    if failed:
        print("%d checks failed" % len(failed))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
