/**
 * @file builtin.c
 * @brief The table of built-in rules, from the rows of rules.def.
 */
#include "rule.h"

#include <string.h>

/* Each rule's check function and schema paths, in the file named after what it judges. */
#define RULE(id, name, section, sev, needs, questions, title, remediation) \
    void name##_check(struct rule_ctx *rc); \
    extern const char *const name##_paths[];
#include "rules.def"
#undef RULE

static const struct rule table[] = {
#define RULE(id_, name, section_, sev_, needs_, questions_, title_, remediation_) \
    {.id = id_, .title = title_, .section = section_, .sev = sev_, .needs = needs_, .questions = questions_, \
     .remediation = remediation_, .paths = name##_paths, .check = name##_check},
#include "rules.def"
#undef RULE
};

const struct rule *
rules_builtin(size_t *n)
{
    *n = sizeof table / sizeof table[0];
    return table;
}

const struct rule *
rules_builtin_find(const char *id)
{
    size_t i;

    for (i = 0; id && i < sizeof table / sizeof table[0]; i++) {
        if (!strcmp(table[i].id, id))
            return &table[i];
    }
    return NULL;
}
