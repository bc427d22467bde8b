/**
 * @file cmd_check.c
 * @brief `eraudit check`: pre-change validation of candidate configurations against running; the exit code gates the change.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicfile.h"

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
    "  -o, --output FILE      write to FILE instead of stdout\n"
    "      --fail-on SEV      info|low|medium|high|critical\n"
    "  -j, --jobs N, --accept-new-host-keys, --keep-device-secrets   as for audit\n"
    "  -h, --help             this help\n";


/* Findings are the same across two audits when rule, device, circuit and path agree. */
static int
same_finding(const struct finding *a, const struct finding *b)
{
#define SAME(x) ((!a->x && !b->x) || (a->x && b->x && !strcmp(a->x, b->x)))
    return !strcmp(a->rule, b->rule) && SAME(device) && SAME(circuit) && SAME(path) &&
            (a->path || SAME(message));
#undef SAME
}

/* Failing findings of @a that @b does not have, printed with @mark; returns how many at or above @fail_on. */
static size_t
print_only_in(FILE *out, const struct findings *a, const struct findings *b, const char *mark,
        enum er_sev fail_on, size_t *n)
{
    size_t i, j, blocking = 0;

    *n = 0;
    for (i = 0; i < a->n; i++) {
        if (a->v[i].status != ST_FAIL)
            continue;
        for (j = 0; j < b->n && !(b->v[j].status == ST_FAIL && same_finding(&a->v[i], &b->v[j])); j++)
            ;
        if (j < b->n)
            continue;
        (*n)++;
        blocking += a->v[i].sev >= fail_on && a->v[i].section != SECT_COLLECTION;
        fprintf(out, "  %s %-9s %-8s %s\n", mark, a->v[i].rule, sev_name(a->v[i].sev), a->v[i].message);
        if (a->v[i].path)
            fprintf(out, "              path      %s\n", a->v[i].path);
        if (a->v[i].seen)
            fprintf(out, "              seen      %s\n", a->v[i].seen);
    }
    return blocking;
}

int
audit_check(const struct audit_opts *o, FILE *errout)
{
    struct run_opts ro;
    struct run s;
    struct er_model *m_run = NULL, *m_cand = NULL;
    struct findings f_run = {0}, f_cand = {0};
    struct er_err err = {0};
    struct norm_opts run = {0}, cand = {.candidate = 1, .candidate_device = o->candidate_device};
    struct atomicfile *af = NULL;
    FILE *out = stdout;
    size_t added, fixed, blocking;
    int code = EXIT_BADINPUT;

    cli_run_opts(o, &ro);
    if (run_open(&ro, &s, &err))
        goto fail;
    cli_secrets_warn(&s, errout);
    if (run_candidate_gate(&s, o->candidate_device, &err) || run_evaluate(&s, &run, &m_run, &f_run, &err) ||
            run_evaluate(&s, &cand, &m_cand, &f_cand, &err))
        goto fail;
    if (o->output) {
        if (atomicfile_open(o->output, &af, &err))
            goto fail;
        out = atomicfile_stream(af);
    }
    fprintf(out, "eraudit check: candidate configuration%s%s against running (snapshot %s), fail-on %s\n\n",
            o->candidate_device ? " of " : "s", o->candidate_device ? o->candidate_device : "", s.snapdir,
            sev_name(s.fail_on));
    fprintf(out, "Findings the change adds:\n");
    blocking = print_only_in(out, &f_cand, &f_run, "+", s.fail_on, &added);
    if (!added)
        fprintf(out, "  none\n");
    fprintf(out, "\nFindings the change removes:\n");
    print_only_in(out, &f_run, &f_cand, "-", s.fail_on, &fixed);
    if (!fixed)
        fprintf(out, "  none\n");
    code = blocking ? EXIT_FINDINGS : engine_incomplete(&f_cand) ? EXIT_INCOMPLETE : EXIT_OK;
    fprintf(out, "\n%zu added (%zu at or above %s), %zu removed: %s\n", added, blocking, sev_name(s.fail_on), fixed,
            blocking ? "the change is blocked (exit 1)" : "the change adds nothing at or above fail-on");
    if (af) {
        er_code r = atomicfile_commit(af, &err);

        af = NULL;
        if (r)
            goto fail;
    } else if (fflush(out) || ferror(out)) {
        er_set(&err, ER_EIO, "standard output: cannot write: %s", strerror(errno));
        goto fail;
    }
    goto cleanup;
fail:
    fprintf(errout, "eraudit: %s\n", err.msg);
    code = EXIT_BADINPUT;
cleanup:
    atomicfile_abort(af);
    findings_clear(&f_run);
    findings_clear(&f_cand);
    model_free(m_run);
    model_free(m_cand);
    run_close(&s);
    return code;
}

int
cmd_check(int argc, char **argv)
{
    return cli_audit_or_check(argc, argv, 1);
}
