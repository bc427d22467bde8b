/**
 * @file yamlscan.h
 * @brief A linear pre-scan of YAML text before libyaml reads it (yamlscan_* module).
 *
 * libyaml's scanner does work in proportion to the flow depth for every
 * token, so 80,000 nested '[' take half a minute and a million take hours;
 * the nesting check on the loaded tree comes too late. This scan reads the
 * text once and refuses a document whose size or nesting (flow brackets
 * plus block indentation levels, as far as a simple scan can tell) is over
 * the limit, naming the file, line and column. It undercounts rather than
 * overcounts: the exact check on the tree still runs after libyaml.
 */
#ifndef ER_YAMLSCAN_H
#define ER_YAMLSCAN_H

#include <stddef.h>

#include "err.h"

/**
 * @brief Check @p len bytes of YAML before parsing them.
 * @param name the file name for messages.
 * @param max_depth levels of nesting allowed (the root collection is level 0).
 * @param max_size bytes allowed.
 * @return ER_OK, or ER_EINVAL: "NAME:LINE:COL: expected at most N levels of
 * nesting, got more" or "NAME:1:1: expected at most N bytes, got M".
 */
er_code yamlscan_check(const char *name, const char *buf, size_t len, unsigned max_depth, size_t max_size,
        struct er_err *err);

#endif
