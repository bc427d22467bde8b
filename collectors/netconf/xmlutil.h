/**
 * @file xmlutil.h
 * @brief Helpers for the NETCONF mappers walking a reply (xu_* module).
 *
 * Mappers walk a parsed reply by local element names, without XPath and
 * without the vendor's YANG files. Elements marked inactive="inactive"
 * (Junos statements kept in the configuration but not applied) are not
 * found by any of these: the device does not run them. Text is copied
 * into caller buffers (trimmed) so that no per-node allocation happens on
 * the hot path.
 */
#ifndef ER_XMLUTIL_H
#define ER_XMLUTIL_H

#include <stddef.h>

#include "xmlread.h"

/** @brief Whether @p n is an element with local name @p name. */
int xu_is(const struct xr_node *n, const char *name);

/** @brief Namespace URI of element @p n, or "" when it has none. */
const char *xu_ns(const struct xr_node *n);

/** @brief First element child of @p parent, or NULL (NULL parent is fine). */
struct xr_node *xu_first(const struct xr_node *parent);

/** @brief Next element sibling of @p n, or NULL. */
struct xr_node *xu_next_elem(const struct xr_node *n);

/** @brief First element child of @p parent named @p name, or NULL. */
struct xr_node *xu_child(const struct xr_node *parent, const char *name);

/** @brief Next element sibling of @p n with the same local name, or NULL. */
struct xr_node *xu_next(const struct xr_node *n);

/** Iterate over element children of @p parent named @p name. */
#define XU_FOR(parent, name, it) \
    for ((it) = xu_child((parent), (name)); (it); (it) = xu_next(it))

/**
 * @brief Descend from @p parent along a '/'-separated path of local names
 * ("config/name"), taking the first match at each step.
 * @return the element, or NULL when a step is missing.
 */
struct xr_node *xu_find(const struct xr_node *parent, const char *path);

/**
 * @brief Text content of element @p n, trimmed of surrounding white space.
 * @return a pointer into the tree or into @p buf (valid until @p buf is
 * reused); NULL when @p n is NULL. Longer text is truncated to @p size - 1.
 */
const char *xu_text(const struct xr_node *n, char *buf, size_t size);

/** @brief xu_text(xu_find(parent, path)); NULL when absent. */
const char *xu_str(const struct xr_node *parent, const char *path, char *buf, size_t size);

/**
 * @brief Drop a YANG identity prefix ("oc-bgp-types:IPV4_UNICAST" gives
 * "IPV4_UNICAST"). Values that are not "name:IDENT" (addresses,
 * communities "65000:1", regular expressions) are returned unchanged.
 */
const char *xu_ident(const char *v);

/** @brief Line of @p n in its file. */
long xu_line(const struct xr_node *n);

/**
 * @brief Element path of @p n for messages, from its top-level element:
 * "/interfaces/interface[name='eth1']/config/description". List entries
 * get a predicate from a child that looks like a key (name, ip, index...).
 */
const char *xu_path(const struct xr_node *n, char *buf, size_t size);

#endif
