#!/usr/bin/python3
"""A broken SNMP agent on 127.0.0.1 for the tests: it answers every request
with the request itself.
Usage: echoagent.py MODE PORT_FILE
  echo      the datagram sent back unchanged (a GetBulkRequest PDU)
  response  the request turned into a Response PDU: same request ID, same
            OIDs, NULL values, error-status and error-index 0
  nosuch    as response, each NULL value replaced by noSuchObject
Writes the port it listens on to PORT_FILE, then serves until killed."""
import os
import socket
import sys


def length(b, i):
    """(length, index after the length octets) of the BER length at b[i]."""
    if b[i] < 0x80:
        return b[i], i + 1
    n = b[i] & 0x7f
    return int.from_bytes(b[i + 1:i + 1 + n], "big"), i + 1 + n


def pdu_offset(msg):
    """Offset of the PDU tag in a v1/v2c message: SEQUENCE { version, community, PDU }."""
    _, i = length(msg, 1)           # outer SEQUENCE
    vl, i = length(msg, i + 1)      # version INTEGER
    i += vl
    cl, i = length(msg, i + 1)      # community OCTET STRING
    return i + cl


def main():
    mode, port_file = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    with open(port_file + ".tmp", "w") as fh:
        fh.write("%d\n" % s.getsockname()[1])
    os.rename(port_file + ".tmp", port_file)
    while True:
        data, addr = s.recvfrom(65535)
        msg = bytearray(data)
        if mode != "echo" and msg and msg[0] == 0x30:
            p = pdu_offset(msg)
            msg[p] = 0xA2                # GetResponse-PDU
            _, i = length(msg, p + 1)
            for _field in range(3):      # request-id, then non-repeaters / max-repetitions
                n, j = length(msg, i + 1)
                if _field:
                    msg[j:j + n] = bytes(n)  # error-status, error-index: 0
                i = j + n
            if mode == "nosuch":
                # varbind values are NULL (05 00) after each OID: make them noSuchObject (80 00)
                msg = bytearray(bytes(msg[:p]) + bytes(msg[p:]).replace(b"\x05\x00", b"\x80\x00"))
        s.sendto(bytes(msg), addr)


if __name__ == "__main__":
    main()
