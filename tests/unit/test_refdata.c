/** @file test_refdata.c @brief Unit tests of the reference data (ref_* module). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "refdata.h"
#include "prefix.h"

#define SHIPPED TESTS_DIR "/../rules/data"

static const char *const ref_files[] = {
    "azure-regions", "power-platform-regions", "peering-locations", "service-communities", "limits",
    "special-prefixes",
};

static int
setup_shipped(void **state)
{
    struct refdata *r = NULL;
    struct er_err err = { 0 };

    if (refdata_load(SHIPPED, &r, &err)) {
        print_error("%s\n", err.msg);
        return -1;
    }
    *state = r;
    return 0;
}

static int
teardown_shipped(void **state)
{
    refdata_free(*state);
    return 0;
}

static int
has(const char *const *list, size_t n, const char *name)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!strcmp(list[i], name))
            return 1;
    return 0;
}

/* PEER-006's special-purpose ranges: containment both ways, private first, IPv6 registry. */
static void
test_special_prefixes(void **state)
{
    const struct refdata *r = *state;
    static const struct {
        const char *prefix, *range, *kind;
        int inside;
    } cases[] = {
        {"10.20.0.0/16", "10.0.0.0/8", "private", 1},
        {"10.0.0.0/7", "10.0.0.0/8", "private", 0},
        {"0.0.0.0/1", "10.0.0.0/8", "private", 0},
        {"0.0.0.0/8", "0.0.0.0/8", "reserved", 1},
        {"100.64.1.0/24", "100.64.0.0/10", "private", 1},
        {"192.0.0.0/23", "192.0.0.0/24", "reserved", 0},
        {"2001:db8:1::/48", "2001:db8::/32", "documentation", 1},
        {"3fff::/20", "3fff::/20", "documentation", 1},
        {"2001:db8::/31", "2001:db8::/32", "documentation", 0},
        {"fd00::/8", "fc00::/7", "private", 1},
        {"fe80::/64", "fe80::/10", "reserved", 1},
        {"::ffff:10.0.0.0/104", "::ffff:0:0/96", "reserved", 1},
        {"100::/64", "100::/64", "reserved", 1},
        {"64:ff9b::/96", "64:ff9b::/96", "reserved", 1},
        {"::/0", "fc00::/7", "private", 0},
    };
    static const char *const clean[] = {"203.0.113.128/27", "20.38.80.0/20", "11.0.0.0/8", "2a01:111::/32",
        "2002::/16"};
    const char *kind, *range;
    struct pfx p;
    int inside;
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(pfx_parse(cases[i].prefix, &p, 0), 0);
        if (!ref_special_overlap(r, &p, &inside, &kind, &range))
            fail_msg("%s overlaps no special range", cases[i].prefix);
        if (strcmp(range, cases[i].range) || strcmp(kind, cases[i].kind) || inside != cases[i].inside)
            fail_msg("%s: got %s %s inside=%d", cases[i].prefix, range, kind, inside);
    }
    for (i = 0; i < sizeof clean / sizeof clean[0]; i++) {
        assert_int_equal(pfx_parse(clean[i], &p, 0), 0);
        if (ref_special_overlap(r, &p, &inside, &kind, &range))
            fail_msg("%s taken for special (%s)", clean[i], range);
    }
}

static void
test_regions(void **state)
{
    const struct refdata *r = *state;

    assert_string_equal(ref_region_geo(r, "westeurope"), "Europe");
    assert_string_equal(ref_region_community(r, "westeurope"), "12076:51002");
    assert_string_equal(ref_region_geo(r, "West Europe"), "Europe");
    assert_string_equal(ref_region_community(r, "West Europe"), "12076:51002");
    assert_string_equal(ref_region_community(r, "west-europe"), "12076:51002");
    assert_string_equal(ref_region_community(r, "WEST_EUROPE"), "12076:51002");
    assert_string_equal(ref_region_community(r, "northeurope"), "12076:51003");
    assert_string_equal(ref_region_community(r, "East US 2"), "12076:51005");
    assert_string_equal(ref_region_community(r, "westus3"), "12076:51044");
    assert_string_equal(ref_region_display(r, "germanywestcentral"), "Germany West Central");
    assert_string_equal(ref_region_geo(r, "eastus"), "North America");
    assert_string_equal(ref_region_geo(r, "japaneast"), "Japan");
    assert_string_equal(ref_region_geo(r, "uksouth"), "Europe");
    /* Unknown: NULL, and the display falls back to the name given. */
    assert_null(ref_region_geo(r, "atlantis"));
    assert_null(ref_region_community(r, "atlantis"));
    assert_string_equal(ref_region_display(r, "atlantis"), "atlantis");
    assert_null(ref_region_geo(r, ""));
    assert_null(ref_region_geo(r, NULL));
    /* A region without a recorded community. */
    assert_non_null(ref_region_geo(r, "swedencentral"));
    assert_null(ref_region_community(r, "swedencentral"));
}

static void
test_pp_regions(void **state)
{
    const struct refdata *r = *state;
    const char *const *regs = NULL;
    size_t n;

    n = ref_pp_regions(r, "europe", &regs);
    assert_int_equal(n, 2);
    assert_true(has(regs, n, "northeurope"));
    assert_true(has(regs, n, "westeurope"));
    assert_int_equal(ref_pp_regions(r, "Europe", &regs), 2);
    n = ref_pp_regions(r, "United States", &regs);
    assert_true(n >= 2);
    assert_true(has(regs, n, "eastus"));
    assert_int_equal(ref_pp_regions(r, "unitedstates", &regs), n);
    n = ref_pp_regions(r, "United Kingdom", &regs);
    assert_int_equal(n, 2);
    assert_true(has(regs, n, "uksouth") && has(regs, n, "ukwest"));
    assert_int_equal(ref_pp_regions(r, "atlantis", &regs), 0);
    assert_null(regs);
}

static void
test_locations(void **state)
{
    const struct refdata *r = *state;
    const char *const *regs = NULL;
    size_t n;

    assert_string_equal(ref_location_geo(r, "Amsterdam"), "Europe");
    assert_string_equal(ref_location_geo(r, "amsterdam2"), "Europe");
    assert_string_equal(ref_location_geo(r, "Silicon Valley"), "North America");
    assert_string_equal(ref_location_geo(r, "silicon-valley"), "North America");
    assert_string_equal(ref_location_geo(r, "Tokyo"), "Japan");
    assert_null(ref_location_geo(r, "Atlantis"));
    n = ref_location_local_regions(r, "Amsterdam", &regs);
    assert_int_equal(n, 1);
    assert_string_equal(regs[0], "westeurope");
    n = ref_location_local_regions(r, "Washington DC", &regs);
    assert_int_equal(n, 2);
    assert_true(has(regs, n, "eastus") && has(regs, n, "eastus2"));
    /* Local is not offered everywhere. */
    assert_non_null(ref_location_geo(r, "New York"));
    assert_int_equal(ref_location_local_regions(r, "New York", &regs), 0);
    assert_int_equal(ref_location_local_regions(r, "Atlantis", &regs), 0);
    /* Every location's Local regions sit in the location's geopolitical region. */
    n = ref_location_local_regions(r, "Dubai", &regs);
    assert_int_equal(n, 1);
    assert_string_equal(ref_region_geo(r, regs[0]), ref_location_geo(r, "Dubai"));
}

static void
test_services_limits(void **state)
{
    const struct refdata *r = *state;

    assert_string_equal(ref_service_community(r, "12076:5010"), "Exchange Online");
    assert_non_null(ref_service_community(r, "12076:5040"));
    assert_null(ref_service_community(r, "12076:51002"));
    assert_null(ref_service_community(r, "12076:9999"));
    assert_int_equal(ref_limit(r, "microsoft-peering-max-prefixes", 1), 200);
    assert_int_equal(ref_limit(r, "microsoft-as", 1), 12076);
    assert_int_equal(ref_limit(r, "bgp-min-keepalive", 1), 3);
    assert_int_equal(ref_limit(r, "bgp-min-hold", 1), 10);
    assert_int_equal(ref_limit(r, "bfd-interval-ms", 1), 300);
    assert_true(ref_limit(r, "microsoft-peering-warn-prefixes", 1000) < 200);
    assert_int_equal(ref_limit(r, "no-such-limit", 42), 42);
    assert_int_equal(ref_limit(NULL, "microsoft-as", 7), 7);
}

static void
test_fold(void **state)
{
    char buf[64], tiny[4];

    assert_string_equal(ref_fold("West Europe", buf, sizeof buf), "westeurope");
    assert_string_equal(ref_fold("East_US-2", buf, sizeof buf), "eastus2");
    assert_string_equal(ref_fold("", buf, sizeof buf), "");
    assert_string_equal(ref_fold(NULL, buf, sizeof buf), "");
    assert_string_equal(ref_fold("ABCDEF", tiny, sizeof tiny), "abc");
}

static void
test_default_dir(void **state)
{
    struct refdata *r = NULL;
    struct er_err err = { 0 };
    char *old = getenv("ERAUDIT_DATA_DIR") ? strdup(getenv("ERAUDIT_DATA_DIR")) : NULL;

    /* The environment wins over the built-in directories. */
    setenv("ERAUDIT_DATA_DIR", "/nonexistent-eraudit-data", 1);
    assert_int_equal(refdata_load(NULL, &r, &err), ER_EIO);
    assert_null(r);
    assert_non_null(strstr(err.msg, "/nonexistent-eraudit-data/azure-regions"));
    /* Without it, the source tree's copy is found. */
    unsetenv("ERAUDIT_DATA_DIR");
    assert_int_equal(refdata_load(NULL, &r, &err), ER_OK);
    assert_string_equal(ref_region_geo(r, "westeurope"), "Europe");
    refdata_free(r);
    refdata_free(NULL);
    if (old)
        setenv("ERAUDIT_DATA_DIR", old, 1);
    free(old);
}

/* A temp directory holding the shipped files, with @p file replaced by @p text. */
static void
make_dir(char *dir, const char *file, const char *text)
{
    char src[4096], dst[4096], buf[4096];
    size_t i, n;
    FILE *in, *out;

    strcpy(dir, "/tmp/test_refdata.XXXXXX");
    assert_non_null(mkdtemp(dir));
    for (i = 0; i < sizeof ref_files / sizeof ref_files[0]; i++) {
        snprintf(dst, sizeof dst, "%s/%s", dir, ref_files[i]);
        assert_non_null(out = fopen(dst, "w"));
        if (file && !strcmp(file, ref_files[i])) {
            fputs(text, out);
        } else {
            snprintf(src, sizeof src, "%s/%s", SHIPPED, ref_files[i]);
            assert_non_null(in = fopen(src, "r"));
            while ((n = fread(buf, 1, sizeof buf, in)) > 0)
                fwrite(buf, 1, n, out);
            fclose(in);
        }
        fclose(out);
    }
}

static void
remove_dir(const char *dir)
{
    char path[4096];
    size_t i;

    for (i = 0; i < sizeof ref_files / sizeof ref_files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, ref_files[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* Loading must fail with @p code and a message starting with FILE:LINE and holding @p want. */
static void
expect_error(const char *file, const char *text, unsigned line, const char *want)
{
    char dir[64], head[4200];
    struct refdata *r = (struct refdata *)1;
    struct er_err err = { 0 };

    make_dir(dir, file, text);
    assert_int_equal(refdata_load(dir, &r, &err), ER_EINVAL);
    assert_null(r);
    snprintf(head, sizeof head, "%s/%s:%u: expected ", dir, file, line);
    if (strncmp(err.msg, head, strlen(head)) || !strstr(err.msg, want))
        fail_msg("message \"%s\" lacks \"%s\" or \"%s\"", err.msg, head, want);
    remove_dir(dir);
}

static void
test_malformed(void **state)
{
    char dir[64];
    struct refdata *r = NULL;
    struct er_err err = { 0 };

    /* The copy itself loads: the failures below are the edited lines. */
    make_dir(dir, NULL, NULL);
    assert_int_equal(refdata_load(dir, &r, &err), ER_OK);
    refdata_free(r);
    remove_dir(dir);

    expect_error("azure-regions", "# c\n\nwesteurope | West Europe | Europe\n", 3, "got 3");
    expect_error("azure-regions", "westeurope | West Europe | Europe | 12076-51002\n", 1, "got '12076-51002'");
    expect_error("azure-regions", "westeurope | North Europe | Europe | -\n", 1, "got 'North Europe'");
    expect_error("azure-regions", "West Europe | West Europe | Europe | -\n", 1, "got 'West Europe'");
    expect_error("azure-regions", "westeurope | West Europe | | 12076:51002\n", 1, "empty");
    expect_error("azure-regions", "westeurope | West Europe | Europe | -\nwesteurope | West Europe | Europe | -\n",
            2, "got 'westeurope'");
    expect_error("power-platform-regions", "Europe | northeurope westeurope\nMars | atlantis\n", 2,
            "got 'atlantis'");
    expect_error("power-platform-regions", "Europe | northeurope\neurope | westeurope\n", 2, "got 'europe'");
    expect_error("peering-locations", "Amsterdam | Eurpoe | westeurope\n", 1, "got 'Eurpoe'");
    expect_error("peering-locations", "Amsterdam | Europe | westeurope northeurope uksouth\n", 1, "got 3");
    expect_error("peering-locations", "Amsterdam | Europe\n", 1, "got 2");
    expect_error("service-communities", "12076:5010 | Exchange Online\n12076:50x0 | Oops\n", 2, "got '12076:50x0'");
    expect_error("limits", "microsoft-as | 12076\nmicrosoft-peering-max-prefixes | -1\n", 2, "got '-1'");
    expect_error("limits", "microsoft-as | 12O76\n", 1, "got '12O76'");
    expect_error("limits", "microsoft-as | 99999999999999999999999\n", 1, "non-negative integer");
    expect_error("limits", "microsoft-as | 1 | 2\n", 1, "got 3");
    expect_error("special-prefixes", "10.0.0.0/8 | private | RFC 1918\n10.0.0.1/8 | private | x\n", 2,
            "got '10.0.0.1/8'");
    expect_error("special-prefixes", "10.0.0.0/8 | secret | RFC 1918\n", 1, "got 'secret'");
    expect_error("special-prefixes", "10.0.0.0/8 | private\n", 1, "got 2");

    /* A missing file is an I/O error naming the file. */
    make_dir(dir, NULL, NULL);
    char path[128];
    snprintf(path, sizeof path, "%s/limits", dir);
    unlink(path);
    assert_int_equal(refdata_load(dir, &r, &err), ER_EIO);
    assert_null(r);
    assert_non_null(strstr(err.msg, path));
    remove_dir(dir);
}

int
main(void)
{
    const struct CMUnitTest shipped[] = {
        cmocka_unit_test(test_regions),
        cmocka_unit_test(test_pp_regions),
        cmocka_unit_test(test_locations),
        cmocka_unit_test(test_services_limits),
        cmocka_unit_test(test_special_prefixes),
    };
    const struct CMUnitTest other[] = {
        cmocka_unit_test(test_fold),
        cmocka_unit_test(test_default_dir),
        cmocka_unit_test(test_malformed),
    };
    int failed;

    failed = cmocka_run_group_tests(shipped, setup_shipped, teardown_shipped);
    failed += cmocka_run_group_tests(other, NULL, NULL);
    return failed;
}
