#!/usr/bin/env python3
"""Pollers in segmented networks: each region's devices are reachable only
from that region's network namespace.

The example network's NETCONF replies are served by one device simulator
(tests/netconf/ncsim.c over SSH) per region, each inside its own network
namespace (unshare --net: a private loopback, so no other namespace reaches
it). A poller started in each namespace collects `--site REGION`; a poller
asked for the other region's devices from there fails to reach them (the
segmentation is real). The merge and the audit run centrally (the host's
namespace), recording one run in the shared PostgreSQL history (a server the
test starts, tests/pollers/pg_server.sh).

usage: regions.py --ncsim NCSIM --eraudit ERAUDIT   (root: network namespaces)
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "netconf"))
from nclib import Checks, Env, run_case  # noqa: E402
from nctest import example_inventory  # noqa: E402

REGIONS = {"ams-dc": 31000, "chi-dc": 32000}   # base port of each region's simulator (own namespace: no clash)

# In a new network namespace: loopback up, the region's simulator, then the poller.
IN_REGION = r'''
set -u
ip link set lo up
"$NCSIM" --dir "$DATA" --base-port "$BASE" --hostkey "$HOSTKEY" --user eraudit --authorized-key "$CLIENT.pub" \
    --ports-out "$PORTS" 2>"$SIMLOG" &
sim=$!
i=0; while [ ! -s "$PORTS" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
"$ERAUDIT" collect -i "$INV" --site "$SITE" -o "$OUT"; rc=$?
"$ERAUDIT" collect -i "$INV" --site "$OTHER" -o "$OUT-other" >/dev/null 2>&1
kill $sim; wait $sim 2>/dev/null
exit $rc
'''


def manifest(snap):
    return json.load(open(os.path.join(snap, "manifest.json")))["eraudit-snapshot:manifest"]


def case(env, a, ck):
    ex = os.path.join(HERE, "..", "..", "inventory", "example")
    snap = os.path.join(ex, "snapshot")
    src_inv = os.path.join(ex, "inventory.yaml")
    # Devices and sites of the example network with NETCONF replies.
    names = sorted(d for d in os.listdir(os.path.join(snap, "devices"))
                   if os.path.isdir(os.path.join(snap, "devices", d, "netconf")))
    p = subprocess.run([a.eraudit, "collect", "-i", src_inv, "--list"], capture_output=True, text=True)
    site_of = {}
    for site in REGIONS:
        q = subprocess.run([a.eraudit, "collect", "-i", src_inv, "--list", "--site", site], capture_output=True,
                           text=True)
        for n in q.stdout.split():
            site_of[n] = site
    names = [n for n in names if n in site_of and n in p.stdout.split()]
    hostkey, client = env.keygen("hostkey"), env.keygen("client")
    ports = {}
    for site, base in REGIONS.items():
        data = env.path("data-" + site)
        for i, n in enumerate(sorted(x for x in names if site_of[x] == site)):   # ncsim: sorted names, base + i
            os.makedirs(os.path.join(data, n))
            nd = os.path.join(snap, "devices", n, "netconf")
            for f in os.listdir(nd):
                if f.endswith(".xml"):
                    open(os.path.join(data, n, f), "w").write(open(os.path.join(nd, f)).read())
            ports[n] = base + i
    inv = env.path("inventory.yaml")
    example_inventory(src_inv, inv, ports, env.path("known_hosts"), client)
    key = open(hostkey + ".pub").read().split()
    with open(env.path("known_hosts"), "w") as fh:
        for n, port in ports.items():
            fh.write("[127.0.0.1]:%d %s %s\n" % (port, key[0], key[1]))
    ck.check(len(REGIONS) == 2 and all(any(site_of[n] == s for n in names) for s in REGIONS),
             "two regions, each with devices (%s)" % {n: site_of[n] for n in names})

    procs = {}
    for site, base in REGIONS.items():
        other = next(s for s in REGIONS if s != site)
        e = dict(os.environ, NCSIM=a.ncsim, ERAUDIT=a.eraudit, DATA=env.path("data-" + site), BASE=str(base),
                 HOSTKEY=hostkey, CLIENT=client, PORTS=env.path("ports-" + site), SIMLOG=env.path("sim-%s.log" % site),
                 INV=inv, SITE=site, OTHER=other, OUT=env.path("part-" + site),
                 XDG_CACHE_HOME=env.path("cache-" + site))
        procs[site] = subprocess.Popen(["unshare", "--net", "sh", "-c", IN_REGION], env=e, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, text=True)
    for site, pr in procs.items():
        out = pr.communicate(timeout=240)[0]
        m = manifest(env.path("part-" + site)) if os.path.exists(env.path("part-" + site)) else {"device": []}
        want = sorted(n for n in names if site_of[n] == site)
        ck.check(pr.returncode == 0 and sorted(x["name"] for x in m["device"]) == want and
                 all(x["status"] == "collected" for x in m["device"]),
                 "poller in %s's namespace collects its devices %s (exit %d) %s" % (site, want, pr.returncode,
                                                                                    out[-300:]))
        o = manifest(env.path("part-%s-other" % site)) if os.path.exists(env.path("part-%s-other" % site)) \
            else {"device": []}
        ck.check(o["device"] and all(x["status"] == "failed" for x in o["device"]),
                 "from %s's namespace, the other region's devices are unreachable (%s)"
                 % (site, [(x["name"], x["status"]) for x in o["device"]]))

    # Centrally: merge, audit, one run in the shared history.
    pg = subprocess.run(["bash", "-c", '. "$1/pg_server.sh"; pg_start "$2" >&2 && printf "%s\\n%s\\n" "$PG_URL" '
                         '"$PG_PASSFILE"', "-", HERE, env.path("pg")], capture_output=True, text=True)
    if pg.returncode:
        ck.check(False, "PostgreSQL started: " + pg.stderr[-500:])
        return
    url, passfile = pg.stdout.split("\n")[:2]
    try:
        parts = [env.path("part-" + s) for s in REGIONS]
        p = subprocess.run([a.eraudit, "snapshot", "merge", *parts, "-o", env.path("merged")], capture_output=True,
                           text=True)
        ck.check(p.returncode == 0, "central merge of the regions' snapshots: exit 0 %s" % p.stderr[-300:])
        e = dict(os.environ, PGPASSFILE=passfile)
        p = subprocess.run([a.eraudit, "audit", "--snapshot", env.path("merged"), "--history", url, "-f", "json", "-o",
                            env.path("report.json")], capture_output=True, text=True, env=e)
        r = json.load(open(env.path("report.json")))["eraudit-findings:report"] if os.path.exists(
            env.path("report.json")) else {}
        ck.check(p.returncode in (0, 1) and r.get("exit-code") == p.returncode,
                 "central audit: exit %d, the report says the same %s" % (p.returncode, p.stderr[-300:]))
        h = subprocess.run([a.eraudit, "history", url], capture_output=True, text=True, env=e)
        runs = [l for l in h.stdout.splitlines() if l[:1].isdigit()]
        ck.check(h.returncode == 0 and len(runs) == 1 and " %d  " % len(names) in runs[0] + "  "
                 and "not collected" not in runs[0],
                 "the shared history records one run of all %d devices, none missing: %s" % (len(names), runs))
    finally:
        subprocess.run(["bash", "-c", '. "$1/pg_server.sh"; PG_DIR=$2; pg_stop immediate', "-", HERE,
                        env.path("pg")])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ncsim", required=True)
    ap.add_argument("--eraudit", required=True)
    a = ap.parse_args()
    if os.geteuid() != 0:
        print("SKIP: network namespaces need root")
        sys.exit(77)
    env = Env("regions")
    os.chmod(env.dir, 0o711)   # the PostgreSQL server runs as an unprivileged user below it
    ck = Checks()
    run_case(env, ck, case, env, a, ck)


if __name__ == "__main__":
    main()
