#!/usr/bin/python3
"""How `eraudit collect` reaches NETCONF devices (issue 16), on 127.0.0.1 in
a private temp dir: the inventory's timeouts (defaults, per device; the
command line wins) against a peer that never speaks, and an opt-in
ssh-config (HostName and IdentityFile from the file; a bad path named with
the inventory's file:line). The ProxyJump path needs namespaces: ncjump.py.

usage: ncreach.py --ncsim PATH --eraudit PATH"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nclib import Checks, Collector, Env, SilentServer, Sim, run_case  # noqa: E402

RUNNING = "<interfaces xmlns=\"http://openconfig.net/yang/interfaces\"/>"


def write(path, text):
    with open(path, "w") as fh:
        fh.write(text)
    return path


def case_reach(env, a, ck):
    hostkey = env.keygen("hostkey")
    client = env.keygen("client")
    sim = Sim(env, a.ncsim, {"sim0": {"running.xml": RUNNING}}, hostkey, authkeys=[client + ".pub"])
    mute = SilentServer()       # accepts TCP, never sends its SSH banner
    env.servers.append(mute)
    col = Collector(env, eraudit=a.eraudit)
    kh = env.path("known_hosts")

    # 1. Timeouts from the inventory: the defaults' 1 s gives the mute device up fast.
    inv = write(env.path("t1.yaml"), """known-hosts: %s
defaults: {connect-timeout: 1, timeout: 5}
auth:
  - {name: key, username: admin, key-file: %s}
devices:
  - {name: sim0, host: 127.0.0.1, port: %d, role: er-edge, auth: key}
  - {name: mute, host: 127.0.0.1, port: %d, role: er-edge, auth: key}
""" % (kh, client, sim.ports["sim0"], mute.port))
    rc, st, out = col.run(inv, env.path("s1"), accept_new=True)
    ck.check(rc == 3 and st.get("sim0", ("",))[0] == "collected" and st.get("mute", ("",))[0] == "failed",
             "defaults connect-timeout 1: sim0 collected, mute failed (exit %d, %r)" % (rc, st))
    ck.check(col.elapsed < 6, "the mute device is given up after the inventory's 1 s, not the built-in 10 s "
             "(%.1f s)" % col.elapsed)

    # 2. The device's own value wins over the defaults; the command line wins over both.
    text = open(inv).read().replace("role: er-edge, auth: key}\n", "role: er-edge, auth: key, connect-timeout: 1500ms}\n")
    write(inv, text.replace("connect-timeout: 1,", "connect-timeout: 30,"))
    rc, st, _ = col.run(inv, env.path("s2"))
    ck.check(st.get("mute", ("",))[0] == "failed" and col.elapsed < 6,
             "device connect-timeout 1500ms over the defaults' 30 s (%.1f s)" % col.elapsed)
    write(inv, text.replace("connect-timeout: 1500ms", "connect-timeout: 30").replace("connect-timeout: 1,",
                                                                                          "connect-timeout: 30,"))
    rc, st, _ = col.run(inv, env.path("s3"), options=["--connect-timeout", "1"])
    ck.check(st.get("mute", ("",))[0] == "failed" and col.elapsed < 6,
             "--connect-timeout 1 over the inventory's 30 s (%.1f s)" % col.elapsed)

    # 3. `eraudit inventory` prints them.
    import subprocess
    p = subprocess.run([a.eraudit, "inventory", "check", inv], capture_output=True, text=True)
    ck.check(p.returncode == 0 and "defaults:\n  connect-timeout: 30\n  timeout: 5\n" in p.stdout and
             "    connect-timeout: 30\n" in p.stdout, "eraudit inventory prints the defaults and the device's value")

    # 4. ssh-config: the device's host is an alias; HostName and IdentityFile come from the file.
    # (No name is ever looked up in DNS: the alias resolves through the file only.)
    cfg = write(env.path("ssh_config"), "Host simalias 127.0.0.1\n  HostName 127.0.0.1\n  Port 22\n  User nobody\n"
                "  IdentityFile %s\n" % client)
    inv4 = write(env.path("t4.yaml"), """known-hosts: %s
auth:
  - {name: cfg, username: admin, ssh-config: ssh_config}
devices:
  - {name: sim0, host: simalias, port: %d, role: er-edge, auth: cfg}
  - {name: plain, host: 127.0.0.1, port: %d, role: er-edge, auth: cfg, ssh-config: false}
  - {name: lost, host: simalias, port: %d, role: er-edge, auth: cfg,
     ssh-config: no/such/file}
""" % (kh, sim.ports["sim0"], sim.ports["sim0"], sim.ports["sim0"]))
    rc, st, out = col.run(inv4, env.path("s4"), extra_env={"SSH_AUTH_SOCK": ""})
    ck.check(st.get("sim0", ("",))[0] == "collected",
             "ssh-config (relative to the inventory): HostName, IdentityFile; port and user from the inventory (%r)"
             % (st.get("sim0"),))
    plain = st.get("plain", ("", ""))
    ck.check(plain[0] == "failed" and "gives no key file" in plain[1],
             "ssh-config: false on the device: no IdentityFile from the file (%r)" % (plain,))
    lost = st.get("lost", ("", ""))
    ck.check(lost[0] == "failed" and "t4.yaml:8" in lost[1] and "no/such/file" in lost[1] and
             "No such file" in lost[1], "a missing ssh-config names the inventory's file:line (%r)" % (lost,))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ncsim", required=True)
    ap.add_argument("--eraudit", required=True)
    a = ap.parse_args()
    env = Env("reach")
    ck = Checks()
    run_case(env, ck, case_reach, env, a, ck)


if __name__ == "__main__":
    main()
