#!/usr/bin/python3
"""Render one lab router's FRR state as the NETCONF replies of an OpenConfig
device, for ncsim to serve (ncsim --dir: DIR/NAME/running.xml, state.xml).

FRR 8.4 in Debian has no NETCONF agent, and BGP4-MIB has the received paths
only; what a router advertises to each neighbor (adj-RIB-out) is known to
FRR alone. This reads it, with what the eraudit mappers need to attach it,
from vtysh (JSON) and writes exactly the subset map_oc_bgp.c, map_oc_rib.c,
map_oc_policy.c and map_ietf_nat.c read:

  running.xml  network-instances/.../bgp: global (AS, router ID), neighbors
               (peer AS, description, enabled, timers, import and export
               route-maps); routing-policy: prefix lists as prefix-sets,
               route-maps as policy-definitions; ietf-nat: the NAT pool the
               lab declares for the router (--nat-pool; the lab routers do
               not translate, FRR has no NAT).
  state.xml    network-instances/.../bgp: neighbors' session state and
               prefix counts, and rib/.../neighbors/neighbor/adj-rib-out-post
               with every prefix `show bgp ipv4 unicast neighbors X
               advertised-routes` lists.

A route-map clause this script does not know is an error, not a guess: a
statement rendered without one of its conditions would match more routes
than the router's.

usage: frr2oc.py --netns NS --vty-socket DIR --name NAME --out DIR [--nat-pool PREFIX]...
"""
import argparse
import ipaddress
import json
import os
import subprocess
import sys
from xml.sax.saxutils import escape

NS_NC = "urn:ietf:params:xml:ns:netconf:base:1.0"
NS_NI = "http://openconfig.net/yang/network-instance"
NS_RP = "http://openconfig.net/yang/routing-policy"
NS_NAT = "urn:ietf:params:xml:ns:yang:ietf-nat"


class Xml(str):
    """Markup built by el(): placed as it is, where other strings are text."""


def markup(c):
    if isinstance(c, Xml):
        return c
    if isinstance(c, list):
        return "".join(markup(x) for x in c)
    return escape(str(c))


def el(name, *children, ns=None):
    """<name>children</name>; a child is text, an element, or a list of them."""
    attr = ' xmlns="%s"' % ns if ns else ""
    return Xml("<%s%s>%s</%s>" % (name, attr, "".join(markup(c) for c in children), name))


class Vty:
    def __init__(self, netns, sock):
        self.cmd = ["ip", "netns", "exec", netns, "vtysh", "--vty_socket", sock]

    def json(self, command, daemon="BGP"):
        """The JSON vtysh prints for @command. `show route-map` and `show ip
        prefix-list` print one object per daemon ({"ZEBRA": ..}{"BGP": ..}):
        those return the @daemon one."""
        out = subprocess.run(self.cmd + ["-c", command], capture_output=True, text=True, check=True).stdout
        dec, objs, i = json.JSONDecoder(), [], 0
        while True:
            while i < len(out) and out[i].isspace():
                i += 1
            if i >= len(out):
                break
            o, i = dec.raw_decode(out, i)
            objs.append(o)
        if not objs:
            sys.exit("frr2oc: '%s' printed no JSON" % command)
        if len(objs) > 1 or daemon in objs[0]:
            return next((o[daemon] for o in objs if daemon in o), {})
        return objs[0]


def oc_state(frr_state):
    """FRR bgpState (Established, OpenSent...) as an OpenConfig session-state."""
    return frr_state.upper()


def masklength_range(entry, plen):
    ge, le = entry.get("ge"), entry.get("le")
    if ge is None and le is None:
        return "exact"
    return "%d..%d" % (ge if ge is not None else plen, le if le is not None else 32)


def prefix_sets(plists):
    sets = []
    for name, pl in sorted(plists.items()):
        if pl.get("addressFamily", "IPv4") != "IPv4":
            continue
        # A prefix-set is set membership: the lab's lists permit only.
        bad = [e for e in pl.get("entries", []) if e.get("type") != "permit"]
        if bad:
            sys.exit("frr2oc: prefix-list %s seq %s denies: no prefix-set says that" % (name, bad[0]["sequenceNumber"]))
        prefixes = []
        for e in pl.get("entries", []):
            plen = int(e["prefix"].split("/")[1])
            rng = masklength_range(e, plen)
            prefixes.append(el("prefix", el("ip-prefix", e["prefix"]), el("masklength-range", rng),
                               el("config", el("ip-prefix", e["prefix"]), el("masklength-range", rng))))
        sets.append(el("prefix-set", el("name", name), el("config", el("name", name)), el("prefixes", prefixes)))
    return el("prefix-sets", sets)


def statement(rmap, rule):
    """One route-map entry as an OpenConfig statement named by its sequence number."""
    conds, bgp_acts = [], []
    for m in rule.get("matchClauses", []):
        w = m.split()
        if w[:3] == ["ip", "address", "prefix-list"] and len(w) == 4:
            conds.append(el("match-prefix-set", el("config", el("prefix-set", w[3]))))
        else:
            sys.exit("frr2oc: route-map %s %s: match '%s' is not rendered" % (rmap, rule["sequenceNumber"], m))
    for s in rule.get("setClauses", []):
        w = s.split()
        if w[0] == "local-preference" and len(w) == 2 and w[1].isdigit():
            bgp_acts.append(el("config", el("set-local-pref", w[1])))
        elif w[:2] == ["as-path", "prepend"] and len(w) > 2 and all(x.isdigit() for x in w[2:]):
            bgp_acts.append(el("set-as-path-prepend", el("config", el("repeat-n", len(w) - 2), el("asn", w[2]))))
        else:
            sys.exit("frr2oc: route-map %s %s: set '%s' is not rendered" % (rmap, rule["sequenceNumber"], s))
    result = "ACCEPT_ROUTE" if rule["type"] == "permit" else "REJECT_ROUTE"
    seq = str(rule["sequenceNumber"])
    acts = [el("config", el("policy-result", result))]
    if bgp_acts:
        acts.append(el("bgp-actions", bgp_acts))
    return el("statement", el("name", seq), el("config", el("name", seq)),
              el("conditions", conds) if conds else "", el("actions", acts))


def policies(rmaps):
    defs = []
    for name, rm in sorted(rmaps.items()):
        st = [statement(name, r) for r in sorted(rm.get("rules", []), key=lambda r: r["sequenceNumber"])]
        # What no entry permits, a route-map denies.
        st.append(el("statement", el("name", "implicit-deny"), el("config", el("name", "implicit-deny")),
                     el("actions", el("config", el("policy-result", "REJECT_ROUTE")))))
        defs.append(el("policy-definition", el("name", name), el("config", el("name", name)), el("statements", st)))
    return el("policy-definitions", defs)


def nat(pools):
    ext = [el("external-ip-address-pool", el("pool-id", i + 1), el("external-ip-pool", p)) for i, p in enumerate(pools)]
    return el("nat", el("instances", el("instance", el("id", 1), el("name", "lab"),
                                         el("policy", el("id", 1), ext))), ns=NS_NAT)


def bgp_instance(bgp):
    """network-instances/network-instance[default]/protocols/protocol[BGP] around @bgp."""
    proto = el("protocol", el("identifier", "BGP"), el("name", "BGP"),
               el("config", el("identifier", "BGP"), el("name", "BGP")), el("bgp", bgp))
    return el("network-instances", el("network-instance", el("name", "default"),
                                      el("config", el("name", "default")), el("protocols", proto)), ns=NS_NI)


def running(summary, nbrs, plists, rmaps, pools):
    g = el("global", el("config", el("as", summary["as"]), el("router-id", summary["routerId"])))
    ns = []
    for addr, n in sorted(nbrs.items()):
        af = n.get("addressFamilyInfo", {}).get("ipv4Unicast", {})
        pol = []
        if af.get("routeMapForIncomingAdvertisements"):
            pol.append(el("import-policy", af["routeMapForIncomingAdvertisements"]))
        if af.get("routeMapForOutgoingAdvertisements"):
            pol.append(el("export-policy", af["routeMapForOutgoingAdvertisements"]))
        cfg = [el("neighbor-address", addr), el("peer-as", n["remoteAs"]),
               el("enabled", "false" if n.get("adminShutDown") else "true")]
        if n.get("nbrDesc"):
            cfg.append(el("description", n["nbrDesc"]))
        timers = [el("hold-time", n[k] // 1000) for k in ["bgpTimerConfiguredHoldTimeMsecs"] if k in n]
        timers += [el("keepalive-interval", n[k] // 1000) for k in ["bgpTimerConfiguredKeepAliveIntervalMsecs"] if k in n]
        afi = el("afi-safi", el("afi-safi-name", "IPV4_UNICAST"), el("config", el("afi-safi-name", "IPV4_UNICAST")),
                 el("apply-policy", el("config", pol)) if pol else "")
        ns.append(el("neighbor", el("neighbor-address", addr), el("config", cfg),
                     el("timers", el("config", timers)) if timers else "", el("afi-safis", afi)))
    out = [bgp_instance([g, el("neighbors", ns)]),
           el("routing-policy", el("defined-sets", prefix_sets(plists)), policies(rmaps), ns=NS_RP)]
    if pools:
        out.append(nat(pools))
    return out


def state(nbrs, adv):
    ns, rib = [], []
    for addr, n in sorted(nbrs.items()):
        af = n.get("addressFamilyInfo", {}).get("ipv4Unicast", {})
        counts = []
        if "acceptedPrefixCounter" in af:
            counts.append(el("received", af["acceptedPrefixCounter"]))
        if "sentPrefixCounter" in af:
            counts.append(el("sent", af["sentPrefixCounter"]))
        ns.append(el("neighbor", el("neighbor-address", addr), el("state", el("session-state", oc_state(n["bgpState"]))),
                     el("afi-safis", el("afi-safi", el("afi-safi-name", "IPV4_UNICAST"),
                                        el("state", el("prefixes", counts))))))
        routes = [el("route", el("prefix", p), el("path-id", 0), el("state", el("prefix", p), el("path-id", 0)))
                  for p in sorted(adv.get(addr, {}))]
        rib.append(el("neighbor", el("neighbor-address", addr), el("adj-rib-out-post", el("routes", routes))))
    afs = el("afi-safis", el("afi-safi", el("afi-safi-name", "IPV4_UNICAST"),
                                el("ipv4-unicast", el("neighbors", rib))))
    return [bgp_instance([el("neighbors", ns), el("rib", afs)])]


def write(path, elems):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n' + el("data", Xml("\n"), [[e, Xml("\n")] for e in elems],
                                                              ns=NS_NC) + "\n")
    os.replace(tmp, path)


def cli(doc):
    """The renderers' common arguments (this script's, render_junos.py's, render_xe.py's)."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--netns", required=True)
    ap.add_argument("--vty-socket", required=True)
    ap.add_argument("--name", required=True, help="device name: the files go to OUT/NAME/")
    ap.add_argument("--out", required=True)
    ap.add_argument("--nat-pool", action="append", default=[])
    return ap.parse_args()


def frr_state(a, prog):
    """(vty, BGP summary, neighbors, {neighbor: advertised routes} of the established ones)."""
    vty = Vty(a.netns, a.vty_socket)
    summary = vty.json("show bgp summary json").get("ipv4Unicast", {})
    nbrs = vty.json("show bgp neighbors json")
    if not summary or not nbrs:
        sys.exit("%s: %s: bgpd has no IPv4 unicast neighbors" % (prog, a.name))
    adv = {}
    for addr, n in nbrs.items():
        if n.get("bgpState") == "Established":
            r = vty.json("show bgp ipv4 unicast neighbors %s advertised-routes json" % addr)
            adv[addr] = r.get("advertisedRoutes", {})
    return vty, summary, nbrs, adv


def v4_addrs(info):
    """The IPv4 addresses (A/L) of one interface of `show interface json`."""
    return [a["address"] for a in info.get("ipAddresses", []) if ":" not in a.get("address", ":")]


def iface_of(ifs, addr):
    """The FRR interface whose subnet holds @addr, or None."""
    for name, info in sorted(ifs.items()):
        for a in v4_addrs(info):
            if ipaddress.ip_address(addr) in ipaddress.ip_interface(a).network:
                return name
    return None


def vendor_ifnames(ifs, mgmt, fmt, first):
    """FRR interface name -> a vendor's: the management link @mgmt, the others
    @fmt % N from @first in name order; the loopback has no address here."""
    names, n = {}, first
    for name in sorted(ifs):
        if name == "lo":
            continue
        if name == "mgmt":
            names[name] = mgmt
        else:
            names[name] = fmt % n
            n += 1
    return names


def main():
    a = cli(__doc__)
    vty, summary, nbrs, adv = frr_state(a, "frr2oc")
    plists = vty.json("show ip prefix-list json")
    rmaps = vty.json("show route-map json")

    d = os.path.join(a.out, a.name)
    os.makedirs(d, exist_ok=True)
    write(os.path.join(d, "running.xml"), running(summary, nbrs, plists, rmaps, a.nat_pool))
    write(os.path.join(d, "state.xml"), state(nbrs, adv))


if __name__ == "__main__":
    main()
