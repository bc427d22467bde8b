/**
 * @file cmd_rules.c
 * @brief `eraudit rules`: list the built-in rules.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checklist.h"
#include "rule.h"

static const char usage_rules[] =
    "usage: eraudit rules [--format text|json]\n"
    "\n"
    "List the built-in rules: id, severity, checklist section and title.\n"
    "\n"
    "  -f, --format FMT   text (default) or json\n"
    "  -h, --help         this help\n";

static int
audit_list_rules(const char *format, FILE *out, FILE *errout)
{
    const struct rule *rules;
    const struct checklist_q *qs;
    size_t n, i, nq;
    int json = format && !strcmp(format, "json");

    if (format && !json && strcmp(format, "text")) {
        fprintf(errout, "eraudit: unknown format '%s' (expected text|json)\n", format);
        return EXIT_BADINPUT;
    }
    rules = rules_builtin(&n);
    if (json)
        fputs("[\n", out);
    for (i = 0; i < n; i++) {
        char q[128];

        checklist_of_rule(rules[i].id, NULL, q, sizeof q);
        if (json)
            fprintf(out, "  {\"id\": \"%s\", \"severity\": \"%s\", \"section\": \"%s\", \"title\": \"%s\", "
                    "\"questions\": \"%s\"}%s\n", rules[i].id, sev_name(rules[i].sev), section_name(rules[i].section),
                    rules[i].title, q, i + 1 < n ? "," : "");
        else
            fprintf(out, "%-9s %-8s  %-25s  %-20s %s\n", rules[i].id, sev_name(rules[i].sev),
                    section_title(rules[i].section), q, rules[i].title);
    }
    if (json) {
        fputs("]\n", out);
        return EXIT_OK;
    }
    /* Which question of the readiness checklist each rule answers; the rest need an attestation. */
    qs = checklist_questions(&nq);
    fputs("\nChecklist questions (attest those no rule can answer in the inventory: attestations):\n", out);
    for (i = 0; i < nq; i++) {
        char list[512];

        fprintf(out, "%-9s %-25s  %s\n          rules: %s\n", qs[i].id, section_title(qs[i].section), qs[i].text,
                checklist_rules_of(qs[i].id, list, sizeof list));
    }
    return EXIT_OK;
}

int
cmd_rules(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    const char *fmt = NULL;
    int c;

    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f': fmt = optarg; break;
        case 'h': fputs(usage_rules, stdout); return EXIT_OK;
        default: return cli_bad_usage(usage_rules, NULL);
        }
    }
    if (optind < argc)
        return cli_bad_usage(usage_rules, "unexpected argument");
    return audit_list_rules(fmt, stdout, stderr);
}
