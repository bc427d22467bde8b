/**
 * @file walkfile_print.c
 * @brief Walk files written: one varbind as the line `snmpbulkwalk -On`
 * prints (walkfile_format_vb), the exact inverse of walkfile.c's reader, so
 * what a collection stores reads back as the same varbinds.
 */
#include "mib.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Appends to a buffer, counting what would not fit (snprintf-like). */
struct wout {
    char *buf;
    size_t size, n;
};

static void
wo_printf(struct wout *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
wo_printf(struct wout *o, const char *fmt, ...)
{
    va_list ap;
    int w;

    va_start(ap, fmt);
    w = vsnprintf(o->n < o->size ? o->buf + o->n : NULL, o->n < o->size ? o->size - o->n : 0, fmt, ap);
    va_end(ap);
    if (w > 0)
        o->n += (size_t)w;
}

static void
wo_char(struct wout *o, char c)
{
    if (o->n + 1 < o->size) {
        o->buf[o->n] = c;
        o->buf[o->n + 1] = '\0';
    }
    o->n++;
}

/* net-snmp prints octets as text when every byte is printable or a space. */
static int
octets_printable(const uint8_t *b, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!isprint(b[i]) && !isspace(b[i]))
            return 0;
    return 1;
}

size_t
walkfile_format_vb(const struct snmp_vb *vb, char *buf, size_t size)
{
    struct wout o = {buf, size, 0};
    size_t i;

    if (size)
        buf[0] = '\0';
    for (i = 0; i < vb->oid_len; i++)
        wo_printf(&o, ".%" PRIu32, vb->oid[i]);
    wo_printf(&o, " = ");
    switch (vb->type) {
    case SNMP_VT_INTEGER:
        wo_printf(&o, "INTEGER: %" PRId64, snmp_vb_int(vb));
        break;
    case SNMP_VT_GAUGE32:
        wo_printf(&o, "Gauge32: %" PRIu64, vb->num);
        break;
    case SNMP_VT_COUNTER32:
        wo_printf(&o, "Counter32: %" PRIu64, vb->num);
        break;
    case SNMP_VT_COUNTER64:
        wo_printf(&o, "Counter64: %" PRIu64, vb->num);
        break;
    case SNMP_VT_TIMETICKS: {
        uint64_t t = vb->num, days = t / 8640000;

        wo_printf(&o, "Timeticks: (%" PRIu64 ") ", t);
        if (days)
            wo_printf(&o, "%" PRIu64 " day%s, ", days, days == 1 ? "" : "s");
        wo_printf(&o, "%u:%02u:%02u.%02u", (unsigned)(t / 360000 % 24), (unsigned)(t / 6000 % 60),
                (unsigned)(t / 100 % 60), (unsigned)(t % 100));
        break;
    }
    case SNMP_VT_OID:
        wo_printf(&o, "OID: ");
        for (i = 0; i < vb->val_oid_len; i++)
            wo_printf(&o, ".%" PRIu32, vb->val_oid[i]);
        break;
    case SNMP_VT_OCTETS:
        if (!vb->n_bytes) {
            wo_printf(&o, "\"\"");
        } else if (octets_printable(vb->bytes, vb->n_bytes)) {
            wo_printf(&o, "STRING: \"");
            for (i = 0; i < vb->n_bytes; i++) {
                if (vb->bytes[i] == '"' || vb->bytes[i] == '\\')
                    wo_char(&o, '\\');
                wo_char(&o, (char)vb->bytes[i]);
            }
            wo_char(&o, '"');
        } else {
            wo_printf(&o, "Hex-STRING: ");
            for (i = 0; i < vb->n_bytes; i++) {
                wo_printf(&o, "%02X ", vb->bytes[i]);
                if (i % 16 == 15 && i + 1 < vb->n_bytes)
                    wo_char(&o, '\n');
            }
        }
        break;
    case SNMP_VT_IPADDRESS:
        if (vb->n_bytes == 4)
            wo_printf(&o, "IpAddress: %u.%u.%u.%u", vb->bytes[0], vb->bytes[1], vb->bytes[2], vb->bytes[3]);
        else
            wo_printf(&o, "IpAddress: 0.0.0.0");
        break;
    case SNMP_VT_NULL:
        wo_printf(&o, "NULL");
        break;
    case SNMP_VT_NOSUCHOBJECT:
        wo_printf(&o, "No Such Object available on this agent at this OID");
        break;
    case SNMP_VT_NOSUCHINSTANCE:
        wo_printf(&o, "No Such Instance currently exists at this OID");
        break;
    case SNMP_VT_ENDOFMIBVIEW:
        wo_printf(&o, "No more variables left in this MIB View (It is past the end of the MIB tree)");
        break;
    }
    wo_char(&o, '\n');
    return o.n;
}
