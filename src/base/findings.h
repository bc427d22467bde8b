/**
 * @file findings.h
 * @brief Findings and rule outcomes of one audit (findings_* module).
 */
#ifndef ER_FINDINGS_H
#define ER_FINDINGS_H

#include <stddef.h>

#include "err.h"

/** Severities, in increasing order. */
enum er_sev { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };

/** Checklist sections of the readiness checklist, plus collection problems. */
enum er_section {
    SECT_CLIENT, SECT_WAN, SECT_PEERING, SECT_ASYM, SECT_GEO, SECT_ONPREM, SECT_COLLECTION, SECT_COUNT
};

/** What a finding says. */
enum er_status { ST_FAIL, ST_PASS, ST_NOT_EVALUATED, ST_WAIVED, ST_ATTESTED };

/** What the evidence was read from. */
enum er_source { SRC_CONFIG, SRC_STATE, SRC_INVENTORY, SRC_COLLECTION };

/** One finding with its evidence. Strings are owned. */
struct finding {
    const char *rule;        /**< rule id (static) */
    enum er_sev sev;
    enum er_section section;
    enum er_status status;
    char *device, *circuit;
    char *message;
    char *path, *seen, *expected;
    enum er_source source;
    const char *remediation; /**< static */
    char *waiver;            /**< "owner: reason (until DATE)" when waived */
};

/** The outcome of one rule over the network. */
enum er_outcome { OUT_PASS, OUT_FAIL, OUT_NOT_EVALUATED };

/** Per-rule result line. */
struct rule_result {
    const char *id, *title;
    enum er_section section;
    enum er_sev sev;
    enum er_outcome outcome;
    char *reason;            /**< first not-evaluated reason */
};

/** How a checklist question was answered. */
/** How a checklist question was answered. Q_PARTIAL: some of its rules passed, the others were not evaluated. */
enum er_qstatus { Q_PASS, Q_FAIL, Q_NOT_EVALUATED, Q_ATTESTED, Q_NOT_ANSWERED, Q_PARTIAL };

/** One question of the readiness checklist in the results. */
struct question_result {
    const char *id, *text;   /**< static */
    enum er_section section;
    enum er_qstatus status;
    char *rules;             /**< space-separated ids of the rules that answer it (owned) */
    char *not_evaluated;     /**< space-separated ids of those rules not evaluated (owned, NULL when none) */
    char *answer, *by, *date, *evidence;   /**< the attestation, when there is one (owned) */
};

/** All results of an audit. */
struct findings {
    struct finding *v;
    size_t n, cap;
    struct rule_result *rules;
    size_t n_rules, cap_rules;
    struct question_result *questions;
    size_t n_questions;
};

/** @brief Free the contents (not @p f itself); NULL is fine. */
void findings_clear(struct findings *f);

/** @brief Move every finding of @p from to the end of @p f (@p from keeps none; its other parts stay). */
er_code findings_take(struct findings *f, struct findings *from);

/**
 * @brief Drop repeats among the findings from index @p from on: a finding
 * with the same status, severity, device, circuit, path and message as an
 * earlier one says nothing new. The first of each stays, in order.
 * @return ER_ENOMEM, else ER_OK.
 */
er_code findings_dedup(struct findings *f, size_t from);

/** @brief Append a copy of @p fd (strings duplicated). */
er_code findings_add(struct findings *f, const struct finding *fd);

/** @brief Names: "critical", "Peering"/"peering", "fail", "config"... */
const char *sev_name(enum er_sev s);
/** @brief Parse a severity name; -1 if unknown. */
int sev_parse(const char *name);
/** @brief Title of a section as the checklist writes it ("Asymmetric routing"). */
const char *section_title(enum er_section s);
/** @brief YANG enum name of a section ("asymmetric-routing"). */
const char *section_name(enum er_section s);
/** @brief YANG enum name of a status ("not-evaluated"). */
const char *status_name(enum er_status s);
/** @brief YANG enum name of an outcome. */
const char *outcome_name(enum er_outcome o);
/** @brief YANG enum name of a question status ("not-answered"). */
const char *qstatus_name(enum er_qstatus s);
/** @brief YANG enum name of a source. */
const char *source_name(enum er_source s);

#endif
