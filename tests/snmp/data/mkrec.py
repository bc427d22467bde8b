#!/usr/bin/python3
"""Writes the .snmprec recordings of tests/snmp/data (run once; the output is
committed). Each is a router that is not Linux snmpd:

  cidronly   BGP4-MIB and only the old ipCidrRouteTable (no inetCidrRouteTable)
  truncated  bgpPeerTable cut off in its third column, where the recording ends
  nonincr    ipCidrRouteTable whose agent goes back to a smaller OID mid-column
"""
import ipaddress
import os

IF = "1.3.6.1.2.1.2.2.1"
PEER = "1.3.6.1.2.1.15.3.1"
PATH = "1.3.6.1.2.1.15.6.1"
CIDR = "1.3.6.1.2.1.4.24.4.1"


def key(rec):
    return tuple(int(x) for x in rec[0].split("."))


def system(descr):
    return [("1.3.6.1.2.1.1.1.0", 4, descr), ("1.3.6.1.2.1.1.2.0", 6, "1.3.6.1.4.1.99999.1"),
            ("1.3.6.1.2.1.1.3.0", 67, "123456"), ("1.3.6.1.2.1.1.5.0", 4, descr.split()[0])]


def iftable(names, ifx=True):
    r = []
    for i, n in enumerate(names, 1):
        r += [(f"{IF}.1.{i}", 2, i), (f"{IF}.2.{i}", 4, n), (f"{IF}.3.{i}", 2, 6), (f"{IF}.4.{i}", 2, 1500),
              (f"{IF}.5.{i}", 66, 1000000000), (f"{IF}.7.{i}", 2, 1), (f"{IF}.8.{i}", 2, 1),
              (f"{IF}.10.{i}", 65, 1000 * i), (f"{IF}.16.{i}", 65, 2000 * i),
              # odd values for the printer: long binary, days of timeticks, OID
              (f"{IF}.6.{i}", "4x", "0200c0ffee0%d" % i if i > 1 else "00" * 20 + "ff" * 20),
              (f"{IF}.9.{i}", 67, 9000000 + i), (f"{IF}.22.{i}", 6, "0.0")]
        r += [] if not ifx else [(f"1.3.6.1.2.1.31.1.1.1.1.{i}", 4, n), (f"1.3.6.1.2.1.31.1.1.1.6.{i}", 70, 2 ** 40 + i),
              (f"1.3.6.1.2.1.31.1.1.1.15.{i}", 66, 1000),
              (f"1.3.6.1.2.1.31.1.1.1.18.{i}", 4, 'to "core" \\ uplink %d' % i)]
    return r


def peers(local, rows):
    r = [("1.3.6.1.2.1.15.1.0", 4, "10"), ("1.3.6.1.2.1.15.2.0", 2, local)]
    for addr, asn, state, laddr in rows:
        ix = addr
        cols = {1: (64, addr), 2: (2, state), 3: (2, 2), 4: (2, 4), 5: (64, laddr), 6: (2, 179),
                7: (64, addr), 8: (2, 40000), 9: (2, asn), 10: (65, 12), 11: (65, 7), 12: (65, 300),
                13: (65, 290), 14: ("4x", "0000"), 15: (65, 1), 16: (66, 3600), 17: (2, 120), 18: (2, 9),
                19: (2, 3), 20: (2, 9), 21: (2, 3), 22: (2, 15), 23: (2, 30), 24: (66, 5)}
        for c, (t, v) in cols.items():
            r.append((f"{PEER}.{c}.{ix}", t, v))
    return r


def paths(rows):
    r = []
    for pfx, peer, aspath, lp, best in rows:
        net = ipaddress.ip_network(pfx)
        ix = f"{net.network_address}.{net.prefixlen}.{peer}"
        seg = "02%02x" % len(aspath) + "".join("%04x" % a for a in aspath)
        cols = {1: (64, peer), 2: (2, net.prefixlen), 3: (64, str(net.network_address)), 4: (2, 1),
                5: ("4x", seg), 6: (64, peer), 7: (2, -1), 8: (2, lp), 9: (2, 1), 10: (2, 0),
                11: (64, "0.0.0.0"), 12: (2, lp), 13: (2, 2 if best else 1)}
        for c, (t, v) in cols.items():
            r.append((f"{PATH}.{c}.{ix}", t, v))
    return r


def cidr(rows):
    r = []
    for pfx, nh, ifindex, proto in rows:
        net = ipaddress.ip_network(pfx)
        ix = f"{net.network_address}.{net.netmask}.0.{nh}"
        cols = {1: (64, str(net.network_address)), 2: (64, str(net.netmask)), 3: (2, 0), 4: (64, nh),
                5: (2, ifindex), 6: (2, 4 if proto == 14 else 3), 7: (2, proto), 8: (2, 60), 9: (6, "0.0"),
                10: (2, 12076 if proto == 14 else 0), 11: (2, 0), 12: (2, -1), 13: (2, -1), 14: (2, -1),
                15: (2, -1), 16: (2, 1)}
        for c, (t, v) in cols.items():
            r.append((f"{CIDR}.{c}.{ix}", t, v))
    return r


def write(name, recs, keep_order=False, header=""):
    if not keep_order:
        recs = sorted(recs, key=key)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name + ".snmprec")
    with open(path, "w") as f:
        for line in header.strip().splitlines():
            f.write(f"# {line}\n")
        for oid, tag, val in recs:
            f.write(f"{oid}|{tag}|{val}\n")


def main():
    ROUTES = [("0.0.0.0/0", "198.18.1.1", 1, 14), ("13.107.6.152/31", "198.18.2.1", 2, 14),
              ("13.107.18.10/31", "198.18.2.1", 2, 14), ("52.112.0.0/14", "198.18.2.1", 2, 14),
              ("198.18.1.0/30", "0.0.0.0", 1, 2), ("198.18.2.0/30", "0.0.0.0", 2, 2),
              ("203.0.113.0/24", "198.18.1.1", 1, 14)]

    write("cidronly",
          system("rec-cidr recorded router, old IP-FORWARD-MIB") + iftable(["ge-0/0/0", "ge-0/0/1"])
          + peers(65010, [("198.18.1.1", 64500, 6, "198.18.1.2"), ("198.18.2.1", 12076, 6, "198.18.2.2")])
          + paths([("13.107.6.152/31", "198.18.2.1", [12076, 8075], 200, True),
                   ("13.107.18.10/31", "198.18.2.1", [12076, 8075], 200, True),
                   ("52.112.0.0/14", "198.18.2.1", [12076, 8075], 200, True),
                   ("52.112.0.0/14", "198.18.1.1", [64500, 8075], 100, False),
                   ("203.0.113.0/24", "198.18.1.1", [64500, 64496], 100, True),
                   ("0.0.0.0/0", "198.18.1.1", [64500], 100, True)])
          + cidr(ROUTES),
          header="Recorded router with BGP4-MIB and only ipCidrRouteTable (written by mkrec.py).")

    trunc = sorted(system("rec-trunc recorded router, table cut short") + iftable(["eth0"], ifx=False)
                   + peers(65020, [("198.18.3.1", 12076, 6, "198.18.3.2"), ("198.18.4.1", 12076, 6, "198.18.4.2")]),
                   key=key)
    # keep bgpPeerTable columns 1 and 2 whole, column 3 with one row, then nothing
    cut = [r for r in trunc if not r[0].startswith(PEER + ".") or int(r[0].split(".")[10]) <= 2]
    cut = [r for r in cut if not r[0].startswith("1.3.6.1.2.1.15.3")] + \
          [r for r in trunc if r[0].startswith(PEER + ".1.") or r[0].startswith(PEER + ".2.")] + \
          [(f"{PEER}.3.198.18.3.1", 2, 2)]
    write("truncated", cut, header="Recorded router whose bgpPeerTable ends in column 3 (written by mkrec.py).")

    good = sorted(system("rec-nonincr recorded router, broken getnext") + iftable(["eth0", "eth1"]) + cidr(ROUTES),
                  key=key)
    # after the third destination of column 1, the agent goes back to the first
    at = next(i for i, r in enumerate(good) if r[0].startswith(CIDR + ".1.")) + 3
    bad = good[:at] + [(f"{CIDR}.1.0.0.0.0.0.0.0.0.0.0.0.0.0", 64, "0.0.0.0")] + good[at:]
    write("nonincr", bad, keep_order=True,
          header="Recorded router whose agent returns a smaller OID in ipCidrRouteTable (written by mkrec.py).")


if __name__ == "__main__":
    main()
