/**
 * @file ncc_xe_xr.h
 * @brief What the collector asks Cisco IOS-XE and IOS-XR devices for (ncc_cisco_* module).
 *
 * The platform is recognized from the capabilities of the device's
 * <hello> (Cisco-IOS-XE-native, Cisco-IOS-XR-*). Its configuration comes
 * with the usual <get-config> of running (and candidate); its operational
 * data with subtree filters that name only what the mappers read: BGP
 * neighbors (not the BGP table), interface state, and on IOS-XR the RIB
 * entries of the prefixes that matter, by key, so a full table never
 * crosses the wire.
 */
#ifndef ER_NCC_XE_XR_H
#define ER_NCC_XE_XR_H

#include <stddef.h>

#include "prefix.h"

/** Platform families the collector tells apart. */
enum ncc_family { NCC_FAMILY_OTHER, NCC_FAMILY_IOS_XE, NCC_FAMILY_IOS_XR };

/** @brief The family of a device from its <hello> capabilities (NULL-terminated). */
enum ncc_family ncc_cisco_family(const char *const *cpblts);

/** @brief "ios-xe", "ios-xr" or NULL. */
const char *ncc_cisco_family_name(enum ncc_family f);

/**
 * @brief The subtree filter for a device of family @p f: @p base (the
 * OpenConfig/IETF subtrees) plus the family's operational subtrees; on
 * IOS-XR the RIB routes of the IPv4 prefixes in @p keep (at most 1024 and
 * the default route), by key.
 * @return a malloc'd filter, or NULL for other families (use @p base) or
 * when out of memory.
 */
char *ncc_cisco_filter(enum ncc_family f, const char *base, const struct pfx *keep, size_t n_keep);

#endif
