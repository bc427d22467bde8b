# The ExpressRoute lab: its routers, links and helpers; sourced by up, down
# and the scenario tests. Each router is a network namespace running FRR
# (zebra, and bgpd with -M snmp) under an snmpd that is its AgentX master.
# A management namespace reaches every router's snmpd; the collector runs
# there. The edge routers (er1, er2, inet) also answer NETCONF on their
# management address: ncsim, serving what frr2oc.py renders from FRR (see
# lab_netconf). Addresses come from 198.18.0.0/15 and exist only in the
# namespaces.
#
#            MSEE (AS 12076)                       ISP (AS 64500)
#     pri /    | sec     pri |   \ sec                 |
#        er1 (circuit er-pri)  er2 (circuit er-sec)   inet      AS 65010
#           \__________  wan (route reflector) ______/
#
LAB_DIR=${LAB_DIR:-/tmp/erlab}
LAB_NS=${LAB_NS:-erlab}
ROUTERS="msee er1 er2 inet isp wan"
# router -> index (management address 198.19.0.4i+2, router ID 198.18.255.i)
declare -A RIDX=([msee]=1 [er1]=2 [er2]=3 [inet]=4 [isp]=5 [wan]=6)
# links: "routerA ifA addrA routerB ifB addrB" (/30 each)
LINKS=(
    "er1 msa 198.18.0.1 msee er1a 198.18.0.2"
    "er1 msb 198.18.0.5 msee er1b 198.18.0.6"
    "er2 msa 198.18.0.9 msee er2a 198.18.0.10"
    "er2 msb 198.18.0.13 msee er2b 198.18.0.14"
    "inet isp 198.18.0.17 isp inet 198.18.0.18"
    "wan er1 198.18.0.21 er1 wan 198.18.0.22"
    "wan er2 198.18.0.25 er2 wan 198.18.0.26"
    "wan inet 198.18.0.29 inet wan 198.18.0.30"
)
# The NAT pool each edge advertises. The routers do not translate (FRR has
# no NAT); the edges' NETCONF agents serve these as their ietf-nat pools.
EDGES="er1 er2 inet"
declare -A NAT_POOL=([er1]=203.0.113.128/27 [er2]=203.0.113.160/27 [inet]=198.51.100.0/28)
LAB_COMMUNITY=erlab-ro
LAB_NC_USER=erlab
LAB_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_V3_USER=erlab
LAB_V3_AUTH=lab-auth-pass-256
LAB_V3_PRIV=lab-priv-pass-aes

# Routers whose snmpd hides BGP4-MIB and serves BGP only in CISCO-BGP4-MIB
# (frr2cbgp.py), as vendor agents do; set before `up` (scenario vendorbgp).
LAB_VENDOR_BGP=${LAB_VENDOR_BGP:-}

ns() { echo "$LAB_NS-$1"; }

# lab_snmpd_access ROUTER: the access lines of the router's snmpd.conf
lab_snmpd_access() {
    local view=""
    case " $LAB_VENDOR_BGP " in
    *" $1 "*)
        view=" -V nobgp4mib"
        echo "view nobgp4mib included .1"
        echo "view nobgp4mib excluded .1.3.6.1.2.1.15"
        echo "pass_persist .1.3.6.1.4.1.9.9.187 /usr/bin/python3 $LAB_HERE/frr2cbgp.py --vty-socket $(rdir "$1")"
        ;;
    esac
    echo "rocommunity $LAB_COMMUNITY 198.19.0.0/16$view"
    echo "createUser $LAB_V3_USER SHA-256 \"$LAB_V3_AUTH\" AES \"$LAB_V3_PRIV\""
    echo "rouser $LAB_V3_USER priv$view"
}
mgmt_ns() { echo "$LAB_NS-mgmt"; }
mgmt_addr() { echo "198.19.0.$((RIDX[$1] * 4 + 2))"; }
rdir() { echo "$LAB_DIR/$1"; }

# vty ROUTER COMMAND...: vtysh of a router (each -c one line)
vty() {
    local r=$1 a=()
    shift
    for c in "$@"; do a+=(-c "$c"); done
    ip netns exec "$(ns "$r")" vtysh --vty_socket "$(rdir "$r")" "${a[@]}"
}

# Configure a router: vty_conf ROUTER LINE... (inside "configure terminal")
vty_conf() {
    local r=$1
    shift
    vty "$r" "configure terminal" "$@" "end" >/dev/null
}

# wait_bgp ROUTER NEIGHBOR STATE [SECONDS]: until the session is in STATE
wait_bgp() {
    local r=$1 nb=$2 want=$3 t=${4:-30} i st
    for i in $(seq 1 $((t * 10))); do
        st=$(vty "$r" "show bgp neighbors $nb json" 2>/dev/null |
            python3 -c 'import json,sys
try:
    d = json.load(sys.stdin); print(next(iter(d.values())).get("bgpState", ""))
except Exception:
    print("")' 2>/dev/null)
        [ "$st" = "$want" ] && return 0
        sleep 0.1
    done
    echo "lab: $r: neighbor $nb is '$st', not $want after ${t}s" >&2
    return 1
}

# wait_rib ROUTER PREFIX COUNT [SECONDS]: until bgp has COUNT paths for PREFIX (0: absent)
wait_rib() {
    local r=$1 p=$2 want=$3 t=${4:-30} i n
    for i in $(seq 1 $((t * 10))); do
        n=$(vty "$r" "show bgp ipv4 unicast $p json" 2>/dev/null |
            python3 -c 'import json,sys
try:
    print(len(json.load(sys.stdin).get("paths", [])))
except Exception:
    print(0)' 2>/dev/null)
        [ "$n" = "$want" ] && return 0
        sleep 0.1
    done
    echo "lab: $r: $p has $n paths, not $want after ${t}s" >&2
    return 1
}

# wait_pid_gone PID [SECONDS]
wait_pid_gone() {
    local i
    for i in $(seq 1 $((${2:-5} * 20))); do
        [ -d "/proc/$1" ] || return 0
        sleep 0.05
    done
    return 1
}

# lab_netconf NCSIM: render each edge router's FRR state as OpenConfig
# (frr2oc.py: BGP neighbors and policies, adj-RIB-out, the NAT pool) and
# serve it with NCSIM inside the router's namespace on its management
# address, port 830. Run it after a change has converged: a running ncsim
# reads the files again for every request, so calling it again re-renders.
# LAB_RENDER names another renderer with frr2oc.py's arguments (render_xe.py),
# LAB_NCSIM_ARGS adds ncsim options (the platform's --capability URIs).
lab_netconf() {
    local sim=$1 d=$LAB_DIR/netconf r i
    mkdir -p "$d"
    [ -s "$d/hostkey" ] || ssh-keygen -q -t ed25519 -N "" -C erlab-host -f "$d/hostkey" || return 1
    [ -s "$d/client" ] || ssh-keygen -q -t ed25519 -N "" -C erlab-client -f "$d/client" || return 1
    : >"$d/known_hosts"
    for r in $EDGES; do
        python3 "$LAB_HERE/${LAB_RENDER:-frr2oc.py}" --netns "$(ns "$r")" --vty-socket "$(rdir "$r")" --name "$r" \
            --out "$d/$r" --nat-pool "${NAT_POOL[$r]}" || return 1
        echo "[$(mgmt_addr "$r")]:830 $(cut -d' ' -f1,2 "$d/hostkey.pub")" >>"$d/known_hosts"
        [ -s "$(rdir "$r")/ncsim.pid" ] && continue
        ip netns exec "$(ns "$r")" "$sim" --dir "$d/$r" --address "$(mgmt_addr "$r")" --base-port 830 \
            --hostkey "$d/hostkey" --user "$LAB_NC_USER" --authorized-key "$d/client.pub" \
            --ports-out "$d/$r.ports" ${LAB_NCSIM_ARGS:-} >"$(rdir "$r")/ncsim.log" 2>&1 &
        echo $! >"$(rdir "$r")/ncsim.pid"
    done
    for r in $EDGES; do
        for i in $(seq 1 100); do
            [ -s "$d/$r.ports" ] && break
            [ -d "/proc/$(cat "$(rdir "$r")/ncsim.pid")" ] || break
            sleep 0.05
        done
        [ -s "$d/$r.ports" ] || { echo "lab: $r: ncsim did not start: $(cat "$(rdir "$r")/ncsim.log")" >&2; return 1; }
    done
}

# lab_inventory FILE: the customer's side of the lab as an eraudit inventory
# (secrets from LAB_SNMP_* environment variables, see lab_env; the NETCONF
# key and known_hosts from lab_netconf). The edges are collected over SNMP
# (routing state) and NETCONF (what they advertise, their policies).
lab_inventory() {
    cat >"$1" <<YAML
known-hosts: $LAB_DIR/netconf/known_hosts
auth:
- name: lab-v2
  username: $LAB_NC_USER
  key-file: $LAB_DIR/netconf/client
  snmp: {version: 2, community: {env: LAB_SNMP_COMMUNITY}}
- name: lab-v3
  username: $LAB_NC_USER
  key-file: $LAB_DIR/netconf/client
  snmp:
    version: 3
    user: $LAB_V3_USER
    level: authPriv
    auth-protocol: SHA-256
    auth-pass: {env: LAB_SNMP_AUTH}
    priv-protocol: AES
    priv-pass: {env: LAB_SNMP_PRIV}
devices:
- {name: er1, host: $(mgmt_addr er1), role: er-edge, site: lab, collectors: [snmp, netconf], auth: lab-v2}
- {name: er2, host: $(mgmt_addr er2), role: er-edge, site: lab, collectors: [snmp, netconf], auth: lab-v3}
- {name: inet, host: $(mgmt_addr inet), role: internet-edge, site: lab, collectors: [snmp, netconf], auth: lab-v2}
- {name: wan, host: $(mgmt_addr wan), role: wan, site: lab, collectors: [snmp], auth: lab-v3}
circuits:
- name: er-pri
  sku: standard
  peering-location: Amsterdam
  bandwidth-mbps: 1000
  primary: {device: er1, neighbor: 198.18.0.2}
  secondary: {device: er1, neighbor: 198.18.0.6}
  prefixes: [203.0.113.128/27]
- name: er-sec
  sku: standard
  peering-location: Amsterdam
  bandwidth-mbps: 1000
  primary: {device: er2, neighbor: 198.18.0.10}
  secondary: {device: er2, neighbor: 198.18.0.14}
  prefixes: [203.0.113.160/27]
tenant:
  cloud: public
  power-platform-region: europe
  user-sites:
  - {name: lab-site, geo-region: Europe, users: 100}
policy: {fail-on: high}
YAML
}

lab_env() {
    export LAB_SNMP_COMMUNITY=$LAB_COMMUNITY LAB_SNMP_AUTH=$LAB_V3_AUTH LAB_SNMP_PRIV=$LAB_V3_PRIV
}

# in_mgmt COMMAND...: run in the management namespace (where the agents are reachable)
in_mgmt() { ip netns exec "$(mgmt_ns)" "$@"; }
