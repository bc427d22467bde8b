/**
 * @file test_xmlread.c
 * @brief The in-place XML reader gives libxml2's tree, or hands over to it.
 *
 * Every XML file of the repository (test replies, the bundled example) and a
 * set of crafted documents are read both ways; the trees must agree on every
 * element's name, namespace, text (as xu_text() gives it) and line, and a
 * bad document must fail with libxml2's message and line.
 */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmlread.h"
#include "xmlutil.h"

static int corpus_files, corpus_fast;

/* Same shape, names, namespaces, text and lines; a message naming the first difference. */
static int
same_tree(const struct xr_node *a, const struct xr_node *b, char *why, size_t size)
{
    char ta[1024], tb[1024];
    const char *va, *vb;

    for (; a && b; a = a->next, b = b->next) {
        va = xu_text(a, ta, sizeof ta);
        vb = xu_text(b, tb, sizeof tb);
        if (strcmp(a->name, b->name) || strcmp(a->ns, b->ns) || strcmp(va, vb) || a->line != b->line
                || a->name_len != strlen(a->name)) {
            snprintf(why, size, "<%s> line %ld ns '%s' text '%.40s' vs <%s> line %ld ns '%s' text '%.40s'", a->name,
                    a->line, a->ns, va, b->name, b->line, b->ns, vb);
            return 0;
        }
        if ((a->parent == NULL) != (b->parent == NULL) || (a->parent && strcmp(a->parent->name, b->parent->name))) {
            snprintf(why, size, "<%s>: parents differ", a->name);
            return 0;
        }
        if (!same_tree(a->children, b->children, why, size))
            return 0;
    }
    if (a || b) {
        snprintf(why, size, "<%s> has no counterpart", a ? a->name : b->name);
        return 0;
    }
    return 1;
}

/* Read @text both ways; 1 when they agree. @fast tells which path xr_parse() took. */
static int
both_ways(const char *text, size_t len, const char *what, int *fast)
{
    struct xr_doc *x = NULL, *y = NULL;
    char mx[512] = "", my[512] = "", why[400] = "";
    long lx = 0, ly = 0;
    int rx = xr_parse(text, len, what, &x, mx, sizeof mx, &lx);
    int ry = xr_parse_libxml(text, len, what, &y, my, sizeof my, &ly);
    int ok = rx == ry && (rx ? (!strcmp(mx, my) && lx == ly) : same_tree(x->root, y->root, why, sizeof why));

    struct xr_doc *z = NULL;
    char *copy = malloc(len + 1);
    int rz;

    if (!ok)
        print_error("%s: fast %d '%s' line %ld, libxml2 %d '%s' line %ld %s\n", what, rx, mx, lx, ry, my, ly, why);
    /* In place, no copy: the same tree when the fast path takes it, else a give-up where xr_parse() fell back. */
    memcpy(copy, text, len);
    rz = xr_parse_take(copy, len, &z);
    if (rz ? (x && x->fast) : (!x || !x->fast || !same_tree(z->root, x->root, why, sizeof why))) {
        print_error("%s: in place %d, xr_parse %d (fast %d) %s\n", what, rz, rx, x ? x->fast : 0, why);
        ok = 0;
    }
    *fast = x ? x->fast : 0;
    xr_free(x);
    xr_free(y);
    xr_free(z);
    return ok;
}

static int
visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    size_t n = strlen(path);
    FILE *f;
    char *buf;
    int fast;

    (void)ftw;
    if (type != FTW_F || n < 4 || strcmp(path + n - 4, ".xml") || !st->st_size)
        return 0;
    f = fopen(path, "rb");
    assert_non_null(f);
    buf = malloc((size_t)st->st_size);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)st->st_size, f), (size_t)st->st_size);
    fclose(f);
    assert_true(both_ways(buf, (size_t)st->st_size, path, &fast));
    corpus_files++;
    corpus_fast += fast;
    free(buf);
    return 0;
}

static void
test_corpus(void **state)
{
    (void)state;
    assert_int_equal(nftw(TESTS_DIR, visit, 16, FTW_PHYS), 0);
    assert_int_equal(nftw(TESTS_DIR "/../inventory", visit, 16, FTW_PHYS), 0);
    print_message("%d files, %d read in place\n", corpus_files, corpus_fast);
    assert_true(corpus_files > 100);
    /* The bad replies of tests/ go to libxml2; well-formed ones must not. */
    assert_true(corpus_fast * 10 > corpus_files * 7);
}

/* Documents the reader must read itself (1) or hand over (0), agreeing with libxml2 either way. */
static const struct {
    const char *xml;
    int fast;
} cases[] = {
    {"<a/>", 1},
    {"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>x</a>", 1},
    {"<?xml version='1.0' encoding='utf-8' standalone='yes'?><a>x</a>", 1},
    {"\xEF\xBB\xBF<a>bom</a>", 1},
    {"<a xmlns=\"urn:x\"><b>1</b><c xmlns=\"urn:y\"><d/></c><e/></a>", 1},
    {"<p:a xmlns:p=\"urn:p\" xmlns=\"urn:d\"><p:b>1</p:b><c/></p:a>", 1},
    {"<a xmlns=\"urn:x\"><b xmlns=\"\">no ns</b></a>", 1},
    {"<a>\n  <b>  spaced  </b>\n  <c>\n</c>\n  <d></d>\n</a>", 1},
    {"<a>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#xe9;&#x1F600;</a>", 1},
    {"<a>caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80</a>", 1},
    {"<a><!-- one --><b>x</b><!-- two -- no --></a>", 0},
    {"<a><!-- c --><b>x</b></a><!-- after -->", 1},
    {"<a>  <!-- c -->v</a>", 1},
    {"<a>v<!-- c --></a>", 0},
    {"<a b='1' c=\"2\"\n   d = '3'>x</a>", 1},
    {"<a\n  b='1'\n>x</a>", 1},
    {"<x/><y>2</y>", 1},
    {"<?xml version=\"1.0\"?>\n<x>1</x>\n<y>2</y>\n", 1},
    {"<a>text<b/>more</a>", 0},
    {"<a><![CDATA[<raw>]]></a>", 0},
    {"<!DOCTYPE a [<!ENTITY e \"v\">]><a>&e;</a>", 0},
    {"<a>&e;</a>", 0},
    {"<a>&#0;</a>", 0},
    {"<a>x]]>y</a>", 0},
    {"<a>\r\n</a>", 0},
    {"<a>\x01</a>", 0},
    {"<a>\xC3</a>", 0},
    {"<a>\xED\xA0\x80</a>", 0},
    {"<a b='1' b='2'/>", 0},
    {"<a b='1'c='2'/>", 0},
    {"<a b='x&amp;y'/>", 0},
    {"<a b='<'/>", 0},
    {"<q:a>undeclared</q:a>", 0},
    {"<a xmlns:q=\"\"/>", 0},
    {"<a><b></a></b>", 0},
    {"<a><b>", 0},
    {"<a>", 0},
    {"</a>", 0},
    {"text<a/>", 0},
    {"<a/>tail", 0},
    {"   ", 0},
    {"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xE9</a>", 0},
    {"<?xml version=\"1.1\"?><a/>", 0},
    {"<?xml version=\"1.0\" ?><a/>", 1},
    {"<?xml-stylesheet href='s'?><a/>", 0},
    {"<a><?pi x?></a>", 0},
    {" <?xml version=\"1.0\"?><a/>", 0},
    {"<1a/>", 0},
    {"<a:/>", 0},
    {"<a:b:c xmlns:a='urn:a'/>", 0},
    {"<a>\t tab \t</a>", 1},
    {"<rpc-reply xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\" message-id=\"1\"><data/></rpc-reply>", 1},
};

static void
test_cases(void **state)
{
    size_t i;
    int fast, bad = 0;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        char what[32];

        snprintf(what, sizeof what, "case %zu", i);
        if (!both_ways(cases[i].xml, strlen(cases[i].xml), what, &fast)) {
            bad++;
        } else if (fast != cases[i].fast) {
            print_error("case %zu (%s): read %s\n", i, cases[i].xml, fast ? "in place" : "by libxml2");
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* Deep nesting: beyond the reader's depth libxml2 takes over, same tree. */
static void
test_deep(void **state)
{
    char *buf = malloc(300 * 7 + 16), *p = buf;
    int i, fast;

    (void)state;
    assert_non_null(buf);
    for (i = 0; i < 300; i++)
        p += sprintf(p, "<e>");
    p += sprintf(p, "x");
    for (i = 0; i < 300; i++)
        p += sprintf(p, "</e>");
    assert_true(both_ways(buf, (size_t)(p - buf), "deep", &fast));
    assert_int_equal(fast, 0);
    free(buf);
}

/*
 * Differential fuzzing: mutations of a reply (bytes changed to what XML
 * cares about, cut, repeated) are read both ways; libxml2 is the judge.
 */
static void
test_mutations(void **state)
{
    static const char doc[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<rpc-reply xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\" message-id=\"7\"><data>\n"
        "<interfaces xmlns=\"http://openconfig.net/yang/interfaces\" xmlns:ip=\"http://openconfig.net/yang/interfaces/ip\">\n"
        "  <interface><name>et-0/0/1</name><config><description>to &quot;MSEE&quot; &amp; co</description>"
        "<enabled>true</enabled></config><!-- note -->\n"
        "    <ip:ipv4><ip:addresses><ip:address><ip:ip>192.0.2.1</ip:ip><ip:config>"
        "<ip:prefix-length>30</ip:prefix-length></ip:config></ip:address></ip:addresses></ip:ipv4>\n"
        "  </interface>\n  <interface><name>caf\xC3\xA9</name><config/></interface>\n"
        "</interfaces>\n</data></rpc-reply>\n";
    static const char alphabet[] = "<>/&;:='\"!?-[] \n\t\rxa#\x80\xC3\xA9\x01";
    size_t len = sizeof doc - 1, i, fast_total = 0;
    char *buf = malloc(len * 2 + 1);
    /* XMLREAD_MUTATIONS and XMLREAD_SEED run a longer campaign by hand. */
    size_t count = getenv("XMLREAD_MUTATIONS") ? strtoul(getenv("XMLREAD_MUTATIONS"), NULL, 10) : 20000;
    unsigned seed = getenv("XMLREAD_SEED") ? (unsigned)strtoul(getenv("XMLREAD_SEED"), NULL, 10) : 12345;
    int fast, bad = 0;

    (void)state;
    assert_non_null(buf);
    for (i = 0; i < count && bad < 5; i++) {
        size_t n = len, k, at;
        char what[48];

        memcpy(buf, doc, len);
        for (k = 0; k < 1 + i % 3 && n > 1; k++) {
            seed = seed * 1103515245 + 12345;
            at = (seed >> 8) % n;
            switch ((seed >> 4) % 4) {
            case 0: /* change a byte */
                buf[at] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
                break;
            case 1: /* cut the document */
                n = at;
                break;
            case 2: /* drop a byte */
                memmove(buf + at, buf + at + 1, n - at - 1);
                n--;
                break;
            default: /* repeat a run */
                if (n + 16 <= len * 2) {
                    memmove(buf + at + 16, buf + at, n - at);
                    n += 16;
                }
            }
        }
        snprintf(what, sizeof what, "mutation %zu", i);
        if (!both_ways(buf, n, what, &fast)) {
            bad++;
            print_error("%.*s\n", (int)n, buf);
        }
        fast_total += (size_t)fast;
    }
    print_message("%zu mutations, %zu read in place\n", i, fast_total);
    assert_int_equal(bad, 0);
    assert_true(fast_total * 40 > i);
    free(buf);
}

/* Text with references is decoded in place; a long value survives whole. */
static void
test_text(void **state)
{
    const char *xml = "<a><b> &lt;x&gt; </b><c>&#x41;&#66;C</c></a>";
    struct xr_doc *d = NULL;
    char msg[128], tb[64];
    long line;

    (void)state;
    assert_int_equal(xr_parse(xml, strlen(xml), "t", &d, msg, sizeof msg, &line), 0);
    assert_true(d->fast);
    assert_string_equal(xu_str(d->root, "b", tb, sizeof tb), "<x>");
    assert_string_equal(xu_str(d->root, "c", tb, sizeof tb), "ABC");
    assert_null(xu_child(d->root, "d"));
    xr_free(d);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_deep),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_text),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
