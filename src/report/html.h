/**
 * @file html.h
 * @brief The parts of the HTML report (html_* module, internal to
 * src/report): the page and its summary (html.c), the checklist sections and
 * their rules (html_rules.c), the per-device view and the checklist questions
 * (html_views.c), the style sheet (html_css.c).
 *
 * Every finding is written once, as the element with id "f-SEQ" (SEQ as in
 * the JSON report); the summary, the device view and the drift list only link
 * to it. Rules keep their id as the element id ("PEER-002"), questions are
 * "q-ID", devices "dev-NAME", sections "sec-NAME".
 */
#ifndef ER_REPORT_HTML_H
#define ER_REPORT_HTML_H

#include "report.h"

/* Passing checks listed per rule; the JSON report has every one. */
#define HTML_PASS_MAX 200

/** The style sheet, inline in every report (no external resource). */
extern const char html_css[];

/** Where a finding is written in full. */
enum html_home {
    HOME_COLLECTION, /**< "Devices not collected" */
    HOME_RULE,       /**< its rule's block */
    HOME_QUESTION,   /**< the row of the checklist question it attests */
    HOME_OTHER       /**< "Other findings": a rule id the audit has no result for */
};

/** @brief Escaped text (NULL writes nothing). */
#define HTML_T(out, s) report_xml_text((out), (s))

/**
 * @brief Write @p prefix then @p name as an id or fragment: letters, digits,
 * '.' and '-' as they are, any other byte as "_XX" (hex), so an id
 * never needs escaping and a link always matches its target.
 */
void html_anchor(FILE *out, const char *prefix, const char *name);

/** @brief A severity badge; @p below marks a failing finding below fail-on. */
void html_sev(FILE *out, enum er_sev sev, int below);

/** @brief The result of rule @p id, NULL when the audit has none. */
const struct rule_result *html_rule(const struct report_ctx *rc, const char *id);

/** @brief Where finding @p f is written in full. */
enum html_home html_home(const struct report_ctx *rc, const struct finding *f);

/** @brief Outcome label and class of a rule ("WARN"/"warn" for a rule failing only below fail-on). */
const char *html_outcome(const struct report_ctx *rc, const struct rule_result *res, const char **cls);

/**
 * @brief One line that links to finding @p i: severity, new, rule id, the
 * message as the link. Used by the summary, the device view and the drift.
 */
void html_finding_ref(FILE *out, const struct report_ctx *rc, size_t i);

/** @brief Finding @p i in full, with its evidence (the fix is its rule's, written once there). */
void html_finding(FILE *out, const struct report_ctx *rc, size_t i);

/** @brief The distinct fix texts of the findings @p i of rule @p id that are not passing, once each. */
void html_fix(FILE *out, const struct report_ctx *rc, const char *id, enum html_home home);

/** @brief The sections of the checklist, a block per rule; "Other findings" after them. */
void html_sections(FILE *out, const struct report_ctx *rc);

/** @brief Table-of-contents entries for the sections and their rules. */
void html_sections_toc(FILE *out, const struct report_ctx *rc);

/** @brief The per-device view. @return ER_ENOMEM, else ER_OK. */
er_code html_devices(FILE *out, const struct report_ctx *rc, struct er_err *err);

/** @brief The checklist questions, rule ids linked, partial and not-evaluated answers with reasons. */
void html_questions(FILE *out, const struct report_ctx *rc);

#endif
