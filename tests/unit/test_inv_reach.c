/**
 * @file test_inv_reach.c
 * @brief Inventory: how devices are reached (issue 16): the "defaults"
 * mapping, per-device timeouts, ssh-config of a device, an auth profile or
 * the defaults, their precedence, errors with file:line:column, and the
 * printer's round trip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inventory.h"

#define HEAD "auth:\n  - {name: k, username: u, key-file: /k}\n  - {name: j, username: u, agent: true, ssh-config: true}\n"

static struct inventory *
load(const char *doc)
{
    struct inventory *inv = NULL;
    struct er_err err = {0};

    if (inv_load_mem("r.yaml", doc, strlen(doc), &inv, &err))
        fail_msg("%s", err.msg);
    return inv;
}

/* Device values first, then the defaults; nothing given: 0 (the collector decides). */
static void
test_timeouts(void **state)
{
    struct inventory *inv;
    unsigned c, t;

    (void)state;
    inv = load("defaults: {connect-timeout: 5, timeout: 120}\n" HEAD
            "devices:\n  - {name: a, host: h, role: wan, auth: k}\n"
            "  - {name: b, host: h, role: wan, auth: k, connect-timeout: 1500ms, timeout: 0.5}\n"
            "  - {name: c, host: h, role: wan, auth: k, timeout: 90s}\n");
    inv_device_timeouts(inv, &inv->devices[0], &c, &t);
    assert_int_equal(c, 5000);
    assert_int_equal(t, 120000);
    inv_device_timeouts(inv, &inv->devices[1], &c, &t);
    assert_int_equal(c, 1500);
    assert_int_equal(t, 500);
    inv_device_timeouts(inv, &inv->devices[2], &c, &t);
    assert_int_equal(c, 5000);
    assert_int_equal(t, 90000);
    inv_free(inv);
    inv = load(HEAD "devices:\n  - {name: a, host: h, role: wan, auth: k}\n");
    inv_device_timeouts(inv, &inv->devices[0], &c, &t);
    assert_int_equal(c, 0);
    assert_int_equal(t, 0);
    inv_free(inv);
}

/* Device over auth profile over defaults; false turns it off again; off by default. */
static void
test_ssh_config_precedence(void **state)
{
    struct inventory *inv = load("defaults: {ssh-config: cfg/bastion}\n" HEAD
            "devices:\n  - {name: a, host: h, role: wan, auth: k}\n"
            "  - {name: b, host: h, role: wan, auth: j}\n"
            "  - {name: c, host: h, role: wan, auth: j, ssh-config: /etc/eraudit/ssh_config}\n"
            "  - {name: d, host: h, role: wan, auth: k, ssh-config: false}\n"
            "  - {name: e, host: h, role: wan, auth: k, ssh-config: \"true\"}\n");
    const struct inv_sshcfg *s;

    (void)state;
    s = inv_device_ssh_config(inv, &inv->devices[0]);
    assert_non_null(s);
    assert_int_equal(s->mode, INV_SSHCFG_FILE);
    assert_string_equal(s->path, "cfg/bastion");
    assert_int_equal(s->line, 1);
    s = inv_device_ssh_config(inv, &inv->devices[1]);
    assert_non_null(s);
    assert_int_equal(s->mode, INV_SSHCFG_USER);
    assert_int_equal(s->line, 4);
    s = inv_device_ssh_config(inv, &inv->devices[2]);
    assert_string_equal(s->path, "/etc/eraudit/ssh_config");
    assert_int_equal(s->line, 8);
    assert_null(inv_device_ssh_config(inv, &inv->devices[3]));
    s = inv_device_ssh_config(inv, &inv->devices[4]);   /* quoted: a file named true */
    assert_int_equal(s->mode, INV_SSHCFG_FILE);
    assert_string_equal(s->path, "true");
    inv_free(inv);
    inv = load(HEAD "devices:\n  - {name: a, host: h, role: wan, auth: k}\n");
    assert_null(inv_device_ssh_config(inv, &inv->devices[0]));
    inv_free(inv);
}

static const struct {
    const char *doc, *where, *phrase;
} bad[] = {
    {"defaults: {connect-timeout: 0}\n" HEAD "devices: [{name: a, host: h, role: wan}]\n", "r.yaml:1:29: ",
            "expected a duration from 1 ms to one day"},
    {"defaults: {timeout: 2m}\n" HEAD "devices: [{name: a, host: h, role: wan}]\n", "r.yaml:1:21: ",
            "got '2m'"},
    {"defaults: {timeout: soon}\n" HEAD "devices: [{name: a, host: h, role: wan}]\n", "r.yaml:1:21: ",
            "expected a duration"},
    {"defaults: {retries: 3}\n" HEAD "devices: [{name: a, host: h, role: wan}]\n", "r.yaml:1:", "retries"},
    {"defaults: [5]\n" HEAD "devices: [{name: a, host: h, role: wan}]\n", "r.yaml:1:11: ",
            "expected a mapping of device defaults"},
    {HEAD "devices:\n  - {name: a, host: h, role: wan, timeout: 2d}\n", "r.yaml:5:", "expected a duration"},
    {HEAD "devices:\n  - {name: a, host: h, role: wan, connect-timeout: 86401}\n", "r.yaml:5:", "one day"},
    {HEAD "devices:\n  - {name: a, host: h, role: wan, ssh-config: [a]}\n", "r.yaml:5:",
            "expected true, false or the path of an OpenSSH client configuration file"},
    {HEAD "devices:\n  - {name: a, host: h, role: wan, ssh-config: ~}\n", "r.yaml:5:", "expected true, false"},
    {HEAD "devices:\n  - {name: a, host: h, role: wan, ssh-config: cfg%h}\n", "r.yaml:5:", "'%'"},
    {"auth:\n  - {name: k, username: u, ssh-config: {path: x}}\ndevices: [{name: a, host: h, role: wan}]\n",
            "r.yaml:2:", "expected true, false"},
};

static void
test_bad(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct inventory *inv = NULL;
        struct er_err err = {0};
        er_code rc = inv_load_mem("r.yaml", bad[i].doc, strlen(bad[i].doc), &inv, &err);

        if (rc != ER_EINVAL || strncmp(err.msg, bad[i].where, strlen(bad[i].where)) || !strstr(err.msg, bad[i].phrase))
            fail_msg("case %zu: rc %d, \"%s\"; expected \"%s\" ... \"%s\"", i, rc, err.msg, bad[i].where, bad[i].phrase);
        assert_null(inv);
    }
}

/* `eraudit inventory` prints the settings, and what it prints reads back to the same print. */
static void
test_round_trip(void **state)
{
    const char *doc = "defaults:\n  connect-timeout: 4\n  timeout: 250ms\n  ssh-config: true\n" HEAD
            "devices:\n  - {name: a, host: h, role: wan, auth: k, connect-timeout: 2.5, ssh-config: \"my cfg\"}\n"
            "  - {name: b, host: h, role: wan, auth: j, timeout: 30s, ssh-config: false}\n";
    struct inventory *inv = load(doc), *again;
    char *p1 = NULL, *p2 = NULL;
    size_t n1 = 0, n2 = 0;
    FILE *f;

    (void)state;
    assert_non_null(f = open_memstream(&p1, &n1));
    inv_print(f, inv);
    fclose(f);
    assert_non_null(strstr(p1, "defaults:\n  connect-timeout: 4\n  timeout: 250ms\n  ssh-config: true\n"));
    assert_non_null(strstr(p1, "    agent: true\n    ssh-config: true\n"));
    assert_non_null(strstr(p1, "    connect-timeout: 2500ms\n    ssh-config: \"my cfg\"\n"));
    assert_non_null(strstr(p1, "    timeout: 30\n    ssh-config: false\n"));
    again = load(p1);
    assert_non_null(f = open_memstream(&p2, &n2));
    inv_print(f, again);
    fclose(f);
    assert_string_equal(p1, p2);
    free(p1);
    free(p2);
    inv_free(inv);
    inv_free(again);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timeouts),
        cmocka_unit_test(test_ssh_config_precedence),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_round_trip),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
