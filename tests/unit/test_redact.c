/**
 * @file test_redact.c
 * @brief The reply redactor (redact_xml): every model family's secrets are
 * replaced by the marker, everything else is kept byte for byte, the result
 * is well-formed XML, and a reply without secrets is not copied.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "redact.h"

#define M REDACT_MARKER

/* Redact @p in and compare with @p want (NULL: nothing redacted); the output must parse. */
static void
check(const char *in, const char *want, size_t want_n)
{
    char *out = NULL;
    size_t len = 0, n = 99;
    struct er_err err = {0};

    assert_int_equal(redact_xml(in, strlen(in), &out, &len, &n, &err), ER_OK);
    if (!want) {
        assert_null(out);
        assert_int_equal(n, 0);
        return;
    }
    assert_non_null(out);
    assert_string_equal(out, want);
    assert_int_equal(len, strlen(want));
    assert_int_equal(n, want_n);
    /* well-formed (pieces of several top-level elements get a root) */
    char *doc_text = malloc(len + 16);
    assert_non_null(doc_text);
    snprintf(doc_text, len + 16, strncmp(out, "<?xml", 5) ? "<r>%s</r>" : "%s", out);
    xmlDoc *doc = xmlReadMemory(doc_text, (int)strlen(doc_text), "redacted", NULL, XML_PARSE_NONET |
            XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    assert_non_null(doc);
    xmlFreeDoc(doc);
    free(doc_text);
    free(out);
}

static void
test_openconfig_bgp(void **state)
{
    (void)state;
    check("<rpc-reply message-id=\"1\"><data><network-instances xmlns=\"http://openconfig.net/yang/network-instance\">"
          "<bgp><neighbors><neighbor><config><neighbor-address>192.0.2.1</neighbor-address>"
          "<auth-password>$9$abcDEF</auth-password></config></neighbor></neighbors>"
          "<peer-groups><peer-group><config><auth-password>pg-secret-1</auth-password></config></peer-group>"
          "</peer-groups></bgp></network-instances></data></rpc-reply>",
          "<rpc-reply message-id=\"1\"><data><network-instances xmlns=\"http://openconfig.net/yang/network-instance\">"
          "<bgp><neighbors><neighbor><config><neighbor-address>192.0.2.1</neighbor-address>"
          "<auth-password>" M "</auth-password></config></neighbor></neighbors>"
          "<peer-groups><peer-group><config><auth-password>" M "</auth-password></config></peer-group>"
          "</peer-groups></bgp></network-instances></data></rpc-reply>", 2);
}

static void
test_bgp_communities_are_not_secrets(void **state)
{
    (void)state;
    check("<routing-policy><bgp-defined-sets><community-sets><community-set><community-set-name>MS</community-set-name>"
          "<config><community-member>12076:51004</community-member></config></community-set></community-sets>"
          "</bgp-defined-sets></routing-policy><neighbor><config><send-community>BOTH</send-community></config>"
          "</neighbor>", NULL, 0);
}

static void
test_openconfig_system(void **state)
{
    (void)state;
    check("<system xmlns=\"http://openconfig.net/yang/system\"><aaa><authentication><users><user><username>ops"
          "</username><config><username>ops</username><password-hashed>$6$salt$hash</password-hashed>"
          "<password>plain</password><role>SYSTEM_ROLE_ADMIN</role></config></user></users></authentication>"
          "<server-groups><server-group><servers><server><tacacs><config><port>49</port>"
          "<secret-key>tacacs-key</secret-key></config></tacacs></server></servers></server-group></server-groups>"
          "</aaa></system>",
          "<system xmlns=\"http://openconfig.net/yang/system\"><aaa><authentication><users><user><username>ops"
          "</username><config><username>ops</username><password-hashed>" M "</password-hashed>"
          "<password>" M "</password><role>SYSTEM_ROLE_ADMIN</role></config></user></users></authentication>"
          "<server-groups><server-group><servers><server><tacacs><config><port>49</port>"
          "<secret-key>" M "</secret-key></config></tacacs></server></servers></server-group></server-groups>"
          "</aaa></system>", 3);
}

static void
test_ietf_key_chain_system_snmp(void **state)
{
    (void)state;
    check("<key-chains><key-chain><name>kc</name><key><key-id>1</key-id><key-string><keystring>kc-secret</keystring>"
          "</key-string></key><key><key-id>2</key-id><key-string><hexadecimal-string>0a:0b</hexadecimal-string>"
          "</key-string></key></key-chain></key-chains>"
          "<system><authentication><user><name>ops</name><password>$5$x$y</password></user></authentication>"
          "<radius><server><name>r1</name><udp><address>192.0.2.9</address><shared-secret>rad</shared-secret></udp>"
          "</server></radius></system>"
          "<snmp><community><index>c1</index><text-name>community-1</text-name><security-name>sec-1</security-name>"
          "<target-tag>t</target-tag></community><usm><local><user><name>u</name><auth><sha><key>aa:bb</key></sha>"
          "</auth><priv><aes><key>cc:dd</key></aes></priv></user></local></usm></snmp>",
          "<key-chains><key-chain><name>kc</name><key><key-id>1</key-id><key-string><keystring>" M "</keystring>"
          "</key-string></key><key><key-id>2</key-id><key-string><hexadecimal-string>" M "</hexadecimal-string>"
          "</key-string></key></key-chain></key-chains>"
          "<system><authentication><user><name>ops</name><password>" M "</password></user></authentication>"
          "<radius><server><name>r1</name><udp><address>192.0.2.9</address><shared-secret>" M "</shared-secret></udp>"
          "</server></radius></system>"
          "<snmp><community><index>c1</index><text-name>" M "</text-name><security-name>" M "</security-name>"
          "<target-tag>t</target-tag></community><usm><local><user><name>u</name><auth><sha><key>" M "</key></sha>"
          "</auth><priv><aes><key>" M "</key></aes></priv></user></local></usm></snmp>", 8);
}

static void
test_native_junos_cisco(void **state)
{
    (void)state;
    check("<configuration><security><ike><policy><name>p</name><pre-shared-key><ascii-text>psk-1</ascii-text>"
          "</pre-shared-key></policy></ike></security><protocols><ospf><area><interface><authentication><md5>"
          "<name>1</name><key>ospf-k</key></md5></authentication></interface></area></ospf><bgp><group>"
          "<authentication-key>bgp-k</authentication-key></group></bgp></protocols><system><login><user>"
          "<authentication><encrypted-password>$1$a$b</encrypted-password></authentication></user></login>"
          "<description-note>$9$reversible</description-note></system><snmp><community><name>jcomm</name>"
          "<authorization>read-only</authorization></community></snmp></configuration>"
          "<native><snmp-server><community>ccomm</community></snmp-server><enable><secret><type>9</type>"
          "<secret>cisco-s</secret></secret></enable></native>",
          "<configuration><security><ike><policy><name>p</name><pre-shared-key><ascii-text>" M "</ascii-text>"
          "</pre-shared-key></policy></ike></security><protocols><ospf><area><interface><authentication><md5>"
          "<name>1</name><key>" M "</key></md5></authentication></interface></area></ospf><bgp><group>"
          "<authentication-key>" M "</authentication-key></group></bgp></protocols><system><login><user>"
          "<authentication><encrypted-password>" M "</encrypted-password></authentication></user></login>"
          "<description-note>" M "</description-note></system><snmp><community><name>" M "</name>"
          "<authorization>read-only</authorization></community></snmp></configuration>"
          "<native><snmp-server><community>" M "</community></snmp-server><enable><secret><type>" M "</type>"
          "<secret>" M "</secret></secret></enable></native>", 9);
}

static void
test_xml_forms(void **state)
{
    (void)state;
    /* prefixes, attributes with '>' and quotes, CDATA, entities, comments, PIs, declarations */
    check("<?xml version=\"1.0\"?><!DOCTYPE x [<!ELEMENT x ANY>]><x a=\"1>2\" b='\"'><!-- <auth-password>c"
          "</auth-password> --><oc:auth-password xmlns:oc=\"u\"><![CDATA[cd<>]]></oc:auth-password>"
          "<auth-password>a&amp;b<!-- c --></auth-password><auth-password/><auth-password>  </auth-password>"
          "<auth-password x=\"y\">v</auth-password ><?pi data?></x>",
          "<?xml version=\"1.0\"?><!DOCTYPE x [<!ELEMENT x ANY>]><x a=\"1>2\" b='\"'><!-- <auth-password>c"
          "</auth-password> --><oc:auth-password xmlns:oc=\"u\">" M "</oc:auth-password>"
          "<auth-password>" M "</auth-password><auth-password/><auth-password>  </auth-password>"
          "<auth-password x=\"y\">" M "</auth-password ><?pi data?></x>", 3);
}

static void
test_malformed_is_refused_without_quoting(void **state)
{
    static const char *const bad[] = {
        "<a><auth-password>hidden-1</auth-password>",
        "<a><auth-password>hidden-1</b></a>",
        "<a><auth-password>hidden-1",
        "<a><!-- hidden-1 </a>",
        "<a><![CDATA[hidden-1</a>",
        "<a x=\"hidden-1></a>",
        "</a>",
        "<",
    };
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *out = (char *)1;
        size_t len;
        struct er_err err = {0};

        assert_int_equal(redact_xml(bad[i], strlen(bad[i]), &out, &len, NULL, &err), ER_EINVAL);
        assert_null(out);
        assert_non_null(strstr(err.msg, "byte "));
        assert_null(strstr(err.msg, "hidden-1"));
    }
}

static void
test_large_reply_is_linear(void **state)
{
    /* 200,000 neighbors, each with a password: one pass, every one replaced. */
    const char *unit = "<neighbor><config><peer-as>1</peer-as><auth-password>pw-0123456789</auth-password>"
                       "</config></neighbor>";
    size_t k = 200000, ul = strlen(unit), len = 0, n = 0;
    char *in = malloc(ul * k + 16), *out = NULL;
    struct er_err err = {0};

    (void)state;
    assert_non_null(in);
    memcpy(in, "<n>", 3);
    for (size_t i = 0; i < k; i++)
        memcpy(in + 3 + i * ul, unit, ul);
    memcpy(in + 3 + k * ul, "</n>", 5);
    assert_int_equal(redact_xml(in, strlen(in), &out, &len, &n, &err), ER_OK);
    assert_int_equal(n, k);
    assert_null(strstr(out, "pw-0123456789"));
    free(in);
    free(out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_openconfig_bgp),
        cmocka_unit_test(test_bgp_communities_are_not_secrets),
        cmocka_unit_test(test_openconfig_system),
        cmocka_unit_test(test_ietf_key_chain_system_snmp),
        cmocka_unit_test(test_native_junos_cisco),
        cmocka_unit_test(test_xml_forms),
        cmocka_unit_test(test_malformed_is_refused_without_quoting),
        cmocka_unit_test(test_large_reply_is_linear),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
