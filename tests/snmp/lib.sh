# Shared helpers of the SNMP tests: private temp dir, real agents (snmpd,
# snmpsim) on 127.0.0.1 high ports, stopped on exit whatever happens, and
# checks on the snapshot a collection wrote. Sourced by tests/snmp/t_*.
set -u

T=$(mktemp -d /tmp/eraudit-snmp.XXXXXX)
chmod 755 "$T"
PIDS=()
FAILS=0

cleanup() {
    local p
    for p in "${PIDS[@]}"; do
        kill "$p" 2>/dev/null
    done
    for p in "${PIDS[@]}"; do
        wait "$p" 2>/dev/null
    done
    if [ "${KEEP_TMP:-0}" = 1 ] || [ "$FAILS" -gt 0 ]; then
        echo "(files kept in $T)"
    else
        rm -rf "$T"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
pass() { echo "ok: $*"; }

# A free UDP port on 127.0.0.1 (the kernel picks it).
free_port() {
    python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Wait until an agent answers a v2c get of sysDescr.0.
wait_agent() { # PORT COMMUNITY
    local i
    for i in $(seq 1 100); do
        snmpget -m '' -v2c -c "$2" -r0 -t0.2 "127.0.0.1:$1" 1.3.6.1.2.1.1.1.0 >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "agent on port $1 did not come up"
    return 1
}

# start_snmpd NAME PORT [extra config lines on stdin]
# v2c community "public" and the v3 users of SNMPD_USERS below.
start_snmpd() {
    local name=$1 port=$2 dir=$T/$1
    mkdir -p "$dir/persist"
    {
        echo "agentAddress udp:127.0.0.1:$port"
        echo "rocommunity public 127.0.0.1"
        echo "$SNMPD_USERS"
        cat
        echo "[snmp] persistentDir $dir/persist"
    } >"$dir/snmpd.conf"
    snmpd -f -C -c "$dir/snmpd.conf" -I -smux -m '' -M /nonexistent -Lf "$dir/snmpd.log" -p "$dir/snmpd.pid" &
    PIDS+=($!)
    wait_agent "$port" public
}

SNMPD_USERS='createUser u256 SHA-256 "authpass-256" AES "privpass-aes128"
createUser u512 SHA-512 "authpass-512" AES256 "privpass-aes256"
createUser u224 SHA-224 "authpass-224" AES192 "privpass-aes192"
createUser u384 SHA-384 "authpass-384" AES "privpass-aes384"
createUser usha SHA "authpass-sha1"
rouser u256 priv
rouser u512 priv
rouser u224 priv
rouser u384 priv
rouser usha auth'

# start_snmpsim PORT: serves tests/snmp/data/*.snmprec (community = file name).
# snmpsimd refuses to run as root: it drops to nobody.
start_snmpsim() {
    local port=$1 dir=$T/snmpsim
    mkdir -p "$dir/data" "$dir/cache"
    cp "$SNMP_TESTS/data/"*.snmprec "$dir/data/"
    chmod -R a+rwX "$dir"
    local who=()
    [ "$(id -u)" = 0 ] && who=(--process-user=nobody --process-group=nogroup)
    snmpsimd --data-dir="$dir/data" --cache-dir="$dir/cache" --agent-udpv4-endpoint="127.0.0.1:$port" \
        "${who[@]}" --logging-method=null >"$dir/out" 2>&1 &
    PIDS+=($!)
    wait_agent "$port" cidronly
}

# A UDP socket that never answers.
start_silent() { # PORT
    python3 -c 'import socket, time, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", int(sys.argv[1])))
time.sleep(3600)' "$1" &
    PIDS+=($!)
    local i
    for i in $(seq 1 100); do
        ss -Hlun "sport = :$1" | grep -q . && return 0
        sleep 0.05
    done
    echo "silent socket on port $1 did not come up"
    return 1
}

# start_relay DROP_AFTER LISTEN_PORT AGENT_PORT: udprelay.py that forwards the
# first DROP_AFTER requests to the agent and then goes silent.
start_relay() {
    python3 "$SNMP_TESTS/udprelay.py" --drop-after "$1" 0 "$2:$3" >"$T/relay.out" 2>&1 &
    PIDS+=($!)
    local i
    for i in $(seq 1 100); do
        grep -q ready "$T/relay.out" && return 0
        sleep 0.05
    done
    echo "relay did not start"
    return 1
}

# collect INVENTORY SNAPDIR: the collector through snmps_drive (options in SNMPS_*).
collect() {
    "$SNMPS_DRIVE" "$1" "$2" >"$T/collect.out" 2>"$T/collect.err"
    local rc=$?
    cat "$T/collect.err"
    ELAPSED=$(sed -n 's/^elapsed_s=//p' "$T/collect.out")
    return $rc
}

# manifest SNAPDIR DEVICE FIELD: a field of a device entry ("" if absent).
manifest() {
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
m = json.load(open(sys.argv[1] + "/manifest.json"))["eraudit-snapshot:manifest"]
for d in m.get("device", []):
    if d["name"] == sys.argv[2]:
        print(d.get(sys.argv[3], ""))
        break
PY
}

# manifest_table SNAPDIR DEVICE TABLE: "READ KEPT INCOMPLETE" of a route table ("" if absent).
manifest_table() {
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
m = json.load(open(sys.argv[1] + "/manifest.json"))["eraudit-snapshot:manifest"]
for d in m.get("device", []):
    if d["name"] == sys.argv[2]:
        for t in d.get("snmp-table", []):
            if t["name"] == sys.argv[3]:
                print(t.get("rows-read", ""), t.get("rows-kept", ""), t.get("rows-incomplete", ""))
PY
}

expect_status() { # SNAP DEVICE STATUS [REASON-REGEX]
    local st reason
    st=$(manifest "$1" "$2" status)
    reason=$(manifest "$1" "$2" reason)
    if [ "$st" != "$3" ]; then
        fail "$2: status '$st', expected '$3' (reason: $reason)"
        return
    fi
    if [ $# -ge 4 ] && ! printf '%s' "$reason" | grep -Eq -- "$4"; then
        fail "$2: reason '$reason' does not match /$4/"
        return
    fi
    pass "$2: $st${reason:+ ($reason)}"
}

expect_file() { # PATH
    if [ -s "$1" ]; then pass "file ${1#$T/}"; else fail "missing or empty ${1#$T/}"; fi
}

expect_no_file() { # PATH
    if [ -e "$1" ]; then fail "unexpected ${1#$T/}"; else pass "no ${1#$T/}"; fi
}

finish() {
    if [ "$FAILS" -gt 0 ]; then
        echo "$FAILS check(s) failed"
        exit 1
    fi
    echo "all checks passed"
    exit 0
}
