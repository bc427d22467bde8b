/**
 * @file test_xmlguard.c
 * @brief libxml2 reads replies with limits: no DTD, no entity, no XML_PARSE_HUGE.
 *
 * A DOCTYPE is refused at its line before any entity is declared, so the
 * billion-laughs document (in text or in attribute values) ends at once;
 * options that would load or substitute entities are taken away; depth is
 * refused by name; a length over INT_MAX is refused before a byte is read.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xmlguard.h"
#include "xmlread.h"

static const char laughs[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE r [\n"
    "<!ENTITY a \"lollollollollollollollollollollollollollol\">\n"
    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
    "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
    "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
    "<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n<!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">\n"
    "]>\n"
    "<r a=\"&i;\" b=\"&i;&i;\"/>\n";

static void
test_options(void **state)
{
    int o = xg_options(XML_PARSE_HUGE | XML_PARSE_NOENT | XML_PARSE_DTDLOAD | XML_PARSE_DTDATTR | XML_PARSE_DTDVALID
            | XML_PARSE_XINCLUDE | XML_PARSE_NOBLANKS);

    (void)state;
    assert_int_equal(o, XML_PARSE_NOBLANKS | XML_PARSE_NONET);
}

static void
test_laughs(void **state)
{
    struct xg_err e;
    struct timespec t0, t1;

    (void)state;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* even asked to substitute entities, nothing is declared to substitute */
    assert_null(xg_read(laughs, sizeof laughs - 1, "laughs.xml", XML_PARSE_NOENT | XML_PARSE_HUGE, &e));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true(e.dtd);
    assert_int_equal(e.line, 2);
    assert_string_equal(e.msg, XG_DTD_REFUSED);
    assert_true(t1.tv_sec - t0.tv_sec < 2);
}

static void
test_plain(void **state)
{
    static const char ok[] = "<r a=\"&lt;x&gt;\">&amp;</r>", undef[] = "<r>&lol;</r>";
    struct xg_err e;
    xmlDoc *d;

    (void)state;
    assert_non_null(d = xg_read(ok, sizeof ok - 1, NULL, 0, &e));
    xmlFreeDoc(d);
    assert_null(xg_read(undef, sizeof undef - 1, NULL, XML_PARSE_NOERROR, &e));
    assert_false(e.dtd);
    assert_non_null(strstr(e.msg, "Entity 'lol' not defined"));
}

static void
test_depth(void **state)
{
    size_t n = 300;
    char *s = malloc(n * 7 + 1), *p = s;
    struct xg_err e;

    (void)state;
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "<a>");
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "</a>");
    assert_null(xg_read(s, (size_t)(p - s), NULL, XML_PARSE_NOERROR, &e));
    assert_string_equal(e.msg, "elements nested deeper than 256 levels: refused");
    free(s);
}

/* Lengths over libxml2's int: refused by the length alone, nothing read. */
static void
test_length(void **state)
{
    static const char tiny[] = "<r/>";
    struct xr_doc *doc = NULL;
    struct xg_err e;
    char msg[256], *buf = malloc(8);
    long line;

    (void)state;
    assert_null(xg_read(tiny, (size_t)INT_MAX + 1, NULL, 0, &e));
    assert_non_null(strstr(e.msg, "a document of 2147483648 bytes"));
    assert_int_equal(xr_parse(tiny, ((size_t)4 << 30) + 4, "big.xml", &doc, msg, sizeof msg, &line), -1);
    assert_null(doc);
    assert_non_null(strstr(msg, "a document of 4294967300 bytes"));
    assert_non_null(buf);
    assert_int_equal(xr_parse_take(buf, ((size_t)4 << 30) + 4, &doc), -1);   /* buf is freed */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_laughs),
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_length),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
