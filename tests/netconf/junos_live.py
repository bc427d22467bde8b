#!/usr/bin/python3
"""A Junos device collected live over SSH (issue 12).

The simulator serves one Junos MX (`ncsim --junos-stdio DIR`, NETCONF 1.0
framing, Junos RPCs answered from files) as the netconf subsystem of a
private OpenSSH sshd on 127.0.0.1. Its configuration carries planted
secrets (authentication-key, encrypted-password, pre-shared-key, a secret,
an SNMP community). Checks that `eraudit collect` recognizes Junos from the
<hello>, asks get-configuration committed and candidate with groups
inherited, the interfaces, the BGP peers, what each peer is sent and the
routes of the prefixes that matter (never the whole table); that the
snapshot normalizes into the model (neighbors with state and inherited
settings, advertised prefixes, units with addresses, policies); that
`eraudit check` reads the Junos candidate; and that no planted secret is in
any file eraudit writes or in its output.

usage: junos_live.py --ncsim PATH --eraudit PATH
Exit 77 (skipped) when sshd is not installed."""
import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop import SSHD, start_sshd  # noqa: E402
from nclib import HERE, Checks, Collector, Env  # noqa: E402

GOLDEN = os.path.join(os.environ.get("GOLDEN_CASES") or os.path.join(HERE, "..", "golden", "cases"),
                      "junos-all-pass", "snapshot", "devices", "er1", "netconf")
SAMPLE = os.path.join(HERE, "..", "..", "rules", "data", "samples", "ServiceTags_Public_sample.json")
PLANTED = {
    "authentication-key": "$9$plantedMD5keyA1",
    "encrypted-password": "$6$plantedHashB2$xyz",
    "pre-shared-key": "plantedPskC3",
    "secret": "plantedRadiusD4",
    "community": "plantedCommunityE5",
}

SECRETS_CONF = """
    <snmp>
        <community>
            <name>{community}</name>
            <authorization>read-only</authorization>
        </community>
    </snmp>
    <security>
        <ike>
            <policy>
                <name>TO-DC2</name>
                <pre-shared-key><ascii-text>{pre-shared-key}</ascii-text></pre-shared-key>
            </policy>
        </ike>
    </security>
    <access>
        <radius-server>
            <name>192.0.2.50</name>
            <secret>{secret}</secret>
        </radius-server>
    </access>
"""

ROUTES = """<route-information xmlns="http://xml.juniper.net/junos/22.4R0/junos-routing" \
xmlns:junos="http://xml.juniper.net/junos/22.4R0/junos">
<route-table>
<table-name>inet.0</table-name>
<rt junos:style="detail"><rt-destination>20.38.80.0</rt-destination><rt-prefix-length>22</rt-prefix-length>
<rt-entry><active-tag>*</active-tag><current-active/><protocol-name>BGP</protocol-name><preference>170</preference>
<local-preference>200</local-preference><learned-from>203.0.113.2</learned-from>
<as-path>AS path: 12076 I
</as-path><communities><community>12076:51003</community></communities>
<nh><selected-next-hop/><to>203.0.113.2</to><via>xe-0/0/0.0</via></nh></rt-entry></rt>
<rt junos:style="detail"><rt-destination>100.64.0.0</rt-destination><rt-prefix-length>16</rt-prefix-length>
<rt-entry><active-tag>*</active-tag><protocol-name>Static</protocol-name>
<nh><selected-next-hop/><to>10.255.0.1</to><via>ae0.0</via></nh></rt-entry></rt>
</route-table>
</route-information>
"""


def device_dir(env):
    """The simulated MX: the golden Junos edge, with secrets planted and an MD5 key on the group."""
    d = env.path("mx1")
    os.makedirs(d)
    running = open(os.path.join(GOLDEN, "running.xml")).read()
    running = running.replace("<encrypted-password>eraudit:redacted</encrypted-password>",
                              "<encrypted-password>%s</encrypted-password>" % PLANTED["encrypted-password"])
    running = running.replace("<type>external</type>", "<type>external</type>\n                "
                              "<authentication-key>%s</authentication-key>" % PLANTED["authentication-key"])
    running = running.replace("    <interfaces>", SECRETS_CONF.format(**PLANTED) + "    <interfaces>", 1)
    with open(os.path.join(d, "running.xml"), "w") as f:
        f.write(running)
    # The candidate takes the BFD away from the group: `eraudit check` must see PEER-010 fail.
    cand = re.sub(r"\s*<bfd-liveness-detection>.*?</bfd-liveness-detection>", "", running, flags=re.S)
    with open(os.path.join(d, "candidate.xml"), "w") as f:
        f.write(cand)
    for src, dst in (("junos-bgp.xml", "bgp.xml"), ("junos-interfaces.xml", "interfaces.xml")):
        with open(os.path.join(GOLDEN, src)) as i, open(os.path.join(d, dst), "w") as o:
            o.write(i.read())
    for n in ("203.0.113.2", "203.0.113.6"):
        with open(os.path.join(GOLDEN, "junos-adv", n + ".xml")) as i, open(os.path.join(d, "adv-%s.xml" % n),
                                                                             "w") as o:
            o.write(i.read())
    with open(os.path.join(d, "routes.xml"), "w") as f:
        f.write(ROUTES)
    return d


def write_inventory(path, port, user, key, known_hosts):
    with open(path, "w") as f:
        f.write("\n".join([
            "known-hosts: %s" % known_hosts,
            "auth:", "- name: key", "  username: %s" % user, "  key-file: %s" % key,
            "devices:",
            "- name: mx1", "  host: 127.0.0.1", "  port: %d" % port, "  role: er-edge", "  site: dc1",
            "  collectors: [netconf]", "  auth: key",
            "circuits:",
            "- name: c1", "  sku: standard", "  peering-location: Amsterdam",
            "  primary: {device: mx1, neighbor: 203.0.113.2}",
            "  secondary: {device: mx1, neighbor: 203.0.113.6}",
            "  prefixes: [203.0.113.128/27]",
            "tenant: {power-platform-region: europe}",
            "services: {service-tags: %s}" % SAMPLE, ""]))


def find_all(obj, pred, out):
    if isinstance(obj, dict):
        if pred(obj):
            out.append(obj)
        for v in obj.values():
            find_all(v, pred, out)
    elif isinstance(obj, list):
        for v in obj:
            find_all(v, pred, out)
    return out


def run(env, a, ck):
    user = subprocess.run(["id", "-un"], capture_output=True, text=True, check=True).stdout.strip()
    client = env.keygen("client")
    dev = device_dir(env)
    port = env.free_ports(1)
    sshd = start_sshd(env, "mx1", port, client + ".pub", "%s --junos-stdio %s" % (os.path.abspath(a.ncsim), dev))
    ck.check(sshd.poll() is None, "sshd with the Junos simulator as its netconf subsystem on 127.0.0.1:%d" % port)
    inv = env.path("inv.yaml")
    write_inventory(inv, port, user, client, env.path("known_hosts"))
    col = Collector(env, eraudit=a.eraudit)
    out = env.path("snap")
    rc, st, text = col.run(inv, out, accept_new=True)
    ck.check(rc == 0 and st.get("mx1", ("?",))[0] == "collected", "collected the Junos device (%s) %s" %
             (st, text[-400:]))
    nd = os.path.join(out, "devices", "mx1", "netconf")
    files = sorted(os.path.relpath(os.path.join(r, f), nd) for r, _, fs in os.walk(nd) for f in fs)
    want = ["candidate.xml", "capabilities.txt", "junos-adv/203.0.113.2.xml", "junos-adv/203.0.113.6.xml",
            "junos-bgp.xml", "junos-interfaces.xml", "junos-route.xml", "running.xml"]
    ck.check(files == want, "the snapshot holds each Junos reply (%s)" % files)
    log = open(os.path.join(dev, "requests.log")).read() if os.path.exists(os.path.join(dev, "requests.log")) else ""
    ck.check("get-configuration database=committed inherit=inherit" in log,
             "asked the committed configuration with groups inherited")
    ck.check("get-configuration database=candidate inherit=inherit" in log, "asked the candidate the same way")
    ck.check("get-bgp-neighbor-information" in log and "get-interface-information" in log,
             "asked BGP peers and interfaces")
    ck.check("<advertising-protocol-name>bgp <neighbor>203.0.113.2" in log,
             "asked what is advertised to each BGP peer")
    dests = re.findall(r"<destination>(\S+)", log)
    ck.check(dests and "0.0.0.0/0" not in dests and all("/" in d for d in dests),
             "routes asked prefix by prefix, never the whole table (%d prefixes)" % len(dests))
    ck.check("yang-library" not in log, "no yang-library request to Junos")
    route = open(os.path.join(nd, "junos-route.xml")).read() if "junos-route.xml" in files else ""
    ck.check("20.38.80.0" in route and "100.64.0.0" not in route,
             "junos-route.xml: the Microsoft route, not the unrelated one")

    model = env.path("model.json")
    p = subprocess.run([a.eraudit, "audit", "--snapshot", out, "--dump-model", model, "--format", "json", "-o",
                        env.path("report.json")], capture_output=True, text=True)
    ck.check(p.returncode in (0, 1) and os.path.exists(model), "the snapshot normalizes (exit %d) %s" %
             (p.returncode, p.stderr[-300:]))
    m = json.load(open(model)) if os.path.exists(model) else {}
    nbs = {n.get("address"): n for n in find_all(m, lambda d: "address" in d and "peer-as" in d, [])}
    n2 = nbs.get("203.0.113.2", {})
    ck.check(n2.get("state") == "established" and n2.get("md5") is True and n2.get("bfd") is True and
             n2.get("import-policy") == ["MS-IN"] and n2.get("hold-time") == 90 and n2.get("max-prefix") == 4000,
             "neighbor 203.0.113.2: state, inherited MD5 (set, value not kept), BFD, import chain, hold-time, "
             "prefix limit (%s)" % json.dumps(n2)[:400])
    ck.check("203.0.113.128/27" in json.dumps(n2.get("advertised-prefix", [])),
             "advertised prefixes of 203.0.113.2 from junos-adv")
    units = {i.get("name"): i for i in find_all(m, lambda d: "name" in d and "enabled" in d and "address" in d, [])}
    ck.check("xe-0/0/0.0" in units and "203.0.113.1" in json.dumps(units["xe-0/0/0.0"]) and
             units["xe-0/0/0.0"].get("oper-status") == "up", "unit xe-0/0/0.0 with its address and status")
    rib = json.dumps(find_all(m, lambda d: d.get("prefix") == "20.38.80.0/22", []))
    ck.check("12076:51003" in rib and '"local-preference": 200' in rib, "route 20.38.80.0/22 with its attributes")

    # eraudit check: the candidate (BFD removed) adds a finding.
    p = subprocess.run([a.eraudit, "check", "--snapshot", out, "-i", inv], capture_output=True, text=True)
    ck.check(p.returncode in (0, 1) and "PEER-010" in p.stdout, "eraudit check reads the Junos candidate (exit %d):"
             " %s" % (p.returncode, (p.stdout + p.stderr)[-300:]))

    # Live audit, then: no planted secret anywhere eraudit wrote or printed.
    rep = env.path("live.json")
    pl = subprocess.run([a.eraudit, "audit", "-i", inv, "--format", "json", "-o", rep, "--keep", env.path("kept")],
                        capture_output=True, text=True, env=dict(os.environ, XDG_CACHE_HOME=env.path("cache")))
    ck.check(pl.returncode in (0, 1), "eraudit audit -i (live) against the Junos device: exit %d %s" %
             (pl.returncode, pl.stderr[-300:]))
    leaks = []
    for root in (out, env.path("kept"), model, rep, env.path("report.json")):
        paths = [root] if os.path.isfile(root) else [os.path.join(r, f) for r, _, fs in os.walk(root) for f in fs]
        for path in paths:
            data = open(path, "rb").read()
            leaks += ["%s in %s" % (k, path) for k, v in PLANTED.items() if v.encode() in data]
    for name, s in (("collect output", text), ("audit output", p.stdout + p.stderr + pl.stdout + pl.stderr)):
        leaks += ["%s in %s" % (k, name) for k, v in PLANTED.items() if v in s]
    ck.check(not leaks, "no planted secret in any file or output (%s)" % leaks[:5])
    running = open(os.path.join(nd, "running.xml")).read() if "running.xml" in files else ""
    ck.check(running.count("eraudit:redacted") >= 5, "the five secrets are marked as set in running.xml")
    env.stop(sshd)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ncsim", required=True)
    ap.add_argument("--eraudit", required=True)
    a = ap.parse_args()
    if not os.path.exists(SSHD):
        print("skipped: %s is not installed" % SSHD)
        sys.exit(77)
    try:
        os.makedirs("/run/sshd", exist_ok=True)
    except OSError as e:
        print("skipped: cannot create /run/sshd (%s)" % e)
        sys.exit(77)
    env = Env("junos")
    ck = Checks()
    try:
        run(env, a, ck)
    except Exception as e:
        import traceback
        traceback.print_exc()
        ck.check(False, "junos_live ran to the end (%s)" % e)
    finally:
        env.close()
    sys.exit(ck.done())


if __name__ == "__main__":
    main()
