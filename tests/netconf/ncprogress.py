#!/usr/bin/python3
"""Progress and timeouts of a live collection (`eraudit collect`), against
ncsim devices, a NETCONF peer that never sends its hello and an SNMP agent
that never answers, all on 127.0.0.1 in a private temp dir.

usage: ncprogress.py --ncsim PATH --eraudit PATH"""
import argparse
import os
import re
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nclib import Checks, Env, SilentServer, Sim, run_case, write_inventory  # noqa: E402

N_SIM = 6
TOTAL = N_SIM + 2        # the sim devices, mute (netconf), deaf (snmp)
PROGRESS = re.compile(r"collect: (\d+)/(\d+) done \((\d+) failed\)")


def visible(segment):
    """What a terminal shows of one line: the text after the last \\r, without erase-line."""
    return segment.split("\r")[-1].replace("\033[K", "")


def collect(env, a, inv, out, *opts, extra_env=None):
    run_env = dict(os.environ, XDG_CACHE_HOME=env.path("cache"), T_COMM="public")
    run_env.update(extra_env or {})
    t0 = time.monotonic()
    # bytes: text mode would turn each \r into a newline
    p = subprocess.run([a.eraudit, "collect", "-i", inv, "-o", out] + list(opts), capture_output=True,
                       timeout=120, env=run_env)
    return p.returncode, p.stderr.decode(), time.monotonic() - t0


def case_progress(env, a, ck):
    hostkey = env.keygen("hostkey")
    client = env.keygen("client")
    devices = {"sim%d" % i: {"running.xml": "<interfaces xmlns=\"http://openconfig.net/yang/interfaces\"/>"}
               for i in range(N_SIM)}
    sim = Sim(env, a.ncsim, devices, hostkey, authkeys=[client + ".pub"])
    mute = SilentServer()                  # accepts TCP, never sends its SSH banner / hello
    env.servers.append(mute)
    deaf = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)   # an SNMP port that never answers
    deaf.bind(("127.0.0.1", 0))
    inv = env.path("inv.yaml")
    write_inventory(inv, [(d, sim.ports[d], "key") for d in sorted(devices)] + [("mute", mute.port, "key")],
                    env.path("known_hosts"), {"key": {"username": "admin", "key-file": client}})
    with open(inv) as fh:
        text = fh.read().replace("auth:\n", "auth:\n- {name: v2, snmp: {version: 2, community: {env: T_COMM}}}\n", 1)
    text += ("- {name: deaf, host: 127.0.0.1, snmp-port: %d, role: wan, collectors: [snmp], auth: v2}\n"
             % deaf.getsockname()[1])
    with open(inv, "w") as fh:
        fh.write(text)

    # 1. The terminal line, forced without a terminal: every message on a line of its own.
    rc, err, took = collect(env, a, inv, env.path("s1"), "--progress=always", "--accept-new-host-keys",
                            "-j", "3", "--connect-timeout", "1500ms", "--timeout", "300ms")
    segs = err.split("\n")
    shown = [visible(s) for s in segs]
    finals = [v for v in shown if PROGRESS.match(v)]
    m = PROGRESS.match(finals[-1]) if finals else None
    ck.check(rc == 3, "collect with a mute and a deaf device: exit 3 (got %d)" % rc)
    ck.check(m and m.groups() == (str(TOTAL), str(TOTAL), "2") and " in " in finals[-1],
             "final line counts every device of both protocols (%r)" % (finals[-1:] or err[-300:]))
    msgs = [s for s in segs if "recorded its new host key" in s]
    ck.check(len(msgs) == N_SIM, "one host key message per sim device (%d)" % len(msgs))
    broken = [s for s in msgs if not re.fullmatch(r"(\r[^\r]*\033\[K)*\r\033\[Keraudit: device sim\d: recorded its "
                                                  r"new host key in [^\r\033]*|eraudit: device [^\r\033]*", s)]
    ck.check(msgs and not broken, "no message line shares a line with a progress line (%r)" % broken[:2])
    ck.check(any("waiting for mute (netconf)" in s for s in segs),
             "while it waits out its timeout the line names the pending device (mute)")
    ck.check(any("waiting for" in s and "deaf (snmp)" in s for s in segs),
             "the SNMP device is on the line while pending (deaf)")
    ck.check(took < 3 * 1.5 + 3, "--connect-timeout 1500ms: the mute device given up in time (%.1f s)" % took)
    man = open(os.path.join(env.path("s1"), "manifest.json")).read()
    ck.check(re.search(r'"name": "mute".*?"status": "failed"', man, re.S) is not None, "mute is failed in the manifest")
    ck.check(re.search(r"0\.9 s", err) is not None or "0.9" in man,
             "--timeout 300ms reaches SNMP: the deaf agent given up after 3 x 0.3 s")

    # 2. No terminal, auto: plain lines every interval and one at the end, no line control.
    rc, err, took = collect(env, a, inv, env.path("s2"), "--connect-timeout", "2.5", "--timeout", "300ms",
                            extra_env={"ERAUDIT_PROGRESS_INTERVAL": "1"})
    lines = [l for l in err.split("\n") if PROGRESS.search(l)]
    ck.check("\r" not in err and "\033" not in err, "no terminal: no \\r or escape sequences")
    ck.check(len(lines) >= 2 and all(l.startswith("eraudit: collect: ") for l in lines),
             "no terminal: periodic plain lines (%d: %r)" % (len(lines), lines[:3]))
    ck.check(lines and PROGRESS.search(lines[-1]).groups() == (str(TOTAL), str(TOTAL), "2"),
             "no terminal: the last line counts every device (%r)" % lines[-1:])
    ck.check(took < 3 * 2.5 + 3, "--connect-timeout 2.5 (seconds) takes effect (%.1f s)" % took)

    # 3. --quiet and --progress=never: no progress at all.
    for opt in ("--quiet", "--progress=never"):
        rc, err, _ = collect(env, a, inv, env.path("s3" + opt[2:4]), opt, "--connect-timeout", "1", "--timeout", "300ms",
                             extra_env={"ERAUDIT_PROGRESS_INTERVAL": "1"})
        ck.check(rc == 3 and not PROGRESS.search(err) and "\r" not in err,
                 "%s: no progress line (exit %d, %r)" % (opt, rc, err[-200:]))

    # 4. Bad values are usage errors before anything is contacted.
    for opt in (["--progress=sometimes"], ["--connect-timeout", "0"], ["--timeout", "soon"]):
        rc, err, _ = collect(env, a, inv, env.path("s4"), *opt)
        ck.check(rc == 2 and not os.path.exists(env.path("s4")), "%s: exit 2 (%d)" % (" ".join(opt), rc))

    # 5. audit (live) takes the same options.
    run_env = dict(os.environ, XDG_CACHE_HOME=env.path("cache"), T_COMM="public")
    p = subprocess.run([a.eraudit, "audit", "-i", inv, "-f", "json", "-o", env.path("r.json"), "--progress=always",
                        "--connect-timeout", "1", "--timeout", "300ms"], capture_output=True,
                       timeout=120, env=run_env)
    fin = [visible(s) for s in p.stderr.decode().split("\n") if PROGRESS.match(visible(s))]
    ck.check(p.returncode in (1, 3) and fin and PROGRESS.match(fin[-1]).group(1) == str(TOTAL),
             "audit --progress=always: the final line counts every device (exit %d, %r)" % (p.returncode, fin[-1:]))
    deaf.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ncsim", required=True)
    ap.add_argument("--eraudit", required=True)
    a = ap.parse_args()
    env = Env("progress")
    ck = Checks()
    run_case(env, ck, case_progress, env, a, ck)


if __name__ == "__main__":
    main()
