#!/usr/bin/python3
"""A recorded-walk responder for snmpd's pass_persist: serves the records of
a .snmprec file (OID|tag|value, as snmpsim reads them) that lie under ROOT,
so a real snmpd answers a vendor MIB it does not implement.

Usage (snmpd.conf): pass_persist ROOT /usr/bin/python3 snmprec_pass.py FILE ROOT
Protocol (snmpd(8), pass_persist): PING -> PONG; get/getnext OID -> OID, type,
value (or NONE); set -> not-writable.
"""
import sys

TYPES = {"2": "integer", "4": "string", "4x": "octet", "6": "objectid", "64": "ipaddress", "65": "counter",
         "66": "gauge", "67": "timeticks", "70": "counter64"}


def key(oid):
    return tuple(int(x) for x in oid.strip(".").split(".") if x)


def convert(records, root):
    """(oid, tag, value) records under @root as sorted (key, pass type, pass value)."""
    recs = []
    for oid, tag, val in records:
        if key(oid)[:len(root)] == root:
            tag, val = str(tag), str(val)
            if tag == "4x":
                val = " ".join(val[i:i + 2] for i in range(0, len(val), 2))
            recs.append((key(oid), TYPES[tag], val))
    return sorted(recs)


def load(path, root):
    lines = [line.rstrip("\n").split("|", 2) for line in open(path) if line.strip() and not line.startswith("#")]
    return convert(lines, root)


def serve(get_recs):
    """Answer snmpd on stdin/stdout; get_recs() gives the records for each request."""
    out = sys.stdout
    while True:
        cmd = sys.stdin.readline()
        if not cmd:
            return
        cmd = cmd.strip()
        if cmd == "PING":
            out.write("PONG\n")
        elif cmd in ("get", "getnext"):
            want = key(sys.stdin.readline())
            recs = get_recs()
            hit = None
            for r in recs:
                if (cmd == "get" and r[0] == want) or (cmd == "getnext" and r[0] > want):
                    hit = r
                    break
            if hit:
                out.write("." + ".".join(map(str, hit[0])) + "\n" + hit[1] + "\n" + hit[2] + "\n")
            else:
                out.write("NONE\n")
        elif cmd == "set":
            sys.stdin.readline()
            sys.stdin.readline()
            out.write("not-writable\n")
        out.flush()


if __name__ == "__main__":
    RECS = load(sys.argv[1], key(sys.argv[2]))
    serve(lambda: RECS)
