#!/usr/bin/python3
"""Write an eraudit snapshot from a compact network description (YAML).

The snapshot holds what real devices would have served: OpenConfig and IETF
XML replies for NETCONF devices and `snmpbulkwalk -On` text for SNMP
tables. Used to build the bundled example network, the golden test cases
and the benchmark's synthetic networks.

    tools/mknet.py NET.yaml OUTDIR        # writes OUTDIR/{manifest.json,inventory.yaml,devices/...}
"""
import ipaddress
import json
import os
import sys

import yaml

OC_IF = "http://openconfig.net/yang/interfaces"
OC_IP = "http://openconfig.net/yang/interfaces/ip"
OC_ETH = "http://openconfig.net/yang/interfaces/ethernet"
OC_NI = "http://openconfig.net/yang/network-instance"
OC_RP = "http://openconfig.net/yang/routing-policy"
OC_BGP_POL = "http://openconfig.net/yang/bgp-policy"
OC_BFD = "http://openconfig.net/yang/bfd"
IETF_IF = "urn:ietf:params:xml:ns:yang:ietf-interfaces"
IETF_IP = "urn:ietf:params:xml:ns:yang:ietf-ip"
IETF_NAT = "urn:ietf:params:xml:ns:yang:ietf-nat"
IETF_ACL = "urn:ietf:params:xml:ns:yang:ietf-access-control-list"
NC = "urn:ietf:params:xml:ns:netconf:base:1.0"

SPEEDS = {"1G": ("SPEED_1GB", 10**9), "10G": ("SPEED_10GB", 10**10), "40G": ("SPEED_40GB", 4 * 10**10),
          "100G": ("SPEED_100GB", 10**11)}
BGP_STATES = {"idle": 1, "connect": 2, "active": 3, "opensent": 4, "openconfirm": 5, "established": 6}


def esc(s):
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def el(name, text=None, ns=None, children=None):
    attr = f' xmlns="{ns}"' if ns else ""
    if children is not None:
        return f"<{name}{attr}>{''.join(children)}</{name}>"
    return f"<{name}{attr}>{esc(text)}</{name}>"


def reply(parts):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<rpc-reply xmlns="{NC}" message-id="1"><data>\n' + "\n".join(parts) + "\n</data></rpc-reply>\n")


# ---------------------------------------------------------------- OpenConfig
def oc_interfaces(dev, state):
    out = []
    for i, ifc in enumerate(dev.get("interfaces", [])):
        kids = [el("name", ifc["name"])]
        cfg = [el("name", ifc["name"]), el("description", ifc.get("description", "")),
               el("enabled", str(ifc.get("enabled", True)).lower())]
        kids.append(el("config", children=cfg))
        if state:
            st = [el("oper-status", ifc.get("oper", "UP").upper())]
            if "in_octets" in ifc:
                st.append(el("counters", children=[el("in-octets", ifc["in_octets"]),
                                                   el("out-octets", ifc.get("out_octets", 0))]))
            kids.append(el("state", children=st))
        if "speed" in ifc and not state:
            kids.append(el("ethernet", ns=OC_ETH, children=[el("config", children=[
                el("port-speed", SPEEDS[ifc["speed"]][0])])]))
        addrs = ifc.get("addresses", [ifc["address"]] if "address" in ifc else [])
        if addrs and not state:
            v4, v6 = [], []
            for a in addrs:
                iface = ipaddress.ip_interface(a)
                x = el("address", children=[el("ip", str(iface.ip)), el("config", children=[
                    el("ip", str(iface.ip)), el("prefix-length", iface.network.prefixlen)])])
                (v4 if iface.version == 4 else v6).append(x)
            fam = []
            if v4:
                fam.append(el("ipv4", ns=OC_IP, children=[el("addresses", children=v4)]))
            if v6:
                fam.append(el("ipv6", ns=OC_IP, children=[el("addresses", children=v6)]))
            kids.append(el("subinterfaces", children=[el("subinterface", children=[
                el("index", 0), el("config", children=[el("index", 0)])] + fam)]))
        out.append(el("interface", children=kids))
    return el("interfaces", ns=OC_IF, children=out)


RESULT = {"accept": "ACCEPT_ROUTE", "reject": "REJECT_ROUTE"}


def default_policies(x):
    """default_import / default_export (accept, reject) as OpenConfig default policies."""
    return [el("default-%s-policy" % d, RESULT[x["default_" + d]]) for d in ("import", "export")
            if "default_" + d in x]


def oc_bgp(dev, state):
    bgp = dev.get("bgp")
    if not bgp:
        return None
    g = [el("config", children=[el("as", bgp["as"])] +
            ([el("router-id", bgp["router_id"])] if "router_id" in bgp else []))]
    if default_policies(bgp) and not state:
        g.append(el("apply-policy", children=[el("config", children=default_policies(bgp))]))
    if "ignore_as_path_length" in bgp and not state:
        g.append(el("route-selection-options", children=[el("config", children=[
            el("ignore-as-path-length", str(bgp["ignore_as_path_length"]).lower())])]))
    nbrs = []
    for n in bgp.get("neighbors", []):
        kids = [el("neighbor-address", n["address"])]
        if not state:
            cfg = [el("neighbor-address", n["address"]), el("peer-as", n["as"])]
            if "description" in n:
                cfg.append(el("description", n["description"]))
            cfg.append(el("enabled", str(n.get("enabled", True)).lower()))
            if n.get("md5"):
                cfg.append(el("auth-password", "eraudit:redacted"))  # as a collection stores it
            kids.append(el("config", children=cfg))
            if "hold" in n or "keepalive" in n:
                kids.append(el("timers", children=[el("config", children=[
                    el("hold-time", n.get("hold", 90)), el("keepalive-interval", n.get("keepalive", 30))])]))
            pol = [el("import-policy", p) for p in n.get("import", [])] + \
                  [el("export-policy", p) for p in n.get("export", [])] + default_policies(n)
            if pol:
                kids.append(el("apply-policy", children=[el("config", children=pol)]))
            if "max_prefixes" in n:
                kids.append(el("afi-safis", children=[el("afi-safi", children=[
                    el("afi-safi-name", "IPV4_UNICAST"), el("ipv4-unicast", children=[el("prefix-limit", children=[
                        el("config", children=[el("max-prefixes", n["max_prefixes"])])])])])]))
            if n.get("bfd"):
                kids.append(el("enable-bfd", ns=OC_BFD, children=[el("config", children=[el("enabled", "true")])]))
        else:
            # Session state may come over SNMP instead; what was advertised
            # only NETCONF can tell (adj-rib-out below).
            if n.get("state_via", "netconf") != "netconf" or "state" not in n:
                continue
            kids.append(el("state", children=[el("session-state", n["state"].upper())]))
            pfx = [el("received", n.get("received", 0))]
            if "advertised" in n:
                pfx.append(el("sent", len(n["advertised"])))
            kids.append(el("afi-safis", children=[el("afi-safi", children=[
                el("afi-safi-name", "IPV4_UNICAST"), el("state", children=[el("prefixes", children=pfx)])])]))
        nbrs.append(el("neighbor", children=kids))
    body = [el("global", children=g), el("neighbors", children=nbrs)]
    if state:
        ribn = []
        for n in bgp.get("neighbors", []):
            if "advertised" in n:
                routes = [el("route", children=[el("prefix", p), el("path-id", 0)]) for p in n["advertised"]]
                ribn.append(el("neighbor", children=[el("neighbor-address", n["address"]),
                                                     el("adj-rib-out-post", children=[el("routes", children=routes)])]))
        if ribn:
            body.append(el("rib", children=[el("afi-safis", children=[el("afi-safi", children=[
                el("afi-safi-name", "IPV4_UNICAST"), el("ipv4-unicast", children=[el("neighbors", children=ribn)])])])]))
    proto = el("protocol", children=[el("identifier", "BGP"), el("name", "BGP"), el("bgp", children=body)])
    return el("network-instances", ns=OC_NI, children=[el("network-instance", children=[
        el("name", "default"), el("protocols", children=[proto])])])


def oc_policy(dev):
    if not (dev.get("prefix_sets") or dev.get("community_sets") or dev.get("policies")):
        return None
    ds = []
    ps = []
    for name, pfxs in (dev.get("prefix_sets") or {}).items():
        ents = []
        for p in pfxs:
            pr, _, rng = str(p).partition(" ")
            rng = rng or "exact"
            ents.append(el("prefix", children=[el("ip-prefix", pr), el("masklength-range", rng),
                                               el("config", children=[el("ip-prefix", pr), el("masklength-range", rng)])]))
        ps.append(el("prefix-set", children=[el("name", name), el("config", children=[el("name", name)]),
                                             el("prefixes", children=ents)]))
    if ps:
        ds.append(el("prefix-sets", children=ps))
    cs = []
    for name, members in (dev.get("community_sets") or {}).items():
        opt = (dev.get("community_set_options") or {}).get(name)
        cs.append(el("community-set", children=[el("community-set-name", name), el("config", children=[
            el("community-set-name", name)] + [el("community-member", m) for m in members] +
            ([el("match-set-options", opt.upper())] if opt else []))]))
    if cs:
        ds.append(el("bgp-defined-sets", ns=OC_BGP_POL, children=[el("community-sets", children=cs)]))
    pds = []
    for name, terms in (dev.get("policies") or {}).items():
        sts = []
        for t in terms:
            cond = []
            def opts(key):
                return [el("match-set-options", t[key].upper())] if key in t else []
            if "match_prefix_set" in t:
                cond.append(el("match-prefix-set", children=[el("config", children=[
                    el("prefix-set", t["match_prefix_set"])] + opts("match_prefix_set_options"))]))
            if "match_community_set" in t:
                cond.append(el("bgp-conditions", ns=OC_BGP_POL, children=[el("match-community-set", children=[
                    el("config", children=[el("community-set", t["match_community_set"])] +
                       opts("match_community_set_options"))])]))
            # action: next (or none) goes on to the next statement: no policy-result.
            act = [el("config", children=[el("policy-result", RESULT[t["action"]])])] \
                if t.get("action", "next") != "next" else []
            ba = []
            if "set_local_pref" in t:
                ba.append(el("config", children=[el("set-local-pref", t["set_local_pref"])]))
            if "prepend" in t:
                ba.append(el("set-as-path-prepend", children=[el("config", children=[el("repeat-n", t["prepend"])])]))
            if ba:
                act.append(el("bgp-actions", ns=OC_BGP_POL, children=ba))
            sts.append(el("statement", children=[el("name", t["name"]), el("config", children=[el("name", t["name"])]),
                                                 el("conditions", children=cond), el("actions", children=act)]))
        pds.append(el("policy-definition", children=[el("name", name), el("config", children=[el("name", name)]),
                                                     el("statements", children=sts)]))
    return el("routing-policy", ns=OC_RP, children=[el("defined-sets", children=ds),
                                                    el("policy-definitions", children=pds)])


def oc_acl(dev):
    acls = dev.get("acls")
    if not acls:
        return None
    sets, ifs = [], {}
    for a in acls:
        ents = []
        for r in a["rules"]:
            v4 = [el("protocol", r.get("protocol", "IP_ANY") if r.get("protocol", "ip") != "ip" else "IP_ANY")]
            if r.get("source", "any") != "any":
                v4.append(el("source-address", r["source"]))
            if r.get("destination", "any") != "any":
                v4.append(el("destination-address", r["destination"]))
            kids = [el("sequence-id", r["seq"]), el("config", children=[el("sequence-id", r["seq"])]),
                    el("ipv4", children=[el("config", children=v4)])]
            if r.get("ports", "any") != "any":
                kids.append(el("transport", children=[el("config", children=[el("destination-port", r["ports"])])]))
            kids.append(el("actions", children=[el("config", children=[el("forwarding-action",
                                                                         "ACCEPT" if r["action"] == "permit" else "DROP")])]))
            ents.append(el("acl-entry", children=kids))
        sets.append(el("acl-set", children=[el("name", a["name"]), el("type", "ACL_IPV4"),
                                            el("config", children=[el("name", a["name"]), el("type", "ACL_IPV4")]),
                                            el("acl-entries", children=ents)]))
        for i in a.get("interfaces", []):
            ifs.setdefault(i, []).append(a["name"])
    ib = [el("interface", children=[el("id", i), el("ingress-acl-sets", children=[
        el("ingress-acl-set", children=[el("set-name", n), el("type", "ACL_IPV4")]) for n in names])])
        for i, names in ifs.items()]
    return el("acl", ns="http://openconfig.net/yang/acl", children=[el("acl-sets", children=sets),
                                                                    el("interfaces", children=ib)])


# ---------------------------------------------------------------- IETF
def ietf_interfaces(dev, state):
    out = []
    for ifc in dev.get("interfaces", []):
        kids = [el("name", ifc["name"])]
        if not state:
            kids += [el("description", ifc.get("description", "")), el("enabled", str(ifc.get("enabled", True)).lower())]
            addrs = ifc.get("addresses", [ifc["address"]] if "address" in ifc else [])
            v4 = [el("address", children=[el("ip", str(ipaddress.ip_interface(a).ip)),
                                          el("prefix-length", ipaddress.ip_interface(a).network.prefixlen)])
                  for a in addrs if ipaddress.ip_interface(a).version == 4]
            if v4:
                kids.append(el("ipv4", ns=IETF_IP, children=v4))
        else:
            kids.append(el("oper-status", ifc.get("oper", "up")))
            if "speed" in ifc:
                kids.append(el("speed", SPEEDS[ifc["speed"]][1]))
        out.append(el("interface", children=kids))
    return el("interfaces", ns=IETF_IF, children=out)


def ietf_nat(dev):
    nat = dev.get("nat")
    if not nat:
        return None
    pols = []
    for i, p in enumerate(nat.get("pools", []), 1):
        kids = [el("id", i), el("external-ip-address-pool", children=[el("pool-id", i),
                                                                      el("external-ip-pool", p["prefix"])])]
        if "interface" in p:
            kids.append(el("external-realm", children=[el("external-interface", p["interface"])]))
        # match: the subscriber subnets the policy translates (a source NAT rule naming the pool).
        for j, m in enumerate(p.get("match", []), 1):
            kids.append(el("subscriber-match", children=[el("match-id", j), el("subnet", m)]))
        pols.append(el("policy", children=kids))
    maps = []
    for i, r in enumerate(nat.get("static", []), 1):
        maps.append(el("mapping-entry", children=[el("index", i), el("type", "static"),
                                                  el("internal-src-address", r["internal"]),
                                                  el("external-src-address", r["external"])]))
    inst = [el("id", 1), el("name", nat.get("name", "nat")), el("enable", "true")] + pols
    if maps:
        inst.append(el("mapping-table", children=maps))
    return el("nat", ns=IETF_NAT, children=[el("instances", children=[el("instance", children=inst)])])


def ietf_acl(dev):
    acls = dev.get("acls")
    if not acls:
        return None
    out, att = [], {}
    for a in acls:
        aces = []
        for r in a["rules"]:
            v4 = []
            proto = {"ip": None, "tcp": 6, "udp": 17, "icmp": 1}.get(r.get("protocol", "ip"), r.get("protocol"))
            if r.get("source", "any") != "any":
                v4.append(el("source-ipv4-network", r["source"]))
            if r.get("destination", "any") != "any":
                v4.append(el("destination-ipv4-network", r["destination"]))
            if proto is not None:
                v4.append(el("protocol", proto))
            m = [el("ipv4", children=v4)] if v4 else []
            if r.get("ports", "any") != "any":
                m.append(el("tcp" if proto != 17 else "udp", children=[el("destination-port", children=[
                    el("operator", "eq"), el("port", r["ports"])])]))
            act = "accept" if r["action"] == "permit" else "drop"
            aces.append(el("ace", children=[el("name", f"rule-{r['seq']}"), el("matches", children=m),
                                            el("actions", children=[f'<forwarding xmlns:acl="{IETF_ACL}">acl:{act}</forwarding>'])]))
        out.append(el("acl", children=[el("name", a["name"]), el("aces", children=aces)]))
        for i in a.get("interfaces", []):
            att.setdefault(i, []).append(a["name"])
    ap = [el("interface", children=[el("interface-id", i), el("ingress", children=[el("acl-sets", children=[
        el("acl-set", children=[el("name", n)]) for n in names])])]) for i, names in att.items()]
    return el("acls", ns=IETF_ACL, children=out + [el("attachment-points", children=ap)])


# ---------------------------------------------------------------- SNMP
def oid_ip(a):
    return ".".join(str(ipaddress.ip_address(a)).split("."))


def walk_bgp(dev):
    bgp = dev.get("bgp") or {}
    lines = []
    root = ".1.3.6.1.2.1.15"
    # BGP4-MIB's AS columns have 2 bytes: a 4-byte AS shows as AS_TRANS 23456 (RFC 6793).
    def as2(a):
        return 23456 if int(a) > 65535 else int(a)

    lines.append(f"{root}.2.0 = INTEGER: {as2(bgp.get('as', 0))}")
    nbrs = [n for n in bgp.get("neighbors", []) if n.get("state_via") == "snmp" and "state" in n]
    nbrs.sort(key=lambda n: ipaddress.ip_address(n["address"]))
    cols = [(1, lambda n: f"IpAddress: {n.get('router_id', n['address'])}"),
            (2, lambda n: f"INTEGER: {BGP_STATES[n['state']]}"),
            (3, lambda n: f"INTEGER: {2 if n.get('enabled', True) else 1}"),
            (7, lambda n: f"IpAddress: {n['address']}"),
            (9, lambda n: f"INTEGER: {as2(n['as'])}"),
            (10, lambda n: f"Counter32: {n.get('received', 0) * 3}")]
    for col, fn in cols:
        for n in nbrs:
            lines.append(f"{root}.3.1.{col}.{oid_ip(n['address'])} = {fn(n)}")
    paths = []
    for r in dev.get("rib", []):
        net = ipaddress.ip_network(r["prefix"])
        for p in r["paths"]:
            if p.get("protocol", "bgp") == "bgp":
                paths.append((net, p))
    paths.sort(key=lambda x: (int(x[0].network_address), x[0].prefixlen, int(ipaddress.ip_address(x[1]["source"]))))

    def aspath_hex(s):
        asns = [int(a) for a in str(s).split()] if s else []
        b = [2, len(asns)] + [x for a in asns for x in (a >> 8, a & 255)] if asns else []
        return " ".join(f"{x:02X}" for x in b)

    pcols = [(1, lambda n, p: f"IpAddress: {p['source']}"),
             (2, lambda n, p: f"INTEGER: {n.prefixlen}"),
             (3, lambda n, p: f"IpAddress: {n.network_address}"),
             (4, lambda n, p: "INTEGER: 1"),
             (5, lambda n, p: f"Hex-STRING: {aspath_hex(p.get('as_path', ''))}" if p.get("as_path") else '""'),
             (6, lambda n, p: f"IpAddress: {p.get('next_hop', p['source'])}"),
             (8, lambda n, p: f"INTEGER: {p.get('local_pref', 100)}"),
             (13, lambda n, p: f"INTEGER: {2 if p.get('best') else 1}")]
    for col, fn in pcols:
        for n, p in paths:
            lines.append(f"{root}.6.1.{col}.{n.network_address}.{n.prefixlen}.{oid_ip(p['source'])} = {fn(n, p)}")
    return "\n".join(lines) + "\n"


def walk_if(dev, sample=1):
    """IF-MIB ifTable/ifXTable; sample 2 takes in_octets2/out_octets2, sample_seconds after the first."""
    lines = []
    ifs = dev.get("interfaces", [])
    if sample == 2:
        ifs = [dict(f, in_octets=f.get("in_octets2", f.get("in_octets", 0)),
                    out_octets=f.get("out_octets2", f.get("out_octets", 0))) for f in ifs]
    for col, fn in [(2, lambda i, f: f'STRING: "{f["name"]}"'),
                    (5, lambda i, f: f"Gauge32: {min(SPEEDS.get(f.get('speed', '1G'))[1], 4294967295)}"),
                    (7, lambda i, f: f"INTEGER: {1 if f.get('enabled', True) else 2}"),
                    (8, lambda i, f: f"INTEGER: {1 if f.get('oper', 'up').lower() == 'up' else 2}"),
                    (10, lambda i, f: f"Counter32: {f.get('in_octets', 0) % 2**32}"),
                    (16, lambda i, f: f"Counter32: {f.get('out_octets', 0) % 2**32}")]:
        for i, f in enumerate(ifs, 1):
            lines.append(f".1.3.6.1.2.1.2.2.1.{col}.{i} = {fn(i, f)}")
    for col, fn in [(1, lambda i, f: f'STRING: "{f["name"]}"'),
                    (6, lambda i, f: f"Counter64: {f.get('in_octets', 0)}"),
                    (10, lambda i, f: f"Counter64: {f.get('out_octets', 0)}"),
                    (15, lambda i, f: f"Gauge32: {SPEEDS.get(f.get('speed', '1G'))[1] // 10**6}"),
                    (18, lambda i, f: f'STRING: "{f.get("description", "")}"')]:
        for i, f in enumerate(ifs, 1):
            lines.append(f".1.3.6.1.2.1.31.1.1.1.{col}.{i} = {fn(i, f)}")
    if any("in_octets2" in f or "out_octets2" in f for f in ifs) or sample == 2:
        # sysUpTime.0 is the clock of the two counter samples.
        ticks = 100000 + (dev.get("sample_seconds", 60) * 100 if sample == 2 else 0)
        lines.append(f".1.3.6.1.2.1.1.3.0 = Timeticks: ({ticks}) 0:00:00.00")
    return "\n".join(lines) + "\n"


def walk_ip(dev):
    rows = []
    for i, f in enumerate(dev.get("interfaces", []), 1):
        for a in f.get("addresses", [f["address"]] if "address" in f else []):
            iface = ipaddress.ip_interface(a)
            if iface.version == 4:
                rows.append((iface, i))
    rows.sort(key=lambda r: int(r[0].ip))
    lines = []
    for col, fn in [(3, lambda a, i: f"INTEGER: {i}"),
                    (5, lambda a, i: f"OID: .1.3.6.1.2.1.4.32.1.5.{i}.1.4.{oid_ip(a.network.network_address)}.{a.network.prefixlen}")]:
        for a, i in rows:
            lines.append(f".1.3.6.1.2.1.4.34.1.{col}.1.4.{oid_ip(a.ip)} = {fn(a, i)}")
    return "\n".join(lines) + "\n"


def walk_routes(dev):
    ifindex = {f["name"]: i for i, f in enumerate(dev.get("interfaces", []), 1)}
    rows = []
    for r in dev.get("rib", []):
        net = ipaddress.ip_network(r["prefix"])
        best = [p for p in r["paths"] if p.get("best", len(r["paths"]) == 1)]
        for p in best[:1]:
            rows.append((net, p))
    rows.sort(key=lambda x: (int(x[0].network_address), x[0].prefixlen))
    protos = {"bgp": 14, "static": 3, "connected": 2, "local": 2, "ospf": 13}
    lines = []
    for col, fn in [(7, lambda n, p: f"INTEGER: {ifindex.get(p.get('interface'), 0)}"),
                    (8, lambda n, p: "INTEGER: 4"),
                    (9, lambda n, p: f"INTEGER: {protos[p.get('protocol', 'bgp')]}")]:
        for n, p in rows:
            nh = p.get("next_hop", "0.0.0.0")
            lines.append(f".1.3.6.1.2.1.4.24.7.1.{col}.1.4.{oid_ip(n.network_address)}.{n.prefixlen}.2.0.0.1.4.{oid_ip(nh)} = {fn(n, p)}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- snapshot
def expand(prefixes):
    """A list of prefixes; "N x BASE/LEN" stands for the first N /LEN subnets of BASE."""
    out = []
    for p in prefixes:
        if " x " in str(p):
            n, _, spec = p.partition(" x ")
            base, _, ln = spec.rpartition("/")
            net = ipaddress.ip_network(base)
            subs = net.subnets(new_prefix=int(ln))
            out += [str(next(subs)) for _ in range(int(n))]
        else:
            out.append(p)
    return out


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def device_files(name, dev, out):
    d = os.path.join(out, "devices", name)
    for n in (dev.get("bgp") or {}).get("neighbors", []):
        if "advertised" in n:
            n["advertised"] = expand(n["advertised"])
    model = dev.get("model", "openconfig")
    caps = ["urn:ietf:params:netconf:base:1.1", "urn:ietf:params:netconf:capability:candidate:1.0"]
    if dev.get("netconf", True):
        if model in ("ios-xe", "ios-xr"):
            import mknet_cisco
            cfg, st, caps = mknet_cisco.render(model, dev)
        elif model == "openconfig":
            cfg = [oc_interfaces(dev, False), oc_bgp(dev, False), oc_policy(dev), oc_acl(dev), ietf_nat(dev)]
            st = [oc_interfaces(dev, True), oc_bgp(dev, True)]
        else:
            cfg = [ietf_interfaces(dev, False), ietf_nat(dev), ietf_acl(dev)]
            st = [ietf_interfaces(dev, True)]
        write(os.path.join(d, "netconf", "running.xml"), reply([x for x in cfg if x]))
        if dev.get("candidate") and model in ("ios-xe", "ios-xr"):
            cand = dict(dev)
            cand.update(dev["candidate"])
            write(os.path.join(d, "netconf", "candidate.xml"), reply(mknet_cisco.render(model, cand)[0]))
        elif dev.get("candidate"):
            cand = dict(dev)
            cand.update(dev["candidate"])
            write(os.path.join(d, "netconf", "candidate.xml"), reply([x for x in (
                [oc_interfaces(cand, False), oc_bgp(cand, False), oc_policy(cand), oc_acl(cand), ietf_nat(cand)]
                if model == "openconfig" else [ietf_interfaces(cand, False), ietf_nat(cand), ietf_acl(cand)]) if x]))
        st = [x for x in st if x]
        if st:
            write(os.path.join(d, "netconf", "state.xml"), reply(st))
        write(os.path.join(d, "netconf", "capabilities.txt"), "\n".join(caps) + "\n")
    tables = dev.get("snmp", [])
    if "bgp" in tables:
        write(os.path.join(d, "snmp", "bgp.walk"), walk_bgp(dev))
    if "if" in tables:
        write(os.path.join(d, "snmp", "if.walk"), walk_if(dev))
        if any("in_octets2" in f or "out_octets2" in f for f in dev.get("interfaces", [])):
            write(os.path.join(d, "snmp", "if-sample2.walk"), walk_if(dev, 2))
    if "ip" in tables:
        write(os.path.join(d, "snmp", "ip.walk"), walk_ip(dev))
    if "routes" in tables:
        write(os.path.join(d, "snmp", "routes.walk"), walk_routes(dev))


def inventory_yaml(net):
    inv = {k: v for k, v in net.items() if k not in ("devices", "created", "files", "copy")}
    devs = []
    for name, dev in net["devices"].items():
        e = {"name": name, "host": dev.get("host", "127.0.0.1"), "role": dev["role"]}
        if "site" in dev:
            e["site"] = dev["site"]
        cols = (["netconf"] if dev.get("netconf", True) else []) + (["snmp"] if dev.get("snmp") else [])
        e["collectors"] = cols
        e["auth"] = dev.get("auth", "audit")
        if dev.get("zones"):
            e["zones"] = [{"name": z, "faces": z, "interfaces": ifs} for z, ifs in dev["zones"].items()]
        devs.append(e)
    inv["devices"] = devs
    inv.setdefault("auth", [{"name": "audit", "username": "eraudit", "key-file": "~/.ssh/eraudit_ed25519",
                             "snmp": {"version": 3, "user": "eraudit", "level": "authPriv",
                                      "auth-protocol": "SHA-256", "auth-pass": {"env": "ERAUDIT_SNMP_AUTH"},
                                      "priv-protocol": "AES", "priv-pass": {"env": "ERAUDIT_SNMP_PRIV"}}}])
    order = ["known-hosts", "auth", "devices", "circuits", "tenant", "services", "policy", "user-rules",
             "attestations"]
    inv = {k: inv[k] for k in order if k in inv}
    return "# Generated by tools/mknet.py from the network description.\n" + \
        yaml.safe_dump(inv, sort_keys=False, default_flow_style=None, width=110)


def merge(base, over):
    """Mappings merge key by key (a None value deletes); anything else replaces."""
    out = dict(base)
    for k, v in over.items():
        if v is None:
            out.pop(k, None)
        elif isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v)
        else:
            out[k] = v
    return out


def load(path):
    with open(path) as f:
        net = yaml.safe_load(f)
    # Files to copy into the snapshot are named relative to the spec that names them.
    for name, src in (net.get("copy") or {}).items():
        if src is not None:
            net["copy"][name] = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(path)), src))
    if "base" in net:
        base = load(os.path.join(os.path.dirname(path), net.pop("base")))
        net = merge(base, net)
    return net


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    net = load(sys.argv[1])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    status = []
    for name, dev in net["devices"].items():
        st = dev.get("collection", "collected")
        entry = {"name": name, "status": st}
        if dev.get("reason"):
            entry["reason"] = dev["reason"]
        cols = (["netconf"] if dev.get("netconf", True) else []) + (["snmp"] if dev.get("snmp") else [])
        entry["collectors"] = " ".join(cols)
        status.append(entry)
        if st != "failed":
            device_files(name, dev, out)
    man = {"eraudit-snapshot:manifest": {"format": 1, "tool-version": "0.1.0",
                                         "created": net.get("created", "2026-11-20T06:00:00Z"),
                                         "inventory": "inventory.yaml", "device": status}}
    write(os.path.join(out, "manifest.json"), json.dumps(man, indent=2) + "\n")
    write(os.path.join(out, "inventory.yaml"), inventory_yaml(net))
    # Files the inventory names (PAC file, user rules, service data): written or copied beside it.
    for name, text in (net.get("files") or {}).items():
        if text is not None:
            write(os.path.join(out, name), text)
    for name, src in (net.get("copy") or {}).items():
        if src is not None:
            with open(src) as f:
                write(os.path.join(out, name), f.read())


if __name__ == "__main__":
    main()
