/**
 * @file junit.c
 * @brief JUnit XML for CI systems: a test suite per checklist section, a
 * test case per rule. A rule fails as a test when it has a failing finding
 * at or above the fail-on severity, the same rule the exit code follows;
 * findings below it are listed in the case's system-out. Not evaluated
 * rules are skipped, with the reason. Devices that could not be collected
 * are failures of a "Collection" suite.
 */
#include "report.h"

#include <string.h>

#define T(s) report_xml_text(out, (s))

/* The finding as the failure text shows it: message, then its evidence. */
static void
finding_text(FILE *out, const struct finding *f)
{
    fprintf(out, "[%s] ", sev_name(f->sev));
    T(f->message);
    fputc('\n', out);
    if (f->path) {
        fputs("  path      ", out);
        T(f->path);
        fputc('\n', out);
    }
    if (f->seen) {
        fputs("  seen      ", out);
        T(f->seen);
        fputc('\n', out);
    }
    if (f->expected) {
        fputs("  expected  ", out);
        T(f->expected);
        fputc('\n', out);
    }
    fprintf(out, "  source    %s\n", source_name(f->source));
    if (f->remediation) {
        fputs("  fix       ", out);
        T(f->remediation);
        fputc('\n', out);
    }
}

struct suite_counts {
    size_t tests, failures, skipped;
};

static void
count_section(const struct report_ctx *rc, enum er_section sect, struct suite_counts *sc)
{
    size_t i, j;

    memset(sc, 0, sizeof *sc);
    for (i = 0; i < rc->f->n_rules; i++) {
        const struct rule_result *r = &rc->f->rules[i];
        int failed = 0;

        if (r->section != sect)
            continue;
        sc->tests++;
        for (j = 0; j < rc->f->n && !failed; j++)
            failed = !strcmp(rc->f->v[j].rule, r->id) && report_blocks(rc, &rc->f->v[j]);
        sc->failures += failed;
        sc->skipped += !failed && r->outcome == OUT_NOT_EVALUATED;
    }
}

static void
test_case(FILE *out, const struct report_ctx *rc, const struct rule_result *r)
{
    size_t i, n_block = 0, n_other = 0;

    fprintf(out, "    <testcase classname=\"eraudit.%s\" name=\"", section_name(r->section));
    T(r->id);
    fputs(" ", out);
    T(r->title);
    fputs("\">\n", out);
    for (i = 0; i < rc->f->n; i++) {
        const struct finding *f = &rc->f->v[i];

        if (strcmp(f->rule, r->id))
            continue;
        n_block += report_blocks(rc, f);
        n_other += f->status == ST_FAIL && !report_blocks(rc, f);
    }
    if (n_block) {
        fprintf(out, "      <failure type=\"%s\" message=\"%zu failing finding%s at or above %s\">", sev_name(r->sev),
                n_block, n_block == 1 ? "" : "s", sev_name(rc->fail_on));
        for (i = 0; i < rc->f->n; i++) {
            if (!strcmp(rc->f->v[i].rule, r->id) && report_blocks(rc, &rc->f->v[i]))
                finding_text(out, &rc->f->v[i]);
        }
        fputs("</failure>\n", out);
    } else if (r->outcome == OUT_NOT_EVALUATED) {
        fputs("      <skipped message=\"not evaluated: ", out);
        T(r->reason ? r->reason : "the data it needs is missing");
        fputs("\"/>\n", out);
    }
    if (n_other) {
        fputs("      <system-out>", out);
        fprintf(out, "%zu failing finding%s below fail-on %s:\n", n_other, n_other == 1 ? "" : "s",
                sev_name(rc->fail_on));
        for (i = 0; i < rc->f->n; i++) {
            const struct finding *f = &rc->f->v[i];

            if (!strcmp(f->rule, r->id) && f->status == ST_FAIL && !report_blocks(rc, f))
                finding_text(out, f);
        }
        fputs("</system-out>\n", out);
    }
    fputs("    </testcase>\n", out);
}

er_code
report_junit(FILE *out, const struct report_ctx *rc, struct er_err *err)
{
    static const enum er_section order[] = {SECT_CLIENT, SECT_WAN, SECT_PEERING, SECT_ASYM, SECT_GEO, SECT_ONPREM};
    struct suite_counts sc, total = {0};
    struct report_counts c;
    size_t i, k;

    report_count(rc, &c);
    for (k = 0; k < sizeof order / sizeof *order; k++) {
        count_section(rc, order[k], &sc);
        total.tests += sc.tests;
        total.failures += sc.failures;
        total.skipped += sc.skipped;
    }
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<testsuites name=\"eraudit ExpressRoute readiness\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" "
            "errors=\"0\" timestamp=\"", total.tests + c.not_collected, total.failures + c.not_collected,
            total.skipped);
    T(rc->generated);
    fputs("\">\n", out);
    if (c.not_collected) {
        fprintf(out, "  <testsuite name=\"%s\" tests=\"%zu\" failures=\"%zu\" skipped=\"0\" errors=\"0\">\n",
                section_title(SECT_COLLECTION), c.not_collected, c.not_collected);
        for (i = 0; i < rc->f->n; i++) {
            const struct finding *f = &rc->f->v[i];

            if (f->section != SECT_COLLECTION || f->status != ST_FAIL)
                continue;
            fputs("    <testcase classname=\"eraudit.collection\" name=\"", out);
            T(f->device ? f->device : f->rule);
            fputs("\">\n      <failure type=\"collection\" message=\"not collected\">", out);
            finding_text(out, f);
            fputs("</failure>\n    </testcase>\n", out);
        }
        fputs("  </testsuite>\n", out);
    }
    for (k = 0; k < sizeof order / sizeof *order; k++) {
        count_section(rc, order[k], &sc);
        if (!sc.tests)
            continue;
        fprintf(out, "  <testsuite name=\"%s\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" errors=\"0\">\n",
                section_title(order[k]), sc.tests, sc.failures, sc.skipped);
        fputs("    <properties><property name=\"snapshot\" value=\"", out);
        T(rc->snapshot);
        fprintf(out, "\"/><property name=\"fail-on\" value=\"%s\"/></properties>\n", sev_name(rc->fail_on));
        for (i = 0; i < rc->f->n_rules; i++) {
            if (rc->f->rules[i].section == order[k])
                test_case(out, rc, &rc->f->rules[i]);
        }
        fputs("  </testsuite>\n", out);
    }
    fputs("</testsuites>\n", out);
    if (ferror(out) || fflush(out))
        return er_set(err, ER_EIO, "cannot write the JUnit report");
    return ER_OK;
}
