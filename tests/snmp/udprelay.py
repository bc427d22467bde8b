#!/usr/bin/python3
"""A UDP relay in front of real agents, for the SNMP benchmark and tests:
forwards datagrams between listening ports and agent ports, each way after
DELAY_MS (a WAN round trip; the kernel here has no netem). With
--drop-after N it forwards only the first N requests of each port and then
drops everything: an agent that stops answering in the middle of a walk.
Usage: udprelay.py [--drop-after N] DELAY_MS LISTEN_PORT:AGENT_PORT...
(all on 127.0.0.1)"""
import asyncio
import socket
import sys


class Upstream(asyncio.DatagramProtocol):
    """The side facing the agent: replies go back to the last client."""

    def __init__(self, front):
        self.front = front

    def datagram_received(self, data, addr):
        f = self.front
        if f.client:
            f.loop.call_later(f.delay, f.transport.sendto, data, f.client)


class Front(asyncio.DatagramProtocol):
    """The side the collector talks to."""

    def __init__(self, loop, delay, agent_port, drop_after):
        self.loop, self.delay, self.agent = loop, delay, ("127.0.0.1", agent_port)
        self.client = None
        self.left = drop_after
        self.transport = self.up = None

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        if self.left is not None:
            if self.left <= 0:
                return
            self.left -= 1
        self.client = addr
        self.loop.call_later(self.delay, self.up.sendto, data, self.agent)


async def main():
    loop = asyncio.get_running_loop()
    args = sys.argv[1:]
    drop_after = None
    if args[0] == "--drop-after":
        drop_after, args = int(args[1]), args[2:]
    delay = float(args[0]) / 1000.0
    for pair in args[1:]:
        lp, ap = (int(x) for x in pair.split(":"))
        front = Front(loop, delay, ap, drop_after)
        await loop.create_datagram_endpoint(lambda f=front: f, local_addr=("127.0.0.1", lp))
        up, _ = await loop.create_datagram_endpoint(lambda f=front: Upstream(f), family=socket.AF_INET,
                                                   local_addr=("127.0.0.1", 0))
        front.up = up
    print("ready", flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
