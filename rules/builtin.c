/**
 * @file builtin.c
 * @brief The table of built-in rules, in rulebook order.
 */
#include "rule.h"

/* Defined in the files named after what they judge (peer_session.c, preference.c, nat.c, ...). */
extern const struct rule rule_peer001, rule_peer002, rule_peer005, rule_peer006, rule_peer008;
extern const struct rule rule_pref001, rule_pref002;
extern const struct rule rule_nat001, rule_nat002, rule_nat003, rule_nat004, rule_nat005;
extern const struct rule rule_asym001, rule_sec001, rule_geo001;
extern const struct rule rule_peer003, rule_peer004, rule_peer007, rule_peer009, rule_peer010, rule_peer011,
       rule_peer012;
extern const struct rule rule_asym002, rule_asym003, rule_geo002, rule_geo003, rule_geo004;
extern const struct rule rule_pref003, rule_sec002, rule_sec003, rule_cli001, rule_cli002, rule_wan001;

static const struct rule *const order[] = {
    &rule_peer001, &rule_peer002, &rule_peer003, &rule_peer004, &rule_peer005, &rule_peer006, &rule_peer007,
    &rule_peer008, &rule_peer009, &rule_peer010, &rule_peer011, &rule_peer012,
    &rule_pref001, &rule_pref002, &rule_pref003,
    &rule_nat001, &rule_nat002, &rule_nat003, &rule_nat004, &rule_nat005, &rule_asym001, &rule_asym002,
    &rule_asym003,
    &rule_sec001, &rule_sec002, &rule_sec003,
    &rule_geo001, &rule_geo002, &rule_geo003, &rule_geo004,
    &rule_cli001, &rule_cli002,
    &rule_wan001,
};

#define N_RULES (sizeof order / sizeof order[0])

const struct rule *
rules_builtin(size_t *n)
{
    static struct rule table[N_RULES];
    static int ready;
    size_t i;

    /* The family files own their rules; the table copies them into one array. */
    if (!ready) {
        for (i = 0; i < N_RULES; i++)
            table[i] = *order[i];
        ready = 1;
    }
    *n = N_RULES;
    return table;
}
