#!/usr/bin/python3
"""Render one lab router's FRR state as the NETCONF replies of a Cisco
IOS-XE router, for ncsim to serve as that platform (issue 13; ncsim with
the IOS-XE capabilities, see tests/lab/vendor).

Element names and namespaces as in Cisco's published Cisco-IOS-XE-native,
-bgp, -route-map, -nat, -bgp-oper and -interfaces-oper modules, as the
repository's IOS-XE fixtures (tests/netconf/cisco/xe-*.xml) write them:

  running.xml  <get-config>: native hostname; interface GigabitEthernetN
               (the management link GigabitEthernet0, the FRR name as
               description) with ip address primary address/mask and ip nat
               inside (iBGP side) / outside (eBGP side); ip prefix-list;
               route-map entries (match ip address prefix-list, set
               local-preference, set as-path prepend); router bgp with
               router-id, neighbors (remote-as, description, timers,
               shutdown) and address-family ipv4 unicast (activate,
               route-map in/out); ip nat pool and inside source list to it
               (the lab's pool for the router, --nat-pool; the routers do
               not translate)
  state.xml    <get>: Cisco-IOS-XE-bgp-oper bgp-state-data neighbors
               (session-state, connection state, prefixes sent and
               received), Cisco-IOS-XE-interfaces-oper interfaces (oper
               status, speed), and the openconfig-network-instance BGP RIB
               with each neighbor's adj-rib-out-post: IOS-XE publishes
               what it advertises per neighbor there (the native bgp-oper
               neighbor carries the count only), and the collector's IOS-XE
               filter asks for it

A route-map or prefix-list this script cannot render exactly is an error,
not a guess.

usage: render_xe.py --netns NS --vty-socket DIR --name NAME --out DIR [--nat-pool PREFIX]...
(the files go to OUT/NAME/, as frr2oc.py's)
"""
import ipaddress
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from frr2oc import bgp_instance, cli, el, frr_state, iface_of, v4_addrs, vendor_ifnames, write  # noqa: E402

NS_XE = "http://cisco.com/ns/yang/Cisco-IOS-XE-"


def xe_ifnames(ifs):
    """FRR interface name -> IOS-XE GigabitEthernet number (management: 0)."""
    return vendor_ifnames(ifs, "0", "%d", 1)


def interfaces(ifs, names, inside, outside):
    out = []
    for frr, num in sorted(names.items(), key=lambda x: int(x[1])):
        ip = []
        addrs = v4_addrs(ifs[frr])
        if addrs:
            i = ipaddress.ip_interface(addrs[0])
            ip.append(el("address", el("primary", el("address", str(i.ip)), el("mask", str(i.netmask)))))
        if frr in inside or frr in outside:
            ip.append(el("nat", el("inside" if frr in inside else "outside"), ns=NS_XE + "nat"))
        out.append(el("GigabitEthernet", el("name", num), el("description", "lab link " + frr),
                      el("ip", ip) if ip else ""))
    return el("interface", out)


def prefix_lists(plists):
    # Cisco-IOS-XE-ip: ip/prefix-lists/prefixes, one entry per (name, no)
    out = []
    for name, pl in sorted(plists.items()):
        if pl.get("addressFamily", "IPv4") != "IPv4":
            continue
        for e in pl.get("entries", []):
            s = [el("name", name), el("no", e["sequenceNumber"]), el("action", e["type"]), el("ip", e["prefix"])]
            if e.get("ge") is not None:
                s.append(el("ge", e["ge"]))
            if e.get("le") is not None:
                s.append(el("le", e["le"]))
            out.append(el("prefixes", s))
    return el("prefix-lists", out)


def route_maps(rmaps):
    out = []
    for name, rm in sorted(rmaps.items()):
        seqs = []
        for r in sorted(rm.get("rules", []), key=lambda r: r["sequenceNumber"]):
            match, bset = [], []
            for m in r.get("matchClauses", []):
                w = m.split()
                if w[:3] == ["ip", "address", "prefix-list"] and len(w) == 4:
                    match.append(el("ip", el("address", el("prefix-list", w[3]))))
                else:
                    sys.exit("render_xe: route-map %s %s: match '%s' is not rendered" % (name, r["sequenceNumber"], m))
            for s in r.get("setClauses", []):
                w = s.split()
                if w[0] == "local-preference" and len(w) == 2 and w[1].isdigit():
                    bset.append(el("local-preference", w[1]))
                elif w[:2] == ["as-path", "prepend"] and len(w) > 2 and all(x.isdigit() for x in w[2:]):
                    bset.append(el("as-path", el("prepend", el("as-container", el("as-number", " ".join(w[2:]))))))
                else:
                    sys.exit("render_xe: route-map %s %s: set '%s' is not rendered" % (name, r["sequenceNumber"], s))
            body = [el("seq_no", r["sequenceNumber"]), el("operation", r["type"])]
            if bset:
                body.append(el("set", el("bgp-route-map-set", bset, ns=NS_XE + "bgp")))
            if match:
                body.append(el("match", match))
            seqs.append(el("route-map-without-order-seq", body, ns=NS_XE + "route-map"))
        out.append(el("route-map", el("name", name), seqs))
    return out


def router_bgp(summary, nbrs):
    nb, af = [], []
    for addr, n in sorted(nbrs.items()):
        body = [el("id", addr), el("remote-as", n["remoteAs"])]
        if n.get("nbrDesc"):
            body.append(el("description", n["nbrDesc"]))
        if n.get("adminShutDown"):
            body.append(el("shutdown"))
        if "bgpTimerConfiguredHoldTimeMsecs" in n:
            body.append(el("timers", el("keepalive-interval", n["bgpTimerConfiguredKeepAliveIntervalMsecs"] // 1000),
                           el("holdtime", n["bgpTimerConfiguredHoldTimeMsecs"] // 1000)))
        nb.append(el("neighbor", body))
        a = n.get("addressFamilyInfo", {}).get("ipv4Unicast", {})
        rms = [el("route-map", el("inout", io), el("route-map-name", a[k]))
               for io, k in (("in", "routeMapForIncomingAdvertisements"), ("out", "routeMapForOutgoingAdvertisements"))
               if a.get(k)]
        af.append(el("neighbor", el("id", addr), el("activate"), rms))
    return el("router", el("bgp", el("id", summary["as"]), el("bgp", el("router-id", el("ip-id", summary["routerId"]))),
                           nb, el("address-family", el("no-vrf", el("ipv4", el("af-name", "unicast"),
                                                                          el("ipv4-unicast", af)))),
                           ns=NS_XE + "bgp"))


def nat(pools):
    out = []
    for i, p in enumerate(pools):
        net = ipaddress.ip_network(p)
        out.append(el("pool", el("id", "LAB-NAT-%d" % i), el("start-address", str(net[0])),
                      el("end-address", str(net[-1])), el("prefix-length", net.prefixlen)))
    if pools:
        to_pool = el("list", el("id", "LAB-INSIDE"), el("pool", el("name", "LAB-NAT-0"), el("overload-new")))
        out.append(el("inside", el("source", el("list-pool", to_pool))))
    return el("nat", out, ns=NS_XE + "nat") if out else ""


def running(name, summary, nbrs, ifs, plists, rmaps, pools):
    names = xe_ifnames(ifs)
    inside = {iface_of(ifs, a) for a, n in nbrs.items() if n["remoteAs"] == n["localAs"]} if pools else set()
    outside = {iface_of(ifs, a) for a, n in nbrs.items() if n["remoteAs"] != n["localAs"]} if pools else set()
    return [el("native", el("hostname", name), interfaces(ifs, names, inside, outside),
               el("ip", prefix_lists(plists), nat(pools)), route_maps(rmaps), router_bgp(summary, nbrs),
               ns=NS_XE + "native")]


def state(nbrs, ifs, adv):
    names = xe_ifnames(ifs)
    ns = []
    for addr, n in sorted(nbrs.items()):
        a = n.get("addressFamilyInfo", {}).get("ipv4Unicast", {})
        fsm = "fsm-" + n["bgpState"].lower()
        body = [el("afi-safi", "ipv4-unicast"), el("vrf-name", "default"), el("neighbor-id", addr)]
        if n.get("nbrDesc"):
            body.append(el("description", n["nbrDesc"]))
        # session-state is the BGP FSM; connection/state is the TCP connection's (tcp-fsm-state)
        body += [el("session-state", fsm),
                 el("connection", el("state", "established" if fsm == "fsm-established" else "closed")),
                 el("prefix-activity", el("sent", el("current-prefixes", a.get("sentPrefixCounter", 0))),
                    el("received", el("current-prefixes", a.get("acceptedPrefixCounter", 0))))]
        ns.append(el("neighbor", body))
    oper = []
    for frr, num in sorted(names.items(), key=lambda x: int(x[1])):
        info = ifs[frr]
        up = info.get("operationalStatus") == "up"
        oper.append(el("interface", el("name", "GigabitEthernet" + num),
                       el("oper-status", "if-oper-state-ready" if up else "if-oper-state-no-pass"),
                       el("speed", info.get("speed", 0) * 1000000)))
    rib = []
    for addr in sorted(adv):
        routes = [el("route", el("prefix", p), el("path-id", 0), el("state", el("prefix", p), el("path-id", 0)))
                  for p in sorted(adv[addr])]
        rib.append(el("neighbor", el("neighbor-address", addr), el("adj-rib-out-post", el("routes", routes))))
    ribs = el("rib", el("afi-safis", el("afi-safi", el("afi-safi-name", "IPV4_UNICAST"),
                                          el("ipv4-unicast", el("neighbors", rib)))))
    return [el("bgp-state-data", el("neighbors", ns), ns=NS_XE + "bgp-oper"),
            el("interfaces", oper, ns=NS_XE + "interfaces-oper"), bgp_instance([ribs])]


def main():
    a = cli(__doc__)
    vty, summary, nbrs, adv = frr_state(a, "render_xe")
    ifs = vty.json("show interface json", daemon="ZEBRA")
    d = os.path.join(a.out, a.name)
    os.makedirs(d, exist_ok=True)
    write(os.path.join(d, "running.xml"), running(a.name, summary, nbrs, ifs, vty.json("show ip prefix-list json"),
                                                  vty.json("show route-map json"), a.nat_pool))
    write(os.path.join(d, "state.xml"), state(nbrs, ifs, adv))


if __name__ == "__main__":
    main()
