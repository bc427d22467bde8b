#!/usr/bin/python3
"""A router of the lab that publishes BGP only in CISCO-BGP4-MIB, as many
Cisco agents do: run by the router's snmpd as its pass_persist handler for
1.3.6.1.4.1.9.9.187 (the snmpd's view hides BGP4-MIB, see lab_snmpd_access),
it renders the router's live FRR state (vtysh `show bgp neighbors json`) as
cbgpLocalAs, cbgpPeer2Table and cbgpPeer2AddrFamilyPrefixTable rows, with
the same row writers as the recordings (tests/snmp/data/mkvendor.py), and
answers snmpd with snmprec_pass.py. The state is read again at most once a
second.

Usage: frr2cbgp.py --vty-socket DIR   (inside the router's namespace)
"""
import argparse
import ipaddress
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "..", "snmp"), os.path.join(HERE, "..", "snmp", "data")]

from mkvendor import cisco_peers, cisco_prefixes  # noqa: E402
from snmprec_pass import convert, key, serve  # noqa: E402

ROOT = "1.3.6.1.4.1.9.9.187"
STATES = {"Idle": 1, "Connect": 2, "Active": 3, "OpenSent": 4, "OpenConfirm": 5, "Established": 6}


def render(vty_socket):
    out = subprocess.run(["vtysh", "--vty_socket", vty_socket, "-c", "show bgp neighbors json"],
                         capture_output=True, text=True, timeout=10).stdout
    nbs = json.loads(out or "{}")
    peers, prefixes, local_as = [], [], 0
    for addr, n in sorted(nbs.items()):
        try:
            ipaddress.ip_address(addr)
        except ValueError:
            continue  # an interface or peer-group entry
        local_as = local_as or n.get("localAs", 0)
        timers = (n.get("bgpTimerHoldTimeMsecs", 0) // 1000, n.get("bgpTimerKeepAliveIntervalMsecs", 0) // 1000,
                  n.get("bgpTimerConfiguredHoldTimeMsecs", 0) // 1000,
                  n.get("bgpTimerConfiguredKeepAliveIntervalMsecs", 0) // 1000)
        admin = 1 if n.get("adminShutDown") else 2
        local = n.get("hostLocal") if n.get("bgpState") == "Established" else None
        peers.append((addr, n.get("remoteAs", 0), STATES.get(n.get("bgpState"), 1), admin, local) + timers)
        af = n.get("addressFamilyInfo", {}).get("ipv4Unicast")
        if af is not None:
            prefixes.append((addr, 1, 1, af.get("acceptedPrefixCounter", 0), af.get("sentPrefixCounter", 0)))
    return convert(cisco_peers(local_as, peers) + cisco_prefixes(prefixes), key(ROOT))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vty-socket", required=True)
    a = ap.parse_args()
    cache = {"at": 0.0, "recs": []}

    def recs():
        now = time.monotonic()
        if now - cache["at"] > 1.0:
            try:
                cache["recs"] = render(a.vty_socket)
            except (subprocess.SubprocessError, ValueError, OSError):
                pass  # keep the last rendering
            cache["at"] = now
        return cache["recs"]

    serve(recs)


if __name__ == "__main__":
    main()
