#!/usr/bin/python3
"""The same job as `eraudit collect` for the benchmark, with ncclient and
default settings: per device, connect over SSH (key file), <get-config> of
running (and candidate when advertised), a filtered <get>, and write the
replies to OUTDIR/NAME/. Devices come from a "NAME PORT" file. Host keys are
checked (ncclient's default) against $HOME/.ssh/known_hosts.

usage: ncclient_collect.py PORTS_FILE OUTDIR KEY_FILE JOBS"""
import os
import sys
from concurrent.futures import ThreadPoolExecutor

from ncclient import manager

FILTER = ('<interfaces xmlns="http://openconfig.net/yang/interfaces"/>'
          '<network-instances xmlns="http://openconfig.net/yang/network-instance"/>'
          '<routing-policy xmlns="http://openconfig.net/yang/routing-policy"/>'
          '<acl xmlns="http://openconfig.net/yang/acl"/>'
          '<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"/>'
          '<interfaces-state xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"/>'
          '<routing xmlns="urn:ietf:params:xml:ns:yang:ietf-routing"/>'
          '<routing-state xmlns="urn:ietf:params:xml:ns:yang:ietf-routing"/>'
          '<nat xmlns="urn:ietf:params:xml:ns:yang:ietf-nat"/>'
          '<acls xmlns="urn:ietf:params:xml:ns:yang:ietf-access-control-list"/>')


def collect(name, port, outdir, key):
    try:
        with manager.connect(host="127.0.0.1", port=port, username="admin", key_filename=key,
                             allow_agent=False, look_for_keys=False) as m:
            d = os.path.join(outdir, name)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "running.xml"), "w") as f:
                f.write(m.get_config("running").data_xml)
            if ":candidate" in m.server_capabilities:
                with open(os.path.join(d, "candidate.xml"), "w") as f:
                    f.write(m.get_config("candidate").data_xml)
            with open(os.path.join(d, "state.xml"), "w") as f:
                f.write(m.get('<filter xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" type="subtree">' + FILTER + "</filter>").data_xml)
        return None
    except Exception as e:  # a failed device is reported, the others go on
        return "%s: %s" % (name, e)


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    ports, outdir, key, jobs = sys.argv[1:]
    devices = [line.split() for line in open(ports) if line.strip()]
    with ThreadPoolExecutor(max_workers=int(jobs)) as pool:
        results = list(pool.map(lambda d: collect(d[0], int(d[1]), outdir, key), devices))
    failed = [r for r in results if r]
    for r in failed:
        print("failed", r, file=sys.stderr)
    print("ncclient: %d collected, %d failed" % (len(devices) - len(failed), len(failed)))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
