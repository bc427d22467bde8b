/**
 * @file engine.h
 * @brief Runs the rules over a network and decides the outcome (engine_* module).
 */
#ifndef ER_ENGINE_H
#define ER_ENGINE_H

#include "rule.h"
#include "inventory.h"

/** Exit codes shared by every command. */
enum er_exit { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_BADINPUT = 2, EXIT_INCOMPLETE = 3 };

/** Id of the pseudo-rule reporting devices that were not (fully) collected. */
#define ENGINE_COLLECT_RULE "COLLECT-001"

/** At most this many threads run the rules (ERAUDIT_THREADS, else one a core). */
#define ENGINE_MAX_THREADS 8

/**
 * @brief Check that every schema path the rules declare exists in the
 * model, so a typo fails at start and not silently at audit time.
 */
er_code engine_check_paths(const struct ly_ctx *ctx, const struct rule *rules, size_t n, struct er_err *err);

/**
 * @brief Run @p rules over @p m; apply the inventory's severity overrides
 * and waivers (expired ones turn back into failures, dated against @p today
 * "YYYY-MM-DD"); add a COLLECT-001 finding per device not fully collected.
 */
er_code engine_run(const struct er_model *m, const struct refdata *ref, const struct rule *rules, size_t n,
        const struct inventory *inv, const char *today, struct findings *out, struct er_err *err);

/** @brief The exit code for @p f given the fail-on severity. */
enum er_exit engine_exit_code(const struct findings *f, enum er_sev fail_on);

/** @brief Number of devices not fully collected in @p f. */
size_t engine_incomplete(const struct findings *f);

#endif
