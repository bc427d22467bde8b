#!/usr/bin/python3
"""Render one lab router's FRR state as the replies of a Junos MX, for
`ncsim --junos-stdio DIR` to serve (issue 12; see ncsim_junos.c for the
files and the RPCs that read them).

What frr2oc.py renders as OpenConfig, this renders in Junos's own form,
element names as in Juniper's XML API (the junos-routing and
junos-interface operational namespaces, the xnm configuration
namespace) and as the repository's Junos fixtures (tests/golden/cases/
junos-*) write them:

  running.xml     <get-configuration>: system host-name; interfaces
                  (ge-0/0/N units 0 with family inet address, fxp0 for the
                  management link; the FRR interface name as description);
                  routing-options router-id and autonomous-system;
                  protocols bgp groups (MICROSOFT for AS 12076, INTERNAL for
                  iBGP, AS<n> else) with type, peer-as, hold-time and
                  neighbors with description, import and export (the
                  route-maps); policy-options prefix-lists and
                  policy-statements (one term per route-map entry, then
                  reject); services nat source pool and rule-set (the lab's
                  pool for the router, --nat-pool; the routers do not
                  translate)
  bgp.xml         <get-bgp-neighbor-information>: bgp-peer per neighbor with
                  peer-address, peer-as, local-address, local-as,
                  description, peer-group, peer-type, peer-state (FRR's
                  bgpState) and, when established, bgp-rib inet.0 with the
                  received, accepted and advertised prefix counts
  routes.xml      <get-route-information> of the BGP table (FRR `show bgp
                  ipv4 unicast json`): rt per prefix, rt-entry per path with
                  active-tag, protocol-name, local-preference, learned-from,
                  as-path, nh to/via (ncsim cuts it to the prefix asked)
  adv-ADDR.xml    <get-route-information> advertising-protocol bgp neighbor
                  ADDR: what FRR advertises to that neighbor (established
                  neighbors only; ncsim answers no routes for the others)
  interfaces.xml  <get-interface-information>: physical-interface with
                  admin and oper status, speed, logical-interface and
                  address

A route-map or prefix-list this script cannot render exactly is an error,
not a guess.

usage: render_junos.py --netns NS --vty-socket DIR --name NAME --out DIR [--nat-pool PREFIX]...
(the files go to OUT/NAME/, as frr2oc.py's)
"""
import ipaddress
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from frr2oc import Xml, cli, el, frr_state, iface_of, v4_addrs, vendor_ifnames  # noqa: E402

NS_XNM = "http://xml.juniper.net/xnm/1.1/xnm"
NS_ROUTING = "http://xml.juniper.net/junos/22.4R0/junos-routing"
NS_IF = "http://xml.juniper.net/junos/22.4R0/junos-interface"
MICROSOFT_AS = 12076


def junos_ifnames(ifs):
    """FRR interface name -> Junos name: fxp0 for the management link, ge-0/0/N for the others."""
    return vendor_ifnames(ifs, "fxp0", "ge-0/0/%d", 0)


def via_of(ifs, names, nh):
    """The Junos unit whose subnet holds next hop @nh, or None."""
    i = iface_of(ifs, nh)
    return names[i] + ".0" if i in names else None


def interfaces_conf(ifs, names):
    out = []
    for frr, jn in sorted(names.items(), key=lambda x: x[1]):
        addrs = [el("address", el("name", a)) for a in v4_addrs(ifs[frr])]
        fam = el("family", el("inet", addrs)) if addrs else ""
        out.append(el("interface", el("name", jn), el("description", "lab link " + frr),
                      el("unit", el("name", 0), fam)))
    return el("interfaces", out)


def prefix_lists(plists):
    out = []
    for name, pl in sorted(plists.items()):
        if pl.get("addressFamily", "IPv4") != "IPv4":
            continue
        items = []
        for e in pl.get("entries", []):
            # `from prefix-list` matches exactly the listed prefixes, permitted.
            if e.get("type") != "permit" or e.get("ge") is not None or e.get("le") is not None:
                sys.exit("render_junos: prefix-list %s seq %s is not an exact permit: no Junos prefix-list says that"
                         % (name, e.get("sequenceNumber")))
            items.append(el("prefix-list-item", el("name", e["prefix"])))
        out.append(el("prefix-list", el("name", name), items))
    return out


def term(rmap, rule):
    """One route-map entry as a term named after its sequence number."""
    frm, then = [], []
    for m in rule.get("matchClauses", []):
        w = m.split()
        if w[:3] == ["ip", "address", "prefix-list"] and len(w) == 4:
            frm.append(el("prefix-list", el("name", w[3])))
        else:
            sys.exit("render_junos: route-map %s %s: match '%s' is not rendered" % (rmap, rule["sequenceNumber"], m))
    for s in rule.get("setClauses", []):
        w = s.split()
        if w[0] == "local-preference" and len(w) == 2 and w[1].isdigit():
            then.append(el("local-preference", el("local-preference", w[1])))
        elif w[:2] == ["as-path", "prepend"] and len(w) > 2 and all(x.isdigit() for x in w[2:]):
            then.append(el("as-path-prepend", " ".join(w[2:])))
        else:
            sys.exit("render_junos: route-map %s %s: set '%s' is not rendered" % (rmap, rule["sequenceNumber"], s))
    then.append(el("accept" if rule["type"] == "permit" else "reject"))
    return el("term", el("name", "seq-%s" % rule["sequenceNumber"]), el("from", frm) if frm else "", el("then", then))


def policy_statements(rmaps):
    out = []
    for name, rm in sorted(rmaps.items()):
        terms = [term(name, r) for r in sorted(rm.get("rules", []), key=lambda r: r["sequenceNumber"])]
        # What no entry permits, a route-map denies: the policy's final action.
        out.append(el("policy-statement", el("name", name), terms, el("then", el("reject"))))
    return out


def group_name(n):
    if n["remoteAs"] == n["localAs"]:
        return "INTERNAL"
    return "MICROSOFT" if n["remoteAs"] == MICROSOFT_AS else "AS%d" % n["remoteAs"]


def bgp_conf(nbrs):
    groups = {}
    for addr, n in sorted(nbrs.items()):
        groups.setdefault(group_name(n), []).append((addr, n))
    out = []
    for g, members in sorted(groups.items()):
        first = members[0][1]
        internal = first["remoteAs"] == first["localAs"]
        head = [el("name", g), el("type", "internal" if internal else "external")]
        if not internal:
            head.append(el("peer-as", first["remoteAs"]))
        if "bgpTimerConfiguredHoldTimeMsecs" in first:
            head.append(el("hold-time", first["bgpTimerConfiguredHoldTimeMsecs"] // 1000))
        nb = []
        for addr, n in members:
            af = n.get("addressFamilyInfo", {}).get("ipv4Unicast", {})
            body = [el("name", addr)]
            if n.get("nbrDesc"):
                body.append(el("description", n["nbrDesc"]))
            if af.get("routeMapForIncomingAdvertisements"):
                body.append(el("import", af["routeMapForIncomingAdvertisements"]))
            if af.get("routeMapForOutgoingAdvertisements"):
                body.append(el("export", af["routeMapForOutgoingAdvertisements"]))
            if n.get("adminShutDown"):
                body.append(el("shutdown"))
            nb.append(el("neighbor", body))
        out.append(el("group", head, nb))
    return el("protocols", el("bgp", out))


def nat_conf(pools, ifs, names, nbrs):
    """The lab's pool, used from the iBGP-facing unit toward the eBGP-facing ones."""
    if not pools:
        return ""
    inside = [via_of(ifs, names, a) for a, n in sorted(nbrs.items()) if n["remoteAs"] == n["localAs"]]
    outside = [via_of(ifs, names, a) for a, n in sorted(nbrs.items()) if n["remoteAs"] != n["localAs"]]
    src = [el("pool", el("name", "LAB-NAT-%d" % i), el("address", el("name", p))) for i, p in enumerate(pools)]
    frm = el("from", [el("interface", u) for u in inside if u])
    to = el("to", [el("interface", u) for u in sorted(set(outside)) if u])
    rule = el("rule", el("name", "inside"), el("match", el("source-address", "10.0.0.0/8")),
              el("then", el("source-nat", el("pool", el("pool-name", "LAB-NAT-0")))))
    src.append(el("rule-set", el("name", "TO-PEERS"), frm, to, rule))
    return el("services", el("nat", el("source", src)))


def running(name, summary, nbrs, ifs, names, plists, rmaps, pools):
    return el("configuration", el("system", el("host-name", name)), interfaces_conf(ifs, names),
              el("routing-options", el("router-id", summary["routerId"]),
                 el("autonomous-system", el("as-number", summary["as"]))),
              bgp_conf(nbrs),
              el("policy-options", prefix_lists(plists), policy_statements(rmaps)),
              nat_conf(pools, ifs, names, nbrs), ns=NS_XNM)


def bgp_state(nbrs):
    peers = []
    for addr, n in sorted(nbrs.items()):
        up = n.get("bgpState") == "Established"
        af = n.get("addressFamilyInfo", {}).get("ipv4Unicast", {})
        body = [el("peer-address", addr + ("+%s" % n["portForeign"] if up and "portForeign" in n else "")),
                el("peer-as", n["remoteAs"])]
        if up and n.get("hostLocal"):
            body.append(el("local-address", "%s+%s" % (n["hostLocal"], n.get("portLocal", 179))))
        body.append(el("local-as", n["localAs"]))
        if n.get("nbrDesc"):
            body.append(el("description", n["nbrDesc"]))
        body += [el("peer-group", group_name(n)),
                 el("peer-type", "Internal" if n["remoteAs"] == n["localAs"] else "External"),
                 el("peer-state", n["bgpState"])]
        if up:
            body.append(el("bgp-rib", el("name", "inet.0"),
                           el("received-prefix-count", af.get("acceptedPrefixCounter", 0)),
                           el("accepted-prefix-count", af.get("acceptedPrefixCounter", 0)),
                           el("advertised-prefix-count", af.get("sentPrefixCounter", 0))))
        peers.append(el("bgp-peer", body))
    return el("bgp-information", peers, ns=NS_ROUTING)


def rt(prefix, entries):
    return el("rt", el("rt-destination", prefix), entries)


def route_table(rts):
    return el("route-information", el("route-table", el("table-name", "inet.0"), rts), ns=NS_ROUTING)


def routes(table, ifs, names):
    """The BGP table as get-route-information detail replies."""
    rts = []
    for prefix, paths in sorted(table.get("routes", {}).items()):
        entries = []
        for p in sorted(paths, key=lambda p: not p.get("bestpath")):
            e = []
            if p.get("bestpath"):
                e += [el("active-tag", "*"), el("current-active")]
            e += [el("protocol-name", "BGP"), el("preference", 170)]
            if "locPrf" in p:
                e.append(el("local-preference", p["locPrf"]))
            if p.get("peerId") and p["peerId"] != "(unspec)":
                e.append(el("learned-from", p["peerId"]))
            e.append(el("as-path", "AS path: %s I" % p["path"] if p.get("path") else "AS path: I"))
            nh = [x for x in p.get("nexthops", []) if x.get("afi", "ipv4") == "ipv4"]
            if nh and nh[0].get("ip") != "0.0.0.0":
                via = via_of(ifs, names, nh[0]["ip"])
                e.append(el("nh", el("selected-next-hop"), el("to", nh[0]["ip"]), el("via", via) if via else ""))
            else:
                e.append(el("nh", el("to", "Self")))
            entries.append(el("rt-entry", e))
        rts.append(rt(prefix, entries))
    return route_table(rts)


def advertised(adv):
    return route_table([rt(p, el("rt-entry", el("active-tag", "*"), el("protocol-name", "BGP"),
                                 el("nh", el("to", "Self")), el("as-path", "I")))
                        for p in sorted(adv)])


def interfaces_state(ifs, names):
    phys = []
    for frr, jn in sorted(names.items(), key=lambda x: x[1]):
        info = ifs[frr]
        unit = [el("name", jn + ".0")]
        for a in v4_addrs(info):
            unit.append(el("address-family", el("address-family-name", "inet"),
                           el("interface-address", el("ifa-local", a.split("/")[0]),
                              el("ifa-destination", str(ipaddress.ip_interface(a).network)))))
        speed = info.get("speed", 0)
        phys.append(el("physical-interface", el("name", jn),
                       el("admin-status", info.get("administrativeStatus", "down")),
                       el("oper-status", info.get("operationalStatus", "down")),
                       el("description", "lab link " + frr),
                       el("speed", "%dGbps" % (speed // 1000) if speed >= 1000 else "%dmbps" % speed) if speed else "",
                       el("logical-interface", unit)))
    return el("interface-information", phys, ns=NS_IF)


def write(path, elem):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(elem + Xml("\n"))
    os.replace(tmp, path)


def main():
    a = cli(__doc__)
    vty, summary, nbrs, adv = frr_state(a, "render_junos")
    ifs = vty.json("show interface json", daemon="ZEBRA")
    names = junos_ifnames(ifs)
    d = os.path.join(a.out, a.name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if f.startswith("adv-"):
            os.unlink(os.path.join(d, f))
    for addr, routes_to in adv.items():
        write(os.path.join(d, "adv-%s.xml" % addr), advertised(routes_to))
    write(os.path.join(d, "running.xml"),
          running(a.name, summary, nbrs, ifs, names, vty.json("show ip prefix-list json"),
                  vty.json("show route-map json"), a.nat_pool))
    write(os.path.join(d, "bgp.xml"), bgp_state(nbrs))
    write(os.path.join(d, "routes.xml"), routes(vty.json("show bgp ipv4 unicast json"), ifs, names))
    write(os.path.join(d, "interfaces.xml"), interfaces_state(ifs, names))


if __name__ == "__main__":
    main()
