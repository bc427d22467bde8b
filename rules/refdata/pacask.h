/**
 * @file pacask.h
 * @brief The endpoints the clients' PAC file is asked about, and its answers (pacask_* module).
 *
 * The PAC file is evaluated once, when the reference data is loaded
 * (refdata_load_pac()), before any thread of the audit starts: the
 * evaluating child is forked from a single-threaded process. Rule CLI-002
 * reads the answers.
 */
#ifndef ER_PACASK_H
#define ER_PACASK_H

#include <stddef.h>

#include "err.h"

struct pac;
struct pac_run;
struct refdata;

/** One endpoint asked about: its pattern, the host standing for it, where it should go, the answer. */
struct pac_ask {
    const char *pattern;     /**< "*.dynamics.com" (owned by the reference data) */
    const char *what;        /**< "ExpressRoute", "Microsoft 365, Internet only"... */
    char host[256];          /**< "eraudit-probe.dynamics.com" */
    int expressroute;        /**< 1: should go DIRECT, 0: to the proxy */
    const char *result;      /**< what the PAC returned (owned by the run), or NULL */
    const char *why;         /**< when no result: why not */
};

/** All the endpoints asked about, and the evaluation. */
struct pac_asks {
    struct pac_ask *v;
    size_t n;
    char *error;             /**< the PAC file could not be evaluated at all (owned), or NULL */
    struct pac_run *run;     /**< owned */
};

/**
 * @brief List the endpoints of @p r (the client list, then Microsoft 365) and evaluate @p pac for all at once.
 * @param[out] out to free with pacask_free(); PAC errors are in it, not returned
 * @return ER_OK, or ER_ENOMEM.
 */
er_code pacask_eval(const struct pac *pac, const struct refdata *r, struct pac_asks **out, struct er_err *err);

/** @brief Free; NULL is fine. */
void pacask_free(struct pac_asks *a);

#endif
