/**
 * @file test_mib.c
 * @brief Unit tests of walk files (walkfile_*) and the MIB decoders (mib_*,
 * snmp_map_device) over fixtures in tests/unit/data/snmp: captured from a
 * loopback snmpd (linux/, oldagent/) or written in the same format (er1/
 * BGP4-MIB, fw1/ NAT-MIB, wan1/ two IF-MIB samples).
 *
 * Over 600 lines: one group of cases per MIB decoder over shared fixtures
 * (mib_fixture.h); the vendor MIBs have test_mib_vendor.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mapper.h"
#include "mib.h"
#include "model.h"

#define DATA TESTS_DIR "/unit/data/snmp"

/* ---- collecting varbinds ---- */

struct got_vb {
    uint32_t oid[SNMP_OID_MAX];
    size_t oid_len;
    enum snmp_vtype type;
    uint64_t num;
    uint8_t bytes[512];
    size_t n_bytes;
    uint32_t val_oid[SNMP_OID_MAX];
    size_t val_oid_len;
    int line;
};

struct got {
    struct got_vb v[64];
    size_t n;
};

static er_code
collect(void *arg, const struct snmp_vb *vb, struct er_err *err)
{
    struct got *g = arg;
    struct got_vb *x = &g->v[g->n++];

    assert_true(g->n <= 64);
    memcpy(x->oid, vb->oid, vb->oid_len * sizeof *vb->oid);
    x->oid_len = vb->oid_len;
    x->type = vb->type;
    x->num = vb->num;
    assert_true(vb->n_bytes <= sizeof x->bytes);
    if (vb->n_bytes)
        memcpy(x->bytes, vb->bytes, vb->n_bytes);
    x->n_bytes = vb->n_bytes;
    if (vb->val_oid_len)
        memcpy(x->val_oid, vb->val_oid, vb->val_oid_len * sizeof *vb->val_oid);
    x->val_oid_len = vb->val_oid_len;
    x->line = vb->line;
    return ER_OK;
}

static er_code
parse_str(const char *text, struct got *g, struct er_err *err)
{
    er_code rc;

    memset(g, 0, sizeof *g);
    er_clear(err);
    rc = walkfile_parse_mem("mem.walk", text, strlen(text), collect, g, err);
    if (rc)
        print_message("parse: %s\n", err->msg);
    return rc;
}

static void
test_parse_types(void **state)
{
    static const char text[] =
        "# a comment, then a blank line\n"
        "\n"
        ".1.3.6.1.2.1.15.3.1.2.192.0.2.1 = INTEGER: 6\n"
        ".1.3.6.1.2.1.15.3.1.2.192.0.2.5 = INTEGER: established(6)\n"
        ".1.3.6.1.2.1.15.3.1.3.192.0.2.1 = INTEGER: -1\n"
        ".1.3.6.1.2.1.15.3.1.4.192.0.2.1 = Gauge32: 12076\n"
        ".1.3.6.1.2.1.15.3.1.5.192.0.2.1 = Counter32: 4294967295\n"
        ".1.3.6.1.2.1.15.3.1.6.192.0.2.1 = Counter64: 18446744073709551615\n"
        ".1.3.6.1.2.1.15.3.1.7.192.0.2.1 = Timeticks: (8640123) 1 day, 0:00:01.23\n"
        ".1.3.6.1.2.1.15.3.1.8.192.0.2.1 = STRING: \"two\n"
        "lines \\\"quoted\\\" a\\\\b\"\n"
        ".1.3.6.1.2.1.15.3.1.9.192.0.2.1 = Hex-STRING: 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10 \n"
        "11 12 13 \n"
        ".1.3.6.1.2.1.15.3.1.10.192.0.2.1 = IpAddress: 192.0.2.1\n"
        ".1.3.6.1.2.1.15.3.1.11.192.0.2.1 = OID: .1.3.6.1.2.1.4.32.1.5.4.1.4.192.0.2.0.24\n"
        ".1.3.6.1.2.1.15.3.1.12.192.0.2.1 = \"\"\n"
        "iso.3.6.1.2.1.15.3.1.13.192.0.2.1 = NULL\n"
        ".1.3.6.1.2.1.16 = No Such Object available on this agent at this OID\n"
        ".1.3.6.1.2.1.17 = No more variables left in this MIB View (It is past the end of the MIB tree)\n";
    struct got g;
    struct er_err err;
    size_t i;

    assert_int_equal(parse_str(text, &g, &err), ER_OK);
    assert_int_equal(g.n, 15);
    assert_int_equal(g.v[0].type, SNMP_VT_INTEGER);
    assert_int_equal(g.v[0].num, 6);
    assert_int_equal(g.v[0].line, 3);
    assert_int_equal(g.v[0].oid_len, 14);
    assert_int_equal(g.v[0].oid[10], 192);
    assert_int_equal(g.v[1].num, 6);
    assert_int_equal((int64_t)g.v[2].num, -1);
    assert_int_equal(g.v[3].type, SNMP_VT_GAUGE32);
    assert_int_equal(g.v[4].type, SNMP_VT_COUNTER32);
    assert_int_equal(g.v[4].num, 4294967295u);
    assert_int_equal(g.v[5].type, SNMP_VT_COUNTER64);
    assert_true(g.v[5].num == UINT64_MAX);
    assert_int_equal(g.v[6].type, SNMP_VT_TIMETICKS);
    assert_int_equal(g.v[6].num, 8640123);
    assert_int_equal(g.v[7].type, SNMP_VT_OCTETS);
    assert_int_equal(g.v[7].n_bytes, strlen("two\nlines \"quoted\" a\\b"));
    assert_memory_equal(g.v[7].bytes, "two\nlines \"quoted\" a\\b", g.v[7].n_bytes);
    assert_int_equal(g.v[7].line, 10);
    /* The wrapped Hex-STRING: 19 bytes, and the next varbind's line is right. */
    assert_int_equal(g.v[8].type, SNMP_VT_OCTETS);
    assert_int_equal(g.v[8].n_bytes, 19);
    for (i = 0; i < 19; i++)
        assert_int_equal(g.v[8].bytes[i], i + 1);
    assert_int_equal(g.v[8].line, 12);
    assert_int_equal(g.v[9].type, SNMP_VT_IPADDRESS);
    assert_int_equal(g.v[9].line, 14);
    assert_memory_equal(g.v[9].bytes, "\xc0\x00\x02\x01", 4);
    assert_int_equal(g.v[10].type, SNMP_VT_OID);
    assert_int_equal(g.v[10].val_oid_len, 18);
    assert_int_equal(g.v[10].val_oid[17], 24);
    assert_int_equal(g.v[11].type, SNMP_VT_OCTETS);
    assert_int_equal(g.v[11].n_bytes, 0);
    assert_int_equal(g.v[12].type, SNMP_VT_NULL);
    assert_int_equal(g.v[12].oid[0], 1);
    assert_int_equal(g.v[12].oid_len, 14);
    assert_int_equal(g.v[13].type, SNMP_VT_NOSUCHOBJECT);
    assert_int_equal(g.v[14].type, SNMP_VT_ENDOFMIBVIEW);
}

static void
test_parse_errors(void **state)
{
    struct got g;
    struct er_err err;

    /* A loop inside one table. */
    assert_int_equal(parse_str(".1.3.6.1.2.1.2.2.1.2.1 = STRING: \"a\"\n"
                                  ".1.3.6.1.2.1.2.2.1.2.2 = STRING: \"b\"\n"
                                  ".1.3.6.1.2.1.2.2.1.2.2 = STRING: \"b\"\n", &g, &err), ER_EINVAL);
    assert_non_null(strstr(err.msg, "mem.walk:3: OID .1.3.6.1.2.1.2.2.1.2.2 does not increase"));
    assert_non_null(strstr(err.msg, "(previous .1.3.6.1.2.1.2.2.1.2.2)"));
    assert_int_equal(parse_str(".1.3.6.1.2.1.4.24.7.1.7.1.4.10.0.0.0.8 = INTEGER: 1\n"
                                  ".1.3.6.1.2.1.4.24.7.1.8.1.4.10.0.0.0.8 = INTEGER: 1\n"
                                  ".1.3.6.1.2.1.4.24.7.1.7.1.4.10.0.0.0.9 = INTEGER: 1\n", &g, &err), ER_EINVAL);
    assert_non_null(strstr(err.msg, "mem.walk:3:"));
    /* Several walks one after another: a decrease into another table is fine. */
    assert_int_equal(parse_str(".1.3.6.1.2.1.31.1.1.1.1.1 = STRING: \"lo\"\n"
                                  ".1.3.6.1.2.1.2.2.1.2.1 = STRING: \"lo\"\n"
                                  ".1.3.6.1.2.1.1.3.0 = Timeticks: (5) 0:00:00.05\n", &g, &err), ER_OK);
    assert_int_equal(g.n, 3);
    /* Unparsable lines, echoed and truncated. */
    assert_int_equal(parse_str(".1.3.6.1.2.1.2.2.1.2.1 = STRING: \"a\"\nTimeout: No Response from 127.0.0.1:161 "
                                  "and a long tail that goes on and on and on and on and on\n", &g, &err), ER_EINVAL);
    assert_non_null(strstr(err.msg, "mem.walk:2: expected 'OID = TYPE: value', got 'Timeout: No Response"));
    assert_non_null(strstr(err.msg, "...'"));
    assert_int_equal(parse_str(".1.3.6.1.2.1.2.2.1.5.1 = Gauge32: fast\n", &g, &err), ER_EINVAL);
    assert_non_null(strstr(err.msg, "mem.walk:1: OID .1.3.6.1.2.1.2.2.1.5.1: bad number"));
    assert_int_equal(parse_str(".1.3.6.1.2.1.4.20.1.3.10.0.0.1 = IpAddress: 10.0.0.256\n", &g, &err), ER_EINVAL);
    assert_non_null(strstr(err.msg, "bad IpAddress"));
    assert_int_equal(parse_str(".1.3.6.1.2.1.2.2.1.6.1 = Hex-STRING: 0A 0 \n", &g, &err), ER_EINVAL);
    assert_non_null(strstr(err.msg, "bad Hex-STRING"));
    assert_int_equal(parse_str(".1.3.6.1.2.1.2.2.1.7.1 = INTEGER: 4294967296\n", &g, &err), ER_EINVAL);
}

static void
test_truncated(void **state)
{
    struct got g;
    struct er_err err;

    /* A complete last line without its newline is fine. */
    assert_int_equal(parse_str(".1.3.6.1.2.1.2.2.1.5.1 = Gauge32: 100\n.1.3.6.1.2.1.2.2.1.5.2 = Gauge32: 7", &g, &err),
            ER_OK);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.v[1].num, 7);
    /* Cut in the type, in the value, in a quoted string, in the OID. */
    assert_int_equal(parse_str(".1.3.6.1.2.1.2.2.1.5.1 = Gauge32: 100\n.1.3.6.1.2.1.2.2.1.5.2 = Gaug", &g, &err),
            ER_EINVAL);
    assert_non_null(strstr(err.msg, "mem.walk:2: expected 'OID = TYPE: value', got '.1.3.6.1.2.1.2.2.1.5.2 = Gaug'"));
    assert_int_equal(parse_str(".1.3.6.1.2.1.2.2.1.5.1 = Gauge32: ", &g, &err), ER_EINVAL);
    assert_non_null(strstr(err.msg, "mem.walk:1:"));
    assert_int_equal(parse_str(".1.3.6.1.2.1.2.2.1.5.1 = Gauge32: 1\n\n.1.3.6.1.2.1.2.2.1.2.2 = STRING: \"eth", &g, &err),
            ER_EINVAL);
    assert_non_null(strstr(err.msg, "mem.walk:3: OID .1.3.6.1.2.1.2.2.1.2.2: unterminated quoted STRING"));
    assert_int_equal(parse_str(".1.3.6.1.2.1.2.2.1.5.1 = Gauge32: 1\n.1.3.6.1.2.1.2.2.1.", &g, &err), ER_EINVAL);
    assert_non_null(strstr(err.msg, "mem.walk:2:"));
}

/* Format @p vb, parse it back, compare. */
static void
round_trip(const struct snmp_vb *vb, const char *want)
{
    char buf[4096];
    size_t n = walkfile_format_vb(vb, buf, sizeof buf);
    struct got g;
    struct er_err err;

    assert_true(n < sizeof buf);
    assert_int_equal(n, strlen(buf));
    if (want)
        assert_string_equal(buf, want);
    assert_int_equal(parse_str(buf, &g, &err), ER_OK);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.v[0].oid_len, vb->oid_len);
    assert_memory_equal(g.v[0].oid, vb->oid, vb->oid_len * sizeof *vb->oid);
    assert_int_equal(g.v[0].type, vb->type);
    if (vb->type <= SNMP_VT_TIMETICKS)
        assert_true(g.v[0].num == vb->num);
    assert_int_equal(g.v[0].n_bytes, vb->n_bytes);
    if (vb->n_bytes)
        assert_memory_equal(g.v[0].bytes, vb->bytes, vb->n_bytes);
    assert_int_equal(g.v[0].val_oid_len, vb->val_oid_len);
    if (vb->val_oid_len)
        assert_memory_equal(g.v[0].val_oid, vb->val_oid, vb->val_oid_len * sizeof *vb->val_oid);
}

static void
test_round_trip(void **state)
{
    static const uint32_t oid[] = {1, 3, 6, 1, 4, 1, 8072, 1, 3, 2, 3, 1, 2, 3, 98, 105, 110};
    static const uint32_t val[] = {1, 3, 6, 1, 2, 1, 4, 32, 1, 5, 4, 1, 4, 192, 0, 2, 0, 24};
    uint8_t bin[40];
    struct snmp_vb vb = {.oid = oid, .oid_len = 17};
    size_t i;
    char small[16];

    for (i = 0; i < sizeof bin; i++)
        bin[i] = (uint8_t)(i + 1);
    /* What net-snmp 5.9.3 printed for these values (captured from snmpd). */
    vb.type = SNMP_VT_OCTETS;
    vb.bytes = bin;
    vb.n_bytes = 21;
    round_trip(&vb, ".1.3.6.1.4.1.8072.1.3.2.3.1.2.3.98.105.110 = Hex-STRING: 01 02 03 04 05 06 07 08 09 0A 0B 0C "
            "0D 0E 0F 10 \n11 12 13 14 15 \n");
    vb.n_bytes = 16;
    round_trip(&vb, ".1.3.6.1.4.1.8072.1.3.2.3.1.2.3.98.105.110 = Hex-STRING: 01 02 03 04 05 06 07 08 09 0A 0B 0C "
            "0D 0E 0F 10 \n");
    vb.n_bytes = 32;
    round_trip(&vb, NULL);
    vb.bytes = (const uint8_t *)"a line\nsecond \"x\" line\n\ttab a\\b";
    vb.n_bytes = strlen((const char *)vb.bytes);
    round_trip(&vb, ".1.3.6.1.4.1.8072.1.3.2.3.1.2.3.98.105.110 = STRING: \"a line\nsecond \\\"x\\\" line\n\ttab "
            "a\\\\b\"\n");
    vb.n_bytes = 0;
    round_trip(&vb, ".1.3.6.1.4.1.8072.1.3.2.3.1.2.3.98.105.110 = \"\"\n");
    vb.bytes = NULL;
    vb.type = SNMP_VT_TIMETICKS;
    vb.num = 159407;
    round_trip(&vb, ".1.3.6.1.4.1.8072.1.3.2.3.1.2.3.98.105.110 = Timeticks: (159407) 0:26:34.07\n");
    vb.num = 2 * 8640000 + 123;
    round_trip(&vb, ".1.3.6.1.4.1.8072.1.3.2.3.1.2.3.98.105.110 = Timeticks: (17280123) 2 days, 0:00:01.23\n");
    vb.type = SNMP_VT_INTEGER;
    vb.num = (uint64_t)(int64_t)-1;
    round_trip(&vb, ".1.3.6.1.4.1.8072.1.3.2.3.1.2.3.98.105.110 = INTEGER: -1\n");
    vb.type = SNMP_VT_COUNTER64;
    vb.num = UINT64_MAX;
    round_trip(&vb, NULL);
    vb.type = SNMP_VT_GAUGE32;
    vb.num = 10000000;
    round_trip(&vb, ".1.3.6.1.4.1.8072.1.3.2.3.1.2.3.98.105.110 = Gauge32: 10000000\n");
    vb.type = SNMP_VT_COUNTER32;
    round_trip(&vb, NULL);
    vb.type = SNMP_VT_IPADDRESS;
    vb.bytes = (const uint8_t *)"\xff\x00\x02\x01";
    vb.n_bytes = 4;
    round_trip(&vb, ".1.3.6.1.4.1.8072.1.3.2.3.1.2.3.98.105.110 = IpAddress: 255.0.2.1\n");
    vb.bytes = NULL;
    vb.n_bytes = 0;
    vb.type = SNMP_VT_OID;
    vb.val_oid = val;
    vb.val_oid_len = 18;
    round_trip(&vb, ".1.3.6.1.4.1.8072.1.3.2.3.1.2.3.98.105.110 = OID: .1.3.6.1.2.1.4.32.1.5.4.1.4.192.0.2.0.24\n");
    vb.val_oid_len = 0;
    vb.type = SNMP_VT_NULL;
    round_trip(&vb, NULL);
    vb.type = SNMP_VT_NOSUCHOBJECT;
    round_trip(&vb, ".1.3.6.1.4.1.8072.1.3.2.3.1.2.3.98.105.110 = No Such Object available on this agent at this OID\n");
    vb.type = SNMP_VT_ENDOFMIBVIEW;
    round_trip(&vb, NULL);
    /* A short buffer: the full length is reported and the text is cut safely. */
    vb.type = SNMP_VT_GAUGE32;
    assert_int_equal(walkfile_format_vb(&vb, small, sizeof small), 63);
    assert_int_equal(strlen(small), sizeof small - 1);
}

/* Re-printing every varbind of a captured walk gives the file back byte for byte. */
struct reprint {
    char *out;
    size_t n, cap;
};

static er_code
reprint_cb(void *arg, const struct snmp_vb *vb, struct er_err *err)
{
    struct reprint *r = arg;
    size_t need = walkfile_format_vb(vb, NULL, 0);

    if (r->n + need + 1 > r->cap) {
        r->cap = (r->n + need + 1) * 2;
        r->out = realloc(r->out, r->cap);
        assert_non_null(r->out);
    }
    walkfile_format_vb(vb, r->out + r->n, r->cap - r->n);
    r->n += need;
    return ER_OK;
}

static void
test_reprint_captured(void **state)
{
    static const char *files[] = {
        "linux/snmp/ifTable.walk", "linux/snmp/ifXTable.walk", "linux/snmp/ipAddressTable.walk",
        "linux/snmp/inetCidrRouteTable.walk", "linux/snmp/bgp.walk", "linux/snmp/if-sample2.walk",
        "oldagent/snmp/ipCidrRouteTable.walk", "oldagent/snmp/ipAddrTable.walk", "er1/snmp/bgp4PathAttrTable.walk",
    };
    size_t i;

    for (i = 0; i < sizeof files / sizeof *files; i++) {
        char path[512], *orig;
        struct reprint r = {0};
        struct er_err err = {0};
        FILE *f;
        long len;

        snprintf(path, sizeof path, "%s/%s", DATA, files[i]);
        assert_int_equal(walkfile_parse(path, reprint_cb, &r, &err), ER_OK);
        f = fopen(path, "r");
        assert_non_null(f);
        fseek(f, 0, SEEK_END);
        len = ftell(f);
        rewind(f);
        orig = malloc((size_t)len + 1);
        assert_int_equal(fread(orig, 1, (size_t)len, f), (size_t)len);
        fclose(f);
        assert_int_equal(r.n, (size_t)len);
        assert_memory_equal(r.out, orig, (size_t)len);
        free(orig);
        free(r.out);
    }
}

static void
test_aspath(void **state)
{
    char out[256];
    static const uint8_t seq[] = {2, 2, 0x2f, 0x2c, 0x1f, 0x8b};
    static const uint8_t seq_set[] = {2, 1, 0x2f, 0x2c, 1, 2, 0x1f, 0x84, 0x1f, 0x85};
    static const uint8_t four[] = {2, 2, 0, 0x03, 0x0d, 0x40, 0, 0, 0x2f, 0x2c};  /* 200000 12076 */
    static const uint8_t confed[] = {3, 1, 0xfd, 0xe8, 2, 1, 0x2f, 0x2c};
    static const uint8_t bad_type[] = {7, 1, 0x2f, 0x2c};
    static const uint8_t short_seg[] = {2, 3, 0x2f, 0x2c};

    assert_int_equal(mib_bgp_aspath(seq, sizeof seq, out, sizeof out), 0);
    assert_string_equal(out, "12076 8075");
    assert_int_equal(mib_bgp_aspath(seq_set, sizeof seq_set, out, sizeof out), 0);
    assert_string_equal(out, "12076 {8068,8069}");
    assert_int_equal(mib_bgp_aspath(four, sizeof four, out, sizeof out), 0);
    assert_string_equal(out, "200000 12076");
    assert_int_equal(mib_bgp_aspath(confed, sizeof confed, out, sizeof out), 0);
    assert_string_equal(out, "(65000) 12076");
    assert_int_equal(mib_bgp_aspath(seq, 0, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(mib_bgp_aspath(bad_type, sizeof bad_type, out, sizeof out), -1);
    assert_int_equal(mib_bgp_aspath(short_seg, sizeof short_seg, out, sizeof out), -1);
    assert_int_equal(mib_bgp_aspath(seq, sizeof seq, out, 6), -1);
}

/* ---- mapping into the model ---- */

#include "mib_fixture.h"

static void
test_map_linux(void **state)
{
    struct fx *f = *state;
    struct lyd_node *eth0, *lo, *a, *rib, *r, *p;
    uint64_t v;

    assert_int_equal(map_dir(f, "linux"), ER_OK);
    validate(f);
    /* IF-MIB: ifName, admin/oper status, speed, HC counters. */
    eth0 = find2(f->dev, "interface", "eth0");
    assert_string_equal(model_str(eth0, "oper-status"), "up");
    assert_true(model_bool(eth0, "enabled", 0));
    assert_int_equal(u64(eth0, "in-octets"), 35741211);
    assert_int_equal(u64(eth0, "out-octets"), 48968);
    assert_null(model_str(eth0, "description")); /* ifAlias is "" */
    lo = find2(f->dev, "interface", "lo");
    assert_int_equal(u64(lo, "speed"), 10000000);
    assert_string_equal(model_str(find2(f->dev, "interface", "ifb0"), "oper-status"), "down");
    assert_false(model_bool(find2(f->dev, "interface", "ifb0"), "enabled", 1));
    /* Two samples 7.28 s apart (sysUpTime 55611 -> 56339) on lo, 10 Mb/s. */
    assert_true(model_u64(lo, "in-utilization", &v));
    assert_true(v <= 1);
    assert_false(model_u64(eth0, "speed", &v) && v != 0);
    assert_false(model_u64(eth0, "in-utilization", &v)); /* speed 0: no figure */
    /* IP-MIB: addresses with their prefix length; the broadcast row is not one. */
    a = find2(eth0, "address", "192.0.2.2");
    assert_int_equal(u64(a, "prefix-length"), 24);
    assert_null(model_find(eth0, "address", "192.0.2.255"));
    assert_int_equal(u64(find2(eth0, "address", "fd00::2"), "prefix-length"), 64);
    assert_int_equal(u64(find2(eth0, "address", "fe80::fc:ff:fe00:1"), "prefix-length"), 64);
    assert_int_equal(u64(find2(lo, "address", "127.0.0.1"), "prefix-length"), 8);
    /* IP-FORWARD-MIB inetCidrRouteTable. */
    rib = model_child(f->dev, "rib");
    assert_non_null(rib);
    assert_int_equal(u64(rib, "routes-read"), 9);
    r = find2(rib, "route", "0.0.0.0/0");
    p = find2(r, "path", "local");
    assert_string_equal(model_str(p, "next-hop"), "192.0.2.1");
    assert_string_equal(model_str(p, "egress-interface"), "eth0");
    assert_string_equal(model_str(p, "state-source"), "state");
    p = find2(find2(rib, "route", "192.0.2.0/24"), "path", "connected");
    assert_null(model_str(p, "next-hop"));
    assert_string_equal(model_str(p, "egress-interface"), "eth0");
    assert_string_equal(model_str(find2(find2(rib, "route", "::/0"), "path", "local"), "next-hop"), "fd00::1");
    find2(rib, "route", "fd00::2/128");
    assert_true(has_leaflist(f->dev, "source-model", "if-mib"));
    assert_true(has_leaflist(f->dev, "source-model", "ip-forward-mib"));
    assert_false(has_leaflist(f->dev, "source-model", "bgp4-mib")); /* only "No Such Object" */
    assert_null(model_child(f->dev, "bgp"));
}

static void
test_map_oldagent(void **state)
{
    struct fx *f = *state;
    struct lyd_node *rib, *p, *eth0;

    assert_int_equal(map_dir(f, "oldagent"), ER_OK);
    validate(f);
    rib = model_child(f->dev, "rib");
    assert_int_equal(u64(rib, "routes-read"), 2);
    p = find2(find2(rib, "route", "0.0.0.0/0"), "path", "local");
    assert_string_equal(model_str(p, "next-hop"), "192.0.2.1");
    assert_string_equal(model_str(p, "egress-interface"), "eth0");
    /* ipCidrRouteType local(3) with proto local(2): a connected route. */
    find2(find2(rib, "route", "192.0.2.0/24"), "path", "connected");
    eth0 = find2(f->dev, "interface", "eth0");
    assert_int_equal(u64(find2(eth0, "address", "192.0.2.2"), "prefix-length"), 24);
}

/* AS_TRANS (23456) in BGP4-MIB stands for a 4-byte AS: never written as the AS, the reason recorded instead. */
static void
test_map_bgp_as_trans(void **state)
{
    struct fx *f = *state;
    struct lyd_node *bgp, *nb;

    assert_int_equal(map_dir(f, "astrans"), ER_OK);
    validate(f);
    bgp = model_child(f->dev, "bgp");
    assert_non_null(bgp);
    assert_null(model_child(bgp, "local-as"));
    assert_non_null(strstr(model_str(bgp, "local-as-unknown"), "AS_TRANS 23456"));
    nb = find2(bgp, "neighbor", "198.51.100.1");
    assert_null(model_child(nb, "peer-as"));
    assert_non_null(strstr(model_str(nb, "peer-as-unknown"), "AS_TRANS 23456"));
    assert_string_equal(model_str(nb, "state"), "established");
    nb = find2(bgp, "neighbor", "192.0.2.1");
    assert_int_equal(u64(nb, "peer-as"), 12076);
    assert_null(model_child(nb, "peer-as-unknown"));
}

static void
test_map_bgp(void **state)
{
    struct fx *f = *state;
    struct lyd_node *bgp, *nb, *rib, *r, *p;

    assert_int_equal(map_dir(f, "er1"), ER_OK);
    validate(f);
    bgp = model_child(f->dev, "bgp");
    assert_non_null(bgp);
    assert_int_equal(u64(bgp, "local-as"), 65010);
    assert_string_equal(model_str(bgp, "router-id"), "192.0.2.254");
    nb = find2(bgp, "neighbor", "192.0.2.1");
    assert_int_equal(u64(nb, "peer-as"), 12076);
    assert_string_equal(model_str(nb, "state"), "established");
    assert_string_equal(model_str(nb, "state-source"), "state");
    assert_true(model_bool(nb, "enabled", 0));
    assert_string_equal(model_str(nb, "local-address"), "192.0.2.2");
    assert_int_equal(u64(nb, "hold-time"), 90);   /* negotiated */
    assert_int_equal(u64(nb, "keepalive"), 30);
    assert_int_equal(u64(nb, "prefixes-received"), 2);
    nb = find2(bgp, "neighbor", "192.0.2.5");
    assert_string_equal(model_str(nb, "state"), "active");
    assert_int_equal(u64(nb, "hold-time"), 180); /* configured, not established */
    assert_int_equal(u64(nb, "prefixes-received"), 1);
    assert_null(model_str(nb, "local-address"));
    nb = find2(bgp, "neighbor", "198.51.100.1");
    assert_string_equal(model_str(nb, "state"), "idle");
    assert_false(model_bool(nb, "enabled", 1));
    assert_int_equal(u64(nb, "prefixes-received"), 0);
    rib = model_child(f->dev, "rib");
    assert_int_equal(u64(rib, "routes-read"), 4);
    r = find2(rib, "route", "13.107.6.152/31");
    p = find2(r, "path", "192.0.2.1");
    assert_string_equal(model_str(p, "protocol"), "bgp");
    assert_string_equal(model_str(p, "next-hop"), "192.0.2.1");
    assert_string_equal(model_str(p, "as-path"), "12076 8075");
    assert_int_equal(u64(p, "local-preference"), 200);
    assert_true(model_bool(p, "best", 0));
    p = find2(r, "path", "192.0.2.5");
    assert_int_equal(u64(p, "local-preference"), 100);
    assert_false(model_bool(p, "best", 1));
    /* A wrapped Hex-STRING holding an AS_SEQUENCE and an AS_SET; no local-pref (-1). */
    p = find2(find2(rib, "route", "20.190.128.0/18"), "path", "192.0.2.1");
    assert_string_equal(model_str(p, "as-path"), "12076 8075 8075 8075 8075 8075 8075 {8068,8069}");
    assert_null(model_str(p, "local-preference"));
    /* Locally originated: empty AS path, no next hop. */
    p = find2(find2(rib, "route", "203.0.113.0/24"), "path", "0.0.0.0");
    assert_string_equal(model_str(p, "as-path"), "");
    assert_null(model_str(p, "next-hop"));
    assert_true(has_leaflist(f->dev, "source-model", "bgp4-mib"));
}

/* Keeps routes overlapping 13.107.6.0/24 and the default route. */
static int
keep_ms(const struct pfx *route, void *arg)
{
    struct pfx ms;

    (*(int *)arg)++;
    pfx_parse("13.107.6.0/24", &ms, 1);
    return route->len == 0 || pfx_overlaps(route, &ms);
}

static void
test_route_filter(void **state)
{
    struct fx *f = *state;
    struct mib_state *st = mib_state_new(&f->mc);
    uint64_t read, kept;
    struct lyd_node *rib;
    int calls = 0;

    assert_non_null(st);
    mib_set_route_filter(st, keep_ms, &calls);
    assert_int_equal(walkfile_parse(DATA "/er1/snmp/bgpPeerTable.walk", mib_feed_cb, st, &f->err), ER_OK);
    assert_int_equal(walkfile_parse(DATA "/er1/snmp/bgp4PathAttrTable.walk", mib_feed_cb, st, &f->err), ER_OK);
    assert_int_equal(walkfile_parse(DATA "/linux/snmp/inetCidrRouteTable.walk", mib_feed_cb, st, &f->err), ER_OK);
    mib_route_counts(st, &read, &kept);
    assert_int_equal(read, 4 + 9);
    assert_int_equal(kept, 2 + 2); /* two BGP paths of 13.107.6.152/31; 0.0.0.0/0 and ::/0 */
    /* Once per row in its first column; the 7 IP-FORWARD-MIB rows the filter drops are not kept, so each of
     * their 2 later columns asks again (a row only a later column shows must be kept too). */
    assert_int_equal(calls, 13 + 7 * 2);
    assert_int_equal(mib_finish(st), ER_OK);
    mib_state_free(st);
    validate(f);
    rib = model_child(f->dev, "rib");
    assert_int_equal(u64(rib, "routes-read"), 13);
    find2(rib, "route", "13.107.6.152/31");
    find2(rib, "route", "0.0.0.0/0");
    assert_null(model_find(rib, "route", "20.190.128.0/18"));
    assert_null(model_find(rib, "route", "192.0.2.0/24"));
    /* Counts of received paths ignore the filter. */
    assert_int_equal(u64(find2(model_child(f->dev, "bgp"), "neighbor", "192.0.2.1"), "prefixes-received"), 2);
}

static void
test_map_nat(void **state)
{
    struct fx *f = *state;
    struct lyd_node *nat, *pool, *rule, *ifc;

    assert_int_equal(map_dir(f, "fw1"), ER_OK);
    validate(f);
    ifc = find2(f->dev, "interface", "ge-0/0/1");
    assert_string_equal(model_str(ifc, "description"), "to ExpressRoute \"MSEE\"");
    nat = model_child(f->dev, "nat");
    assert_non_null(nat);
    pool = find2(nat, "pool", "PP-SNAT");
    assert_true(has_leaflist(pool, "prefix", "198.51.100.0/28"));
    assert_string_equal(model_str(pool, "interface"), "ge-0/0/1");
    rule = find2(nat, "rule", "PP-SNAT");
    assert_string_equal(model_str(rule, "type"), "source");
    assert_true(has_leaflist(rule, "match-source", "10.0.0.0/16"));
    assert_string_equal(model_str(rule, "pool"), "PP-SNAT");
    assert_string_equal(model_str(rule, "egress-interface"), "ge-0/0/1");
    /* No name: named by its index; a range that is no CIDR block is cut into blocks. */
    pool = find2(nat, "pool", "map-4-2");
    assert_true(has_leaflist(pool, "prefix", "203.0.113.5/32"));
    assert_true(has_leaflist(pool, "prefix", "203.0.113.6/31"));
    assert_true(has_leaflist(pool, "prefix", "203.0.113.8/31"));
    assert_true(has_leaflist(pool, "prefix", "203.0.113.10/32"));
    assert_false(has_leaflist(pool, "prefix", "203.0.113.4/30"));
    assert_true(has_leaflist(find2(nat, "rule", "map-4-2"), "match-source", "172.16.1.0/24"));
}

static void
test_map_wan_utilization(void **state)
{
    struct fx *f = *state;
    struct lyd_node *w0, *w1;

    assert_int_equal(map_dir(f, "wan1"), ER_OK);
    validate(f);
    w0 = find2(f->dev, "interface", "wan0");
    /* 62.5 MB in 10 s on 100 Mb/s; out wraps the 32-bit counter: 12.5 MB. */
    assert_int_equal(u64(w0, "in-utilization"), 50);
    assert_int_equal(u64(w0, "out-utilization"), 10);
    assert_int_equal(u64(w0, "out-octets"), 4294967000u); /* first sample */
    w1 = find2(f->dev, "interface", "wan1");
    assert_int_equal(u64(w1, "speed"), 10000000000u);    /* ifHighSpeed: ifSpeed saturates */
    assert_int_equal(u64(w1, "in-octets"), 1000000000000u); /* HC preferred */
    assert_int_equal(u64(w1, "in-utilization"), 100);
    assert_int_equal(u64(w1, "out-utilization"), 0);
    assert_string_equal(model_str(w1, "oper-status"), "down"); /* lowerLayerDown(7) */
    assert_false(model_bool(w1, "enabled", 1));
}

static void
test_map_errors(void **state)
{
    struct fx *f = *state;

    assert_int_equal(map_dir(f, "no-such-device"), ER_ENOTFOUND);
    assert_int_equal(map_dir(f, "bad-index"), ER_EINVAL);
    assert_non_null(strstr(f->err.msg, "device dev1: "));
    assert_non_null(strstr(f->err.msg, "bad-index/snmp/bgpPeerTable.walk:2: OID .1.3.6.1.2.1.15.3.1.2.192.0.2.1.5: bad index"));
    assert_int_equal(map_dir(f, "bad-order"), ER_EINVAL);
    assert_non_null(strstr(f->err.msg, "device dev1: "));
    assert_non_null(strstr(f->err.msg, "bad-order/snmp/ifTable.walk:4: OID .1.3.6.1.2.1.2.2.1.2.1 does not increase "
            "(previous .1.3.6.1.2.1.2.2.1.2.2)"));
}

/* bgp4PathAttrTable read twice (two walk files of one device hold it): the second replaces the first, and the
 * first's AS path is freed (ASan: no leak). */
static void
test_bgp_path_table_twice_no_leak(void **state)
{
    static const char walk1[] =
        ".1.3.6.1.2.1.15.6.1.1.13.107.6.152.31.192.0.2.1 = IpAddress: 192.0.2.1\n"
        ".1.3.6.1.2.1.15.6.1.5.13.107.6.152.31.192.0.2.1 = Hex-STRING: 02 02 2F 2C 1F 8B \n";
    static const char walk2[] =
        ".1.3.6.1.2.1.15.6.1.1.13.107.6.152.31.192.0.2.1 = IpAddress: 192.0.2.1\n"
        ".1.3.6.1.2.1.15.6.1.5.13.107.6.152.31.192.0.2.1 = Hex-STRING: 02 01 2F 2C \n";
    struct fx *f = *state;
    struct mib_state *st = mib_state_new(&f->mc);
    struct lyd_node *p;

    assert_non_null(st);
    assert_int_equal(walkfile_parse_mem("a.walk", walk1, sizeof walk1 - 1, mib_feed_cb, st, &f->err), ER_OK);
    assert_int_equal(walkfile_parse_mem("b.walk", walk2, sizeof walk2 - 1, mib_feed_cb, st, &f->err), ER_OK);
    assert_int_equal(mib_finish(st), ER_OK);
    mib_state_free(st);
    validate(f);
    p = find2(find2(model_child(f->dev, "rib"), "route", "13.107.6.152/31"), "path", "192.0.2.1");
    assert_string_equal(model_str(p, "as-path"), "12076");
}

/* A routing table of @p rows rows in inetCidrRouteTable form, 6 columns. */
static char *
big_walk(unsigned rows, size_t *len)
{
    static const unsigned cols[] = {7, 8, 9, 10, 11, 12};
    size_t cap = (size_t)rows * 6 * 90, n = 0;
    char *buf = malloc(cap);
    unsigned c, i;

    assert_non_null(buf);
    for (c = 0; c < 6; c++)
        for (i = 0; i < rows; i++)
            n += (size_t)snprintf(buf + n, cap - n, ".1.3.6.1.2.1.4.24.7.1.%u.1.4.%u.%u.%u.0.24.2.0.0.1.4.192.0.2.1 = "
                    "%s: %u\n", cols[c], 1 + i / 65536, i / 256 % 256, i % 256, c == 3 ? "Gauge32" : "INTEGER",
                    c == 0 ? 4 : c == 1 ? 4 : c == 2 ? 14 : 0);
    *len = n;
    return buf;
}

static int
keep_none_but_one(const struct pfx *route, void *arg)
{
    return route->addr[0] == 1 && route->addr[1] == 0 && route->addr[2] == 7;
}

static void
test_bench_parse(void **state)
{
    struct fx *f = *state;
    struct mib_state *st = mib_state_new(&f->mc);
    size_t len;
    char *buf = big_walk(20000, &len); /* 120k varbinds */
    struct timespec t0, t1;
    uint64_t read, kept;
    double ms;

    mib_set_route_filter(st, keep_none_but_one, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(walkfile_parse_mem("big.walk", buf, len, mib_feed_cb, st, &f->err), ER_OK);
    assert_int_equal(mib_finish(st), ER_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    mib_route_counts(st, &read, &kept);
    assert_int_equal(read, 20000);
    assert_int_equal(kept, 1);
    print_message("parsed and decoded 120000 varbinds (%zu bytes) in %.1f ms\n", len, ms);
    mib_state_free(st);
    free(buf);
    validate(f);
    assert_string_equal(model_str(find2(find2(model_child(f->dev, "rib"), "route", "1.0.7.0/24"), "path", "bgp"),
            "next-hop"), "192.0.2.1");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_types),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_reprint_captured),
        cmocka_unit_test(test_aspath),
        cmocka_unit_test_setup_teardown(test_map_linux, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_oldagent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_bgp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_bgp_as_trans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_route_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_nat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_wan_utilization, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bgp_path_table_twice_no_leak, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bench_parse, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
