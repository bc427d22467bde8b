/**
 * @file test_ncc_cisco.c
 * @brief Cisco platform recognition from <hello> capabilities and the
 * operational subtree filters (ncc_cisco_*): IOS-XE by Cisco-IOS-XE-native,
 * IOS-XR by any Cisco-IOS-XR module, the 7.x unified models alone included;
 * each filter names only what the mappers read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ncc_xe_xr.h"

static void
test_family(void **state)
{
    static const char *const xe[] = {"urn:ietf:params:netconf:base:1.1",
        "http://cisco.com/ns/yang/Cisco-IOS-XE-native?module=Cisco-IOS-XE-native&revision=2023-03-01", NULL};
    static const char *const xr_um[] = {"urn:ietf:params:netconf:base:1.1",
        "http://cisco.com/ns/yang/Cisco-IOS-XR-um-router-bgp-cfg?module=Cisco-IOS-XR-um-router-bgp-cfg"
        "&revision=2022-03-03", NULL};
    static const char *const xr[] = {
        "http://cisco.com/ns/yang/Cisco-IOS-XR-ipv4-bgp-cfg?module=Cisco-IOS-XR-ipv4-bgp-cfg", NULL};
    /* A device that only names an XE oper module is not recognized as XE: its configuration is not native. */
    static const char *const other[] = {"http://openconfig.net/yang/bgp?module=openconfig-bgp",
        "http://cisco.com/ns/yang/Cisco-IOS-XE-bgp-oper?module=Cisco-IOS-XE-bgp-oper", NULL};

    (void)state;
    assert_int_equal(ncc_cisco_family(xe), NCC_FAMILY_IOS_XE);
    assert_int_equal(ncc_cisco_family(xr_um), NCC_FAMILY_IOS_XR);
    assert_int_equal(ncc_cisco_family(xr), NCC_FAMILY_IOS_XR);
    assert_int_equal(ncc_cisco_family(other), NCC_FAMILY_OTHER);
    assert_int_equal(ncc_cisco_family(NULL), NCC_FAMILY_OTHER);
    assert_string_equal(ncc_cisco_family_name(NCC_FAMILY_IOS_XR), "ios-xr");
    assert_null(ncc_cisco_family_name(NCC_FAMILY_OTHER));
}

static void
test_filters(void **state)
{
    struct pfx keep[2] = {0};
    char *xe, *xr;

    (void)state;
    assert_int_equal(pfx_parse("203.0.113.160/27", &keep[0], 0), 0);
    assert_int_equal(pfx_parse("2001:db8::/32", &keep[1], 0), 0);
    assert_null(ncc_cisco_filter(NCC_FAMILY_OTHER, "<x/>", keep, 2));
    xe = ncc_cisco_filter(NCC_FAMILY_IOS_XE, "<base/>", keep, 2);
    xr = ncc_cisco_filter(NCC_FAMILY_IOS_XR, "<base/>", keep, 2);
    assert_non_null(xe);
    assert_non_null(xr);
    assert_true(!strncmp(xe, "<base/>", 7) && !strncmp(xr, "<base/>", 7));
    /* IOS-XE: the bgp-oper neighbors and the interfaces-oper interfaces. */
    assert_non_null(strstr(xe, "<bgp-state-data xmlns=\"http://cisco.com/ns/yang/Cisco-IOS-XE-bgp-oper\">"
            "<neighbors/></bgp-state-data>"));
    assert_non_null(strstr(xe, "Cisco-IOS-XE-interfaces-oper"));
    assert_null(strstr(xe, "Cisco-IOS-XR"));
    /* IOS-XR: neighbors of the default VRF, the interfaces' line state only, the RIB by key. */
    assert_non_null(strstr(xr, "Cisco-IOS-XR-ipv4-bgp-oper\"><instances><instance><instance-active><default-vrf>"
            "<neighbors/>"));
    assert_non_null(strstr(xr, "<interfaces xmlns=\"http://cisco.com/ns/yang/Cisco-IOS-XR-pfi-im-cmd-oper\">"
            "<interface-xr><interface><interface-name/><line-state/></interface></interface-xr></interfaces>"));
    assert_non_null(strstr(xr, "<route><address>0.0.0.0</address><prefix-length>0</prefix-length></route>"));
    assert_non_null(strstr(xr, "<route><address>203.0.113.160</address><prefix-length>27</prefix-length></route>"));
    assert_null(strstr(xr, "2001:db8"));              /* the IPv4 RIB holds no IPv6 key */
    assert_null(strstr(xr, "Cisco-IOS-XE"));
    free(xe);
    free(xr);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_family),
        cmocka_unit_test(test_filters),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
