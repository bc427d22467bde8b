/*
 * Unit tests of the JSON reader (jr_*) and the service data (svc_*): the
 * shipped samples load, the Power Platform sets are derived for the
 * tenant's regions, and malformed files fail with file and line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "jsonr.h"
#include "refdata.h"
#include "servicetags.h"

#define SAMPLES TESTS_DIR "/../rules/data/samples"

static er_code
parse_str(const char *text, struct jr_doc *d, struct er_err *err)
{
    size_t n = strlen(text);
    char *buf = malloc(n + 1);

    assert_non_null(buf);
    memcpy(buf, text, n);
    return jr_parse("t.json", buf, n, d, err);
}

static void
test_json_values(void **state)
{
    struct jr_doc d;
    struct er_err err = {0};
    long a, c;
    int k = 0;

    (void)state;
    assert_int_equal(parse_str("{\"a\":[1,-2.5e3 ,true,false,null,\"x\\u00e9\\ud83d\\ude00\\n\"],\"b\":{},\"c\":7}", &d,
            &err), ER_OK);
    a = jr_get(&d, 0, "a");
    assert_true(a > 0);
    JR_FOR(&d, (size_t)a, c) {
        switch (k++) {
        case 0: assert_int_equal(d.v[c].type, JR_NUM); assert_string_equal(d.v[c].s, "1"); break;
        case 1: assert_string_equal(d.v[c].s, "-2.5e3"); break;
        case 2: assert_int_equal(d.v[c].type, JR_TRUE); break;
        case 3: assert_int_equal(d.v[c].type, JR_FALSE); break;
        case 4: assert_int_equal(d.v[c].type, JR_NULL); break;
        case 5: assert_string_equal(d.v[c].s, "x\xc3\xa9\xf0\x9f\x98\x80\n"); break;
        default: fail();
        }
    }
    assert_int_equal(k, 6);
    assert_int_equal(jr_first(&d, (size_t)jr_get(&d, 0, "b")), -1);
    assert_string_equal(d.v[jr_get(&d, 0, "c")].s, "7");
    assert_int_equal(jr_get(&d, 0, "zz"), -1);
    jr_free(&d);
}

static void
test_json_errors(void **state)
{
    static const struct {
        const char *text, *msg;
    } bad[] = {
        {"{\"a\":1,}", "t.json:1:8: expected a member name in quotes"},
        {"[1,\n 2\n  x]", "t.json:3:3: expected ',' or ']'"},
        {"{\"a\" 1}", "t.json:1:6: expected ':'"},
        {"\"abc", "expected the closing quote"},
        {"[tru]", "t.json:1:2: expected true, false or null"},
        {"{\"a\":\"\\q\"}", "expected an escape"},
        {"[1] 2", "expected the end of the document"},
        {"", "expected a value, got the end of the file"},
        {"[1x]", "expected the end of the number"},
    };
    struct jr_doc d;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct er_err err = {0};

        assert_int_equal(parse_str(bad[i].text, &d, &err), ER_EINVAL);
        if (!strstr(err.msg, bad[i].msg))
            fail_msg("'%s': got '%s', expected '%s'", bad[i].text, err.msg, bad[i].msg);
        assert_null(d.v);
    }
}

static void
test_json_deep(void **state)
{
    char buf[1200];
    struct jr_doc d;
    struct er_err err = {0};

    (void)state;
    memset(buf, '[', 600);
    buf[600] = '\0';
    assert_int_equal(parse_str(buf, &d, &err), ER_EINVAL);
    assert_non_null(strstr(err.msg, "levels of nesting"));
}

struct collect {
    char names[32][64];
    size_t counts[32];
    size_t n;
};

static er_code
collect_cb(void *arg, const char *name, const struct pfx *p, size_t n, struct er_err *err)
{
    struct collect *c = arg;

    (void)p;
    (void)err;
    assert_true(c->n < 32);
    snprintf(c->names[c->n], sizeof c->names[0], "%s", name);
    c->counts[c->n++] = n;
    return ER_OK;
}

static size_t
idx(const struct collect *c, const char *name)
{
    size_t i;

    for (i = 0; i < c->n; i++) {
        if (!strcmp(c->names[i], name))
            return i;
    }
    return (size_t)-1;
}

static void
test_samples_derive(void **state)
{
    static const char *const want[] = {"PowerPlatformInfra", "PowerPlatformPlex", "AzureConnectors", "LogicApps",
        "PowerBI", "PowerQueryOnline"};
    static const char *const europe[] = {"West Europe", "northeurope"};
    struct svc_data d = {0};
    struct er_err err = {0};
    struct collect c = {0};
    const struct svc_tag *t;

    (void)state;
    assert_int_equal(svc_load_tags(&d, SAMPLES "/ServiceTags_Public_sample.json", &err), ER_OK);
    assert_int_equal(svc_load_m365(&d, SAMPLES "/endpoints_sample.json", &err), ER_OK);
    assert_string_equal(d.cloud, "Public");
    assert_int_equal(d.change_number, 321);
    assert_int_equal(d.n_tags, 10);
    assert_non_null(t = svc_tag_find(&d, "PowerPlatformInfra.EastUS"));
    assert_int_equal(t->n, 2);
    assert_int_equal(t->p[1].family, 6);
    assert_string_equal(t->region, "eastus");
    assert_int_equal(d.n_m365, 4);
    assert_int_equal(d.m365[3].express_route, 0);
    assert_int_equal(d.m365[0].n_urls, 2);
    assert_string_equal(d.m365[0].urls[1], "outlook.office365.com");

    assert_int_equal(svc_derive(&d, want, 6, europe, 2, collect_cb, &c, &err), ER_OK);
    /* Regional variants for both regions, the global tag only where no variant exists. */
    assert_true(idx(&c, "PowerPlatformInfra.WestEurope") != (size_t)-1);
    assert_true(idx(&c, "PowerPlatformInfra.NorthEurope") != (size_t)-1);
    assert_true(idx(&c, "PowerPlatformInfra") == (size_t)-1);
    assert_true(idx(&c, "PowerPlatformInfra.EastUS") == (size_t)-1);
    assert_true(idx(&c, "PowerPlatformPlex.WestEurope") != (size_t)-1);
    assert_int_equal(c.counts[idx(&c, "AzureConnectors.WestEurope")], 2);
    assert_true(idx(&c, "PowerBI") != (size_t)-1);
    assert_true(idx(&c, "AzureCloud.westeurope") == (size_t)-1);
    /* Microsoft 365: only the sets ExpressRoute carries. */
    assert_int_equal(c.counts[idx(&c, "M365.Exchange.1")], 1);
    assert_true(idx(&c, "M365.SharePoint.31") != (size_t)-1);
    assert_true(idx(&c, "M365.Common.46") == (size_t)-1);
    assert_int_equal(c.n, 9);

    /* Another region: its variant, and the global tag for tags without one. */
    memset(&c, 0, sizeof c);
    {
        static const char *const us[] = {"eastus"};

        assert_int_equal(svc_derive(&d, want, 2, us, 1, collect_cb, &c, &err), ER_OK);
    }
    assert_int_equal(c.n, 1 + 3); /* no PowerPlatformPlex variant for eastus and no global one */
    assert_true(idx(&c, "PowerPlatformInfra.EastUS") != (size_t)-1);
    assert_true(idx(&c, "PowerPlatformPlex") == (size_t)-1);
    svc_free(&d);
}

static void
write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void
test_malformed(void **state)
{
    static const struct {
        int m365;
        const char *text, *msg;
    } bad[] = {
        {0, "{\"values\": [\n {\"name\": \"X\", \"properties\": {\"addressPrefixes\": [\"10.0.0.0/33\"]}}]}",
            ":2: expected an IPv4 or IPv6 prefix, got 10.0.0.0/33"},
        {0, "{\"values\": [\n {\"name\": \"X\", \"properties\": {\"addressPrefixes\": [\"1.2.3.0/24\",\n 42]}}]}",
            ":2: expected 'addressPrefixes' as an array of strings"},
        {0, "{\"cloud\": \"Public\"}", ":1: expected a 'values' array"},
        {0, "[1]", "expected an object with 'values'"},
        {0, "{\"values\": [\n\n {\"id\": \"X\", \"properties\": {}}]}", ":3: expected a service tag object with a 'name'"},
        {0, "{\"values\": [{\"name\": \"X\"}\n", ":2:1: expected ',' or ']', got the end of the file"},
        {1, "[{\"id\": 1, \"serviceArea\": \"Exchange\", \"ips\": [\"bad\"]}]", ":1: expected an IPv4 or IPv6 prefix"},
        {1, "[{\"serviceArea\": \"Exchange\"}]", "expected an endpoint set with a numeric 'id'"},
        {1, "{}", "expected an array of endpoint sets"},
    };
    char dir[] = "/tmp/er-svc-XXXXXX", path[256];
    size_t i;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/f.json", dir);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct svc_data d = {0};
        struct er_err err = {0};

        write_file(path, bad[i].text);
        assert_int_equal(bad[i].m365 ? svc_load_m365(&d, path, &err) : svc_load_tags(&d, path, &err), ER_EINVAL);
        if (!strstr(err.msg, bad[i].msg) || !strstr(err.msg, path))
            fail_msg("case %zu: got '%s', expected '%s'", i, err.msg, bad[i].msg);
        svc_free(&d);
    }
    {
        struct svc_data d = {0};
        struct er_err err = {0};

        assert_int_equal(svc_load_tags(&d, "/nonexistent/x.json", &err), ER_EIO);
        assert_non_null(strstr(err.msg, "/nonexistent/x.json"));
        svc_free(&d);
    }
    unlink(path);
    rmdir(dir);
}

/* Through refdata and into a model: the services container gets the derived sets. */
static void
test_fill_model(void **state)
{
    struct ly_ctx *ctx = NULL;
    struct refdata *ref = NULL;
    struct er_model *m = NULL;
    struct er_err err = {0};
    struct lyd_node *t, *svc, *set, *p;
    size_t n = 0;

    (void)state;
    assert_int_equal(model_ctx_new(NULL, &ctx, &err), ER_OK);
    assert_int_equal(refdata_load(NULL, &ref, &err), ER_OK);
    /* Nothing loaded: nothing added. */
    assert_int_equal(model_new(ctx, &m, &err), ER_OK);
    assert_int_equal(svc_fill_model(ref, m, &err), ER_OK);
    assert_null(model_child(m->net, "services"));
    assert_int_equal(refdata_load_services(ref, SAMPLES "/ServiceTags_Public_sample.json",
            SAMPLES "/endpoints_sample.json", &err), ER_OK);
    assert_int_equal(model_cont(m->net, "tenant", &t, &err), ER_OK);
    assert_int_equal(model_leaflist(t, "azure-region", "westeurope", &err), ER_OK);
    assert_int_equal(svc_fill_model(ref, m, &err), ER_OK);
    assert_non_null(svc = model_child(m->net, "services"));
    MODEL_FOR(svc, "prefix-set", set)
        n++;
    assert_int_equal(n, 4 + 3);
    set = model_find(svc, "prefix-set", "AzureConnectors.WestEurope");
    assert_non_null(set);
    p = model_child(set, "prefix");
    assert_string_equal(model_value(p), "20.38.83.0/26");
    assert_int_equal(model_validate(m, &err), ER_OK);
    model_free(m);
    refdata_free(ref);
    ly_ctx_destroy(ctx);
}

/* The data files added for services are checked like the others: file and line. */
static void
test_bad_data_files(void **state)
{
    static const struct {
        const char *file, *line, *msg;
    } bad[] = {
        {"service-tags", "Power.Platform | x\n", "service-tags:1: expected a service tag name of letters and digits"},
        {"service-tags", "PowerBI\n", "service-tags:1: expected 2 fields"},
        {"client-endpoints", "*.x.com | vpn | y\n", "client-endpoints:1: expected 'expressroute' or 'internet'"},
        {"client-endpoints", "Bad Host | internet | y\n", "client-endpoints:1: expected a lower-case host name"},
    };
    static const char *const base[] = {"azure-regions", "power-platform-regions", "peering-locations",
        "service-communities", "limits"};
    char dir[] = "/tmp/er-data-XXXXXX", cmd[512], path[256];
    size_t i, j;

    (void)state;
    assert_non_null(mkdtemp(dir));
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct refdata *r = NULL;
        struct er_err err = {0};

        for (j = 0; j < sizeof base / sizeof base[0]; j++) {
            snprintf(cmd, sizeof cmd, "cp %s/../rules/data/%s %s/", TESTS_DIR, base[j], dir);
            assert_int_equal(system(cmd), 0);
        }
        snprintf(path, sizeof path, "%s/%s", dir, bad[i].file);
        write_file(path, bad[i].line);
        assert_int_equal(refdata_load(dir, &r, &err), ER_EINVAL);
        if (!strstr(err.msg, bad[i].msg))
            fail_msg("case %zu: got '%s'", i, err.msg);
        unlink(path);
    }
    {
        /* Missing in a copied directory: the shipped file is used. */
        struct refdata *r = NULL;
        struct er_err err = {0};
        const char *const *names;

        assert_int_equal(refdata_load(dir, &r, &err), ER_OK);
        assert_true(ref_service_tag_names(r, &names) >= 4);
        assert_string_equal(names[0], "PowerPlatformInfra");
        refdata_free(r);
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_values),
        cmocka_unit_test(test_json_errors),
        cmocka_unit_test(test_json_deep),
        cmocka_unit_test(test_samples_derive),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_fill_model),
        cmocka_unit_test(test_bad_data_files),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
