#!/usr/bin/python3
"""Device secrets never reach what eraudit writes (label secrets).

Secrets made up at run time (a random token in each, nothing real-looking
is committed) are planted in the configurations ncsim serves (the bundled
example network's replies plus OpenConfig system, IETF key chain and SNMP,
and Junos-style subtrees) and in a private snmpd (a v2c community and v3
pass phrases), all on 127.0.0.1 in a private temp dir.

usage: plant.py CASE --ncsim PATH --eraudit PATH
CASE:
  none   collect, audit (snapshot and live with -k), every report format,
         --dump-model, --history, history, check: no planted value in any
         file eraudit wrote nor in its stdout/stderr
  keep   --keep-device-secrets keeps them, the manifest says so, and the
         audit warns once
  md5    the MD5 rule (PEER-012) and the whole report are the same from
         redacted and unredacted replies
  echo   an SNMP agent that echoes requests is failed, not collected
"""
import argparse
import json
import os
import re
import binascii
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "netconf"))
from nclib import Checks, Env, Sim, run_case  # noqa: E402

EXAMPLE = os.path.join(ROOT, "inventory", "example")
MARKER = "eraudit:redacted"


def plant():
    """The planted values, each unique to this run."""
    t = binascii.hexlify(os.urandom(6)).decode()
    return {
        "bgp-ams-1": "$9$plant%sA" % t, "bgp-ams-2": "plant%sB" % t, "bgp-chi-1": "plant%sC" % t,
        "bgp-chi-2": "$9$plant%sD" % t, "peer-group": "plant%sE" % t, "bgp-state": "plant%sF" % t,
        "user-hash": "$6$plant%sG$hash" % t, "user-password": "plant%sH" % t, "tacacs": "plant%sI" % t,
        "keychain": "plant%sJ" % t, "snmp-config-community": "plant%sK" % t, "junos-psk": "plant%sL" % t,
        "junos-auth-key": "plant%sM" % t, "radius": "plant%sN" % t,
        "snmp-community": "plant%sO" % t, "snmp-auth": "plant%sP-auth" % t, "snmp-priv": "plant%sQ-priv" % t,
    }


NETCONF_PLANTED = ("bgp-ams-1", "bgp-ams-2", "bgp-chi-1", "bgp-chi-2", "peer-group", "bgp-state", "user-hash",
                   "user-password", "tacacs", "keychain", "snmp-config-community", "junos-psk", "junos-auth-key",
                   "radius")


def extra_config(p):
    """Subtrees the mappers do not read, each with secrets, in several model families."""
    return (
        '<system xmlns="http://openconfig.net/yang/system"><aaa><authentication><users><user><username>ops'
        '</username><config><username>ops</username><password-hashed>%(user-hash)s</password-hashed>'
        '<password>%(user-password)s</password></config></user></users></authentication><server-groups>'
        '<server-group><name>t</name><servers><server><address>192.0.2.50</address><tacacs><config>'
        '<secret-key>%(tacacs)s</secret-key></config></tacacs></server></servers></server-group></server-groups>'
        '</aaa></system>'
        '<key-chains xmlns="urn:ietf:params:xml:ns:yang:ietf-key-chain"><key-chain><name>kc</name><key>'
        '<key-id>1</key-id><key-string><keystring>%(keychain)s</keystring></key-string></key></key-chain>'
        '</key-chains>'
        '<snmp xmlns="urn:ietf:params:xml:ns:yang:ietf-snmp"><community><index>c1</index>'
        '<text-name>%(snmp-config-community)s</text-name><security-name>ro</security-name></community></snmp>'
        '<system xmlns="urn:ietf:params:xml:ns:yang:ietf-system"><radius><server><name>r</name><udp>'
        '<address>192.0.2.51</address><shared-secret>%(radius)s</shared-secret></udp></server></radius></system>'
        '<configuration xmlns="http://xml.juniper.net/xnm/1.1/xnm"><security><ike><policy><name>p</name>'
        '<pre-shared-key><ascii-text>%(junos-psk)s</ascii-text></pre-shared-key></policy></ike></security>'
        '<protocols><ospf><area><name>0</name><interface><name>lo0</name><authentication><md5><name>1</name>'
        '<key>%(junos-auth-key)s</key></md5></authentication></interface></area></ospf></protocols>'
        '</configuration>' % p)


def device_files(p):
    """The example's er-ams and er-chi replies (their MD5 passwords stored redacted) with planted secrets."""
    files = {}
    for dev in ("er-ams", "er-chi"):
        nd = os.path.join(EXAMPLE, "snapshot", "devices", dev, "netconf")
        files[dev] = {f: open(os.path.join(nd, f)).read() for f in os.listdir(nd) if f.endswith(".xml")}
    pw = "<auth-password>" + MARKER
    ams = files["er-ams"]["running.xml"]
    assert ams.count(pw) == 2
    ams = ams.replace(pw, "<auth-password>" + p["bgp-ams-1"], 1).replace(pw, "<auth-password>" + p["bgp-ams-2"], 1)
    # a peer-group with a password, used by the wan-core neighbor (which has none of its own)
    ams = ams.replace("<description>wan-core</description>",
                      "<description>wan-core</description><peer-group>PG-WAN</peer-group>")
    ams = ams.replace("</neighbors></bgp>", "</neighbors><peer-groups><peer-group><peer-group-name>PG-WAN"
                      "</peer-group-name><config><peer-group-name>PG-WAN</peer-group-name><auth-password>%s"
                      "</auth-password></config></peer-group></peer-groups></bgp>" % p["peer-group"])
    ams = ams.replace("</data>", extra_config(p) + "</data>")
    files["er-ams"]["running.xml"] = ams
    chi = files["er-chi"]["running.xml"]
    chi = chi.replace(pw, "<auth-password>" + p["bgp-chi-1"], 1).replace(pw, "<auth-password>" + p["bgp-chi-2"], 1)
    files["er-chi"]["running.xml"] = chi
    st = files["er-ams"].get("state.xml", "")
    if "<neighbor>" in st:
        st = st.replace("<neighbor>", "<neighbor><state><auth-password>%s</auth-password></state>"
                        % p["bgp-state"], 1)
    else:
        st = st.replace("</data>", '<network-instances xmlns="http://openconfig.net/yang/network-instance">'
                        '<network-instance><name>x</name><protocols><protocol><identifier>BGP</identifier><name>B'
                        '</name><bgp><neighbors><neighbor><neighbor-address>192.0.2.99</neighbor-address><state>'
                        '<auth-password>%s</auth-password></state></neighbor></neighbors></bgp></protocol>'
                        '</protocols></network-instance></network-instances></data>' % p["bgp-state"])
    files["er-ams"]["state.xml"] = st
    for d in files.values():
        if "candidate.xml" not in d:
            d["candidate.xml"] = d["running.xml"]
    return files


def start_snmpd(env, p):
    d = env.path("snmpd")
    os.makedirs(os.path.join(d, "persist"))
    port = env.free_ports(1)
    with open(os.path.join(d, "snmpd.conf"), "w") as fh:
        fh.write("agentAddress udp:127.0.0.1:%d\nrocommunity %s 127.0.0.1\n"
                 'createUser uplant SHA-256 "%s" AES "%s"\nrouser uplant priv\n[snmp] persistentDir %s/persist\n'
                 % (port, p["snmp-community"], p["snmp-auth"], p["snmp-priv"], d))
    env.spawn(["snmpd", "-f", "-C", "-c", os.path.join(d, "snmpd.conf"), "-I", "-smux", "-m", "", "-M",
               "/nonexistent", "-Lf", os.path.join(d, "snmpd.log"), "-p", os.path.join(d, "snmpd.pid")])
    for _ in range(100):
        r = subprocess.run(["snmpget", "-m", "", "-v2c", "-c", p["snmp-community"], "-r0", "-t0.2",
                            "127.0.0.1:%d" % port, "1.3.6.1.2.1.1.1.0"], capture_output=True)
        if r.returncode == 0:
            return port
        time.sleep(0.1)
    raise RuntimeError("snmpd did not come up")


def inventory(env, path, ports, snmp_port, client, data_dir):
    tail = open(os.path.join(EXAMPLE, "inventory.yaml")).read().split("\ncircuits:", 1)[1]
    with open(path, "w") as fh:
        fh.write("known-hosts: %s\nauth:\n"
                 "- {name: v2, username: eraudit, key-file: %s, snmp: {version: 2, community: {env: PLANT_COMM}}}\n"
                 "- name: v3\n  username: eraudit\n  key-file: %s\n"
                 "  snmp: {version: 3, user: uplant, level: authPriv, auth-protocol: SHA-256, "
                 "auth-pass: {env: PLANT_AUTH}, priv-protocol: AES, priv-pass: {file: %s}}\n"
                 "devices:\n"
                 "- {name: er-ams, host: 127.0.0.1, port: %d, snmp-port: %d, role: er-edge, site: ams-dc, "
                 "collectors: [netconf, snmp], auth: v2}\n"
                 "- {name: er-chi, host: 127.0.0.1, port: %d, snmp-port: %d, role: er-edge, site: chi-dc, "
                 "collectors: [netconf, snmp], auth: v3}\n"
                 "circuits:%s"
                 % (env.path("known_hosts"), client, client, os.path.join(data_dir, "priv"), ports["er-ams"],
                    snmp_port, ports["er-chi"], snmp_port, tail))


class Run:
    """One test network and the eraudit runs against it; every output under out/."""

    def __init__(self, env, a, p):
        self.env, self.a, self.p = env, a, p
        self.out = env.path("out")
        os.makedirs(self.out)
        self.fix = env.path("fixture")
        os.makedirs(self.fix)
        hostkey = env.keygen("hostkey")
        self.client = env.keygen("client")
        self.sim = Sim(env, a.ncsim, device_files(p), hostkey, user="eraudit", authkeys=[self.client + ".pub"])
        self.snmp_port = start_snmpd(env, p)
        with open(os.path.join(self.fix, "priv"), "w") as fh:
            fh.write(p["snmp-priv"] + "\n")
        os.chmod(os.path.join(self.fix, "priv"), 0o600)
        self.inv = os.path.join(self.fix, "inventory.yaml")
        inventory(env, self.inv, self.sim.ports, self.snmp_port, self.client, self.fix)
        self.environ = dict(os.environ, PLANT_COMM=p["snmp-community"], PLANT_AUTH=p["snmp-auth"],
                            XDG_CACHE_HOME=os.path.join(self.out, "cache"), TMPDIR=os.path.join(self.out, "tmp"))
        os.makedirs(os.path.join(self.out, "tmp"))
        self.n = 0
        self.texts = []

    def eraudit(self, *args):
        """Run eraudit; its stdout and stderr are kept under out/ too."""
        self.n += 1
        r = subprocess.run([self.a.eraudit] + list(args), capture_output=True, text=True, env=self.environ,
                           timeout=300)
        for name, text in (("stdout", r.stdout), ("stderr", r.stderr)):
            with open(os.path.join(self.out, "run%02d.%s" % (self.n, name)), "w") as fh:
                fh.write(text)
        self.texts.append(r.stdout + r.stderr)
        return r

    def o(self, *parts):
        return os.path.join(self.out, *parts)


def sanitizer_clean(ck, texts):
    bad = [t for t in texts if "Sanitizer" in t or "runtime error:" in t]
    ck.check(not bad, "no sanitizer report in any run (%s)" % (bad[0][-400:] if bad else ""))


def files_under(top):
    for dp, _, fs in os.walk(top):
        for f in fs:
            yield os.path.join(dp, f)


def manifest(snap):
    m = json.load(open(os.path.join(snap, "manifest.json")))["eraudit-snapshot:manifest"]
    return m, {d["name"]: d for d in m.get("device", [])}


def findings_of(path):
    r = json.load(open(path))["eraudit-findings:report"]
    for k in ("generated", "snapshot", "snapshot-created"):
        r.pop(k, None)
    return r


def md5_of(model_path):
    """{device/neighbor: md5} from a --dump-model file."""
    net = json.load(open(model_path))
    net = net.get("eraudit-network:network", net)
    return {"%s/%s" % (d["name"], n["address"]): n.get("md5")
            for d in net.get("device", []) for n in d.get("bgp", {}).get("neighbor", [])}


def case_none(env, a, ck):
    p = plant()
    r = Run(env, a, p)
    snap = r.o("snap")
    c = r.eraudit("collect", "-i", r.inv, "-o", snap, "--accept-new-host-keys")
    m, devs = manifest(snap)
    ck.check(all(devs.get(d, {}).get("status") == "collected" for d in ("er-ams", "er-chi")),
             "both devices collected over NETCONF and SNMP (exit %d, %s) %s" % (c.returncode, devs, c.stderr[-300:]))
    ck.check("device-secrets" not in m, "the manifest does not say the snapshot keeps secrets")
    run_xml = open(os.path.join(snap, "devices", "er-ams", "netconf", "running.xml")).read()
    ck.check(run_xml.count(MARKER) >= 10, "er-ams running.xml: the secrets are replaced by %s (%d)"
             % (MARKER, run_xml.count(MARKER)))
    ck.check(os.path.exists(os.path.join(snap, "devices", "er-chi", "snmp", "ifTable.walk")),
             "SNMP walks collected (v2c and v3)")
    for fmt in ("text", "json", "html", "junit"):
        r.eraudit("audit", "--snapshot", snap, "-f", fmt, "-o", r.o("report." + fmt), "--history", r.o("hist.db"))
    r.eraudit("audit", "--snapshot", snap, "--dump-model", r.o("model.json"), "-v")
    r.eraudit("audit", "-i", r.inv, "-k", r.o("live"), "--history", r.o("hist.db"), "-f", "json", "-o",
              r.o("live.json"), "--dump-model", r.o("live-model.json"))
    r.eraudit("audit", "-i", r.inv, "--history", r.o("hist.db"), "-v")
    r.eraudit("check", "--snapshot", snap, "-o", r.o("check.txt"))
    r.eraudit("check", "-i", r.inv, "-k", r.o("live-check"))
    r.eraudit("history", r.o("hist.db"))
    r.eraudit("history", r.o("hist.db"), "--run", "1")
    r.eraudit("inventory", "check", r.inv)
    ck.check(os.path.exists(r.o("report.html")) and os.path.exists(r.o("live.json")) and
             os.path.exists(r.o("model.json")) and os.path.exists(r.o("hist.db")),
             "every run wrote its output")
    md5 = md5_of(r.o("model.json"))
    ck.check(md5.get("er-ams/203.0.113.2") is True and md5.get("er-chi/203.0.113.14") is True,
             "the model still sees the MD5 passwords as set (%s)" % md5)

    files = list(files_under(r.out))
    found = []
    for f in files:
        data = open(f, "rb").read()
        for k, v in p.items():
            if v.encode() in data:
                found.append("%s in %s" % (k, os.path.relpath(f, r.out)))
    ck.check(len(files) > 30, "%d files written by eraudit searched" % len(files))
    ck.check(not found, "secrets_none_in_any_output: no planted value in any file or output (%s)" % found[:10])
    # the search can fail: the fixture served holds every NETCONF value
    served = "".join(open(f).read() for f in files_under(r.sim.data))
    ck.check(all(p[k] in served for k in NETCONF_PLANTED), "every NETCONF value was served by the simulator")
    sanitizer_clean(ck, r.texts)


def case_keep(env, a, ck):
    p = plant()
    r = Run(env, a, p)
    snap = r.o("snap")
    c = r.eraudit("collect", "-i", r.inv, "-o", snap, "--accept-new-host-keys", "--keep-device-secrets")
    m, devs = manifest(snap)
    ck.check(c.returncode == 0 and devs.get("er-ams", {}).get("status") == "collected",
             "collect --keep-device-secrets (exit %d) %s" % (c.returncode, c.stderr[-300:]))
    ck.check(m.get("device-secrets") is True, "the manifest says the snapshot keeps device secrets")
    stored = b"".join(open(f, "rb").read() for f in files_under(snap))
    kept = [k for k in NETCONF_PLANTED if p[k].encode() in stored]
    ck.check(set(kept) == set(NETCONF_PLANTED), "every NETCONF secret kept as sent (%d of %d)"
             % (len(kept), len(NETCONF_PLANTED)))
    ck.check(MARKER.encode() not in stored, "nothing redacted")
    snmp = [k for k in ("snmp-community", "snmp-auth", "snmp-priv") if p[k].encode() in stored]
    ck.check(not snmp, "SNMP walks never hold the community or v3 pass phrases (%s)" % snmp)
    w = r.eraudit("audit", "--snapshot", snap, "-f", "json", "-o", r.o("r.json"))
    ck.check(w.stderr.count("keeps the devices' secrets") == 1,
             "audit warns once that the snapshot keeps secrets (%r)" % w.stderr[-300:])
    w = r.eraudit("check", "--snapshot", snap)
    ck.check(w.stderr.count("keeps the devices' secrets") == 1, "check warns once too")
    for k in NETCONF_PLANTED:
        if any(p[k] in t for t in r.texts) or p[k].encode() in open(r.o("r.json"), "rb").read():
            ck.check(False, "%s printed by an audit of a snapshot that keeps it" % k)
    # redacted by default: the same collection without the option
    c = r.eraudit("collect", "-i", r.inv, "-o", r.o("snap2"))
    m2, _ = manifest(r.o("snap2"))
    ck.check("device-secrets" not in m2, "the default collection does not mark the manifest")
    w = r.eraudit("audit", "--snapshot", r.o("snap2"), "-o", r.o("r2.txt"))
    ck.check("secrets" not in w.stderr, "no warning on a redacted snapshot")
    sanitizer_clean(ck, r.texts)


def case_md5(env, a, ck):
    p = plant()
    r = Run(env, a, p)
    c1 = r.eraudit("collect", "-i", r.inv, "-o", r.o("red"), "--accept-new-host-keys")
    c2 = r.eraudit("collect", "-i", r.inv, "-o", r.o("raw"), "--keep-device-secrets")
    ck.check(c1.returncode == c2.returncode == 0, "both collections (exit %d, %d)" % (c1.returncode, c2.returncode))
    for s in ("red", "raw"):
        r.eraudit("audit", "--snapshot", r.o(s), "-f", "json", "-o", r.o(s + ".json"), "--dump-model",
                  r.o(s + "-model.json"))
    red, raw = findings_of(r.o("red.json")), findings_of(r.o("raw.json"))
    peer12 = [f for f in raw.get("finding", []) if f.get("rule") == "PEER-012"]
    ck.check(peer12, "the unredacted report has PEER-012 results (%d)" % len(peer12))
    ck.check([f for f in red.get("finding", []) if f.get("rule") == "PEER-012"] == peer12,
             "PEER-012 (MD5 on both sessions) gives the same verdicts on redacted replies")
    ck.check(red == raw, "the whole report is the same from redacted and unredacted replies")
    m_red, m_raw = md5_of(r.o("red-model.json")), md5_of(r.o("raw-model.json"))
    ck.check(m_red == m_raw and m_red.get("er-ams/203.0.113.2") is True and
             m_red.get("er-ams/10.255.0.1") is True and m_red.get("er-chi/10.255.0.3") is False,
             "md5 leaves equal, set from a neighbor's and a peer-group's password, unset without (%s)" % m_red)
    sanitizer_clean(ck, r.texts)


def case_echo(env, a, ck):
    out = env.path("out")
    os.makedirs(out)
    ports = {}
    for mode in ("echo", "response", "nosuch"):
        pf = env.path("port-" + mode)
        env.spawn([sys.executable, os.path.join(HERE, "echoagent.py"), mode, pf])
        for _ in range(100):
            if os.path.exists(pf):
                break
            time.sleep(0.05)
        ports[mode] = int(open(pf).read())
    inv = env.path("inventory.yaml")
    with open(inv, "w") as fh:
        fh.write("auth:\n- {name: v2, snmp: {version: 2, community: {env: ECHO_COMM}}}\ndevices:\n")
        for mode, port in ports.items():
            fh.write("- {name: agent-%s, host: 127.0.0.1, snmp-port: %d, role: wan, collectors: [snmp], auth: v2}\n"
                     % (mode, port))
    environ = dict(os.environ, ECHO_COMM="echo-" + binascii.hexlify(os.urandom(4)).decode())
    r = subprocess.run([a.eraudit, "collect", "-i", inv, "-o", os.path.join(out, "snap")], capture_output=True,
                       text=True, env=environ, timeout=120)
    _, devs = manifest(os.path.join(out, "snap"))
    ck.check(r.returncode == 3, "collect exits 3: devices not collected (exit %d)" % r.returncode)
    for mode in ports:
        d = devs.get("agent-" + mode, {})
        ck.check(d.get("status") == "failed", "agent-%s (%s): failed, not collected (%s)" % (mode, mode,
                                                                                          d.get("status")))
        ck.check(re.search(r"the agent at 127\.0\.0\.1:%d answered GET(NEXT|BULK)[^:]* \.1\.3\.6\.1\.2\.1\.1"
                           % ports[mode], d.get("reason", "")) and "echoes requests" in d.get("reason", ""),
                 "agent-%s: the reason names the agent and the OID (%s)" % (mode, d.get("reason")))
        ck.check(re.search(r"agent-%s: failed: .*echoes requests" % mode, r.stderr),
                 "agent-%s: stderr names the device" % mode)
    sanitizer_clean(ck, [r.stderr])
    ck.check(environ["ECHO_COMM"] not in r.stdout + r.stderr + open(os.path.join(out, "snap", "manifest.json")).read(),
             "the community is in no message")


CASES = {"none": case_none, "keep": case_keep, "md5": case_md5, "echo": case_echo}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("case", choices=sorted(CASES))
    ap.add_argument("--ncsim", required=True)
    ap.add_argument("--eraudit", required=True)
    a = ap.parse_args()
    env = Env("secrets-" + a.case)
    ck = Checks()
    run_case(env, ck, CASES[a.case], env, a, ck)


if __name__ == "__main__":
    main()
