/**
 * @file cli.h
 * @brief The command line (cli module): one cmd_*.c per verb parses its
 * options, calls the library layers and turns what they return into files,
 * messages and exit codes. Only this layer knows exit codes and FILE *
 * outputs.
 */
#ifndef ER_CLI_H
#define ER_CLI_H

#include <stdio.h>

#include "engine.h"
#include "findings.h"
#include "run.h"

struct atomicfile;
struct reporter;

struct select;

/** The most --report outputs one run writes beside -o. */
#define AUDIT_MAX_REPORTS 8

/** Options of one audit run (from the command line). */
struct audit_opts {
    const char *inventory;     /**< inventory file; NULL: SNAPSHOT/inventory.yaml */
    const char *snapshot;      /**< snapshot to audit; NULL: collect first */
    const char *collect_to;    /**< where a live collection is kept (NULL: a temp dir, removed); a new directory */
    int force;                 /**< collect_to may replace an earlier snapshot (never anything else) */
    const char *format;        /**< text | json */
    const char *output;        /**< NULL: stdout */
    const char *const *reports; /**< more reports of the same run, each "FORMAT:FILE" (--report) */
    size_t n_reports;
    const char *dump_model;    /**< write the network tree as JSON here */
    const char *fail_on;       /**< overrides the inventory's policy */
    const char *color;         /**< auto | always | never */
    int candidate;             /**< audit NETCONF candidate configs */
    const char *candidate_device;
    int verbose;
    int jobs;
    int accept_new_host_keys;
    int keep_device_secrets;   /**< live: store the replies with the devices' secrets */
    unsigned sample_interval_ms; /**< live: two interface counter samples this far apart */
    int exiting;               /**< the process ends after this call: the tree need not be freed */
    const char *history;       /**< history file: report what changed since its latest run, record this one */
    const struct select *select; /**< collect: only these devices (a partial snapshot); NULL: all */
    int progress;              /**< live: enum progress_mode (--progress, --quiet) */
    unsigned connect_timeout_ms; /**< live: --connect-timeout; 0: default */
    unsigned timeout_ms;       /**< live: --timeout (per request); 0: default */
    int no_cache;              /**< check: neither read nor write the check cache (--no-cache) */
};

/**
 * @brief Run an audit; returns the process exit code (0, 1, 2, 3); errors go to @p errout.
 *
 * The report (and the model dump) is written beside its final name and
 * renamed over it when complete; a write error (a full disk) is exit 2 with
 * the path and the cause, and leaves the earlier file as it was. With a
 * history, the run is recorded before the report is renamed into place (on
 * stdout: before it is printed): when recording fails the report is not
 * written at all and the exit code is 2, so a report never states an exit
 * code the process does not return.
 */
int audit_run(const struct audit_opts *o, FILE *errout);

/**
 * @brief Pre-change validation: audit the candidate configurations against
 * running and print the findings the change adds and removes. Exit 1 when
 * it adds findings at or above fail-on.
 */
int audit_check(const struct audit_opts *o, FILE *errout);

/** @brief Collect @p o->inventory into the snapshot @p o->collect_to; returns an exit code (0, 2, 3). */
int audit_collect(const struct audit_opts *o, FILE *errout);

/** @brief The verbs: each parses its arguments (argv[0] is the verb) and returns the exit code. */
int cmd_audit(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_collect(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_history(int argc, char **argv);
/** @brief `eraudit snapshot merge`; returns the exit code. */
int cmd_snapshot(int argc, char **argv);
int cmd_inventory(int argc, char **argv);

/** @brief audit's and check's shared options (check is @p check = 1). */
int cli_audit_or_check(int argc, char **argv, int check);

/** check's usage text (cmd_check.c). */
extern const char cli_usage_check[];

/** Long options without a short form. */
enum {
    OPT_FAIL_ON = 256, OPT_DUMP, OPT_CANDIDATE, OPT_COLOR, OPT_ACCEPT, OPT_SAMPLE, OPT_HISTORY, OPT_SECRETS, OPT_FORCE, OPT_NO_CACHE,
    OPT_REPORT, OPT_SITE, OPT_ROLE, OPT_DEVICE, OPT_SHARD, OPT_LIST,
    OPT_PROGRESS, OPT_QUIET, OPT_CONNECT_TIMEOUT, OPT_TIMEOUT
};

/** getopt_long rows of the live options (cli_live.c). */
#define CLI_LIVE_OPTIONS \
    {"progress", required_argument, NULL, OPT_PROGRESS}, {"quiet", no_argument, NULL, OPT_QUIET}, \
    {"connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT}, \
    {"timeout", required_argument, NULL, OPT_TIMEOUT}

/**
 * @brief Take the live option @p c (--progress, --quiet, --connect-timeout,
 * --timeout) into @p o.
 * @return 1 taken; 0 not a live option; -1 a bad value (said with @p usage).
 */
int cli_live_opt(int c, const char *arg, struct audit_opts *o, const char *usage);

/** @brief Print @p what (if any) and @p usage on stderr; returns EXIT_BADINPUT. */
int cli_bad_usage(const char *usage, const char *what);

/** One report of a run: a format and where it goes (NULL: stdout). */
struct cli_report_out {
    const struct reporter *rep;
    const char *path;
    struct atomicfile *af;
};

/**
 * @brief The reports a run writes: -f/-o (the format from -o's extension
 * when -f is not given), then each --report FMT:FILE; an extension that
 * names another format is refused. @p v holds 1 + AUDIT_MAX_REPORTS.
 */
er_code cli_report_outs(const struct audit_opts *o, struct cli_report_out *v, size_t *n, struct er_err *err);

/** @brief Whether to colour @p out: --color @p mode (auto, always, never), NO_COLOR, a terminal. */
int cli_use_color(const char *mode, FILE *out);

/** @brief Once per run: warn that a snapshot keeps the devices' secrets. */
void cli_secrets_warn(const struct run *s, FILE *errout);

/** @brief A writer failed on @p af: set @p err to the file's own error (path, cause); frees @p af. */
void cli_output_failed(struct atomicfile *af, const char *path, struct er_err *err);

/** @brief The engine's run options from the command line's. */
void cli_run_opts(const struct audit_opts *o, struct run_opts *ro);

#endif
