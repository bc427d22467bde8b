#!/usr/bin/python3
"""Reference walker for bench/snmp/run: one GETBULK walk of a subtree with
pysnmp (Debian's python3-pysnmp4), max-repetitions 50 like snmpbulkwalk -Cr50.
Prints the number of varbinds read.
Usage: pysnmp_walk.py HOST PORT COMMUNITY OID"""
import sys

from pysnmp.hlapi import (CommunityData, ContextData, ObjectIdentity, ObjectType, SnmpEngine,
                          UdpTransportTarget, bulkCmd)

host, port, community, root = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
n = 0
for err_ind, err_stat, err_idx, vbs in bulkCmd(SnmpEngine(), CommunityData(community, mpModel=1),
                                              UdpTransportTarget((host, port), timeout=5, retries=1),
                                              ContextData(), 0, 50, ObjectType(ObjectIdentity(root)),
                                              lexicographicMode=False, lookupMib=False):
    if err_ind or err_stat:
        sys.exit(f"pysnmp: {err_ind or err_stat.prettyPrint()}")
    n += len(vbs)
print(n)
