/**
 * @file rpl.h
 * @brief IOS-XR Routing Policy Language text into the policy model (rpl_* module).
 *
 * IOS-XR keeps route policies, prefix-sets and community-sets as text
 * (Cisco-IOS-XR-policy-repository-cfg `rpl-route-policy`, `rpl-prefix-set`,
 * `rpl-community-set`). This reads the subset edge policies use:
 *  - `if`/`elseif`/`else`/`endif` (not nested) over `destination in SET`,
 *    `community matches-any SET`, `community matches-every SET`, each
 *    optionally under `not`, joined by `and`;
 *  - `set local-preference N`, `prepend as-path own-as|most-recent|ASN [N]`,
 *    `set community (A:B, ...)` or `set community SET` [additive],
 *    `set med`/`origin`/`next-hop` (no place in the model, but they pass the
 *    route), `pass`, `drop`, `done`.
 * RPL semantics are kept exactly: a route is dropped at the end of the
 * policy unless a statement passed or modified it, `drop` ends with a
 * reject even after `pass`, `done` accepts at once. What the policy model
 * cannot state exactly (an `apply`, an inline set, `or`, a nested `if`, a
 * pass under a condition followed by more statements, any other statement)
 * is refused with its line: the caller leaves the policy undefined so rules
 * that need it say N/E.
 */
#ifndef ER_RPL_H
#define ER_RPL_H

#include "ncmap.h"

/**
 * @brief Map route-policy @p text (from element @p at) into device policy @p name.
 * @return ER_OK; ER_EINVAL naming the element, the RPL line and the
 * statement not understood (nothing is added then).
 */
er_code rpl_policy(struct ncm *c, const struct xr_node *at, const char *name, const char *text);

/** @brief Map prefix-set @p text into device prefix-set @p name (ge, le, eq ranges). */
er_code rpl_prefix_set(struct ncm *c, const struct xr_node *at, const char *name, const char *text);

/** @brief Map community-set @p text (plain A:B members only) into device community-set @p name. */
er_code rpl_community_set(struct ncm *c, const struct xr_node *at, const char *name, const char *text);

#endif
