"""Render a tools/mknet.py network device as Cisco IOS-XE or IOS-XR NETCONF replies.

A device with `model: ios-xe` is written in Cisco-IOS-XE-native (interfaces,
ip prefix-list, ip community-list, route-map, ip access-list extended, router
bgp, ip nat) with Cisco-IOS-XE-bgp-oper and -interfaces-oper state; one with
`model: ios-xr` in Cisco-IOS-XR-ifmgr-cfg / -ipv4-io-cfg / -ipv4-acl-cfg /
-ipv4-bgp-cfg, RPL text in -policy-repository-cfg, and -ipv4-bgp-oper
state. Element names and namespaces follow Cisco's published YANG modules
(IOS-XE 17.11.1, IOS-XR 7.x). What the platform cannot say the way the spec
says it raises ValueError instead of writing something else: the point is the
same network in another vendor's words, so that its audit must come out the
same as the OpenConfig rendering's.
"""
import ipaddress
import re

XE = "http://cisco.com/ns/yang/Cisco-IOS-XE-"
XR = "http://cisco.com/ns/yang/Cisco-IOS-XR-"
OC_NI = "http://openconfig.net/yang/network-instance"
REDACTED = "eraudit:redacted"   # what a collection stores for a secret
SPEEDS = {"1G": 10**9, "10G": 10**10, "40G": 4 * 10**10, "100G": 10**11}

CAPS = {
    "ios-xe": ["urn:ietf:params:netconf:base:1.1", "urn:ietf:params:netconf:capability:candidate:1.0",
               XE + "native?module=Cisco-IOS-XE-native&revision=2023-03-01",
               XE + "bgp?module=Cisco-IOS-XE-bgp&revision=2023-03-01",
               XE + "bgp-oper?module=Cisco-IOS-XE-bgp-oper&revision=2023-03-01"],
    "ios-xr": ["urn:ietf:params:netconf:base:1.1", "urn:ietf:params:netconf:capability:candidate:1.0",
               XR + "ipv4-bgp-cfg?module=Cisco-IOS-XR-ipv4-bgp-cfg&revision=2019-04-05",
               XR + "policy-repository-cfg?module=Cisco-IOS-XR-policy-repository-cfg&revision=2017-09-07"],
}


def esc(s):
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def el(name, text=None, ns=None, children=None):
    attr = f' xmlns="{ns}"' if ns else ""
    if children is not None:
        return f"<{name}{attr}>{''.join(c for c in children if c)}</{name}>"
    if text is None:
        return f"<{name}{attr}/>"
    return f"<{name}{attr}>{esc(text)}</{name}>"


def split_if(name):
    m = re.match(r"^([A-Za-z-]+)(\d.*)$", name)
    if not m:
        raise ValueError(f"interface {name}: not TYPE+NUMBER as IOS-XE names interfaces")
    return m.group(1), m.group(2)


def addr_mask(a):
    ifc = ipaddress.ip_interface(a)
    return str(ifc.ip), str(ifc.network.netmask)


def one_policy(n, key, dev):
    pols = n.get(key, [])
    if len(pols) > 1:
        raise ValueError(f"{dev}: neighbor {n['address']}: one {key} policy per direction on Cisco")
    return pols[0] if pols else None


def range_words(p):
    """A prefix-set entry 'P [LO..HI]' as (prefix, ge, le)."""
    pr, _, rng = str(p).partition(" ")
    net = ipaddress.ip_network(pr, strict=False)
    if not rng or rng == "exact":
        return pr, None, None
    lo, hi = (int(x) for x in rng.split(".."))
    ge = lo if lo != net.prefixlen else None
    le = hi if hi != lo or ge is None else None
    if ge is None and le is None:
        return pr, None, None
    return pr, ge, le


# ---------------------------------------------------------------- IOS-XE
def xe_interfaces(dev):
    outside = {p["interface"] for p in (dev.get("nat") or {}).get("pools", []) if "interface" in p}
    acl_in = {}
    for a in dev.get("acls", []):
        for i in a.get("interfaces", []):
            acl_in[i] = a["name"]
    out = []
    for ifc in dev.get("interfaces", []):
        typ, num = split_if(ifc["name"])
        ip = []
        if "address" in ifc:
            a, m = addr_mask(ifc["address"])
            m = ifc.get("mask", m)      # a case may plant a bad netmask
            ip.append(el("address", children=[el("primary", children=[el("address", a), el("mask", m)])]))
        if ifc["name"] in acl_in:
            ip.append(el("access-group", children=[el("in", children=[el("acl", children=[
                el("acl-name", acl_in[ifc["name"]]), el("in")])])]))
        if ifc["name"] in outside:
            ip.append(el("nat", ns=XE + "nat", children=[el("outside")]))
        kids = [el("name", num)]
        if "description" in ifc:
            kids.append(el("description", ifc["description"]))
        if ip:
            kids.append(el("ip", children=ip))
        if not ifc.get("enabled", True):
            kids.append(el("shutdown"))
        out.append(el(typ, children=kids))
    return el("interface", children=out)


def xe_prefix_lists(dev):
    # Cisco-IOS-XE-ip: ip/prefix-lists/prefixes, one entry per (name, seq)
    pls = []
    for name, pfxs in (dev.get("prefix_sets") or {}).items():
        for i, p in enumerate(pfxs, 1):
            pr, ge, le = range_words(p)
            pls.append(el("prefixes", children=[el("name", name), el("no", i * 5), el("action", "permit"),
                                                el("ip", pr), el("ge", ge) if ge is not None else None,
                                                el("le", le) if le is not None else None]))
    return el("prefix-lists", children=pls) if pls else None


def xe_community_lists(dev):
    std = []
    for name, members in (dev.get("community_sets") or {}).items():
        opt = (dev.get("community_set_options") or {}).get(name, "any")
        if opt == "invert":
            raise ValueError(f"community-set {name}: invert has no IOS-XE community-list form")
        vals = [" ".join(members)] if opt == "all" else members
        std.append(el("standard", children=[el("name", name), el("action", children=[el("action", "permit")] + [
            el("bgp-community", children=[el("bgp-community", v)]) for v in vals])]))
    if not std:
        return None
    return el("ip-community-list", ns=XE + "bgp", children=[el("community-list", children=std)])


def xe_route_maps(dev, name_of):
    rms = []
    for name, terms in (dev.get("policies") or {}).items():
        seqs = []
        for i, t in enumerate(terms, 1):
            act = t.get("action", "next")
            if act == "next":
                raise ValueError(f"policy {name} term {t['name']}: 'next' has no route-map form without continue")
            if t.get("match_prefix_set_options") == "invert" or t.get("match_community_set_options"):
                raise ValueError(f"policy {name} term {t['name']}: match options have no route-map form")
            match, sets = [], []
            if "match_prefix_set" in t:
                match.append(el("ip", children=[el("address", children=[el("prefix-list", t["match_prefix_set"])])]))
            if "match_community_set" in t:
                match.append(el("bgp-route-map-match", ns=XE + "bgp", children=[el("bgp-community", children=[
                    el("community-list", t["match_community_set"])])]))
            bgp = []
            if "prepend" in t:
                asn = " ".join([str(name_of["as"])] * int(t["prepend"]))
                bgp.append(el("as-path", children=[el("prepend", children=[el("as-container", children=[
                    el("as-number", asn)])])]))
            if "set_local_pref" in t:
                bgp.append(el("local-preference", t["set_local_pref"]))
            if bgp:
                sets.append(el("bgp-route-map-set", ns=XE + "bgp", children=bgp))
            kids = [el("seq_no", i * 10), el("operation", "permit" if act == "accept" else "deny")]
            if sets:
                kids.append(el("set", children=sets))
            if match:
                kids.append(el("match", children=match))
            seqs.append(el("route-map-without-order-seq", ns=XE + "route-map", children=kids))
        rms.append(el("route-map", children=[el("name", name)] + seqs))
    return rms


def xe_acls(dev):
    exts = []
    for a in dev.get("acls", []):
        rules = []
        for r in a["rules"]:
            ace = [el("action", r["action"]), el("protocol", r.get("protocol", "ip"))]
            for side, anyel, hostel, addrel, maskel in (("source", "any", "host-address", "ipv4-address", "mask"),
                                                       ("destination", "dst-any", "dst-host-address",
                                                        "dest-ipv4-address",
                                                        "dest-mask")):
                v = r.get(side, "any")
                if v == "any":
                    ace.append(el(anyel))
                else:
                    net = ipaddress.ip_network(v, strict=False)
                    if net.prefixlen == 32:
                        ace.append(el(hostel, str(net.network_address)))
                    else:
                        ace += [el(addrel, str(net.network_address)), el(maskel, str(net.hostmask))]
            ports = str(r.get("ports", "any"))
            if ports != "any":
                if "-" in ports:
                    lo, hi = ports.split("-")
                    ace += [el("dst-range1", lo), el("dst-range2", hi)]
                else:
                    ace.append(el("dst-eq", ports))
            rules.append(el("access-list-seq-rule", children=[el("sequence", r["seq"]),
                                                              el("ace-rule", children=ace)]))
        exts.append(el("extended", ns=XE + "acl", children=[el("name", a["name"])] + rules))
    return el("access-list", children=exts) if exts else None


def xe_nat(dev):
    nat = dev.get("nat")
    if not nat:
        return None
    if nat.get("static") or any("match" in p for p in nat.get("pools", [])):
        raise ValueError("NAT static entries and match lists are not rendered for IOS-XE")
    pools, lists = [], []
    for p in nat.get("pools", []):
        net = ipaddress.ip_network(p["prefix"])
        pools.append(el("pool", children=[el("id", p["name"]), el("start-address", str(net[0])),
                                          el("end-address", str(net[-1])), el("prefix-length", net.prefixlen)]))
        if "interface" not in p:
            raise ValueError(f"NAT pool {p['name']}: IOS-XE translates on ip nat outside interfaces only")
        lists.append(el("list", children=[el("id", "NAT-" + p["name"]), el("pool", children=[
            el("name", p["name"]), el("overload-new")])]))
    return el("nat", ns=XE + "nat", children=pools + [el("inside", children=[el("source", children=[
        el("list-pool", children=lists)])])])


def xe_bgp(dev):
    bgp = dev.get("bgp")
    if not bgp:
        return None
    if any(k in bgp for k in ("default_import", "default_export")):
        raise ValueError("default import/export policies have no IOS-XE form")
    g = [el("router-id", children=[el("ip-id", bgp["router_id"])])] if "router_id" in bgp else []
    if bgp.get("ignore_as_path_length"):
        g.append(el("bestpath", children=[el("as-path", "ignore")]))
    kids = [el("id", bgp["as"])]
    if g:
        kids.append(el("bgp", children=g))
    afn = []
    for n in bgp.get("neighbors", []):
        nk = [el("id", n["address"]), el("remote-as", n["as"])]
        if "description" in n:
            nk.append(el("description", n["description"]))
        if not n.get("enabled", True):
            nk.append(el("shutdown"))
        if n.get("md5"):
            nk.append(el("password", children=[el("enctype", 7), el("text", REDACTED)]))
        if "hold" in n or "keepalive" in n:
            nk.append(el("timers", children=[el("keepalive-interval", n.get("keepalive", 30)),
                                             el("holdtime", n.get("hold", 90))]))
        if n.get("bfd"):
            nk.append(el("fall-over", children=[el("bfd")]))
        kids.append(el("neighbor", children=nk))
        ak = [el("id", n["address"]), el("activate")]
        for d, key in (("in", "import"), ("out", "export")):
            pol = one_policy(n, key, "ios-xe")
            if pol:
                ak.append(el("route-map", children=[el("inout", d), el("route-map-name", pol)]))
        if "max_prefixes" in n:
            ak.append(el("maximum-prefix", children=[el("max-prefix-no", n["max_prefixes"])]))
        afn.append(el("neighbor", children=ak))
    kids.append(el("address-family", children=[el("no-vrf", children=[el("ipv4", children=[
        el("af-name", "unicast"), el("ipv4-unicast", children=afn)])])]))
    return el("bgp", ns=XE + "bgp", children=kids)


def xe_config(dev):
    ip = [xe_prefix_lists(dev), xe_community_lists(dev), xe_acls(dev), xe_nat(dev)]
    body = [el("hostname", dev.get("hostname", "xe")), xe_interfaces(dev)]
    ip = [x for x in ip if x]
    if ip:
        body.append(el("ip", children=ip))
    body += xe_route_maps(dev, dev.get("bgp") or {"as": 0})
    b = xe_bgp(dev)
    if b:
        body.append(el("router", children=[b]))
    return [el("native", ns=XE + "native", children=body)]


def oc_adj_rib_out(bgp):
    """Advertised prefixes: IOS-XE 17 serves them in openconfig-network-instance state."""
    ribn = []
    for n in bgp.get("neighbors", []):
        if "advertised" in n:
            routes = [el("route", children=[el("prefix", p), el("path-id", 0)]) for p in n["advertised"]]
            ribn.append(el("neighbor", children=[el("neighbor-address", n["address"]),
                                                 el("adj-rib-out-post", children=[el("routes", children=routes)])]))
    if not ribn:
        return None
    rib = el("rib", children=[el("afi-safis", children=[el("afi-safi", children=[
        el("afi-safi-name", "IPV4_UNICAST"), el("ipv4-unicast", children=[el("neighbors", children=ribn)])])])])
    proto = el("protocol", children=[el("identifier", "BGP"), el("name", "BGP"), el("bgp", children=[rib])])
    return el("network-instances", ns=OC_NI, children=[el("network-instance", children=[
        el("name", "default"), el("protocols", children=[proto])])])


def xe_state(dev):
    out = []
    ifs = []
    for ifc in dev.get("interfaces", []):
        if "oper" in ifc or ifc.get("enabled", True):
            st = {"up": "if-oper-state-ready", "down": "if-oper-state-no-pass"}.get(ifc.get("oper", "up"),
                                                                                  "if-oper-state-invalid")
            kids = [el("name", ifc["name"]), el("oper-status", st)]
            if "speed" in ifc:
                kids.append(el("speed", SPEEDS[ifc["speed"]]))
            ifs.append(el("interface", children=kids))
    if ifs:
        out.append(el("interfaces", ns=XE + "interfaces-oper", children=ifs))
    bgp = dev.get("bgp") or {}
    nbrs = []
    for n in bgp.get("neighbors", []):
        if n.get("state_via", "netconf") != "netconf" or "state" not in n:
            continue
        act = [el("received", children=[el("current-prefixes", n.get("received", 0))])]
        if "advertised" in n:
            act.append(el("sent", children=[el("current-prefixes", len(n["advertised"]))]))
        nbrs.append(el("neighbor", children=[el("afi-safi", "ipv4-unicast"), el("vrf-name", "default"),
                                             el("neighbor-id", n["address"]),
                                             el("session-state", "fsm-" + n["state"]),
                                             el("prefix-activity", children=act)]))
    if nbrs:
        out.append(el("bgp-state-data", ns=XE + "bgp-oper", children=[el("neighbors", children=nbrs)]))
    out.append(oc_adj_rib_out(bgp))
    return [x for x in out if x]


# ---------------------------------------------------------------- IOS-XR
def xr_interfaces(dev):
    acl_in = {}
    for a in dev.get("acls", []):
        for i in a.get("interfaces", []):
            acl_in[i] = a["name"]
    out = []
    for ifc in dev.get("interfaces", []):
        kids = [el("active", "act"), el("interface-name", ifc["name"])]
        if "description" in ifc:
            kids.append(el("description", ifc["description"]))
        if not ifc.get("enabled", True):
            kids.append(el("shutdown"))
        if "address" in ifc:
            a, m = addr_mask(ifc["address"])
            kids.append(el("ipv4-network", ns=XR + "ipv4-io-cfg", children=[el("addresses", children=[
                el("primary", children=[el("address", a), el("netmask", m)])])]))
        if ifc["name"] in acl_in:
            kids.append(el("ipv4-packet-filter", ns=XR + "ip-pfilter-cfg", children=[el("inbound", children=[
                el("name", acl_in[ifc["name"]])])]))
        out.append(el("interface-configuration", children=kids))
    return el("interface-configurations", ns=XR + "ifmgr-cfg", children=out)


def xr_acls(dev):
    accs = []
    for a in dev.get("acls", []):
        ents = []
        for r in a["rules"]:
            kids = [el("sequence-number", r["seq"]), el("grant", r["action"])]
            proto = r.get("protocol", "ip")
            kids.append(el("protocol", "ipv4" if proto == "ip" else proto))
            for side in ("source", "destination"):
                v = r.get(side, "any")
                if v != "any":
                    net = ipaddress.ip_network(v, strict=False)
                    kids.append(el(side + "-network", children=[el(side + "-address", str(net.network_address)),
                                                                el(side + "-wild-card-bits", str(net.hostmask))]))
            ports = str(r.get("ports", "any"))
            if ports != "any":
                lo, _, hi = ports.partition("-")
                dp = [el("destination-operator", "range" if hi else "equal"), el("first-destination-port", lo)]
                if hi:
                    dp.append(el("second-destination-port", hi))
                kids.append(el("destination-port", children=dp))
            ents.append(el("access-list-entry", children=kids))
        accs.append(el("access", children=[el("access-list-name", a["name"]),
                                           el("access-list-entries", children=ents)]))
    if not accs:
        return None
    return el("ipv4-acl-and-prefix-list", ns=XR + "ipv4-acl-cfg", children=[el("accesses", children=accs)])


def rpl_policy(name, terms, dev):
    lines = [f"route-policy {name}"]
    for t in terms:
        cond = []
        if "match_prefix_set" in t:
            inv = t.get("match_prefix_set_options") == "invert"
            cond.append(("not " if inv else "") + f"destination in {t['match_prefix_set']}")
        if "match_community_set" in t:
            opt = t.get("match_community_set_options") or (dev.get("community_set_options") or {}).get(
                t["match_community_set"], "any")
            word = {"any": "matches-any", "all": "matches-every", "invert": "matches-any"}[opt]
            cond.append(("not " if opt == "invert" else "") + f"community {word} {t['match_community_set']}")
        act = t.get("action", "next")
        body = []
        if "set_local_pref" in t:
            body.append(f"set local-preference {t['set_local_pref']}")
        if "prepend" in t:
            body.append(f"prepend as-path own-as {t['prepend']}")
        if act == "next":
            if body:
                raise ValueError(f"policy {name} term {t['name']}: sets without accept pass the route in RPL")
            continue
        body.append("done" if act == "accept" else "drop")
        if cond:
            lines.append(f"  if {' and '.join(cond)} then")
            lines += ["    " + b for b in body]
            lines.append("  endif")
        else:
            lines += ["  " + b for b in body]
            break
    lines.append("end-policy")
    return "\n".join(lines) + "\n"


def xr_policy(dev):
    ps, cs, rp = [], [], []
    for name, pfxs in (dev.get("prefix_sets") or {}).items():
        ents = []
        for p in pfxs:
            pr, ge, le = range_words(p)
            ents.append(pr + (f" ge {ge}" if ge is not None else "") + (f" le {le}" if le is not None else ""))
        text = f"prefix-set {name}\n  " + ",\n  ".join(ents) + "\nend-set\n"
        ps.append(el("prefix-set", children=[el("set-name", name), el("rpl-prefix-set", text)]))
    for name, members in (dev.get("community_sets") or {}).items():
        text = f"community-set {name}\n  " + ",\n  ".join(members) + "\nend-set\n"
        cs.append(el("community-set", children=[el("set-name", name), el("rpl-community-set", text)]))
    raw = dev.get("rpl_text") or {}     # policies written as RPL directly (what the spec cannot say)
    for name, terms in (dev.get("policies") or {}).items():
        text = raw.get(name) or rpl_policy(name, terms, dev)
        rp.append(el("route-policy", children=[el("route-policy-name", name), el("rpl-route-policy", text)]))
    if not (ps or cs or rp):
        return None
    sets = []
    if ps:
        sets.append(el("prefix-sets", children=ps))
    if cs:
        sets.append(el("community-sets", children=cs))
    return el("routing-policy", ns=XR + "policy-repository-cfg", children=[
        el("route-policies", children=rp) if rp else None, el("sets", children=sets) if sets else None])


def xr_bgp(dev):
    bgp = dev.get("bgp")
    if not bgp:
        return None
    if dev.get("nat"):
        raise ValueError("NAT has no IOS-XR rendering here (IOS-XR routers do not translate)")
    asn = int(bgp["as"])
    glob = []
    if "router_id" in bgp:
        glob.append(el("router-id", bgp["router_id"]))
    if bgp.get("ignore_as_path_length"):
        glob.append(el("best-path-as-path-length"))
    groups, nbrs = {}, []
    for n in bgp.get("neighbors", []):
        nk = [el("neighbor-address", n["address"])]
        # Microsoft sessions share a neighbor-group carrying remote-as, timers and BFD (inherited).
        gname = "MICROSOFT" if int(n["as"]) == 12076 and n.get("group", True) else None
        sess = [el("remote-as", children=[el("as-xx", int(n["as"]) >> 16), el("as-yy", int(n["as"]) & 0xffff)])]
        if n.get("bfd"):
            sess.append(el("bfd-enable-modes", "default"))
        if "hold" in n or "keepalive" in n:
            sess.append(el("timers", children=[el("keepalive-interval", n.get("keepalive", 30)),
                                               el("hold-time", n.get("hold", 90))]))
        if gname:
            key = tuple(sess)
            if gname in groups and groups[gname] != key:
                gname = None
            else:
                groups[gname] = key
        if gname:
            nk.append(el("neighbor-group-add-member", gname))
        else:
            nk += sess
        if "description" in n:
            nk.append(el("description", n["description"]))
        if not n.get("enabled", True):
            nk.append(el("shutdown"))
        if n.get("md5"):
            nk.append(el("password", children=[el("password-disable", "false"), el("password", REDACTED)]))
        af = [el("af-name", "ipv4-unicast"), el("activate")]
        for d, key in (("in", "import"), ("out", "export")):
            pol = one_policy(n, key, "ios-xr")
            if pol:
                af.append(el(f"route-policy-{d}", pol))
        if "max_prefixes" in n:
            af.append(el("maximum-prefixes", children=[el("prefix-limit", n["max_prefixes"]),
                                                       el("warning-percentage", 75)]))
        nk.append(el("neighbor-afs", children=[el("neighbor-af", children=af)]))
        nbrs.append(el("neighbor", children=nk))
    grp = [el("neighbor-group", children=[el("neighbor-group-name", g), el("create")] + list(k))
           for g, k in groups.items()]
    entity = [el("neighbor-groups", children=grp) if grp else None, el("neighbors", children=nbrs)]
    dv = el("default-vrf", children=[el("global", children=glob) if glob else None,
                                     el("bgp-entity", children=entity)])
    return el("bgp", ns=XR + "ipv4-bgp-cfg", children=[el("instance", children=[
        el("instance-name", "default"), el("instance-as", children=[el("as", asn >> 16), el("four-byte-as", children=[
            el("as", asn & 0xffff), el("bgp-running"), dv])])])])


def xr_config(dev):
    return [x for x in (xr_interfaces(dev), xr_acls(dev), xr_policy(dev), xr_bgp(dev)) if x]


def xr_state(dev):
    bgp = dev.get("bgp") or {}
    states = {"idle": "bgp-st-idle", "connect": "bgp-st-connect", "active": "bgp-st-active",
              "opensent": "bgp-st-opensent", "openconfirm": "bgp-st-openconfirm", "established": "bgp-st-estab"}
    nbrs = []
    for n in bgp.get("neighbors", []):
        if n.get("state_via", "netconf") != "netconf" or "state" not in n:
            continue
        af = [el("af-name", "ipv4"), el("prefixes-accepted", n.get("received", 0))]
        if "advertised" in n:
            af.append(el("prefixes-advertised", len(n["advertised"])))
        nbrs.append(el("neighbor", children=[el("neighbor-address", n["address"]), el("remote-as", n["as"]),
                                             el("connection-state", states[n["state"]]),
                                             el("af-data", children=af)]))
    out = []
    if nbrs:
        out.append(el("bgp", ns=XR + "ipv4-bgp-oper", children=[el("instances", children=[el("instance", children=[
            el("instance-name", "default"), el("instance-active", children=[el("default-vrf", children=[
                el("neighbors", children=nbrs)])])])])]))
    out.append(oc_adj_rib_out(bgp))
    return [x for x in out if x]


def render(model, dev):
    """(config parts, state parts, capabilities) of a Cisco device."""
    if model == "ios-xe":
        return xe_config(dev), xe_state(dev), CAPS[model]
    if model == "ios-xr":
        return xr_config(dev), xr_state(dev), CAPS[model]
    raise ValueError(f"unknown Cisco model {model}")
