/**
 * @file rule.h
 * @brief A rule is data plus one function (rule_* module).
 *
 * Rules read only the normalized tree (struct er_model) and the reference
 * data. They report through rule_fail()/rule_pass()/rule_skip(); every
 * finding carries evidence: the path in the tree, the value seen and the
 * value expected. A rule that cannot judge a device for lack of data says
 * so with rule_skip(); it never passes silently.
 */
#ifndef ER_RULE_H
#define ER_RULE_H

#include "findings.h"
#include "model.h"
#include "refdata.h"

/** What a rule needs. */
#define NEEDS_CONFIG    0x1
#define NEEDS_STATE     0x2
#define NEEDS_INVENTORY 0x4

struct rule_ctx;

/** A built-in rule. */
struct rule {
    const char *id;
    const char *title;
    enum er_section section;
    enum er_sev sev;
    unsigned needs;
    const char *questions;   /**< checklist questions it answers, space-separated (rules.def) */
    const char *remediation;
    /** Schema paths the rule reads (NULL-terminated); checked against the model at start. */
    const char *const *paths;
    void (*check)(struct rule_ctx *rc);
};

/** What the rules of one engine run share: built by the first rule that needs it, read by the others. */
struct rule_shared {
    void *net;               /**< struct ru_net (rules/util.h) */
    void *ifidx;             /**< interface subnets per device (rules/util.c) */
    void *nat;               /**< NAT pools and their scopes (struct ru_natv, rules/view/natview.c) */
    int sealed;              /**< made up front by rule_shared_prepare(): from now on only read */
};

/** What a check function gets. */
struct rule_ctx {
    const struct rule *rule;
    const struct er_model *m;
    const struct refdata *ref;
    struct findings *out;
    struct rule_shared *shared; /**< may be NULL (unit tests): nothing is shared */
    er_code rc;              /**< first internal error (out of memory) */
};

/**
 * @brief Make what the rules of a run share (the BGP picture, every device's
 * interface subnets) before they run on several threads, and seal it: after
 * this it is only read. @p rc names the model and the shared state.
 */
void rule_shared_prepare(struct rule_ctx *rc);

/** @brief Free what the rules of a run shared; NULL is fine. */
void rule_shared_free(struct rule_shared *sh);

/** Evidence of one finding. Any field may be NULL. */
struct evidence {
    const char *path;        /**< path in the tree, e.g. model_path(node) */
    const char *seen;
    const char *expected;
    enum er_source source;
};

/**
 * @brief Report a finding of the running rule.
 * @param sev severity, or -1 for the rule's own.
 */
void rule_report(struct rule_ctx *rc, enum er_status st, int sev, const char *device, const char *circuit,
        const struct evidence *ev, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/** Shorthands: a failure at the rule's severity, a pass, and "not evaluated" with why. */
#define rule_fail(rc, dev, circ, ev, ...) rule_report((rc), ST_FAIL, -1, (dev), (circ), (ev), __VA_ARGS__)
#define rule_pass(rc, dev, circ, ev, ...) rule_report((rc), ST_PASS, -1, (dev), (circ), (ev), __VA_ARGS__)
#define rule_skip(rc, dev, circ, ...) rule_report((rc), ST_NOT_EVALUATED, -1, (dev), (circ), NULL, __VA_ARGS__)

/** @brief The built-in rules, in report order; @p n set to their count. */
const struct rule *rules_builtin(size_t *n);

/** @brief The built-in rule @p id, NULL if none. */
const struct rule *rules_builtin_find(const char *id);

#endif
