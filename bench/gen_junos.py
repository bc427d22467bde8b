#!/usr/bin/python3
"""The audit benchmark's network (bench/gen.py) with every device answering
as Junos: the committed configuration in the xnm namespace straight in
<rpc-reply> (interfaces with units, routing-options, a BGP group with its
neighbors, policy-options, services nat), and <get-bgp-neighbor-information>,
<get-interface-information> and the advertised routes per Microsoft peer as
Junos replies. The SNMP route walks are the same as gen.py's.

    bench/gen_junos.py N OUTDIR
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
import gen  # noqa: E402
import mknet  # noqa: E402
from mknet import el  # noqa: E402

NC = "urn:ietf:params:xml:ns:netconf:base:1.0"
XNM = "http://xml.juniper.net/xnm/1.1/xnm"
ROUTING = "http://xml.juniper.net/junos/22.4R0/junos-routing"
IFNS = "http://xml.juniper.net/junos/22.4R0/junos-interface"


def reply(body):
    return f'<rpc-reply xmlns="{NC}" message-id="2">\n{body}\n</rpc-reply>\n'


def interfaces(dev):
    out = []
    for ifc in dev["interfaces"]:
        unit = [el("name", "0")]
        if ifc.get("address"):
            unit.append(el("family", children=[el("inet", children=[el("address", children=[
                el("name", ifc["address"])])])]))
        out.append(el("interface", children=[el("name", ifc["name"]), el("description", ifc["description"]),
                                             el("unit", children=unit)]))
    return el("interfaces", children=out)


def bgp(dev):
    b = dev["bgp"]
    groups = {}
    for n in b["neighbors"]:
        key = (tuple(n.get("import", [])), tuple(n.get("export", [])), n.get("bfd", False))
        groups.setdefault(key, []).append(n)
    out = []
    for k, (key, nbrs) in enumerate(sorted(groups.items(), key=lambda kv: str(kv[0]))):
        imp, exp, bfd = key
        g = [el("name", f"G{k}"), el("type", "external")]
        g += [el("import", p) for p in imp] + [el("export", p) for p in exp]
        if bfd:
            g.append(el("bfd-liveness-detection", children=[el("minimum-interval", "300")]))
        for n in nbrs:
            g.append(el("neighbor", children=[el("name", n["address"]), el("description", n["description"]),
                                              el("peer-as", n["as"])]))
        out.append(el("group", children=g))
    return el("protocols", children=[el("bgp", children=out)])


def policy_options(dev):
    out = []
    for name, pfx in dev["prefix_sets"].items():
        out.append(el("prefix-list", children=[el("name", name)] + [
            el("prefix-list-item", children=[el("name", p)]) for p in pfx]))
    for name, terms in dev["policies"].items():
        ts = []
        for t in terms:
            frm = [el("prefix-list", children=[el("name", t["match_prefix_set"])])] if "match_prefix_set" in t else []
            then = []
            if "set_local_pref" in t:
                then.append(el("local-preference", children=[el("local-preference", t["set_local_pref"])]))
            then.append(f"<{t['action']}/>")
            ts.append(el("term", children=[el("name", t["name"])] + ([el("from", children=frm)] if frm else []) +
                         [el("then", children=then)]))
        out.append(el("policy-statement", children=[el("name", name)] + ts))
    return el("policy-options", children=out)


def nat(dev):
    pools, rules = [], []
    for p in dev["nat"]["pools"]:
        pools.append(el("pool", children=[el("name", p["name"]), el("address", children=[el("name", p["prefix"])])]))
        rules.append(el("rule-set", children=[el("name", "rs-" + p["name"]), el("to", children=[
            el("interface", p["interface"] + ".0")]), el("rule", children=[el("name", "all"), el("then", children=[
                el("source-nat", children=[el("pool", children=[el("pool-name", p["name"])])])])])]))
    return el("services", children=[el("nat", children=[el("source", children=pools + rules)])])


def configuration(dev):
    ro = el("routing-options", children=[el("router-id", dev["bgp"]["router_id"]), el("autonomous-system", children=[
        el("as-number", dev["bgp"]["as"])])])
    return f'<configuration xmlns="{XNM}">' + interfaces(dev) + ro + bgp(dev) + policy_options(dev) + nat(dev) + \
        "</configuration>"


def bgp_state(dev):
    peers = []
    for n in dev["bgp"]["neighbors"]:
        rib = [el("name", "inet.0"), el("received-prefix-count", n.get("received", 0)),
               el("accepted-prefix-count", n.get("received", 0)),
               el("advertised-prefix-count", len(n.get("advertised", [])))]
        peers.append(el("bgp-peer", children=[el("peer-address", n["address"] + "+179"), el("peer-as", n["as"]),
                                              el("peer-state", n.get("state", "idle").capitalize()),
                                              el("bgp-rib", children=rib)]))
    return f'<bgp-information xmlns="{ROUTING}">' + "".join(peers) + "</bgp-information>"


def if_state(dev):
    out = []
    for ifc in dev["interfaces"]:
        out.append(el("physical-interface", children=[
            el("name", ifc["name"]), el("oper-status", "up"), el("speed", "10Gbps"),
            el("traffic-statistics", children=[el("input-bytes", ifc["in_octets"]),
                                               el("output-bytes", ifc["out_octets"])]),
            el("logical-interface", children=[el("name", ifc["name"] + ".0")])]))
    return f'<interface-information xmlns="{IFNS}">' + "".join(out) + "</interface-information>"


def advertised(prefixes):
    rts = "".join(el("rt", children=[el("rt-destination", p)]) for p in prefixes)
    return f'<route-information xmlns="{ROUTING}"><route-table>{el("table-name", "inet.0")}{rts}' + \
        "</route-table></route-information>"


def device_files(name, dev, out):
    d = os.path.join(out, "devices", name, "netconf")
    mknet.write(os.path.join(d, "running.xml"), reply(configuration(dev)))
    mknet.write(os.path.join(d, "junos-bgp.xml"), reply(bgp_state(dev)))
    mknet.write(os.path.join(d, "junos-interfaces.xml"), reply(if_state(dev)))
    for n in dev["bgp"]["neighbors"]:
        if n.get("advertised"):
            mknet.write(os.path.join(d, "junos-adv", n["address"] + ".xml"),
                        reply(advertised(mknet.expand(n["advertised"]))))
    mknet.write(os.path.join(d, "capabilities.txt"), "urn:ietf:params:netconf:base:1.0\n"
                "http://xml.juniper.net/netconf/junos/1.0\n")
    s = os.path.join(out, "devices", name, "snmp")
    mknet.write(os.path.join(s, "routes.walk"), mknet.walk_routes(dev))


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    # The OpenConfig network first (inventory, manifest, service tags), then each device's files replaced.
    sys.argv = [sys.argv[0], str(n), out]
    gen.main()
    for i in range(n):
        name = f"dev{i:05d}"
        dev = gen.device(i)
        nd = os.path.join(out, "devices", name, "netconf")
        for f in os.listdir(nd):
            os.remove(os.path.join(nd, f))
        device_files(name, dev, out)


if __name__ == "__main__":
    main()
