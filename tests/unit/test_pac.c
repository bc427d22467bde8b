/*
 * Unit tests of the PAC engine wrapper (pac_*): PAC files in the styles
 * organizations write them, evaluated by libpacparser in its child process,
 * with DNS answered from the inventory only, and hostile or broken files
 * that cost the verdict (not evaluated, with the reason) and nothing else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "pac.h"

static struct pac *
load(const char *text)
{
    struct pac *p = NULL;
    struct er_err err = {0};

    if (pac_load_mem("t.pac", text, strlen(text), &p, &err))
        fail_msg("pac_load_mem: %s", err.msg);
    return p;
}

static struct pac_run *
eval(const struct pac *p, const char *const *hosts, size_t n)
{
    struct pac_run *run = NULL;
    struct er_err err = {0};

    if (pac_eval(p, hosts, n, &run, &err))
        fail_msg("pac_eval: %s", err.msg);
    return run;
}

/* Host @p i's result must be @p want. */
static void
want_result(const struct pac_run *run, size_t i, const char *want)
{
    const char *why = NULL, *res = pac_find(run, i, &why);

    if (!res || strcmp(res, want))
        fail_msg("host %zu: got %s (%s), expected \"%s\"", i, res ? res : "no result", why ? why : "-", want);
}

/* Host @p i must have no result, for a reason containing @p phrase. */
static void
want_none(const struct pac_run *run, size_t i, const char *phrase)
{
    const char *why = NULL, *res = pac_find(run, i, &why);

    if (res || !why || !strstr(why, phrase))
        fail_msg("host %zu: got %s (%s), expected no result because of '%s'", i, res ? res : "no result",
                why ? why : "-", phrase);
}

/* The PAC: the direct domains kept in a list and a loop over it. */
static void
test_loop_over_list_sends_power_platform_direct(void **state)
{
    static const char *const hosts[] = {"eraudit-probe.crm4.dynamics.com", "make.powerapps.com",
        "eraudit-probe.flow.microsoft.com", "cdn.azureedge.net"};
    struct pac *p = load(
            "var direct = [\"*.dynamics.com\", \"*.powerapps.com\", \"*.flow.microsoft.com\"];\n"
            "function FindProxyForURL(url, host) {\n"
            "  for (var i = 0; i < direct.length; i++)\n"
            "    if (shExpMatch(host, direct[i])) return \"DIRECT\";\n"
            "  return \"PROXY proxy.example.net:8080\";\n"
            "}\n");
    struct pac_run *run = eval(p, hosts, 4);

    (void)state;
    assert_null(pac_run_error(run));
    want_result(run, 0, "DIRECT");
    want_result(run, 1, "DIRECT");
    want_result(run, 2, "DIRECT");
    want_result(run, 3, "PROXY proxy.example.net:8080");
    pac_run_free(run);
    pac_free(p);
}

/* Nested helper functions, dnsDomainIs, isPlainHostName, a switch and a regular expression's test(). */
static void
test_nested_functions_switch_and_regex(void **state)
{
    static const char *const hosts[] = {"intranet", "org.crm.dynamics.com", "outlook.office365.com",
        "tenant.sharepoint.com", "www.example.org"};
    struct pac *p = load(
            "function isMicrosoftDirect(h) {\n"
            "  function inZone(z) { return dnsDomainIs(h, z); }\n"
            "  return inZone('.dynamics.com') || /(^|\\.)sharepoint\\.com$/.test(h);\n"
            "}\n"
            "function FindProxyForURL(url, host) {\n"
            "  if (isPlainHostName(host)) return 'DIRECT';\n"
            "  switch (host) {\n"
            "  case 'outlook.office365.com': return 'DIRECT';\n"
            "  default: break;\n"
            "  }\n"
            "  return isMicrosoftDirect(host.toLowerCase()) ? 'DIRECT' : 'PROXY p1:3128';\n"
            "}\n");
    struct pac_run *run = eval(p, hosts, 5);

    (void)state;
    want_result(run, 0, "DIRECT");
    want_result(run, 1, "DIRECT");
    want_result(run, 2, "DIRECT");
    want_result(run, 3, "DIRECT");
    want_result(run, 4, "PROXY p1:3128");
    pac_run_free(run);
    pac_free(p);
}

/* isInNet on names and myIpAddress answer from the inventory, and only from it. */
static void
test_dns_answers_come_from_the_inventory(void **state)
{
    static const char *const hosts[] = {"app.intranet.example", "eraudit-probe.powerapps.com", "unknown.example",
        "192.168.7.7"};
    static const char text[] =
            "function FindProxyForURL(url, host) {\n"
            "  if (isInNet(host, '10.0.0.0', '255.0.0.0')) return 'DIRECT';\n"
            "  if (isInNet(myIpAddress(), '10.99.0.0', '255.255.0.0')) return 'PROXY branch:8080';\n"
            "  return 'PROXY hq:8080';\n"
            "}\n";
    struct pac *p = load(text);
    struct er_err err = {0};
    struct pac_run *run;

    (void)state;
    assert_int_equal(pac_add_host(p, "App.Intranet.Example", "10.1.2.3", &err), ER_OK);
    assert_int_equal(pac_add_host(p, "eraudit-probe.powerapps.com", "52.108.0.1", &err), ER_OK);
    assert_int_equal(pac_add_host(p, "x", "not-an-address", &err), ER_EINVAL);
    assert_int_equal(pac_set_client_address(p, "client.example", &err), ER_EINVAL);
    /* Without a client address, a host that reaches myIpAddress() is not evaluated. */
    run = eval(p, hosts, 4);
    want_result(run, 0, "DIRECT");
    want_none(run, 1, "myIpAddress()");
    want_none(run, 2, "DNS for unknown.example");
    want_none(run, 3, "myIpAddress()");
    pac_run_free(run);
    assert_int_equal(pac_set_client_address(p, "10.99.4.5", &err), ER_OK);
    run = eval(p, hosts, 4);
    want_result(run, 0, "DIRECT");
    want_result(run, 1, "PROXY branch:8080");
    want_none(run, 2, "which the inventory does not declare");
    want_result(run, 3, "PROXY branch:8080");
    pac_run_free(run);
    pac_free(p);
}

/* The other DNS helpers (Ex forms, isResolvable, dnsResolve at the top level) never answer from DNS. */
static void
test_dns_helpers_are_replaced(void **state)
{
    static const char *const hosts[] = {"a.example", "b.example"};
    struct pac *p = load(
            "var kinds = [typeof dnsResolve, typeof myIpAddressEx].join();\n"
            "function FindProxyForURL(url, host) {\n"
            "  if (dnsResolve.toString().indexOf('native') >= 0) return 'PROXY native-dns:1';\n"
            "  if (isResolvable(host) || isResolvableEx(host)) return 'DIRECT';\n"
            "  return 'PROXY ' + dnsResolveEx(host) + myIpAddressEx() + ':1';\n"
            "}\n");
    struct er_err err = {0};
    struct pac_run *run;

    (void)state;
    assert_int_equal(pac_add_host(p, "a.example", "2001:db8::1", &err), ER_OK);
    assert_int_equal(pac_set_client_address(p, "2001:db8::99", &err), ER_OK);
    run = eval(p, hosts, 2);
    want_result(run, 0, "DIRECT");
    want_none(run, 1, "DNS for b.example");
    pac_run_free(run);
    pac_free(p);

    /* A lookup when the file is read makes every host depend on it. */
    p = load("var proxyHost = dnsResolve('wpad.corp.example');\n"
             "function FindProxyForURL(url, host) { return 'DIRECT'; }\n");
    run = eval(p, hosts, 2);
    want_none(run, 0, "DNS for wpad.corp.example");
    want_none(run, 1, "DNS for wpad.corp.example");
    pac_run_free(run);
    pac_free(p);
}

/* FindProxyForURLEx is used when defined, and may call the PAC's FindProxyForURL. */
static void
test_findproxyforurlex_is_used_when_defined(void **state)
{
    static const char *const hosts[] = {"x.dynamics.com", "cdn.example"};
    struct pac *p = load(
            "function FindProxyForURL(url, host) { return 'PROXY plain:8080'; }\n"
            "function FindProxyForURLEx(url, host) {\n"
            "  if (dnsDomainIs(host, '.dynamics.com')) return 'DIRECT';\n"
            "  return FindProxyForURL(url, host) + '; DIRECT';\n"
            "}\n");
    struct pac_run *run = eval(p, hosts, 2);

    (void)state;
    want_result(run, 0, "DIRECT");
    want_result(run, 1, "PROXY plain:8080; DIRECT");
    pac_run_free(run);
    pac_free(p);
}

/* A failover list is judged by its first entry: what the client uses while that proxy is up. */
static void
test_failover_list_judged_by_first_entry(void **state)
{
    (void)state;
    assert_false(pac_is_direct("PROXY a:8080; PROXY b:8080; DIRECT"));
    assert_true(pac_is_direct("DIRECT; PROXY a:8080"));
    assert_true(pac_is_direct("  direct ;PROXY a:8080"));
    assert_true(pac_is_direct("DIRECT"));
    assert_false(pac_is_direct("DIRECTLY"));
    assert_false(pac_is_direct(""));
    assert_false(pac_is_direct("SOCKS5 s:1080; DIRECT"));
}

/* An exception for one host makes that host not evaluated, with the file and line; the others still are. */
static void
test_exception_is_not_evaluated_with_file_and_line(void **state)
{
    static const char *const hosts[] = {"good.example", "bad.example", "also.example"};
    struct pac *p = load(
            "function FindProxyForURL(url, host) {\n"
            "  if (host == 'bad.example')\n"
            "    throw new Error('no rule for ' + host);\n"
            "  return 'DIRECT';\n"
            "}\n");
    struct pac_run *run = eval(p, hosts, 3);

    (void)state;
    assert_null(pac_run_error(run));
    want_result(run, 0, "DIRECT");
    want_none(run, 1, "t.pac:3: ");
    want_none(run, 1, "no rule for bad.example");
    want_result(run, 2, "DIRECT");
    pac_run_free(run);
    pac_free(p);
}

/* A file the engine cannot read, or without FindProxyForURL, or answering no string: never a result. */
static void
test_unreadable_pac_is_not_evaluated(void **state)
{
    static const char *const hosts[] = {"a.example"};
    struct pac *p = load("// header\nfunction FindProxyForURL(url, host) {\n  return \"DIRECT\"\n");
    struct pac_run *run = eval(p, hosts, 1);

    (void)state;
    assert_non_null(pac_run_error(run));
    if (!strstr(pac_run_error(run), "t.pac:4: SyntaxError: missing } after function body"))
        fail_msg("%s", pac_run_error(run));
    want_none(run, 0, "SyntaxError");
    pac_run_free(run);
    pac_free(p);

    p = load("var direct = ['*.dynamics.com'];\n");
    run = eval(p, hosts, 1);
    assert_non_null(pac_run_error(run));
    assert_non_null(strstr(pac_run_error(run), "FindProxyForURL"));
    pac_run_free(run);
    pac_free(p);

    p = load("function FindProxyForURL(url, host) { if (host == 'x') return 'DIRECT'; }\n");
    run = eval(p, hosts, 1);
    want_none(run, 0, "returned undefined, not a string");
    pac_run_free(run);
    pac_free(p);
}

/* An endless loop costs the verdict after the time limit, not the audit. */
static void
test_infinite_loop_times_out(void **state)
{
    static const char *const hosts[] = {"a.example", "loop.example", "b.example"};
    struct pac *p = load(
            "function FindProxyForURL(url, host) {\n"
            "  if (host == 'loop.example') for (;;) {}\n"
            "  return 'DIRECT';\n"
            "}\n");
    struct pac_run *run;
    time_t t0 = time(NULL);

    (void)state;
    pac_set_limits(p, 1, PAC_DEFAULT_MEMORY);
    run = eval(p, hosts, 3);
    assert_true(time(NULL) - t0 <= 4);
    assert_null(pac_run_error(run));
    want_result(run, 0, "DIRECT");
    want_none(run, 1, "PAC evaluation timed out after 1 s");
    want_none(run, 2, "PAC evaluation timed out after 1 s");
    pac_run_free(run);
    pac_free(p);

    /* A loop when the file is read: nothing is evaluated. */
    p = load("while (true) {}\nfunction FindProxyForURL(url, host) { return 'DIRECT'; }\n");
    pac_set_limits(p, 1, PAC_DEFAULT_MEMORY);
    run = eval(p, hosts, 1);
    assert_non_null(pac_run_error(run));
    assert_string_equal(pac_run_error(run), "PAC evaluation timed out after 1 s");
    pac_run_free(run);
    pac_free(p);
}

/* Allocation without end stops at the memory or time limit, in the child. */
static void
test_huge_allocation_is_contained(void **state)
{
    static const char *const hosts[] = {"a.example"};
    struct pac *p = load(
            "function FindProxyForURL(url, host) {\n"
            "  var s = 'xxxxxxxxxxxxxxxx', keep = [];\n"
            "  for (;;) { s = s + s; keep.push(s); }\n"
            "}\n");
    struct pac_run *run;
    const char *why;

    (void)state;
    pac_set_limits(p, 2, (size_t)64 << 20);
    run = eval(p, hosts, 1);
    /* out of memory at the limit; under ASan (no address-space limit) the engine's own heap limit or the clock */
    assert_null(pac_find(run, 0, &why));
    if (!strstr(why, "out of memory") && !strstr(why, "timed out"))
        fail_msg("%s", why);
    pac_run_free(run);
    pac_free(p);
}

/* A PAC that crashes the engine (parser recursion on deeply nested eval) costs its hosts, not the audit. */
static void
test_engine_crash_is_contained(void **state)
{
    static const char *const hosts[] = {"a.example", "crash.example", "b.example"};
    struct pac *p = load(
            "function FindProxyForURL(url, host) {\n"
            "  if (host != 'crash.example') return 'DIRECT';\n"
            "  var n = 200000;\n"
            "  return eval(new Array(n).join('(') + 'x' + new Array(n).join(')'));\n"
            "}\n");
    struct pac_run *run = eval(p, hosts, 3);
    const char *why = NULL;

    (void)state;
    want_result(run, 0, "DIRECT");
#ifdef __SANITIZE_ADDRESS__
    /* ASan's own SEGV handler prints the whole overflowing stack: it stops at a signal or at the clock */
    assert_null(pac_find(run, 1, &why));
    if (!strstr(why, "the PAC engine stopped") && !strstr(why, "timed out"))
        fail_msg("%s", why);
    assert_null(pac_find(run, 2, &why));
#else
    (void)why;
    want_none(run, 1, "the PAC engine stopped on signal 11");
    want_none(run, 2, "the PAC engine stopped on signal 11");
#endif
    pac_run_free(run);
    pac_free(p);
}

/* Buffers: any bytes are accepted up to the size limit, but not NUL bytes (the fuzzing entry point). */
static void
test_load_mem_limits(void **state)
{
    struct pac *p = NULL;
    struct er_err err = {0};
    char *big;

    (void)state;
    assert_int_equal(pac_load_mem("n.pac", "a\0b", 3, &p, &err), ER_EINVAL);
    assert_null(p);
    assert_non_null(strstr(err.msg, "NUL"));
    big = calloc(1, (size_t)PAC_MAX_SIZE + 2);
    assert_non_null(big);
    memset(big, ' ', (size_t)PAC_MAX_SIZE + 1);
    assert_int_equal(pac_load_mem("big.pac", big, (size_t)PAC_MAX_SIZE + 1, &p, &err), ER_EINVAL);
    free(big);
    assert_int_equal(pac_load_mem("e.pac", "", 0, &p, &err), ER_OK);
    assert_string_equal(pac_path(p), "e.pac");
    pac_free(p);
    assert_int_equal(pac_load("/nonexistent.pac", &p, &err), ER_EIO);
    pac_free(NULL);
    pac_run_free(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loop_over_list_sends_power_platform_direct),
        cmocka_unit_test(test_nested_functions_switch_and_regex),
        cmocka_unit_test(test_dns_answers_come_from_the_inventory),
        cmocka_unit_test(test_dns_helpers_are_replaced),
        cmocka_unit_test(test_findproxyforurlex_is_used_when_defined),
        cmocka_unit_test(test_failover_list_judged_by_first_entry),
        cmocka_unit_test(test_exception_is_not_evaluated_with_file_and_line),
        cmocka_unit_test(test_unreadable_pac_is_not_evaluated),
        cmocka_unit_test(test_infinite_loop_times_out),
        cmocka_unit_test(test_huge_allocation_is_contained),
        cmocka_unit_test(test_engine_crash_is_contained),
        cmocka_unit_test(test_load_mem_limits),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
