#!/usr/bin/python3
"""Synthetic snapshots for the audit benchmark.

    bench/gen.py N OUTDIR [MODEL]

MODEL (default openconfig) is how the NETCONF devices answer: openconfig, or
ios-xe (Cisco-IOS-XE-native, tools/mknet_cisco.py). With a MODEL given,
interfaces get IOS-XE names (TenGigabitEthernet0/S/P) whatever the model, so
an OpenConfig and an IOS-XE snapshot describe the same network.

N devices in pairs of ExpressRoute edges and Internet edges, each with
~200 interfaces, ~50 BGP neighbors and ~1,000 routes (SNMP
inetCidrRouteTable), written in the same formats as a real collection.
Deterministic: the same N gives the same files.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import mknet  # noqa: E402

N_IF, N_NBR, N_ROUTES = 200, 50, 1000


def device(i, model=None):
    er = i % 2 == 0
    base = 10 << 24 | (i // 256) << 16 | (i % 256) << 8
    ifs = []
    for k in range(N_IF):
        ifs.append({"name": f"TenGigabitEthernet0/{k // 48}/{k % 48}" if model else f"et-0/{k // 48}/{k % 48}",
                    "description": f"port {k} of dev{i}",
                    "address": f"172.{16 + (i >> 12) % 16}.{(i >> 4) % 256}.{(k % 64) * 4 + 1}/30"
                    if k < 64 else None, "speed": "10G", "in_octets": k * 1000 + i, "out_octets": k * 2000 + i})
        if ifs[-1]["address"] is None:
            del ifs[-1]["address"]
    pub = f"203.0.{(i // 32) % 256}.{(i % 32) * 8}/29"
    nbrs = []
    for k in range(N_NBR):
        if k < 2 and er:
            nbrs.append({"address": f"192.0.2.{(i % 60) * 4 + k + 1}", "as": 12076, "import": ["MS-IN"],
                         "export": ["MS-OUT"], "bfd": True, "state": "established", "received": 120,
                         "advertised": [pub], "description": f"MSEE {k}"})
        else:
            nbrs.append({"address": f"10.{200 + k // 250}.{i % 256}.{k % 250 + 1}", "as": 65000 + k,
                         "description": f"internal peer {k}", "state": "established", "received": 10,
                         **({"import": ["ISP-IN"], "export": ["ISP-OUT"]} if not er and k < 2 else {})})
    rib = []
    for k in range(N_ROUTES):
        pfx = f"{100 + k // 256 % 100}.{k % 256}.{i % 256}.0/24"
        rib.append({"prefix": pfx, "paths": [{"source": "10.0.0.1", "next_hop": f"172.16.0.{k % 250 + 1}",
                                               "interface": ifs[k % N_IF]["name"], "best": True}]})
    return {**({"model": model} if model else {}), "role": "er-edge" if er else "internet-edge", "site": f"site{i // 2}", "host": "127.0.0.1",
            "snmp": ["routes"], "interfaces": ifs,
            "bgp": {"as": 65010, "router_id": f"10.255.{i // 256 % 256}.{i % 256}", "neighbors": nbrs},
            "prefix_sets": {"NAT": [pub]},
            "policies": {"MS-IN": [{"name": "10", "set_local_pref": 200, "action": "accept"}],
                         "MS-OUT": [{"name": "10", "match_prefix_set": "NAT", "action": "accept"},
                                    {"name": "20", "action": "reject"}],
                         "ISP-IN": [{"name": "10", "set_local_pref": 100, "action": "accept"}],
                         "ISP-OUT": [{"name": "10", "match_prefix_set": "NAT", "action": "accept"}]},
            "nat": {"pools": [{"name": "pool", "prefix": pub, "interface": ifs[0]["name"]}]},
            "rib": rib}


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    model = sys.argv[3] if len(sys.argv) > 3 else None
    net = {"devices": {}, "circuits": [], "tenant": {"power-platform-region": "europe"},
           "services": {"service-tags": "servicetags.json"}, "policy": {"fail-on": "critical"}}
    status = []
    for i in range(n):
        name = f"dev{i:05d}"
        dev = device(i, model)
        mknet.device_files(name, dev, out)
        net["devices"][name] = {k: dev[k] for k in ("role", "site", "host", "snmp")}
        status.append({"name": name, "status": "collected", "collectors": "netconf snmp"})
        if i % 2 == 0:
            m = dev["bgp"]["neighbors"]
            net["circuits"].append({"name": f"er{i:05d}", "sku": "premium", "peering-location": "Amsterdam",
                                    "primary": {"device": name, "neighbor": m[0]["address"]},
                                    "secondary": {"device": name, "neighbor": m[1]["address"]}})
    man = {"eraudit-snapshot:manifest": {"format": 1, "tool-version": "bench", "created": "2026-11-20T06:00:00Z",
                                         "device": status}}
    mknet.write(os.path.join(out, "manifest.json"), json.dumps(man) + "\n")
    # A few Microsoft service prefixes: the routes overlapping them are the
    # ones the audit keeps; the rest of each table is only counted.
    tags = {"changeNumber": 1, "cloud": "Public", "values": [
        {"name": f"PowerPlatformInfra.{r}", "id": f"PowerPlatformInfra.{r}",
         "properties": {"changeNumber": 1, "region": r.lower(), "regionId": k, "platform": "Azure",
                        "systemService": "PowerPlatformInfra", "addressPrefixes": pfx, "networkFeatures": None}}
        for k, (r, pfx) in enumerate([("WestEurope", ["20.38.80.0/20", "100.1.0.0/16"]),
                                      ("NorthEurope", ["13.69.64.0/18", "101.2.0.0/16"])], 1)]}
    mknet.write(os.path.join(out, "servicetags.json"), json.dumps(tags, indent=1) + "\n")
    mknet.write(os.path.join(out, "inventory.yaml"), mknet.inventory_yaml(net))


if __name__ == "__main__":
    main()
