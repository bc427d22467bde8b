/**
 * @file audit_int.h
 * @brief What the verbs of the audit_* module share (audit.c, check.c):
 * loading a session, building and judging a network, and the reports a run writes.
 */
#ifndef ER_AUDIT_INT_H
#define ER_AUDIT_INT_H

#include <limits.h>
#include <stdio.h>
#include <time.h>

#include "../rules/rule.h"
#include "atomicfile.h"
#include "audit.h"
#include "inventory.h"
#include "normalize.h"
#include "report/report.h"
#include "snapshot.h"

/* What every audit loads before it evaluates anything. */
struct audit_session {
    struct ly_ctx *ctx;
    struct inventory *inv;
    struct refdata *ref;
    struct snapshot *snap;
    const struct rule *rules;
    size_t n_rules;
    struct urules *urules;       /* the inventory's user rules, when it names a file */
    const char *snapdir;
    int rootfd;                  /* the snapshot auditing reads its inventory from, else -1 */
    int temp_snapshot;           /* collected for this run only: tmpdir is removed at the end */
    enum er_sev fail_on;
    char invpath[PATH_MAX];
    char today[16];
    char tmpdir[PATH_MAX];       /* a private directory holding that snapshot */
    char tmpsnap[PATH_MAX];
};

/* One report of a run: a format and where it goes (NULL: stdout). */
struct audit_report_out {
    const struct reporter *rep;
    const char *path;
    struct atomicfile *af;
};

/** @brief Now, or SOURCE_DATE_EPOCH when set (reproducible tests and golden files). */
time_t audit_now(void);

/** @brief Format @p t (UTC) with strftime's @p fmt into @p buf. */
void audit_fmt_time(time_t t, const char *fmt, char *buf, size_t size);

/**
 * @brief With ERAUDIT_TIMING set, print the wall and CPU time since the last
 * call and the memory now, as phase @p name (NULL: start the clock).
 */
void audit_phase(const char *name);

/** @brief Whether a report on @p out gets colours (--color @p mode: auto, always, never). */
int audit_use_color(const char *mode, FILE *out);

/** @brief Schema, rules, inventory, reference data and a snapshot (collected when none is given). */
er_code audit_session_open(const struct audit_opts *o, struct audit_session *s, struct er_err *err);

/** @brief Free what audit_session_open() made (a temporary snapshot is removed). */
void audit_session_close(struct audit_session *s);

/** @brief Warn (once per run) that the snapshot keeps the devices' secrets. */
void audit_secrets_warn(const struct audit_session *s, FILE *errout);

/** @brief Whether the snapshot (directory @p root) holds a candidate configuration for device @p name. */
int audit_has_candidate(int root, const char *name);

/**
 * @brief A pre-change gate that would check nothing fails: @p device (or,
 * without one, some device) must have a candidate configuration.
 */
er_code audit_candidate_gate(const struct audit_session *s, const char *device, struct er_err *err);

/** @brief Build the network tree (running or candidate configs, as @p nopts says) and run the rules. */
er_code audit_evaluate(struct audit_session *s, const struct norm_opts *nopts, struct er_model **m,
        struct findings *f, struct er_err *err);

/**
 * @brief The reports a run writes: -f/-o (the format from -o's extension
 * when -f is not given), then each --report FMT:FILE; an extension that
 * names another format is refused. @p v holds 1 + AUDIT_MAX_REPORTS.
 */
er_code audit_report_outs(const struct audit_opts *o, struct audit_report_out *v, size_t *n, struct er_err *err);

/** @brief A writer failed on @p af: the file's own error, else the writer's, with the path. Frees @p af. */
void audit_output_failed(struct atomicfile *af, const char *path, struct er_err *err);

#endif
