/**
 * @file cmd_check.c
 * @brief `eraudit check`: pre-change validation of candidate configurations
 * against running (check.c judges), its reports; the exit code gates the change.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicfile.h"
#include "check.h"
#include "collect.h"
#include "engine.h"
#include "report.h"
#include "sanitize.h"

const char cli_usage_check[] =
    "usage: eraudit check [-i INVENTORY] [--snapshot DIR] [--device DEV] [options]\n"
    "\n"
    "Pre-change validation: audit the NETCONF candidate configurations (of DEV\n"
    "only, with --device) against the running ones and list the findings the\n"
    "change would add and remove. Exit 1 when it adds a finding at or above the\n"
    "fail-on severity, so a pipeline can block the change. Exit 2 when there is\n"
    "nothing to check: DEV not in the inventory, DEV without a candidate, or no\n"
    "device with a candidate at all.\n"
    "\n"
    "  -i, --inventory FILE   inventory (YAML)\n"
    "  -s, --snapshot DIR     snapshot holding netconf/candidate.xml files\n"
    "  -k, --keep DIR         live: keep the collected snapshot in DIR (a new directory)\n"
    "      --force            let --keep replace an earlier snapshot in DIR (never anything else)\n"
    "  -d, --device DEV       only this device's candidate\n"
    "  -f, --format FMT       text (default: what the change adds and removes), json, html,\n"
    "                         junit (the candidate network's report, the change as new/fixed)\n"
    "  -o, --output FILE      write to FILE instead of stdout (replaced only once written\n"
    "                         whole); without -f its extension (.json .html .xml .txt) names\n"
    "                         the format, and an extension that contradicts -f is an error\n"
    "      --report FMT:FILE  also write a FMT report of the same check to FILE (repeatable, up to 8)\n"
    "      --fail-on SEV      info|low|medium|high|critical\n"
    "      --no-cache         neither read nor write the running network's cache\n"
    "                         ($XDG_CACHE_HOME/eraudit/check, else ~/.cache/eraudit/check)\n"
    "      --color WHEN       auto (default), always, never\n"
    "  -j, --jobs N, --accept-new-host-keys, --keep-device-secrets   as for audit\n"
    "  -q, --quiet, --progress WHEN, --connect-timeout T, --timeout T  as for audit\n"
    "  -v, --verbose          list every passing check (json, html, junit)\n"
    "  -h, --help             this help\n";

/* The text of a check: the findings the change adds (+) and removes (-), and the verdict. */
static er_code
check_text(FILE *out, const struct report_ctx *rc, const char *device, size_t blocking)
{
    const struct hist_drift *d = rc->drift;
    size_t i;

    fprintf(out, "eraudit check: candidate configuration%s%s against running (snapshot %s), fail-on %s\n\n",
            device ? " of " : "s", device ? device : "", rc->snapshot, sev_name(rc->fail_on));
    fprintf(out, "Findings the change adds:\n");
    for (i = 0; i < rc->f->n; i++) {
        const struct finding *x = &rc->f->v[i];

        if (!d->is_new[i])
            continue;
        fprintf(out, "  + %-9s %-8s %s\n", x->rule, sev_name(x->sev), x->message);
        if (x->path)
            fprintf(out, "              path      %s\n", x->path);
        if (x->seen)
            fprintf(out, "              seen      %s\n", x->seen);
    }
    if (!d->n_new)
        fprintf(out, "  none\n");
    fprintf(out, "\nFindings the change removes:\n");
    for (i = 0; i < d->n_fixed; i++) {
        fprintf(out, "  - %-9s %-8s %s\n", d->fixed[i].rule, d->fixed[i].severity, d->fixed[i].message);
        if (d->fixed[i].path)
            fprintf(out, "              path      %s\n", d->fixed[i].path);
    }
    if (!d->n_fixed)
        fprintf(out, "  none\n");
    fprintf(out, "\n%zu added (%zu at or above %s), %zu removed: %s\n", d->n_new, blocking, sev_name(rc->fail_on),
            d->n_fixed, blocking ? "the change is blocked (exit 1)" : "the change adds nothing at or above fail-on");
    return ferror(out) ? ER_EIO : ER_OK;
}

/* Write every report of the check: files whole first, then stdout, then the files renamed into place. */
static er_code
check_write(const struct audit_opts *o, struct cli_report_out *outs, size_t n_outs, struct report_ctx *rc,
        size_t blocking, struct er_err *err)
{
    const struct reporter *text = report_find("text");
    size_t i, pass;
    er_code r = ER_OK;

    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < n_outs; i++) {
            FILE *out;

            /* Files first (pass 0), then stdout (pass 1). */
            if ((pass == 0) != (outs[i].path != NULL))
                continue;
            if (outs[i].path && (r = atomicfile_open(outs[i].path, &outs[i].af, err)))
                return r;
            out = outs[i].path ? atomicfile_stream(outs[i].af) : stdout;
            rc->color = cli_use_color(o->color, out);
            r = outs[i].rep == text ? check_text(out, rc, o->candidate_device, blocking) :
                    report_write(outs[i].rep, out, rc, err);
            if (r && outs[i].path) {
                cli_output_failed(outs[i].af, outs[i].path, err);
                outs[i].af = NULL;
                return r;
            }
            if (r || (!outs[i].path && (fflush(stdout) || ferror(stdout))))
                return er_set(err, ER_EIO, "standard output: cannot write: %s", strerror(errno));
            if (outs[i].path && (r = atomicfile_close(outs[i].af, err)))
                return r;
        }
    }
    for (i = 0; i < n_outs; i++) {
        r = outs[i].af ? atomicfile_commit(outs[i].af, err) : ER_OK;
        outs[i].af = NULL;
        if (r)
            return r;
    }
    return ER_OK;
}

int
audit_check(const struct audit_opts *o, FILE *errout)
{
    struct run_opts ro;
    struct run s;
    struct check_result r = {0};
    struct er_err err = {0};
    struct cli_report_out outs[1 + AUDIT_MAX_REPORTS] = {{0}};
    size_t n_outs = 0, i;
    char generated[32];
    int code = EXIT_BADINPUT, opened = 0;

    /* Every output is checked before any device is contacted. */
    if (cli_report_outs(o, outs, &n_outs, &err)) {
        fprintf(errout, "eraudit: %s\n", err.msg);
        return EXIT_BADINPUT;
    }
    cli_run_opts(o, &ro);
    opened = 1;
    if (run_open(&ro, &s, &err))
        goto fail;
    cli_secrets_warn(&s, errout);
    /* ERAUDIT_CHECK_FULL: both whole networks built and judged (the reference the tests compare with). */
    if (run_candidate_gate(&s, o->candidate_device, &err) ||
            check_run(&s, o->candidate_device, getenv("ERAUDIT_CHECK_FULL") != NULL, !o->no_cache, &r, &err))
        goto fail;
    if (r.warning[0])
        fprintf(errout, "eraudit: warning: %s\n", r.warning);
    /* The gate's verdict: what the change adds, not what the network already had. */
    code = r.blocking ? EXIT_FINDINGS : engine_incomplete(&r.cand) ? EXIT_INCOMPLETE : EXIT_OK;
    run_fmt_time(run_now(), "%Y-%m-%dT%H:%M:%SZ", generated, sizeof generated);
    {
        struct report_ctx rc = {.f = &r.cand, .m = r.m, .snapshot = s.snapdir, .snapshot_created = s.snap->created,
                .generated = generated, .fail_on = s.fail_on, .exit_code = code, .verbose = o->verbose,
                .drift = &r.drift, .drift_title = "the change"};

        if (check_write(o, outs, n_outs, &rc, r.blocking, &err))
            goto fail;
    }
    run_phase("report");
    goto cleanup;
fail:
    fprintf(errout, "eraudit: %s\n", err.msg);
    code = EXIT_BADINPUT;
cleanup:
    for (i = 0; i < n_outs; i++)
        atomicfile_abort(outs[i].af);
#if !ER_ASAN
    /* As audit: a process about to exit leaves a large network to the kernel. */
    if (o->exiting) {
        if (opened && s.temp_snapshot)
            collect_remove(s.tmpdir);
        fflush(NULL);
        return code;
    }
#endif
    check_result_free(&r);
    if (opened)
        run_close(&s);
    return code;
}

int
cmd_check(int argc, char **argv)
{
    return cli_audit_or_check(argc, argv, 1);
}
