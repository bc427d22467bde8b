#!/usr/bin/python3
"""A live NETCONF reply over the size cap (ERAUDIT_MAX_FILE_SIZE) fails its
device with the cap named, while the other device is collected; run against
ncsim on 127.0.0.1 in a private temp dir.

usage: live.py --ncsim PATH --eraudit PATH"""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "netconf"))
from nclib import Checks, Collector, Env, Sim, run_case, write_inventory  # noqa: E402

OC_IF = "http://openconfig.net/yang/interfaces"


def oc_config(n, tag):
    ifs = "".join('<interface><name>eth%d</name><config><name>eth%d</name><description>%s link %d</description>'
                  '</config></interface>' % (i, i, tag, i) for i in range(n))
    return '<interfaces xmlns="%s">%s</interfaces>' % (OC_IF, ifs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ncsim", required=True)
    ap.add_argument("--eraudit", required=True)
    a = ap.parse_args()
    env = Env("bounds_live")
    ck = Checks()

    def case():
        hostkey = env.keygen("hostkey")
        client = env.keygen("client")
        devices = {"small": {"running.xml": oc_config(2, "small")},
                   "big": {"running.xml": oc_config(20000, "big")}}          # ~2.5 MB
        sim = Sim(env, a.ncsim, devices, hostkey, user="admin", password="pw-not-used",
                  authkeys=[client + ".pub"])
        inv = env.path("inv.yaml")
        write_inventory(inv, [("small", sim.ports["small"], "key"), ("big", sim.ports["big"], "key")],
                        env.path("known_hosts"), {"key": {"username": "admin", "key-file": client}})
        col = Collector(env, eraudit=a.eraudit)
        cap = 1024 * 1024
        rc, st, out = col.run(inv, env.path("s1"), accept_new=True, timeout=120,
                              extra_env={"ERAUDIT_MAX_FILE_SIZE": "1M"})
        s, why = st.get("big", ("?", ""))
        ck.check(s == "failed" and "larger than the limit" in why and str(cap) in why
                 and "ERAUDIT_MAX_FILE_SIZE" in why,
                 "a 2.5 MB reply over a 1 MiB cap fails its device, cap named (%s)" % why)
        ck.check(st.get("small", ("?",))[0] == "collected", "the other device is collected (%s)" % (st.get("small"),))
        ck.check(not os.path.exists(os.path.join(env.path("s1"), "devices", "big", "netconf", "running.xml")),
                 "no partial running.xml for the refused reply")
        ck.check(rc == 3, "exit 3 (got %d)" % rc)
        ck.check(col.elapsed < 60, "done in %.1f s" % col.elapsed)
        # Under the default cap (256 MiB) the same reply is collected whole.
        rc, st, out = col.run(inv, env.path("s2"), timeout=120)
        ck.check(st.get("big", ("?",))[0] == "collected" and rc == 0,
                 "collected under the default cap (%s, exit %d)" % (st.get("big"), rc))

    run_case(env, ck, case)


if __name__ == "__main__":
    main()
