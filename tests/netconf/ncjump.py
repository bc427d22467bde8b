#!/usr/bin/python3
"""A NETCONF device behind a bastion (issue 16): `eraudit collect` reaches it
through a jump host with `ssh-config:` and ProxyJump, in network namespaces
this test creates and deletes:

    erjump-c (collector)  --198.18.210.0/24--  erjump-j (OpenSSH sshd :2222)
                                                    |  198.18.211.0/24
                                               erjump-d (ncsim :830)

The collector's namespace has no route to the device: only the jump host
reaches it. Checked: collected through the jump host; without ssh-config
the device is unreachable, with the reason; a wrong jump-host key in the
inventory's known_hosts fails host key verification; an unknown one is
refused, and recorded only with --accept-new-host-keys; `ssh-config: true`
on the auth profile reads ~/.ssh/config (a private tmpfs home for that run);
the proxy's ssh leaves no process and no file behind.

Needs root (exit 77 otherwise). Run under a private /run/netns:
  unshare --mount --propagation private sh -c 'mount -t tmpfs tmpfs /run/netns && ctest -L lab ...'

usage: ncjump.py --ncsim PATH --eraudit PATH"""
import argparse
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nclib import Checks, Collector, Env, run_case  # noqa: E402

SSHD = "/usr/sbin/sshd"
NS_C, NS_J, NS_D = "erjump-c", "erjump-j", "erjump-d"
C_ADDR, J_ADDR, J_ADDR2, D_ADDR = "198.18.210.1", "198.18.210.2", "198.18.211.1", "198.18.211.2"
J_PORT = 2222
RUNNING = "<interfaces xmlns=\"http://openconfig.net/yang/interfaces\"/>"


def sh(*args):
    subprocess.run(list(args), check=True)


def netns_up():
    for ns in (NS_C, NS_J, NS_D):
        subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)
        sh("ip", "netns", "add", ns)
        sh("ip", "-n", ns, "link", "set", "lo", "up")
    sh("ip", "link", "add", "erjc0", "netns", NS_C, "type", "veth", "peer", "name", "erjj0", "netns", NS_J)
    sh("ip", "link", "add", "erjj1", "netns", NS_J, "type", "veth", "peer", "name", "erjd0", "netns", NS_D)
    for ns, dev, addr in ((NS_C, "erjc0", C_ADDR), (NS_J, "erjj0", J_ADDR), (NS_J, "erjj1", J_ADDR2),
                          (NS_D, "erjd0", D_ADDR)):
        sh("ip", "-n", ns, "addr", "add", addr + "/24", "dev", dev)
        sh("ip", "-n", ns, "link", "set", dev, "up")


def netns_down():
    for ns in (NS_C, NS_J, NS_D):
        subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)


def wait_file(path, proc, what):
    for _ in range(200):
        if os.path.exists(path) or proc.poll() is not None:
            break
        time.sleep(0.05)
    if not os.path.exists(path):
        raise RuntimeError("%s did not start" % what)


def start_jump(env, jump_pub):
    """OpenSSH sshd in the jump namespace: its own config, host key, port and authorized_keys."""
    hostkey = env.keygen("jump_host_key")
    auth = env.path("jump_authorized_keys")
    shutil.copy(jump_pub, auth)
    os.makedirs("/run/sshd", exist_ok=True)    # sshd's privilege separation directory
    conf, pid = env.path("jump_sshd_config"), env.path("jump_sshd.pid")
    with open(conf, "w") as fh:
        fh.write("\n".join([
            "Port %d" % J_PORT, "ListenAddress " + J_ADDR, "HostKey " + hostkey, "PidFile " + pid,
            "AuthorizedKeysFile " + auth, "StrictModes no", "PasswordAuthentication no",
            "KbdInteractiveAuthentication no", "UsePAM no", "PermitRootLogin prohibit-password",
            "AllowTcpForwarding yes", "PermitTTY no", ""]))
    proc = env.spawn(["ip", "netns", "exec", NS_J, SSHD, "-D", "-f", conf, "-E", env.path("jump_sshd.log")])
    wait_file(pid, proc, "sshd")
    return hostkey


def start_device(env, ncsim, client_pub):
    """ncsim serving dev1 on the device namespace's address, port 830."""
    hostkey = env.keygen("dev_host_key")
    data = env.path("dev-data", "dev1")
    os.makedirs(data)
    with open(os.path.join(data, "running.xml"), "w") as fh:
        fh.write(RUNNING)
    ports = env.path("dev-ports")
    proc = env.spawn(["ip", "netns", "exec", NS_D, ncsim, "--dir", env.path("dev-data"), "--hostkey", hostkey,
                      "--user", "admin", "--authorized-key", client_pub, "--address", D_ADDR, "--base-port", "830",
                      "--ports-out", ports])
    wait_file(ports, proc, "ncsim")
    return hostkey


def pub(path):
    with open(path + ".pub") as fh:
        return " ".join(fh.read().split()[:2])


def write(path, text):
    with open(path, "w") as fh:
        fh.write(text)
    return path


def case_jump(env, a, ck):
    netns_up()
    try:
        run_jump(env, a, ck)
    finally:
        env.close()
        netns_down()


def run_jump(env, a, ck):
    client, jumpkey = env.keygen("client"), env.keygen("jumpkey")
    jump_hk = start_jump(env, jumpkey + ".pub")
    dev_hk = start_device(env, a.ncsim, client + ".pub")
    other = env.keygen("other_key")
    kh = env.path("known_hosts")
    good_kh = "[%s]:%d %s\n[%s]:830 %s\n" % (J_ADDR, J_PORT, pub(jump_hk), D_ADDR, pub(dev_hk))
    cfg = write(env.path("ssh_config"), """Host bastion
  HostName %s
  Port %d
  User root
  IdentityFile %s
  IdentitiesOnly yes
Host 198.18.211.*
  ProxyJump bastion
""" % (J_ADDR, J_PORT, jumpkey))
    inv_text = """known-hosts: %s
auth:
  - {name: key, username: admin, key-file: %s}
devices:
  - name: dev1
    host: %s
    role: er-edge
    auth: key
    ssh-config: %s
""" % (kh, client, D_ADDR, cfg)
    inv = write(env.path("inv.yaml"), inv_text)
    tmp = env.path("tmp")
    os.makedirs(tmp)
    col = Collector(env, eraudit=a.eraudit)
    ns_c = ["ip", "netns", "exec", NS_C]
    run_env = {"SSH_AUTH_SOCK": "", "TMPDIR": tmp}

    def collect(out, inv_path=inv, accept_new=False):
        return col.run(inv_path, env.path(out), accept_new=accept_new, prefix=ns_c, extra_env=run_env, timeout=120)

    # 1. Through the jump host.
    write(kh, good_kh)
    rc, st, out = collect("s1")
    ck.check(rc == 0 and st.get("dev1", ("",))[0] == "collected",
             "dev1 collected through the jump host (exit %d, %r, %s)" % (rc, st, out[-300:]))
    ck.check(os.path.exists(env.path("s1", "devices", "dev1", "netconf", "running.xml")),
             "its running configuration is in the snapshot")

    # 2. Without ssh-config the collector's namespace has no route to it.
    inv2 = write(env.path("inv2.yaml"), inv_text.replace("    ssh-config: %s\n" % cfg, ""))
    rc, st, _ = collect("s2", inv2)
    r = st.get("dev1", ("", ""))
    ck.check(rc == 3 and r[0] == "failed" and "unreachable" in r[1].lower() and D_ADDR in r[1],
             "without ssh-config: failed, unreachable, with the address (%r)" % (r,))

    # 3. A wrong key for the jump host in the inventory's known_hosts.
    write(kh, "[%s]:%d %s\n[%s]:830 %s\n" % (J_ADDR, J_PORT, pub(other), D_ADDR, pub(dev_hk)))
    rc, st, _ = collect("s3")
    r = st.get("dev1", ("", ""))
    ck.check(rc == 3 and r[0] == "failed" and "ProxyJump" in r[1] and "Host key verification failed" in r[1],
             "wrong jump-host key: host key verification fails, named in the reason (%r)" % (r,))
    ck.check(("offered %s;" % env.fingerprint(jump_hk + ".pub")) in r[1],
             "the reason shows the fingerprint of the key the jump host offered")

    # 4. An unknown jump host: refused; recorded only when asked.
    write(kh, "[%s]:830 %s\n" % (D_ADDR, pub(dev_hk)))
    rc, st, _ = collect("s4")
    r = st.get("dev1", ("", ""))
    ck.check(r[0] == "failed" and "Host key verification failed" in r[1],
             "unknown jump-host key: refused without --accept-new-host-keys (%r)" % (r,))
    rc, st, _ = collect("s5", accept_new=True)
    with open(kh) as fh:
        known = fh.read()
    ck.check(rc == 0 and st.get("dev1", ("",))[0] == "collected" and ("[%s]:%d" % (J_ADDR, J_PORT)) in known,
             "--accept-new-host-keys: collected, the jump host's key recorded in the inventory's known_hosts")

    # 5. ssh-config: true (on the auth profile) reads the user's ~/.ssh/config: here a private
    # /root (tmpfs in a mount namespace of this run only) holding the same file.
    write(kh, good_kh)
    pw_home = os.path.expanduser("~root")
    inv6 = write(env.path("inv6.yaml"), inv_text.replace("    ssh-config: %s\n" % cfg, "").replace(
        "key-file: %s}" % client, "key-file: %s, ssh-config: true}" % client))
    home_ns = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
               "mount -t tmpfs tmpfs %s && mkdir -m 700 %s/.ssh && cp %s %s/.ssh/config && exec \"$@\""
               % (pw_home, pw_home, cfg, pw_home), "sh"] + ns_c
    rc, st, out = col.run(inv6, env.path("s6"), prefix=home_ns, extra_env=run_env, timeout=120)
    ck.check(rc == 0 and st.get("dev1", ("",))[0] == "collected",
             "ssh-config: true on the auth profile: ~/.ssh/config's ProxyJump used (exit %d, %r, %s)"
             % (rc, st, out[-200:]))

    # 6. Nothing left behind: no proxy ssh running, no message file.
    left = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    ck.check(("UserKnownHostsFile='%s'" % kh) not in left and ("UserKnownHostsFile=%s" % kh) not in left,
             "no proxy ssh process left running")
    ck.check(os.listdir(tmp) == [], "no proxy message file left in TMPDIR (%r)" % os.listdir(tmp))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ncsim", required=True)
    ap.add_argument("--eraudit", required=True)
    a = ap.parse_args()
    if os.geteuid() != 0:
        print("skipped: needs root (network namespaces)")
        sys.exit(77)
    if not os.access(SSHD, os.X_OK) or not shutil.which("ip") or not shutil.which("ssh"):
        print("skipped: needs OpenSSH sshd and ssh, and iproute2")
        sys.exit(77)
    env = Env("jump")
    ck = Checks()
    run_case(env, ck, case_jump, env, a, ck)


if __name__ == "__main__":
    main()
