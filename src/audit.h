/**
 * @file audit.h
 * @brief The audit pipeline as one call (audit_* module): load the
 * inventory, open or collect a snapshot, normalize, run the rules, report.
 */
#ifndef ER_AUDIT_H
#define ER_AUDIT_H

#include <stdio.h>

#include "findings.h"

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

/** @brief Print the built-in rules (text or json); returns an exit code. */
int audit_list_rules(const char *format, FILE *out, FILE *errout);

/** @brief `eraudit history`: list a history's runs, or one run's failing findings; returns an exit code. */
int audit_history(const char *path, size_t last, long run_id, FILE *out, FILE *errout);

/** @brief Validate an inventory and print it normalized; returns an exit code. */
int audit_inventory_check(const char *inventory, FILE *out, FILE *errout);

#endif
