/**
 * @file report.h
 * @brief Report formats (report_* module): a table of writers chosen by name.
 */
#ifndef ER_REPORT_H
#define ER_REPORT_H

#include <stdio.h>

#include "findings.h"
#include "history.h"
#include "model.h"

/** What every report writer gets. */
struct report_ctx {
    const struct findings *f;
    const struct er_model *m;
    const char *snapshot;        /**< snapshot directory audited */
    const char *snapshot_created;
    const char *generated;       /**< RFC 3339 time of the report */
    enum er_sev fail_on;
    int exit_code;
    int color;                   /**< ANSI colours (text only) */
    int verbose;                 /**< list every pass finding */
    const char *history;         /**< the history file (--history), NULL without one */
    const struct hist_drift *drift; /**< changes since its latest run, NULL without a history */
};

/** A report format. */
struct reporter {
    const char *name;
    er_code (*write)(FILE *out, const struct report_ctx *rc, struct er_err *err);
};

/** @brief The writer named @p name ("text", "json"), NULL if none. */
const struct reporter *report_find(const char *name);

/**
 * @brief Write the report with @p rep, holding the stream's lock throughout
 * (reporters may use the unlocked stdio calls). A stream other than stdout
 * gets a large buffer first, so a report of tens of megabytes is a few
 * dozen writes.
 */
er_code report_write(const struct reporter *rep, FILE *out, const struct report_ctx *rc, struct er_err *err);

/** @brief Names of all formats, "text|json". */
const char *report_names(void);

/** @brief Text report, grouped by checklist section. */
er_code report_text(FILE *out, const struct report_ctx *rc, struct er_err *err);

/** @brief JSON report, an instance of yang/eraudit-findings. */
er_code report_json(FILE *out, const struct report_ctx *rc, struct er_err *err);

/** @brief HTML report for people: one self-contained file, evidence for every failing finding. */
er_code report_html(FILE *out, const struct report_ctx *rc, struct er_err *err);

/** @brief JUnit XML for CI: a test case per rule, failing at or above fail-on. */
er_code report_junit(FILE *out, const struct report_ctx *rc, struct er_err *err);

/**
 * @brief Write @p s escaped for XML and HTML text and attribute values
 * (& < > " '); control characters XML cannot carry become U+FFFD. NULL writes nothing.
 */
void report_xml_text(FILE *out, const char *s);

/** @brief 1 when finding @p i is failing now and was not in the history's previous run. */
int report_is_new(const struct report_ctx *rc, size_t i);

/** @brief Counts used by every format. */
struct report_counts {
    size_t devices, not_collected, passed, not_evaluated, findings;
    size_t failed;                /**< rules with a failing finding at or above fail-on */
    size_t below_fail_on;         /**< rules whose failing findings are all below fail-on */
};

/**
 * @brief Count rule outcomes and failing findings of @p rc, the same way in
 * every format: a rule fails when it has a failing finding at or above
 * fail-on (as the exit code and JUnit count), else it is below fail-on.
 */
void report_count(const struct report_ctx *rc, struct report_counts *c);

/** @brief Whether @p f is a failing finding at or above fail-on. */
int report_blocks(const struct report_ctx *rc, const struct finding *f);

/** @brief Whether rule @p res failed only with findings below fail-on. */
int report_rule_below(const struct report_ctx *rc, const struct rule_result *res);

#endif
