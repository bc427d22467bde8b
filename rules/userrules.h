/**
 * @file userrules.h
 * @brief User rules (urules_* module): assertions over the network tree,
 * written in YAML by the user and run like built-in rules.
 *
 * Each rule selects nodes with an XPath over eraudit-network and, when it
 * has one, evaluates an assert XPath on each selected node: true passes,
 * false fails. Without an assert every selected node is a failure (the
 * select finds what is wrong). Both XPaths are compiled against the schema
 * when the file is loaded, so a typo fails before any device is contacted.
 * The compilation runs in a child process: an expression libyang crashes
 * on is an error naming the rule's file and line, not a crash of eraudit.
 *
 *     rules:
 *       - id: USER-BFD
 *         title: Microsoft sessions run BFD
 *         section: peering
 *         severity: medium
 *         question: PEERING-1
 *         select: "/eraudit-network:network/device/bgp/neighbor[peer-as='12076']"
 *         assert: "bfd = 'true'"
 *         message: "{device}: neighbor {value} has no BFD"
 *         remediation: Enable BFD on the session.
 *
 * In the message, {device} is the device the node belongs to, {value} the
 * node's value (a leaf) or first key (a list entry), {path} its data path.
 */
#ifndef ER_USERRULES_H
#define ER_USERRULES_H

#include <stddef.h>
#include <stdio.h>

#include <libyang/libyang.h>

#include "rule.h"

struct urules;

/**
 * @brief Load and compile a user rules file against the schema in @p ctx.
 * @return ER_OK, ER_EIO, ER_EINVAL ("FILE:LINE:COL: ..." for YAML and XPath errors).
 */
er_code urules_load(const struct ly_ctx *ctx, const char *path, struct urules **out, struct er_err *err);

/** @brief urules_load() from a stream the caller opened (and closes); @p path names it in messages. */
er_code urules_load_fp(const struct ly_ctx *ctx, FILE *f, const char *path, struct urules **out, struct er_err *err);

/** @brief urules_load() over @p len bytes of YAML in memory; @p name is used in messages. */
er_code urules_load_mem(const struct ly_ctx *ctx, const char *name, const char *buf, size_t len, struct urules **out,
        struct er_err *err);

/** @brief Free; NULL is fine. */
void urules_free(struct urules *u);

/**
 * @brief The rules to run: the built-in ones followed by the user's
 * (@p u may be NULL: the built-in table). Valid as long as @p u.
 */
const struct rule *urules_table(const struct urules *u, size_t *n);

/** @brief 1 when @p r is a user rule (it evaluates XPath in libyang). */
int urules_is_user(const struct rule *r);

/** @brief The checklist question a user rule names, NULL for built-in rules or none. */
const char *urules_question(const struct rule *r);

#endif
