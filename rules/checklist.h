/**
 * @file checklist.h
 * @brief The questions of the ExpressRoute readiness checklist and of the
 * planning guidance (checklist_* module), which rules answer each, and
 * how an audit answered them: by rules, by an attestation in the
 * inventory (never a pass), or not at all.
 */
#ifndef ER_CHECKLIST_H
#define ER_CHECKLIST_H

#include <stddef.h>

#include "findings.h"
#include "inventory.h"
#include "rule.h"

/** One checklist question. */
struct checklist_q {
    const char *id;          /**< "CLIENT-2" */
    enum er_section section;
    const char *text;        /**< the question, in our words */
};

/** @brief The questions, in checklist order; @p n set to their count. */
const struct checklist_q *checklist_questions(size_t *n);

/** @brief The question @p id, NULL if none. */
const struct checklist_q *checklist_find(const char *id);

/**
 * @brief Ids of the questions rule @p rule_id answers, comma-separated into
 * @p buf ("" when none); user rules name theirs in @p extra (may be NULL).
 */
const char *checklist_of_rule(const char *rule_id, const char *extra, char *buf, size_t size);

/** @brief Ids of the built-in rules that answer question @p qid, space-separated into @p buf, in table order. */
const char *checklist_rules_of(const char *qid, char *buf, size_t size);

/** @brief Every attestation of @p inv names a known question; errors name the inventory line. */
er_code checklist_check_inventory(const struct inventory *inv, struct er_err *err);

/**
 * @brief Fill @p f->questions from the rule results in @p f, the user rules
 * in @p rules (their `question`, see userrules.h) and the attestations of
 * @p inv, and add one finding with status attested per attestation.
 */
er_code checklist_answer(const struct inventory *inv, const struct rule *rules, size_t n_rules, struct findings *f,
        struct er_err *err);

#endif
