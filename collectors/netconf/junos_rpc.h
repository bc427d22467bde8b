/**
 * @file junos_rpc.h
 * @brief The Junos requests eraudit sends and what it reads back to build
 * the next ones (junos_rpc_* module; the session runs in client.c).
 *
 * A device whose <hello> lists `http://xml.juniper.net/netconf/junos/1.0`
 * is asked what Junos answers best, each reply stored as sent (secret
 * values removed) below devices/NAME/netconf/:
 *
 *     running.xml          <get-configuration database="committed" inherit="inherit"/>
 *     candidate.xml        <get-configuration database="candidate" inherit="inherit"/>
 *     junos-interfaces.xml <get-interface-information/>
 *     junos-bgp.xml        <get-bgp-neighbor-information/>
 *     junos-route.xml      <get-route-information><destination>P</destination><detail/>
 *                          for each prefix that matters (Microsoft's service
 *                          prefixes, the circuits'), the replies one after the other
 *     junos-adv/A.xml      <get-route-information><advertising-protocol-name>bgp
 *                          </advertising-protocol-name><neighbor>A</neighbor>
 *                          for each BGP peer A (what is advertised to it)
 *
 * Groups are inherited by the device (inherit="inherit"), so settings made
 * inside apply-groups are read; a full RIB never crosses the wire.
 */
#ifndef ER_JUNOS_RPC_H
#define ER_JUNOS_RPC_H

#include <stddef.h>

#include <libyang/libyang.h>

#include "prefix.h"

/** The capability a Junos device's <hello> lists. */
#define JUNOS_CAP "http://xml.juniper.net/netconf/junos/1.0"

/** @brief Whether the <hello> capabilities @p cpblts (NULL-terminated) are a Junos device's. */
int junos_rpc_is_junos(const char *const *cpblts);

/** @brief <get-configuration> of @p database ("committed" or "candidate"), groups inherited. */
const char *junos_rpc_config(const char *database);

/** @brief <get-route-information> for @p p into @p buf; NULL when it does not fit. */
const char *junos_rpc_route(const struct pfx *p, char *buf, size_t size);

/** @brief <get-route-information> of what is advertised to BGP peer @p addr into @p buf; NULL when it does not fit. */
const char *junos_rpc_advertised(const char *addr, char *buf, size_t size);

/**
 * @brief A request (one of the strings above) as a tree of opaque nodes for
 * nc_rpc_act_generic(): libnetconf2 would parse a string against a YANG
 * module, and Junos requests have none (and carry unprefixed attributes).
 * The elements are in the NETCONF base namespace, as in <rpc>.
 * @return the tree (lyd_free_tree()), NULL when out of memory.
 */
struct lyd_node *junos_rpc_node(const struct ly_ctx *ctx, const char *xml);

/**
 * @brief The peer addresses of a <get-bgp-neighbor-information> reply
 * (bgp-peer/peer-address without its "+port"), at most @p max, each a
 * valid IPv4 or IPv6 address.
 * @return how many were written to @p out.
 */
size_t junos_rpc_peers(const char *reply, size_t len, char (*out)[64], size_t max);

#endif
