/**
 * @file test_report.c
 * @brief The report writers' escaping: what reaches HTML, JUnit XML and JSON
 * from device data (descriptions, user-rule messages) cannot break out of
 * its element, attribute or string.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"

static char *
escaped(const char *in)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    report_xml_text(f, in);
    fclose(f);
    return buf;
}

static void
test_markup(void **state)
{
    char *s = escaped("<script>alert('x')</script> & \"q\"");

    (void)state;
    assert_string_equal(s, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    free(s);
}

static void
test_plain_and_utf8(void **state)
{
    char *s = escaped("er-ams: 203.0.113.0/30 \xc3\xa9t\xc3\xa9");

    (void)state;
    assert_string_equal(s, "er-ams: 203.0.113.0/30 \xc3\xa9t\xc3\xa9");
    free(s);
}

static void
test_control_chars(void **state)
{
    /* XML 1.0 cannot carry most control characters: they become U+FFFD; tab and newline stay. */
    char *s = escaped("a\x01" "b\tc\nd\x1b");

    (void)state;
    assert_string_equal(s, "a\xef\xbf\xbd" "b\tc\nd\xef\xbf\xbd");
    free(s);
}

static void
test_null_and_empty(void **state)
{
    char *s = escaped(NULL);

    (void)state;
    assert_string_equal(s, "");
    free(s);
    s = escaped("");
    assert_string_equal(s, "");
    free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_markup),
        cmocka_unit_test(test_plain_and_utf8),
        cmocka_unit_test(test_control_chars),
        cmocka_unit_test(test_null_and_empty),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
