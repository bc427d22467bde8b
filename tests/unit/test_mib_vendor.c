/**
 * @file test_mib_vendor.c
 * @brief Unit tests of the vendor BGP decoders (mib_cbgp.c, mib_jnxbgp.c,
 * mib_bgp4v2.c), the choice of the richest BGP source (mib_peer.c) and the
 * merge of both IP-FORWARD-MIB route tables (mib_ipforward.c), over walk
 * files written from the MIB definitions by tests/snmp/data/mkvendor.py
 * (tests/unit/data/snmp/{cisco,junos,arista,frr4v2,mixed}).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mib_fixture.h"

/* One table per test: cbgpPeer2Table + cbgpPeer2AddrFamilyPrefixTable, no BGP4-MIB at all. */
static void
test_cisco_peer2(void **state)
{
    struct fx *f = *state;
    struct lyd_node *bgp, *nb;

    assert_int_equal(map_dir(f, "cisco"), ER_OK);
    validate(f);
    assert_null(f->mc.skipped);
    bgp = model_child(f->dev, "bgp");
    assert_non_null(bgp);
    assert_int_equal(u64(bgp, "local-as"), 4200000001u);     /* cbgpLocalAs, a 4-byte AS */
    nb = find2(bgp, "neighbor", "192.0.2.1");
    assert_int_equal(u64(nb, "peer-as"), 12076);
    assert_string_equal(model_str(nb, "state"), "established");
    assert_true(model_bool(nb, "enabled", 0));
    assert_string_equal(model_str(nb, "local-address"), "192.0.2.2");
    assert_int_equal(u64(nb, "hold-time"), 90);
    assert_int_equal(u64(nb, "keepalive"), 30);
    /* cbgpPeer2AcceptedPrefixes/AdvertisedPrefixes of IPv4 unicast; the VPN family's 99 is not counted. */
    assert_int_equal(u64(nb, "prefixes-received"), 3);
    assert_int_equal(u64(nb, "prefixes-advertised"), 1);
    nb = find2(bgp, "neighbor", "2001:db8::1");
    assert_int_equal(u64(nb, "peer-as"), 4200000002u);
    assert_string_equal(model_str(nb, "state"), "idle");
    assert_false(model_bool(nb, "enabled", 1));
    assert_null(model_str(nb, "local-address"));          /* zero-length cbgpPeer2LocalAddr */
    assert_int_equal(u64(nb, "hold-time"), 180);           /* configured, not established */
    assert_true(has_leaflist(f->dev, "source-model", "cisco-bgp4-mib"));
    assert_false(has_leaflist(f->dev, "source-model", "bgp4-mib"));
}

/* jnxBgpM2PeerTable as Junos writes it (no length octets), its counters joined by jnxBgpM2PeerIndex;
 * BGP4-MIB beside it shows AS_TRANS and fewer peers: Juniper's table is chosen, AS_TRANS never written. */
static void
test_juniper_peers(void **state)
{
    struct fx *f = *state;
    struct mib_state *st;
    struct lyd_node *bgp, *nb;

    assert_int_equal(map_dir(f, "junos"), ER_OK);
    validate(f);
    bgp = model_child(f->dev, "bgp");
    assert_int_equal(u64(bgp, "local-as"), 4200000010u);   /* jnxBgpM2PeerLocalAs, not bgpLocalAs 23456 */
    assert_null(model_child(bgp, "local-as-unknown"));
    nb = find2(bgp, "neighbor", "192.0.2.1");
    assert_int_equal(u64(nb, "peer-as"), 12076);
    assert_int_equal(u64(nb, "prefixes-received"), 5);    /* IPv4 unicast only, not the VPN family */
    assert_int_equal(u64(nb, "prefixes-advertised"), 2);
    assert_true(model_bool(nb, "enabled", 0));             /* jnxBgpM2PeerStatus running(2) */
    nb = find2(bgp, "neighbor", "198.51.100.1");
    assert_int_equal(u64(nb, "peer-as"), 4200000003u);    /* BGP4-MIB says 23456 */
    assert_null(model_child(nb, "peer-as-unknown"));
    assert_int_equal(u64(nb, "prefixes-received"), 7);
    nb = find2(bgp, "neighbor", "2001:db8::1");
    assert_int_equal(u64(nb, "peer-as"), 4200000002u);
    assert_string_equal(model_str(nb, "state"), "active");
    assert_string_equal(model_str(nb, "local-address"), "2001:db8::2");
    assert_int_equal(u64(nb, "prefixes-received"), 0);
    assert_true(has_leaflist(f->dev, "source-model", "bgp4-v2-mib-juniper"));
    assert_true(has_leaflist(f->dev, "source-model", "bgp4-mib"));

    /* The choice, as mib_bgp_source() and mib_bgp_richest() tell it. */
    st = mib_state_new(&f->mc);
    assert_non_null(st);
    assert_int_equal(walkfile_parse(DATA "/junos/snmp/bgpPeerTable.walk", mib_feed_cb, st, &f->err), ER_OK);
    assert_string_equal(mib_bgp_source(st), "bgp4-mib");
    assert_int_equal(walkfile_parse(DATA "/junos/snmp/jnxBgpM2PeerTable.walk", mib_feed_cb, st, &f->err), ER_OK);
    assert_string_equal(mib_bgp_source(st), "bgp4-v2-mib-juniper");
    mib_state_free(st);
    {
        const uint64_t tie[MIB_BGP_NSRC] = {[MIB_BGP_CISCO] = 2, [MIB_BGP_4MIB] = 2};
        const uint64_t more[MIB_BGP_NSRC] = {[MIB_BGP_CISCO] = 1, [MIB_BGP_4MIB] = 2};
        const uint64_t none[MIB_BGP_NSRC] = {0};

        assert_string_equal(mib_bgp_richest(tie), "cisco-bgp4-mib");
        assert_string_equal(mib_bgp_richest(more), "bgp4-mib");
        assert_null(mib_bgp_richest(none));
    }
}

/* The BGP4V2 draft under Arista's arc: length octets, descriptions, prefix gauges. */
static void
test_arista_bgp4v2(void **state)
{
    struct fx *f = *state;
    struct lyd_node *bgp, *nb;

    assert_int_equal(map_dir(f, "arista"), ER_OK);
    validate(f);
    bgp = model_child(f->dev, "bgp");
    assert_int_equal(u64(bgp, "local-as"), 65010);
    nb = find2(bgp, "neighbor", "192.0.2.9");
    assert_int_equal(u64(nb, "peer-as"), 12076);
    assert_string_equal(model_str(nb, "description"), "MSEE primary");
    assert_string_equal(model_str(nb, "local-address"), "192.0.2.10");
    assert_int_equal(u64(nb, "prefixes-received"), 11);
    assert_int_equal(u64(nb, "prefixes-advertised"), 1);
    nb = find2(bgp, "neighbor", "2001:db8::9");
    assert_int_equal(u64(nb, "prefixes-received"), 4);
    assert_true(has_leaflist(f->dev, "source-model", "bgp4v2-mib"));
}

/* The draft under FRR's arc, addresses without length octets. */
static void
test_frr_bgp4v2(void **state)
{
    struct fx *f = *state;
    struct lyd_node *nb;

    assert_int_equal(map_dir(f, "frr4v2"), ER_OK);
    validate(f);
    nb = find2(model_child(f->dev, "bgp"), "neighbor", "192.0.2.13");
    assert_int_equal(u64(nb, "peer-as"), 64500);
    assert_string_equal(model_str(nb, "state"), "established");
    assert_int_equal(u64(nb, "prefixes-received"), 900);
    assert_int_equal(u64(nb, "prefixes-advertised"), 3);
}

/* BGP4-MIB lists more peers and is chosen; the 4-byte AS behind its AS_TRANS comes from the BGP4V2 table. */
static void
test_as_trans_from_other_source(void **state)
{
    struct fx *f = *state;
    struct lyd_node *bgp, *nb;

    assert_int_equal(map_dir(f, "mixed"), ER_OK);
    validate(f);
    bgp = model_child(f->dev, "bgp");
    nb = find2(bgp, "neighbor", "198.51.100.1");
    assert_int_equal(u64(nb, "peer-as"), 4200000003u);
    assert_null(model_child(nb, "peer-as-unknown"));
    assert_int_equal(u64(find2(bgp, "neighbor", "192.0.2.1"), "peer-as"), 12076);
}

/* A bad index costs its row only, named with file, line and OID; the device's other rows are read. */
static void
test_vendor_bad_index(void **state)
{
    static const char walk[] =
        ".1.3.6.1.4.1.9.9.187.1.2.5.1.3.1.4.192.0.2.1 = INTEGER: 6\n"
        ".1.3.6.1.4.1.9.9.187.1.2.5.1.3.1.5.192.0.2.1.7 = INTEGER: 6\n"
        ".1.3.6.1.4.1.9.9.187.1.2.5.1.11.1.4.192.0.2.1 = Gauge32: 12076\n";
    struct fx *f = *state;
    struct mib_state *st = mib_state_new(&f->mc);

    assert_non_null(st);
    f->mc.file = "mem.walk";
    assert_int_equal(walkfile_parse_mem("mem.walk", walk, strlen(walk), mib_feed_cb, st, &f->err), ER_OK);
    assert_int_equal(mib_finish(st), ER_OK);
    mib_state_free(st);
    validate(f);
    assert_int_equal(u64(find2(model_child(f->dev, "bgp"), "neighbor", "192.0.2.1"), "peer-as"), 12076);
    assert_non_null(f->mc.skipped);
    assert_non_null(strstr(f->mc.skipped, "mem.walk:2: OID .1.3.6.1.4.1.9.9.187.1.2.5.1.3.1.5.192.0.2.1.7: "
            "bad index of cbgpPeer2Table"));
}

/* Both route tables merged: duplicates once, the older table's own routes kept, the rows of a table that
 * changed during the walk kept with what they have and counted. */
static void
test_route_tables_merged(void **state)
{
    struct fx *f = *state;
    struct lyd_node *rib, *r, *p;

    assert_int_equal(map_dir(f, "junos"), ER_OK);
    validate(f);
    rib = model_child(f->dev, "rib");
    r = find2(rib, "route", "0.0.0.0/0");
    p = find2(r, "path", "bgp");
    assert_string_equal(model_str(p, "next-hop"), "192.0.2.1");
    assert_null(model_find(r, "path", "bgp 192.0.2.1"));      /* the ipCidrRouteTable copy is a duplicate */
    find2(rib, "route", "2001:db8::/64");                    /* inetCidrRouteTable only */
    find2(find2(rib, "route", "52.112.0.0/14"), "path", "bgp"); /* ipCidrRouteTable only */
    find2(rib, "route", "13.107.6.152/31");
    /* 10.0.0.0/8 lost its protocol column, 10.1.0.0/16 has nothing else: both kept with what they have. */
    p = find2(find2(rib, "route", "10.0.0.0/8"), "path", "other");
    assert_string_equal(model_str(p, "next-hop"), "198.51.100.1");
    p = find2(find2(rib, "route", "10.1.0.0/16"), "path", "static");
    assert_null(model_str(p, "egress-interface"));
    assert_non_null(f->mc.skipped);
    assert_non_null(strstr(f->mc.skipped, "OID .1.3.6.1.2.1.4.24.4.1: 2 of 6 rows of ipCidrRouteTable kept were "
            "incomplete (the table changed during the walk"));
    assert_null(strstr(f->mc.skipped, "inetCidrRouteTable"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cisco_peer2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_juniper_peers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arista_bgp4v2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_frr_bgp4v2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_as_trans_from_other_source, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vendor_bad_index, setup, teardown),
        cmocka_unit_test_setup_teardown(test_route_tables_merged, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
