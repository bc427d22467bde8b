/**
 * @file text.c
 * @brief The text report for people: grouped by the sections of the
 * readiness checklist, failures first with their evidence, colour only on
 * a terminal.
 */
#include "report.h"

#include <string.h>

/* Passing findings listed per rule before "and N more" (unless verbose). */
#define PASS_SHOWN 3

struct style {
    const char *red, *green, *yellow, *dim, *bold, *off, *magenta;
};

static const struct style plain = {"", "", "", "", "", "", ""};
static const struct style ansi = {"\033[31m", "\033[32m", "\033[33m", "\033[2m", "\033[1m", "\033[0m",
        "\033[35m"};

/* A rule that failed only below fail-on is WARN: shown, but it does not fail the run. */
static const char *
outcome_label(enum er_outcome o, int below, const struct style *s, const char **color)
{
    if (below) {
        *color = s->magenta;
        return "WARN";
    }
    switch (o) {
    case OUT_PASS:
        *color = s->green;
        return "PASS";
    case OUT_FAIL:
        *color = s->red;
        return "FAIL";
    default:
        *color = s->yellow;
        return "N/E ";
    }
}

static void
print_evidence(FILE *out, const struct finding *f, const struct style *s)
{
    if (f->path)
        fprintf(out, "              %spath%s      %s\n", s->dim, s->off, f->path);
    if (f->seen)
        fprintf(out, "              %sseen%s      %s\n", s->dim, s->off, f->seen);
    if (f->expected)
        fprintf(out, "              %sexpected%s  %s\n", s->dim, s->off, f->expected);
    fprintf(out, "              %ssource%s    %s\n", s->dim, s->off, source_name(f->source));
    if (f->remediation)
        fprintf(out, "              %sfix%s       %s\n", s->dim, s->off, f->remediation);
}

static void
print_finding_head(FILE *out, const struct finding *f, const char *mark, const char *color, const struct style *s,
        int below)
{
    fprintf(out, "          %s%s%s ", color, mark, s->off);
    if (f->status == ST_FAIL)
        fprintf(out, "[%s%s] ", sev_name(f->sev), below ? ", below fail-on" : "");
    fprintf(out, "%s", f->message);
    if (f->circuit && !strstr(f->message, f->circuit))
        fprintf(out, " (circuit %s)", f->circuit);
    fputc('\n', out);
}

static void
print_rule(FILE *out, const struct report_ctx *rc, const struct rule_result *res, const struct style *s)
{
    const char *color, *label = outcome_label(res->outcome, report_rule_below(rc, res), s, &color);
    size_t i, passes = 0, shown = 0;

    fprintf(out, "  %s%s%s  %s%-9s%s %-8s  %s\n", color, label, s->off, s->bold, res->id, s->off, sev_name(res->sev),
            res->title);
    for (i = 0; i < rc->f->n; i++) {
        const struct finding *f = &rc->f->v[i];

        if (strcmp(f->rule, res->id))
            continue;
        switch (f->status) {
        case ST_FAIL: {
            int below = !report_blocks(rc, f);

            print_finding_head(out, f, "x", below ? s->magenta : s->red, s, below);
            print_evidence(out, f, s);
            break;
        }
        case ST_WAIVED:
            print_finding_head(out, f, "~", s->yellow, s, 0);
            fprintf(out, "              %swaived%s    %s\n", s->dim, s->off, f->waiver);
            break;
        case ST_NOT_EVALUATED:
            print_finding_head(out, f, "?", s->yellow, s, 0);
            break;
        case ST_ATTESTED:
            print_finding_head(out, f, "=", s->yellow, s, 0);
            break;
        case ST_PASS:
            passes++;
            if (rc->verbose || shown < PASS_SHOWN) {
                shown++;
                print_finding_head(out, f, "+", s->green, s, 0);
            }
            break;
        }
    }
    if (passes > shown)
        fprintf(out, "          %s+ and %zu more passing checks (--verbose lists them)%s\n", s->dim, passes - shown,
                s->off);
}

/* The checklist: how each question was answered (rules, an attestation, or not at all). */
static void
print_questions(FILE *out, const struct report_ctx *rc, const struct style *s)
{
    size_t i;

    if (!rc->f->n_questions)
        return;
    fprintf(out, "\n%sChecklist questions%s\n", s->bold, s->off);
    for (i = 0; i < rc->f->n_questions; i++) {
        const struct question_result *q = &rc->f->questions[i];
        const char *color = q->status == Q_PASS ? s->green : q->status == Q_FAIL ? s->red : s->yellow;
        static const char *const label[] = {"PASS", "FAIL", "N/E ", "ATT ", "--  ", "PART"};

        fprintf(out, "  %s%s%s  %s%-9s%s %s\n", color, label[q->status], s->off, s->bold, q->id, s->off, q->text);
        if (q->rules && *q->rules)
            fprintf(out, "          %srules%s       %s\n", s->dim, s->off, q->rules);
        if (q->status == Q_PARTIAL)
            fprintf(out, "          %spartial%s     %s not evaluated; the others passed\n", s->dim, s->off,
                    q->not_evaluated);
        if (q->answer)
            fprintf(out, "          %sattested%s    %s (%s, %s%s%s)\n", s->dim, s->off, q->answer, q->by, q->date,
                    q->evidence ? "; evidence: " : "", q->evidence ? q->evidence : "");
        else if (q->status == Q_NOT_ANSWERED || q->status == Q_NOT_EVALUATED)
            fprintf(out, "          %snot answered: no data for its rules and no attestation in the inventory%s\n",
                    s->dim, s->off);
    }
}

/* What changed since the history's latest run: new failing findings, then fixed ones. */
static void
print_drift(FILE *out, const struct report_ctx *rc, const struct style *s)
{
    const struct hist_drift *d = rc->drift;
    size_t i;

    if (!d->have_prev) {
        fprintf(out, "\n%sSince the last run%s: none in %s yet; this run is the first it records\n", s->bold, s->off,
                rc->history);
        return;
    }
    fprintf(out, "\n%sSince the last run%s (%s, snapshot %s): %s%zu new%s, %s%zu fixed%s\n", s->bold, s->off,
            d->prev_at ? d->prev_at : "?", d->prev_snapshot ? d->prev_snapshot : "?", d->n_new ? s->red : "", d->n_new,
            s->off, d->n_fixed ? s->green : "", d->n_fixed, s->off);
    for (i = 0; i < rc->f->n; i++) {
        if (d->is_new[i])
            fprintf(out, "  %snew%s    [%s] %-9s %s\n", s->red, s->off, sev_name(rc->f->v[i].sev), rc->f->v[i].rule,
                    rc->f->v[i].message);
    }
    for (i = 0; i < d->n_fixed; i++)
        fprintf(out, "  %sfixed%s  [%s] %-9s %s\n", s->green, s->off, d->fixed[i].severity, d->fixed[i].rule,
                d->fixed[i].message);
}

er_code
report_text(FILE *out, const struct report_ctx *rc, struct er_err *err)
{
    static const enum er_section order[] = {SECT_COLLECTION, SECT_CLIENT, SECT_WAN, SECT_PEERING, SECT_ASYM,
            SECT_GEO, SECT_ONPREM};
    const struct style *s = rc->color ? &ansi : &plain;
    struct report_counts c;
    size_t i, k;

    report_count(rc, &c);
    fprintf(out, "%seraudit%s ExpressRoute readiness audit for Power Platform\n", s->bold, s->off);
    fprintf(out, "snapshot %s%s%s%s, %zu devices, fail-on %s\n", rc->snapshot ? rc->snapshot : "(none)",
            rc->snapshot_created ? " (" : "", rc->snapshot_created ? rc->snapshot_created : "",
            rc->snapshot_created ? ")" : "", c.devices, sev_name(rc->fail_on));

    if (rc->drift)
        print_drift(out, rc, s);
    if (c.not_collected) {
        fprintf(out, "\n%s%s%s\n", s->bold, section_title(SECT_COLLECTION), s->off);
        for (i = 0; i < rc->f->n; i++) {
            if (rc->f->v[i].section == SECT_COLLECTION && rc->f->v[i].status == ST_FAIL) {
                print_finding_head(out, &rc->f->v[i], "x", s->red, s, 0);
                print_evidence(out, &rc->f->v[i], s);
            }
        }
    }
    for (k = 1; k < sizeof order / sizeof *order; k++) {
        int any = 0;

        for (i = 0; i < rc->f->n_rules; i++) {
            if (rc->f->rules[i].section != order[k])
                continue;
            if (!any++)
                fprintf(out, "\n%s%s%s\n", s->bold, section_title(order[k]), s->off);
            print_rule(out, rc, &rc->f->rules[i], s);
            if (rc->f->rules[i].outcome == OUT_NOT_EVALUATED && rc->f->rules[i].reason) {
                size_t j, listed = 0;

                /* The reason is already printed when the rule reported it itself. */
                for (j = 0; j < rc->f->n; j++)
                    listed += !strcmp(rc->f->v[j].rule, rc->f->rules[i].id);
                if (!listed)
                    fprintf(out, "          %s? %s%s\n", s->yellow, rc->f->rules[i].reason, s->off);
            }
        }
    }
    print_questions(out, rc, s);
    fprintf(out, "\n%sSummary%s: %zu rules: %s%zu pass%s, %s%zu fail%s, ", s->bold, s->off, rc->f->n_rules, s->green,
            c.passed, s->off, s->red, c.failed, s->off);
    if (c.below_fail_on)
        fprintf(out, "%s%zu warn (failing below fail-on %s)%s, ", s->magenta, c.below_fail_on,
                sev_name(rc->fail_on), s->off);
    fprintf(out, "%s%zu not evaluated%s; %zu failing findings; devices not fully collected: %zu; exit %d\n",
            s->yellow, c.not_evaluated, s->off, c.findings, c.not_collected, rc->exit_code);
    if (fflush(out))
        return er_set(err, ER_EIO, "cannot write the report");
    return ER_OK;
}
