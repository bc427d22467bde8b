/**
 * @file test_ncmap.c
 * @brief NETCONF mappers: OpenConfig and IETF replies into the network tree,
 * a candidate replacing running, bad files naming file and line (bad
 * elements within a good file: test_ncskip.c), and Junos configuration and
 * operational replies (map_junos_*.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ncmap_fixture.h"

static void
test_openconfig(void **state)
{
    struct fx *f = *state;
    char *json = NULL;
    size_t len = 0;
    FILE *mem;

    map_ok(f, "oc", 0);
    assert_true(exists(f, "source-model[.='openconfig']"));
    assert_false(exists(f, "source-model[.='ietf']"));
    /* Interfaces, addresses, state. */
    assert_val(f, "interface[name='eth0']/description", "ExpressRoute primary to MSEE");
    assert_val(f, "interface[name='eth0']/enabled", "true");
    assert_val(f, "interface[name='eth0']/oper-status", "up");
    assert_val(f, "interface[name='eth0']/speed", "1000000000");
    assert_val(f, "interface[name='eth0']/in-octets", "123456789");
    assert_val(f, "interface[name='eth0']/out-octets", "987654321");
    assert_val(f, "interface[name='eth0']/address[ip='192.0.2.1']/prefix-length", "30");
    assert_val(f, "interface[name='eth0']/address[ip='2001:db8:1::1']/prefix-length", "126");
    assert_val(f, "interface[name='eth0.100']/address[ip='10.1.0.1']/prefix-length", "24");
    assert_val(f, "interface[name='eth0.100']/description", "VLAN 100 inside");
    assert_val(f, "interface[name='eth1']/enabled", "false");
    assert_val(f, "interface[name='eth1']/oper-status", "down");
    /* BGP: global, neighbor settings inherited from the peer group, state. */
    assert_val(f, "bgp/local-as", "65010");
    assert_val(f, "bgp/router-id", "192.0.2.255");
    assert_val(f, "bgp/ignore-as-path-length", "false");
    assert_val(f, "bgp/neighbor[address='192.0.2.2']/peer-as", "12076");
    assert_val(f, "bgp/neighbor[address='192.0.2.2']/description", "MSEE primary");
    assert_val(f, "bgp/neighbor[address='192.0.2.2']/md5", "true");
    assert_val(f, "bgp/neighbor[address='192.0.2.2']/keepalive", "10");
    assert_val(f, "bgp/neighbor[address='192.0.2.2']/hold-time", "30");
    assert_val(f, "bgp/neighbor[address='192.0.2.2']/bfd", "true");
    assert_val(f, "bgp/neighbor[address='192.0.2.2']/max-prefix", "4000");
    assert_val(f, "bgp/neighbor[address='192.0.2.2']/import-policy", "ER-IN");
    assert_val(f, "bgp/neighbor[address='192.0.2.2']/export-policy", "ER-OUT");
    assert_val(f, "bgp/neighbor[address='192.0.2.2']/state", "established");
    assert_val(f, "bgp/neighbor[address='192.0.2.2']/state-source", "state");
    assert_val(f, "bgp/neighbor[address='192.0.2.2']/prefixes-received", "12");
    assert_val(f, "bgp/neighbor[address='192.0.2.2']/prefixes-advertised", "2");
    assert_int_equal(count(f, "bgp/neighbor[address='192.0.2.2']/advertised-prefix"), 2);
    assert_true(exists(f, "bgp/neighbor[address='192.0.2.2']/advertised-prefix[.='203.0.113.0/28']"));
    assert_val(f, "bgp/neighbor[address='198.51.100.9']/md5", "false");
    assert_val(f, "bgp/neighbor[address='198.51.100.9']/import-policy", "ISP-IN");
    assert_false(exists(f, "bgp/neighbor[address='198.51.100.9']/export-policy"));
    /* Default policies: the peer-group's REJECT_ROUTE, the neighbor's ACCEPT_ROUTE, the global export default. */
    assert_val(f, "bgp/neighbor[address='192.0.2.2']/default-import", "reject");
    assert_val(f, "bgp/neighbor[address='192.0.2.2']/default-export", "accept");
    assert_val(f, "bgp/neighbor[address='192.0.2.2']/default-origin", "openconfig");
    assert_val(f, "bgp/neighbor[address='198.51.100.9']/default-import", "accept");
    assert_val(f, "bgp/neighbor[address='198.51.100.9']/default-export", "accept");
    assert_val(f, "bgp/neighbor[address='198.51.100.9']/state", "active");
    assert_val(f, "bgp/neighbor[address='198.51.100.9']/bfd", "true");
    /* Policies and sets. */
    assert_int_equal(count(f, "prefix-set[name='PUBLIC-NAT']/entry"), 2);
    assert_true(exists(f, "prefix-set[name='PUBLIC-NAT']/entry[prefix='198.51.100.0/24'][range='24..32']"));
    assert_true(exists(f, "community-set[name='MS-SERVICES']/member[.='12076:51006']"));
    assert_val(f, "policy[name='ER-IN']/term[name='10']/match-community-set", "MS-SERVICES");
    assert_val(f, "policy[name='ER-IN']/term[name='10']/match-community-set-options", "all");
    assert_val(f, "community-set[name='MS-SERVICES']/match-set-options", "invert");
    assert_val(f, "policy[name='ER-OUT']/term[name='10']/match-prefix-set-options", "any");
    assert_val(f, "policy[name='ER-IN']/term[name='10']/set-local-preference", "200");
    assert_val(f, "policy[name='ER-IN']/term[name='10']/action", "accept");
    assert_val(f, "policy[name='ER-IN']/term[name='20']/action", "reject");
    assert_val(f, "policy[name='ER-OUT']/term[name='10']/match-prefix-set", "PUBLIC-NAT");
    assert_val(f, "policy[name='ER-OUT']/term[name='10']/set-prepend-count", "3");
    assert_val(f, "policy[name='ER-OUT']/term[name='10']/set-community", "65010:100");
    /* RIB: static route from config, a BGP path with its attributes from state. */
    assert_val(f, "rib/route[prefix='0.0.0.0/0']/path[source='static']/next-hop", "198.51.100.1");
    assert_val(f, "rib/route[prefix='0.0.0.0/0']/path[source='static']/egress-interface", "eth1");
    assert_val(f, "rib/route[prefix='52.96.0.0/14']/path[source='192.0.2.2']/protocol", "bgp");
    assert_val(f, "rib/route[prefix='52.96.0.0/14']/path[source='192.0.2.2']/local-preference", "200");
    assert_val(f, "rib/route[prefix='52.96.0.0/14']/path[source='192.0.2.2']/as-path", "12076 8075");
    assert_val(f, "rib/route[prefix='52.96.0.0/14']/path[source='192.0.2.2']/community", "12076:51004");
    assert_val(f, "rib/route[prefix='52.96.0.0/14']/path[source='192.0.2.2']/best", "true");
    assert_val(f, "rib/routes-read", "1");
    /* ACL bound to an interface. */
    assert_val(f, "filter[name='ER-EDGE-IN']/ingress-interface", "eth0");
    assert_val(f, "filter[name='ER-EDGE-IN']/rule[seq='10']/destination", "203.0.113.0/28");
    assert_val(f, "filter[name='ER-EDGE-IN']/rule[seq='10']/source", "any");
    assert_val(f, "filter[name='ER-EDGE-IN']/rule[seq='10']/protocol", "tcp");
    assert_val(f, "filter[name='ER-EDGE-IN']/rule[seq='10']/ports", "443");
    assert_val(f, "filter[name='ER-EDGE-IN']/rule[seq='10']/action", "permit");
    assert_val(f, "filter[name='ER-EDGE-IN']/rule[seq='20']/protocol", "ip");
    assert_val(f, "filter[name='ER-EDGE-IN']/rule[seq='20']/ports", "8000-8100");
    assert_val(f, "filter[name='ER-EDGE-IN']/rule[seq='20']/action", "deny");

    /* The MD5 password itself is nowhere in the tree. */
    mem = open_memstream(&json, &len);
    assert_non_null(mem);
    assert_int_equal(model_print_json(f->m, mem, &f->err), ER_OK);
    fclose(mem);
    assert_null(strstr(json, "s3cret"));
    free(json);
}

static void
test_ietf(void **state)
{
    struct fx *f = *state;

    map_ok(f, "ietf", 0);
    assert_true(exists(f, "source-model[.='ietf']"));
    assert_val(f, "interface[name='ge-0/0/0']/description", "ExpressRoute secondary");
    assert_val(f, "interface[name='ge-0/0/0']/oper-status", "up");
    assert_val(f, "interface[name='ge-0/0/0']/speed", "10000000000");
    assert_val(f, "interface[name='ge-0/0/0']/in-octets", "1000");
    assert_val(f, "interface[name='ge-0/0/0']/address[ip='192.0.2.5']/prefix-length", "30");
    assert_val(f, "interface[name='ge-0/0/0']/address[ip='2001:db8:2::1']/prefix-length", "64");
    assert_val(f, "interface[name='ge-0/0/1']/address[ip='10.20.0.1']/prefix-length", "24");
    assert_val(f, "interface[name='ge-0/0/1']/oper-status", "other");
    assert_false(exists(f, "bgp"));
    /* Routing: the static route (config) merged with the RIB entry (state). */
    assert_val(f, "rib/route[prefix='0.0.0.0/0']/path[source='static']/next-hop", "192.0.2.6");
    assert_val(f, "rib/route[prefix='0.0.0.0/0']/path[source='static']/egress-interface", "ge-0/0/0");
    assert_val(f, "rib/route[prefix='0.0.0.0/0']/path[source='static']/best", "true");
    assert_val(f, "rib/route[prefix='0.0.0.0/0']/path[source='static']/state-source", "state");
    assert_val(f, "rib/route[prefix='10.20.0.0/24']/path[source='connected']/protocol", "connected");
    assert_val(f, "rib/routes-read", "2");
    /* NAT. */
    assert_val(f, "nat/pool[name='1']/prefix", "203.0.113.16/28");
    assert_val(f, "nat/pool[name='1']/interface", "ge-0/0/0");
    assert_val(f, "nat/rule[id='policy-1']/match-source", "10.20.0.0/16");
    assert_val(f, "nat/rule[id='policy-1']/pool", "1");
    assert_val(f, "nat/rule[id='policy-1']/egress-interface", "ge-0/0/0");
    assert_val(f, "nat/rule[id='7']/type", "static");
    assert_val(f, "nat/rule[id='7']/match-source", "10.20.0.10/32");
    assert_val(f, "nat/rule[id='7']/translated-prefix", "203.0.113.20/32");
    /* ACL: position gives the sequence, L4 match gives the protocol. */
    assert_val(f, "filter[name='ER-IN']/ingress-interface", "ge-0/0/0");
    assert_val(f, "filter[name='ER-IN']/rule[seq='10']/source", "any");
    assert_val(f, "filter[name='ER-IN']/rule[seq='10']/destination", "203.0.113.16/28");
    assert_val(f, "filter[name='ER-IN']/rule[seq='10']/protocol", "tcp");
    assert_val(f, "filter[name='ER-IN']/rule[seq='10']/ports", "443");
    assert_val(f, "filter[name='ER-IN']/rule[seq='10']/action", "permit");
    assert_val(f, "filter[name='ER-IN']/rule[seq='20']/source", "0.0.0.0/0");
    assert_val(f, "filter[name='ER-IN']/rule[seq='20']/protocol", "udp");
    assert_val(f, "filter[name='ER-IN']/rule[seq='20']/ports", "1000-2000");
    assert_val(f, "filter[name='ER-IN']/rule[seq='20']/action", "deny");
}

static void
test_candidate(void **state)
{
    struct fx *f = *state;

    map_ok(f, "oc", 1);
    assert_val(f, "interface[name='eth0']/description", "ExpressRoute primary (changed)");
    assert_val(f, "bgp/neighbor[address='192.0.2.2']/import-policy", "ER-IN-V2");
    assert_int_equal(count(f, "bgp/neighbor[address='192.0.2.2']/import-policy"), 1);
    /* Running's policies are gone; state still adds the session. */
    assert_false(exists(f, "policy[name='ER-IN']"));
    assert_val(f, "bgp/neighbor[address='192.0.2.2']/state", "established");
    /* Without a candidate file, candidate mode falls back to running. */
    assert_int_equal(fresh(state), 0);
    map_ok(f, "ietf", 1);
    assert_val(f, "interface[name='ge-0/0/0']/description", "ExpressRoute secondary");
}

static void
bad_case(struct fx *f, const char *name, er_code want, const char *const *needles)
{
    er_code rc = map_case(f, name, 0);

    if (rc != want)
        fail_msg("%s: got code %d (%s), want %d", name, rc, f->err.msg, want);
    for (; *needles; needles++) {
        if (!strstr(f->err.msg, *needles))
            fail_msg("%s: message '%s' lacks '%s'", name, f->err.msg, *needles);
    }
    /* Nothing half-mapped stays behind: the tree still validates. */
    assert_false(exists(f, "interface"));
    assert_int_equal(model_validate(f->m, &(struct er_err){0}), ER_OK);
}

static void
test_bad(void **state)
{
    struct fx *f = *state;
    static const char *const truncated[] = {"device r1", "netconf/running.xml:", NULL};
    static const char *const empty[] = {"netconf/running.xml:1:", "empty", NULL};
    static const char *const unknown[] = {"netconf/running.xml", "no known data model",
        "urn:example:no-such-device-model", "urn:nokia.com:sros:ns:yang:sr:conf", NULL};
    static const char *const notxml[] = {"netconf/running.xml:1:", "Start tag expected", NULL};
    static const char *const rpcerr[] = {"access-denied", "access to the requested data model is denied", NULL};
    static const char *const none[] = {"no netconf/", NULL};

    bad_case(f, "truncated", ER_EINVAL, truncated);
    /* The line is where the file ended, not 0. */
    assert_null(strstr(f->err.msg, "running.xml:0:"));
    bad_case(f, "empty", ER_EINVAL, empty);
    bad_case(f, "unknown-ns", ER_EINVAL, unknown);
    bad_case(f, "not-xml", ER_EINVAL, notxml);
    bad_case(f, "rpc-error", ER_EINVAL, rpcerr);
    bad_case(f, "no-such-device", ER_ENOTFOUND, none);
}

/* SPEED_-10GB once became 18446744063709551617 bit/s: a speed that is not one is no number (test_ncskip.c: a named bad element). */
static void
test_oc_speed_out_of_range_is_bad_element(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } conv[] = {
        {"SPEED_10GB", "10000000000"}, {"oc-eth:SPEED_2500MB", "2500000000"}, {"SPEED_2.5GB", "2500000000"},
        {"SPEED_400GB", "400000000000"}, {"SPEED_1TB", "1000000000000"},
        {"SPEED_-10GB", NULL}, {"SPEED_NANGB", NULL}, {"SPEED_nanGB", NULL}, {"SPEED_INFGB", NULL},
        {"SPEED_1e30GB", NULL}, {"SPEED_99999999999999999999999GB", NULL}, {"SPEED_18446744073709551617MB", NULL},
        {"SPEED_0x10GB", NULL}, {"SPEED_10", NULL}, {"SPEED_10GBX", NULL}, {"SPEED_ 10GB", NULL},
        {"SPEED_+10GB", NULL}, {"SPEED_UNKNOWN", NULL}, {"10GB", NULL}, {"SPEED_", NULL},
    };
    char buf[64];
    size_t i;

    for (i = 0; i < sizeof conv / sizeof *conv; i++) {
        const char *got = ncm_oc_speed(conv[i].in, buf, sizeof buf);

        if (conv[i].out ? !got || strcmp(got, conv[i].out) : got != NULL)
            fail_msg("%s: got %s, want %s", conv[i].in, got ? got : "NULL", conv[i].out ? conv[i].out : "NULL");
    }
}

/* Junos in the YANG-schema namespaces: inheritance, route filters, a bad term costing itself, routes, filters. */
static void
test_junos(void **state)
{
    struct fx *f = *state;
    const char *why;

    map_ok(f, "junos", 0);
    /* neighbor over group over bgp: chains replace, in order; type internal takes the local AS. */
    assert_val(f, "bgp/neighbor[address='203.0.113.2']/import-policy[1]", "A");
    assert_val(f, "bgp/neighbor[address='203.0.113.2']/import-policy[2]", "B");
    assert_int_equal(count(f, "bgp/neighbor[address='203.0.113.6']/import-policy"), 1);
    assert_val(f, "bgp/neighbor[address='203.0.113.6']/import-policy", "C");
    assert_val(f, "bgp/neighbor[address='203.0.113.6']/peer-as", "12077");
    assert_val(f, "bgp/neighbor[address='203.0.113.2']/hold-time", "30");
    assert_val(f, "bgp/neighbor[address='203.0.113.2']/keepalive", "10");
    assert_val(f, "bgp/neighbor[address='203.0.113.6']/hold-time", "9");
    assert_val(f, "bgp/neighbor[address='10.255.255.2']/peer-as", "65010");
    assert_val(f, "bgp/neighbor[address='10.255.255.2']/import-policy", "GLOBAL-IN");
    assert_val(f, "bgp/neighbor[address='203.0.113.2']/default-origin", "junos");
    assert_val(f, "bgp/neighbor[address='203.0.113.2']/md5", "false");
    /* A statement the device keeps but does not apply is not read. */
    assert_false(exists(f, "bgp/neighbor[address='203.0.113.99']"));
    /* Route filters and a prefix-list filter: one set of the term's own. */
    assert_true(exists(f, "prefix-set[name='A/ranges/route-filter']/entry[prefix='10.0.0.0/8'][range='8..24']"));
    assert_true(exists(f, "prefix-set[name='A/ranges/route-filter']/entry[prefix='172.16.0.0/12'][range='12..32']"));
    assert_true(exists(f, "prefix-set[name='A/ranges/route-filter']/entry[prefix='192.168.0.0/16'][range='20..24']"));
    assert_true(exists(f, "prefix-set[name='A/ranges/route-filter']/entry[prefix='100.64.0.0/10'][range='11..32']"));
    assert_true(exists(f, "prefix-set[name='A/ranges/route-filter']/entry[prefix='198.18.0.0/15'][range='15..32']"));
    assert_val(f, "policy[name='A']/term[name='ranges']/match-prefix-set", "A/ranges/route-filter");
    assert_val(f, "community-set[name='EU']/match-set-options", "all");
    assert_val(f, "policy[name='A']/term[name='ranges']/set-prepend-count", "3");
    assert_val(f, "policy[name='A']/term[name='ranges']/set-community", "65010:100");
    assert_val(f, "policy[name='A']/term[name='ranges']/action", "accept");
    /* then next policy: that term only is dropped, named; the final then stays. */
    assert_false(exists(f, "policy[name='A']/term[name='skip']"));
    assert_val(f, "policy[name='A']/term[name='then']/action", "reject");
    assert_val(f, "collection/status", "partial");
    why = val(f, "collection/reason");
    assert_non_null(why);
    assert_non_null(strstr(why, "netconf/running.xml:79:"));
    assert_non_null(strstr(why, "term[name='skip']/then/next"));
    /* Units: address, disable, filter binding; state from the port. */
    assert_val(f, "interface[name='xe-0/0/0.0']/address[ip='203.0.113.1']/prefix-length", "30");
    assert_val(f, "interface[name='xe-0/0/0.100']/enabled", "false");
    assert_val(f, "interface[name='xe-0/0/0.0']/oper-status", "up");
    assert_val(f, "interface[name='xe-0/0/0.0']/speed", "10000000000");
    assert_val(f, "filter[name='ER-IN']/ingress-interface", "xe-0/0/0.0");
    /* 2 sources x 2 ports, then count-only (no rule), then discard. */
    assert_int_equal(count(f, "filter[name='ER-IN']/rule"), 5);
    assert_val(f, "filter[name='ER-IN']/rule[seq='1004']/source", "198.18.0.0/15");
    assert_val(f, "filter[name='ER-IN']/rule[seq='1004']/ports", "8000-8100");
    assert_val(f, "filter[name='ER-IN']/rule[seq='1001']/ports", "443");
    assert_val(f, "filter[name='ER-IN']/rule[seq='3001']/action", "deny");
    /* Routes from two replies in one file. */
    assert_val(f, "rib/route[prefix='20.38.80.0/22']/path[source='203.0.113.2']/local-preference", "200");
    assert_val(f, "rib/route[prefix='20.38.80.0/22']/path[source='203.0.113.2']/as-path", "12076");
    assert_val(f, "rib/route[prefix='20.38.80.0/22']/path[source='203.0.113.2']/best", "true");
    assert_val(f, "rib/route[prefix='20.38.80.0/22']/path[source='198.51.100.1']/best", "false");
    assert_val(f, "rib/route[prefix='20.38.80.0/22']/path[source='203.0.113.2']/community", "12076:51003");
    assert_val(f, "rib/route[prefix='13.69.64.0/18']/path[source='static']/next-hop", "10.255.0.1");
    assert_val(f, "rib/route[prefix='0.0.0.0/0']/path[source='static']/next-hop", "198.51.100.1");
    assert_val(f, "source-model", "junos");
}

/* A configuration sent as text is named so, not as an unknown model. */
static void
test_junos_text(void **state)
{
    struct fx *f = *state;
    static const char *const text[] = {"netconf/running.xml:2:", "configuration in text form; ask for XML", NULL};

    bad_case(f, "junos-text", ER_EINVAL, text);
    assert_null(strstr(f->err.msg, "no known data model"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_openconfig, fresh, done),
        cmocka_unit_test_setup_teardown(test_ietf, fresh, done),
        cmocka_unit_test_setup_teardown(test_candidate, fresh, done),
        cmocka_unit_test_setup_teardown(test_bad, fresh, done),
        cmocka_unit_test_setup_teardown(test_oc_speed_out_of_range_is_bad_element, fresh, done),
        cmocka_unit_test_setup_teardown(test_junos, fresh, done),
        cmocka_unit_test_setup_teardown(test_junos_text, fresh, done),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
