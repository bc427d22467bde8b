#!/usr/bin/python3
"""Write one simulated device directory for ncsim: running.xml (OpenConfig
interfaces and BGP, about SIZE_KB kilobytes) and state.xml (interface state).

usage: mkdevice.py DIR [SIZE_KB]"""
import os
import sys

OC_IF = "http://openconfig.net/yang/interfaces"
OC_IP = "http://openconfig.net/yang/interfaces/ip"
OC_NI = "http://openconfig.net/yang/network-instance"


def interface(i, state):
    name = "Ethernet%d" % i
    a, b = divmod(i, 250)
    addr = "10.%d.%d.1" % (a, b)
    s = ['<interface><name>%s</name><config><name>%s</name><type xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">'
         'ianaift:ethernetCsmacd</type><description>link %d to site-%03d</description><enabled>true</enabled>'
         '<mtu>9100</mtu></config>' % (name, name, i, i)]
    if state:
        s.append('<state><name>%s</name><oper-status>UP</oper-status><counters><in-octets>%d</in-octets>'
                 '<out-octets>%d</out-octets></counters></state>' % (name, 1000003 * i, 2000003 * i))
    s.append('<subinterfaces><subinterface><index>0</index><config><index>0</index></config>'
             '<ipv4 xmlns="%s"><addresses><address><ip>%s</ip><config><ip>%s</ip><prefix-length>30</prefix-length>'
             '</config></address></addresses></ipv4></subinterface></subinterfaces></interface>' % (OC_IP, addr, addr))
    return "".join(s)


def neighbor(i):
    a, b = divmod(i, 250)
    return ('<neighbor><neighbor-address>192.0.%d.%d</neighbor-address><config><neighbor-address>192.0.%d.%d'
            '</neighbor-address><peer-as>%d</peer-as><description>peer %d</description><enabled>true</enabled>'
            '</config><apply-policy><config><import-policy>IMPORT-%d</import-policy><export-policy>EXPORT-%d'
            '</export-policy></config></apply-policy></neighbor>' % (a, b, a, b, 64512 + i, i, i, i))


def document(size_kb, state):
    n_if, n_nb = 1, 1
    while True:
        ifs = "".join(interface(i, state) for i in range(n_if))
        body = '<interfaces xmlns="%s">%s</interfaces>' % (OC_IF, ifs)
        if not state:
            nbs = "".join(neighbor(i) for i in range(n_nb))
            body += ('<network-instances xmlns="%s"><network-instance><name>default</name><protocols><protocol>'
                     '<identifier xmlns:oc-pol-types="http://openconfig.net/yang/policy-types">oc-pol-types:BGP'
                     '</identifier><name>bgp</name><bgp><global><config><as>65001</as></config></global><neighbors>'
                     '%s</neighbors></bgp></protocol></protocols></network-instance></network-instances>' % (OC_NI, nbs))
        if len(body) >= size_kb * 1024:
            return body + "\n"
        n_if += 4
        n_nb += 2


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    size_kb = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "running.xml"), "w") as f:
        f.write(document(size_kb, False))
    with open(os.path.join(out, "state.xml"), "w") as f:
        f.write(document(max(size_kb // 5, 1), True))


if __name__ == "__main__":
    main()
