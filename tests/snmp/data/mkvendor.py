#!/usr/bin/python3
"""Writes routers that publish BGP in vendor MIBs (run once; the output is
committed): .snmprec recordings for snmpsim here, and the same rows as
`snmpbulkwalk -On` walk files for the unit tests (tests/unit/data/snmp).

OIDs and index structure from the MIB definitions:
  CISCO-BGP4-MIB       ciscoBgp4MIB 1.3.6.1.4.1.9.9.187; cbgpLocalAs .1.3.2;
                       cbgpPeer2Entry .1.2.5.1 INDEX {cbgpPeer2Type, cbgpPeer2RemoteAddr}
                       (InetAddressType, InetAddress: a length octet, then the address);
                       cbgpPeer2AddrFamilyPrefixEntry .1.2.8.1 INDEX {..., Afi, Safi}
  BGP4-V2-MIB-JUNIPER  jnxBgpM2PeerEntry 1.3.6.1.4.1.2636.5.1.1.2.1.1.1 INDEX {RoutingInstance,
                       LocalAddrType, LocalAddr, RemoteAddrType, RemoteAddr}; Junos writes the
                       addresses without the length octet; jnxBgpM2PrefixCountersEntry
                       .2636.5.1.1.2.6.2.1 INDEX {jnxBgpM2PeerIndex, Afi, Safi}
  BGP4V2 draft         under Arista's arc (ARISTA-BGP4V2-MIB 1.3.6.1.4.1.30065.4.1.1) and
                       FRR's (Cumulus 1.3.6.1.4.1.7336.4.2.1.1): .2.1 bgp4V2PeerEntry INDEX
                       {Instance, RemoteAddrType, RemoteAddr}, .8.1 bgp4V2PrefixGaugesEntry
                       INDEX {..., Afi, Safi}; FRR writes the address without the length octet

  cisco     CISCO-BGP4-MIB only (no BGP4-MIB): an IPv4 and an IPv6 peer, 4-byte ASes
  junos     BGP4-V2-MIB-JUNIPER beside a BGP4-MIB that shows AS_TRANS; both route tables
            (the older one with routes the newer lacks); an ipCidrRouteTable whose
            protocol column lacks one row and has another (the table changed mid-walk)
  arista    the BGP4V2 draft under Arista's arc only
  frr4v2    (unit test only) the draft under FRR's arc, addresses without length octets
  mixed     (unit test only) BGP4-MIB with more peers than the BGP4V2 table, which holds
            the 4-byte AS behind BGP4-MIB's AS_TRANS
"""
import ipaddress
import os

from mkrec import cidr, iftable, key, peers, system, write

HERE = os.path.dirname(os.path.abspath(__file__))
UNIT = os.path.join(HERE, "..", "..", "unit", "data", "snmp")
CB = "1.3.6.1.4.1.9.9.187.1"
JNX = "1.3.6.1.4.1.2636.5.1.1.2"
ARISTA = "1.3.6.1.4.1.30065.4.1.1"
FRR = "1.3.6.1.4.1.7336.4.2.1.1"
INET = "1.3.6.1.2.1.4.24.7.1"


def octets(addr):
    return list(ipaddress.ip_address(addr).packed)


def inet(addr, length_octet=True):
    """InetAddressType + InetAddress as index sub-identifiers."""
    o = octets(addr)
    return ".".join(str(x) for x in [1 if len(o) == 4 else 2] + ([len(o)] if length_octet else []) + o)


def hexs(addr):
    return "".join("%02x" % b for b in octets(addr))


def cisco_peers(local_as, rows):
    """rows: (address, AS, state, admin, local address[, hold, keepalive, hold configured, keepalive configured])"""
    r = [(f"{CB}.3.2.0", 66, local_as)]
    for row in rows:
        addr, asn, state, admin, laddr = row[:5]
        hold, ka, hold_cfg, ka_cfg = row[5:] if len(row) > 5 else (90, 30, 180, 60)
        ix = inet(addr)
        cols = {3: (2, state), 4: (2, admin), 5: (2, 4), 6: ("4x", hexs(laddr) if laddr else ""), 7: (66, 179),
                8: (66, local_as), 9: (64, "192.0.2.254"), 10: (66, 40000), 11: (66, asn),
                12: (64, "13.107.0.1"), 13: (65, 12), 14: (65, 7), 21: (2, hold), 22: (2, ka), 23: (2, hold_cfg),
                24: (2, ka_cfg), 28: (4, "")}
        r += [(f"{CB}.2.5.1.{c}.{ix}", t, v) for c, (t, v) in cols.items()]
    return r


def cisco_prefixes(rows):
    r = []
    for addr, afi, safi, acc, adv in rows:
        ix = f"{inet(addr)}.{afi}.{safi}"
        cols = {1: (65, acc), 2: (66, 0), 6: (66, adv), 7: (66, 0), 8: (66, 0)}
        r += [(f"{CB}.2.8.1.{c}.{ix}", t, v) for c, (t, v) in cols.items()]
    return r


def jnx_peers(rows, length_octet=False):
    r = []
    for inst, laddr, addr, asn, local_as, state, index in rows:
        ix = f"{inst}.{inet(laddr, length_octet)}.{inet(addr, length_octet)}"
        v4 = ipaddress.ip_address(addr).version == 4
        cols = {1: (64, "13.107.0.1"), 2: (2, state), 3: (2, 2), 4: (66, 4), 5: (66, 4), 6: (2, 1 if v4 else 2),
                7: ("4x", hexs(laddr)), 8: (66, 179), 9: (66, local_as), 10: (2, 1 if v4 else 2),
                11: ("4x", hexs(addr)), 12: (66, 50000), 13: (66, asn), 14: (66, index), 15: (66, inst)}
        r += [(f"{JNX}.1.1.1.{c}.{ix}", t, v) for c, (t, v) in cols.items()]
    return r


def jnx_counters(rows):
    r = []
    for index, afi, safi, acc, out in rows:
        ix = f"{index}.{afi}.{safi}"
        cols = {1: (2, afi), 2: (2, safi), 7: (66, acc), 8: (66, acc), 9: (66, 0), 10: (66, out), 11: (66, acc)}
        r += [(f"{JNX}.6.2.1.{c}.{ix}", t, v) for c, (t, v) in cols.items()]
    return r


def v2_peers(root, rows, length_octet=True):
    r = []
    for addr, laddr, asn, local_as, state, admin, descr in rows:
        ix = f"1.{inet(addr, length_octet)}"
        v4 = ipaddress.ip_address(addr).version == 4
        cols = {2: (2, 1 if v4 else 2), 3: ("4x", hexs(laddr)), 6: (66, 179), 7: (66, local_as),
                8: ("4x", "c00002fe"), 9: (66, 41000), 10: (66, asn), 11: ("4x", "0d6b0001"), 12: (2, admin),
                13: (2, state), 14: (4, descr)}
        r += [(f"{root}.2.1.{c}.{ix}", t, v) for c, (t, v) in cols.items()]
    return r


def v2_gauges(root, rows, length_octet=True):
    r = []
    for addr, afi, safi, acc, out in rows:
        ix = f"1.{inet(addr, length_octet)}.{afi}.{safi}"
        r += [(f"{root}.8.1.{c}.{ix}", 66, v) for c, v in ((3, acc), (4, acc), (5, out))]
    return r


def inet_cidr(rows):
    r = []
    for pfx, nh, ifindex, proto in rows:
        net = ipaddress.ip_network(pfx)
        ix = f"{inet(str(net.network_address))}.{net.prefixlen}.2.0.0.{inet(nh)}"
        cols = {7: (2, ifindex), 8: (2, 4 if proto != 2 else 3), 9: (2, proto), 10: (66, 60), 11: (66, 0),
                12: (2, 0), 17: (2, 1)}
        r += [(f"{INET}.{c}.{ix}", t, v) for c, (t, v) in cols.items()]
    return r


def walk_line(oid, tag, val):
    """One varbind as `snmpbulkwalk -On -m ''` prints it."""
    if tag == "4x":
        b = bytes.fromhex(val)
        if not b:
            return f'.{oid} = ""\n'
        chunks = [" ".join("%02X" % x for x in b[i:i + 16]) + " " for i in range(0, len(b), 16)]
        return f".{oid} = Hex-STRING: " + "\n".join(chunks) + "\n"
    kind = {2: "INTEGER", 64: "IpAddress", 65: "Counter32", 66: "Gauge32"}
    if tag == 4:
        return f'.{oid} = STRING: "{val}"\n' if val else f'.{oid} = ""\n'
    if tag == 6:
        return f".{oid} = OID: .{val}\n"
    if tag == 67:
        return f".{oid} = Timeticks: ({val}) 0:00:00.00\n"
    return f".{oid} = {kind[tag]}: {val}\n"


def unit_walks(device, tables):
    """tables: {file name: records}; each file sorted as a walk returns it."""
    d = os.path.join(UNIT, device, "snmp")
    os.makedirs(d, exist_ok=True)
    for name, recs in tables.items():
        with open(os.path.join(d, name + ".walk"), "w") as f:
            for oid, tag, val in sorted(recs, key=key):
                f.write(walk_line(oid, tag, val))


def split(recs, roots):
    """Records by table: {name: [records under root]}."""
    return {name: [r for r in recs if r[0].startswith(root + ".")] for name, root in roots.items()}


def main():
    # -- cisco: CISCO-BGP4-MIB only
    cp = cisco_peers(4200000001, [("192.0.2.1", 12076, 6, 2, "192.0.2.2"), ("2001:db8::1", 4200000002, 1, 1, None)])
    cx = cisco_prefixes([("192.0.2.1", 1, 1, 3, 1), ("192.0.2.1", 1, 128, 99, 0), ("2001:db8::1", 2, 1, 0, 0)])
    write("cisco", system("rec-cisco recorded router, CISCO-BGP4-MIB only") + iftable(["Gi0/0/0"]) + cp + cx,
          header="Recorded router with BGP only in CISCO-BGP4-MIB (written by mkvendor.py).")
    unit_walks("cisco", split(cp + cx, {"cbgpLocalAs": f"{CB}.3.2", "cbgpPeer2Table": f"{CB}.2.5",
                                        "cbgpPeer2AddrFamilyPrefixTable": f"{CB}.2.8"}))

    # -- junos: BGP4-V2-MIB-JUNIPER (no length octets), BGP4-MIB with AS_TRANS, both route tables
    jp = jnx_peers([(0, "192.0.2.2", "192.0.2.1", 12076, 4200000010, 6, 1),
                    (0, "198.51.100.2", "198.51.100.1", 4200000003, 4200000010, 6, 2),
                    (0, "2001:db8::2", "2001:db8::1", 4200000002, 4200000010, 3, 3)])
    jc = jnx_counters([(1, 1, 1, 5, 2), (1, 1, 128, 40, 0), (2, 1, 1, 7, 2), (3, 2, 1, 0, 0)])
    bp = peers(23456, [("192.0.2.1", 12076, 6, "192.0.2.2"), ("198.51.100.1", 23456, 6, "198.51.100.2")])
    ic = inet_cidr([("0.0.0.0/0", "192.0.2.1", 1, 14), ("192.0.2.0/30", "0.0.0.0", 1, 2),
                    ("2001:db8::/64", "::", 2, 2)])
    cr = cidr([("0.0.0.0/0", "192.0.2.1", 1, 14), ("192.0.2.0/30", "0.0.0.0", 1, 2),
               ("52.112.0.0/14", "192.0.2.1", 1, 14), ("13.107.6.152/31", "192.0.2.1", 1, 14),
               ("10.0.0.0/8", "198.51.100.1", 2, 3)])
    # the table changed during the walk: the protocol column (7) lost 10.0.0.0/8 and gained 10.1.0.0/16
    gone = "1.3.6.1.2.1.4.24.4.1.7.10.0.0.0.255.0.0.0.0.198.51.100.1"
    cr = [r for r in cr if r[0] != gone] + [("1.3.6.1.2.1.4.24.4.1.7.10.1.0.0.255.255.0.0.0.198.51.100.1", 2, 3)]
    write("junos", system("rec-junos recorded router, Junos MIBs") + iftable(["ge-0/0/0", "ge-0/0/1"]) + jp + jc
          + bp + ic + cr, header="Recorded router with BGP4-V2-MIB-JUNIPER, BGP4-MIB (AS_TRANS) and both route "
          "tables, one changed mid-walk (written by mkvendor.py).")
    unit_walks("junos", split(jp + jc + bp + ic + cr, {
        "jnxBgpM2PeerTable": f"{JNX}.1.1", "jnxBgpM2PrefixCountersTable": f"{JNX}.6.2",
        "bgpLocalAs": "1.3.6.1.2.1.15.2", "bgpPeerTable": "1.3.6.1.2.1.15.3",
        "inetCidrRouteTable": "1.3.6.1.2.1.4.24.7", "ipCidrRouteTable": "1.3.6.1.2.1.4.24.4"}))

    # -- arista: the BGP4V2 draft under Arista's arc only
    ap = v2_peers(ARISTA, [("192.0.2.9", "192.0.2.10", 12076, 65010, 6, 2, "MSEE primary"),
                           ("2001:db8::9", "2001:db8::a", 12076, 65010, 6, 2, "MSEE primary v6")])
    ag = v2_gauges(ARISTA, [("192.0.2.9", 1, 1, 11, 1), ("2001:db8::9", 2, 1, 4, 1)])
    write("arista", system("rec-arista recorded router, ARISTA-BGP4V2-MIB") + iftable(["Ethernet1"]) + ap + ag,
          header="Recorded router with BGP only in the BGP4V2 draft MIB under Arista's arc (written by mkvendor.py).")
    unit_walks("arista", split(ap + ag, {"aristaBgp4V2PeerTable": f"{ARISTA}.2",
                                         "aristaBgp4V2PrefixGaugesTable": f"{ARISTA}.8"}))

    # -- frr4v2 (unit): the draft under FRR's arc, no length octets
    fp = v2_peers(FRR, [("192.0.2.13", "192.0.2.14", 64500, 65010, 6, 2, "ISP")], length_octet=False)
    fg = v2_gauges(FRR, [("192.0.2.13", 1, 1, 900, 3)], length_octet=False)
    unit_walks("frr4v2", split(fp + fg, {"bgp4V2PeerTable": f"{FRR}.2", "bgp4V2PrefixGaugesTable": f"{FRR}.8"}))

    # -- mixed (unit): BGP4-MIB richest, the BGP4V2 table has the 4-byte AS behind AS_TRANS
    mp = peers(65010, [("192.0.2.1", 12076, 6, "192.0.2.2"), ("198.51.100.1", 23456, 6, "198.51.100.2")])
    mv = v2_peers(ARISTA, [("198.51.100.1", "198.51.100.2", 4200000003, 65010, 6, 2, "")])
    unit_walks("mixed", split(mp + mv, {"bgpLocalAs": "1.3.6.1.2.1.15.2", "bgpPeerTable": "1.3.6.1.2.1.15.3",
                                        "aristaBgp4V2PeerTable": f"{ARISTA}.2"}))


if __name__ == "__main__":
    main()
