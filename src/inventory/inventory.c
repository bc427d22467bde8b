/**
 * @file inventory.c
 * @brief Inventory loader (libyaml document API), lookups and secret reading.
 *
 * The whole file is loaded as one libyaml document, then walked against a
 * fixed schema: every mapping is checked against its list of keys, so a typo
 * is an error with file:line:column instead of a silently ignored setting.
 * Sections are parsed in dependency order (auth, devices, circuits, policy)
 * so references can be checked as they are read.
 */
#include "inventory.h"
#include "bound.h"
#include "prefix.h"
#include "yamlscan.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#define INV_MAX_FILE  (4u << 20)   /* an inventory is small; refuse anything huge */
#define INV_MAX_DEPTH 32
#define INV_MAX_KEYS  16

/* Parsing context: the document and where errors go. */
struct ictx {
    const char *name;
    yaml_document_t *doc;
    struct inventory *inv;
    struct er_err *err;
};

static const char *const role_names[] = {"er-edge", "internet-edge", "firewall", "wan", "proxy", NULL};
static const char *const sku_names[] = {"standard", "premium", "local", NULL};
static const char *const faces_names[] = {"expressroute", "internet", "inside", "dmz", NULL};
static const char *const cloud_names[] = {"public", "gcc", "gcc-high", "dod", "china", NULL};
static const char *const sev_names[] = {"info", "low", "medium", "high", "critical", NULL};
static const char *const level_names[] = {"noAuthNoPriv", "authNoPriv", "authPriv", NULL};
static const char *const authp_names[] = {"SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512", "MD5", NULL};
static const char *const privp_names[] = {"AES", "AES-192", "AES-256", "DES", NULL};
static const char *const coll_names[] = {"netconf", "snmp", NULL};

/* ---------------------------------------------------------------- errors */

static er_code __attribute__((format(printf, 3, 4)))
fail(struct ictx *c, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[800];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return er_set(c->err, ER_EINVAL, "%s:%zu:%zu: %s", c->name, n ? n->start_mark.line + 1 : 1,
            n ? n->start_mark.column + 1 : 1, msg);
}

static int
is_null(const yaml_node_t *n)
{
    const char *v;

    if (!n || n->type != YAML_SCALAR_NODE)
        return !n;
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    v = (const char *)n->data.scalar.value;
    return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") || !strcmp(v, "NULL");
}

/* Copy a scalar for a message: quoted, printable, cut short. */
static const char *
quote_scalar(const yaml_node_t *n, char *buf, size_t size)
{
    const unsigned char *v = n->data.scalar.value;
    size_t i, o = 0, len = n->data.scalar.length;

    buf[o++] = '\'';
    for (i = 0; i < len && o + 5 < size; i++)
        buf[o++] = (v[i] >= 0x20 && v[i] < 0x7f) ? (char)v[i] : '?';
    if (i < len) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o++] = '\'';
    buf[o] = '\0';
    return buf;
}

/* What a node is, for the "got ..." half of a message. */
static const char *
describe(const yaml_node_t *n, char *buf, size_t size)
{
    if (!n || is_null(n))
        return "nothing";
    if (n->type == YAML_MAPPING_NODE)
        return "a mapping";
    if (n->type == YAML_SEQUENCE_NODE)
        return "a list";
    return quote_scalar(n, buf, size);
}

static er_code
expect(struct ictx *c, const yaml_node_t *n, const char *what)
{
    char b[96];

    return fail(c, n, "expected %s, got %s", what, describe(n, b, sizeof b));
}

static void
join(const char *const *names, char *buf, size_t size)
{
    size_t i, o = 0;

    buf[0] = '\0';
    for (i = 0; names[i] && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "", names[i]);
}

/* --------------------------------------------------------- node helpers */

static yaml_node_t *
node(struct ictx *c, int idx)
{
    return yaml_document_get_node(c->doc, idx);
}

static const char *
sval(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

/*
 * Match the keys of mapping @map against @keys; vals[i] gets the value of
 * keys[i] or NULL. Unknown and repeated keys are errors.
 */
static er_code
map_fields(struct ictx *c, const yaml_node_t *map, const char *what, const char *const *keys, yaml_node_t **vals)
{
    yaml_node_t *knodes[INV_MAX_KEYS];
    yaml_node_pair_t *p;
    size_t i, nk;
    char list[256], b[96];

    for (nk = 0; keys[nk] && nk < INV_MAX_KEYS; nk++)
        vals[nk] = knodes[nk] = NULL;
    if (!map || map->type != YAML_MAPPING_NODE)
        return expect(c, map, what);
    for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(c, p->key);

        if (k->type != YAML_SCALAR_NODE || is_null(k))
            return expect(c, k, "a key name");
        for (i = 0; i < nk && (strcmp(keys[i], sval(k)) || strlen(keys[i]) != k->data.scalar.length); i++)
            ;
        if (i == nk) {
            join(keys, list, sizeof list);
            return fail(c, k, "unknown key %s (expected one of: %s)", quote_scalar(k, b, sizeof b), list);
        }
        if (knodes[i])
            return fail(c, k, "duplicate key '%s' (first at line %zu)", keys[i], knodes[i]->start_mark.line + 1);
        knodes[i] = k;
        vals[i] = node(c, p->value);
    }
    return ER_OK;
}

static er_code
need(struct ictx *c, const yaml_node_t *map, const yaml_node_t *v, const char *key, const char *where)
{
    return v ? ER_OK : fail(c, map, "expected key '%s' in %s, got none", key, where);
}

/* A non-empty string; absent (n == NULL) leaves *out alone. */
static er_code
get_str(struct ictx *c, const yaml_node_t *n, const char *what, char **out)
{
    if (!n)
        return ER_OK;
    if (n->type != YAML_SCALAR_NODE || is_null(n) || !n->data.scalar.length)
        return expect(c, n, what);
    if (strlen(sval(n)) != n->data.scalar.length)
        return fail(c, n, "expected %s, got text with a NUL byte", what);
    free(*out);
    if (!(*out = strdup(sval(n))))
        return er_set(c->err, ER_ENOMEM, "out of memory");
    return ER_OK;
}

static er_code
get_uint(struct ictx *c, const yaml_node_t *n, const char *what, unsigned long lo, unsigned long hi,
        uint32_t *out)
{
    const char *v;
    unsigned long x = 0;
    size_t i;

    if (!n)
        return ER_OK;
    if (n->type != YAML_SCALAR_NODE || !n->data.scalar.length || n->data.scalar.length > 10)
        return expect(c, n, what);
    v = sval(n);
    for (i = 0; v[i]; i++) {
        if (!isdigit((unsigned char)v[i]))
            return expect(c, n, what);
        x = x * 10 + (unsigned long)(v[i] - '0');
    }
    if (x < lo || x > hi)
        return expect(c, n, what);
    *out = (uint32_t)x;
    return ER_OK;
}

static er_code
get_port(struct ictx *c, const yaml_node_t *n, const char *what, uint16_t *out)
{
    uint32_t v = *out;
    er_code rc = get_uint(c, n, what, 1, 65535, &v);

    *out = (uint16_t)v;
    return rc;
}

static er_code
get_enum(struct ictx *c, const yaml_node_t *n, const char *what, const char *const *names, int *out)
{
    char list[200], msg[300];
    int i;

    if (!n)
        return ER_OK;
    for (i = 0; n->type == YAML_SCALAR_NODE && names[i]; i++) {
        if (!strcmp(names[i], sval(n))) {
            *out = i;
            return ER_OK;
        }
    }
    join(names, list, sizeof list);
    snprintf(msg, sizeof msg, "%s (one of: %s)", what, list);
    return expect(c, n, msg);
}

/* An enum kept as a string in the struct. */
static er_code
get_enum_str(struct ictx *c, const yaml_node_t *n, const char *what, const char *const *names, char **out)
{
    int i = 0;
    er_code rc;

    if (!n)
        return ER_OK;
    if ((rc = get_enum(c, n, what, names, &i)))
        return rc;
    free(*out);
    return (*out = strdup(names[i])) ? ER_OK : er_set(c->err, ER_ENOMEM, "out of memory");
}

static er_code
get_bool(struct ictx *c, const yaml_node_t *n, const char *what, int *out)
{
    static const char *const b[] = {"false", "true", NULL};

    return get_enum(c, n, what, b, out);
}

static er_code
get_strlist(struct ictx *c, const yaml_node_t *n, const char *what, const char *item, char ***v, size_t *cnt)
{
    yaml_node_item_t *it;
    er_code rc;

    if (!n)
        return ER_OK;
    if (n->type != YAML_SEQUENCE_NODE)
        return expect(c, n, what);
    *v = calloc((size_t)(n->data.sequence.items.top - n->data.sequence.items.start) + 1, sizeof **v);
    if (!*v)
        return er_set(c->err, ER_ENOMEM, "out of memory");
    for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        if ((rc = get_str(c, node(c, *it), item, &(*v)[*cnt])))
            return rc;
        (*cnt)++;
    }
    return ER_OK;
}

static int
valid_addr(const char *s)
{
    unsigned char buf[16];

    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/*
 * "addr/len" with the host bits clear, rewritten in canonical form so rules
 * can compare prefixes as text. Returns 0 when @s is not such a prefix.
 */
static int
canon_prefix(char **s)
{
    struct pfx p;
    char buf[PFX_STRLEN], *dup;

    if (!strchr(*s, '/') || pfx_parse(*s, &p, 1))
        return 0;
    pfx_format(&p, buf);
    if (strcmp(buf, *s) && (dup = strdup(buf))) {
        free(*s);
        *s = dup;
    }
    return 1;
}

static int
valid_date(const char *s)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int i, y, m, d;

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return 0;
    }
    y = atoi(s);
    m = atoi(s + 5);
    d = atoi(s + 8);
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    return !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

static int
valid_env_name(const char *s)
{
    if (!isalpha((unsigned char)*s) && *s != '_')
        return 0;
    for (; *s; s++) {
        if (!isalnum((unsigned char)*s) && *s != '_')
            return 0;
    }
    return 1;
}

/* ---------------------------------------------------------------- secrets */

#define SECRET_WHAT "a secret reference {env: NAME} or {file: PATH}"

/* A secret must be a reference; an inline value is refused without echoing it. */
static er_code
get_secret(struct ictx *c, const yaml_node_t *n, struct inv_secret *s)
{
    static const char *const keys[] = {"env", "file", NULL};
    yaml_node_t *v[2];
    er_code rc;

    if (!n)
        return ER_OK;
    if (n->type == YAML_SCALAR_NODE && !is_null(n))
        return fail(c, n, "expected %s, got an inline secret (value not shown; keep secrets out of the inventory)",
                SECRET_WHAT);
    if ((rc = map_fields(c, n, SECRET_WHAT, keys, v)))
        return rc;
    if (!v[0] == !v[1])
        return fail(c, n, "expected exactly one of 'env' or 'file' in %s, got %s", SECRET_WHAT,
                v[0] ? "both" : "neither");
    if (v[0]) {
        if (v[0]->type != YAML_SCALAR_NODE || !valid_env_name(sval(v[0])))
            return fail(c, v[0], "expected an environment variable name ([A-Za-z_][A-Za-z0-9_]*), got something "
                    "else (not shown)");
        s->kind = INV_SECRET_ENV;
        return get_str(c, v[0], "an environment variable name", &s->ref);
    }
    s->kind = INV_SECRET_FILE;
    return get_str(c, v[1], "a file path", &s->ref);
}

/* -------------------------------------------------------------- sections */

/* Each section walks a list of mappings; this allocates its array. */
static er_code
seq_alloc(struct ictx *c, const yaml_node_t *n, const char *what, size_t elem, void **arr)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return expect(c, n, what);
    *arr = calloc((size_t)(n->data.sequence.items.top - n->data.sequence.items.start) + 1, elem);
    return *arr ? ER_OK : er_set(c->err, ER_ENOMEM, "out of memory");
}

static er_code
parse_snmp(struct ictx *c, const yaml_node_t *n, struct inv_auth *a)
{
    static const char *const keys[] = {"version", "community", "user", "level", "auth-protocol", "auth-pass",
            "priv-protocol", "priv-pass", NULL};
    enum { K_VER, K_COMM, K_USER, K_LEVEL, K_AP, K_APASS, K_PP, K_PPASS };
    yaml_node_t *v[8];
    uint32_t ver = 0;
    int i, level = 0;
    er_code rc;
    char where[160];

    snprintf(where, sizeof where, "the snmp settings of auth profile '%s'", a->name);
    if ((rc = map_fields(c, n, "a mapping of SNMP settings", keys, v)) || (rc = need(c, n, v[K_VER], "version", where)))
        return rc;
    if (v[K_VER]->type != YAML_SCALAR_NODE || (strcmp(sval(v[K_VER]), "2") && strcmp(sval(v[K_VER]), "3")))
        return expect(c, v[K_VER], "an SNMP version (2 or 3)");
    ver = (uint32_t)atoi(sval(v[K_VER]));
    a->snmp_version = (int)ver;
    if (ver == 2) {
        for (i = K_USER; i <= K_PPASS; i++) {
            if (v[i])
                return fail(c, v[i], "expected no SNMPv3 settings with version 2, got '%s'", keys[i]);
        }
        if ((rc = need(c, n, v[K_COMM], "community", where)))
            return rc;
        return get_secret(c, v[K_COMM], &a->community);
    }
    if (v[K_COMM])
        return fail(c, v[K_COMM], "expected no community with SNMP version 3, got one");
    if ((rc = need(c, n, v[K_USER], "user", where)) || (rc = need(c, n, v[K_LEVEL], "level", where)) ||
            (rc = get_str(c, v[K_USER], "an SNMPv3 user name", &a->v3_user)) ||
            (rc = get_enum(c, v[K_LEVEL], "a security level", level_names, &level)) ||
            (rc = get_enum_str(c, v[K_LEVEL], "a security level", level_names, &a->v3_level)))
        return rc;
    /* what the level needs must be there, and nothing it does not use */
    for (i = K_AP; i <= K_PPASS; i++) {
        int wanted = (i <= K_APASS) ? level >= 1 : level >= 2;

        if (wanted && (rc = need(c, n, v[i], keys[i], where)))
            return rc;
        if (!wanted && v[i])
            return fail(c, v[i], "expected no '%s' with level %s, got one", keys[i], level_names[level]);
    }
    if ((rc = get_enum_str(c, v[K_AP], "an authentication protocol", authp_names, &a->v3_auth_proto)) ||
            (rc = get_secret(c, v[K_APASS], &a->v3_auth_pass)) ||
            (rc = get_enum_str(c, v[K_PP], "a privacy protocol", privp_names, &a->v3_priv_proto)))
        return rc;
    return get_secret(c, v[K_PPASS], &a->v3_priv_pass);
}

static er_code
parse_auths(struct ictx *c, const yaml_node_t *seq)
{
    static const char *const keys[] = {"name", "username", "key-file", "agent", "password", "snmp", NULL};
    enum { K_NAME, K_USER, K_KEY, K_AGENT, K_PASS, K_SNMP };
    struct inventory *inv = c->inv;
    yaml_node_item_t *it;
    yaml_node_t *v[6];
    size_t j;
    er_code rc;

    if ((rc = seq_alloc(c, seq, "a list of auth profiles", sizeof *inv->auths, (void **)&inv->auths)))
        return rc;
    for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
        yaml_node_t *m = node(c, *it);
        struct inv_auth *a = &inv->auths[inv->n_auths++];

        a->line = (int)m->start_mark.line + 1;
        if ((rc = map_fields(c, m, "an auth profile (a mapping)", keys, v)) ||
                (rc = need(c, m, v[K_NAME], "name", "auth profile")) ||
                (rc = get_str(c, v[K_NAME], "an auth profile name", &a->name)))
            return rc;
        for (j = 0; j + 1 < inv->n_auths; j++) {
            if (!strcmp(inv->auths[j].name, a->name))
                return fail(c, v[K_NAME], "duplicate auth profile '%s' (first at line %d)", a->name,
                        inv->auths[j].line);
        }
        if ((rc = get_str(c, v[K_USER], "a user name", &a->username)) ||
                (rc = get_str(c, v[K_KEY], "a private key file path", &a->key_file)) ||
                (rc = get_bool(c, v[K_AGENT], "true or false", &a->use_agent)) ||
                (rc = get_secret(c, v[K_PASS], &a->password)))
            return rc;
        if ((a->key_file || a->use_agent || a->password.kind) && !a->username)
            return fail(c, m, "expected key 'username' in auth profile '%s' (it has SSH settings), got none", a->name);
        if (v[K_SNMP] && (rc = parse_snmp(c, v[K_SNMP], a)))
            return rc;
        if (!a->username && !a->snmp_version)
            return fail(c, m, "expected SSH settings (username) or 'snmp' in auth profile '%s', got neither", a->name);
    }
    return ER_OK;
}

static er_code
parse_zones(struct ictx *c, const yaml_node_t *seq, struct inv_device *d)
{
    static const char *const keys[] = {"name", "faces", "interfaces", NULL};
    yaml_node_item_t *it;
    yaml_node_t *v[3];
    size_t j;
    er_code rc;
    char where[160];

    if ((rc = seq_alloc(c, seq, "a list of zones", sizeof *d->zones, (void **)&d->zones)))
        return rc;
    snprintf(where, sizeof where, "a zone of device '%s'", d->name);
    for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
        yaml_node_t *m = node(c, *it);
        struct inv_zone *z = &d->zones[d->n_zones++];

        if ((rc = map_fields(c, m, "a zone (a mapping)", keys, v)) || (rc = need(c, m, v[0], "name", where)) ||
                (rc = need(c, m, v[1], "faces", where)) || (rc = get_str(c, v[0], "a zone name", &z->name)) ||
                (rc = get_enum_str(c, v[1], "what the zone faces", faces_names, &z->faces)) ||
                (rc = get_strlist(c, v[2], "a list of interface names", "an interface name", &z->interfaces,
                        &z->n_interfaces)))
            return rc;
        for (j = 0; j + 1 < d->n_zones; j++) {
            if (!strcmp(d->zones[j].name, z->name))
                return fail(c, v[0], "duplicate zone '%s' in device '%s'", z->name, d->name);
        }
    }
    return ER_OK;
}

/* The device's auth profile must exist and carry what its collectors use. */
static er_code
check_device_auth(struct ictx *c, const yaml_node_t *n, const struct inv_device *d)
{
    const struct inv_auth *a = inv_auth_find(c->inv, d->auth);
    char b[96];

    if (!a)
        return fail(c, n, "expected the name of an auth profile, got %s", describe(n, b, sizeof b));
    if ((d->collectors & INV_COLLECT_NETCONF) && !a->username)
        return fail(c, n, "expected an auth profile with SSH settings for the netconf collector, got '%s' "
                "(no username)", a->name);
    if ((d->collectors & INV_COLLECT_SNMP) && !a->snmp_version)
        return fail(c, n, "expected an auth profile with snmp settings for the snmp collector, got '%s' "
                "(no snmp)", a->name);
    return ER_OK;
}

/* The slot of device @p name in the name index: its own, or the empty one it would take. */
static uint32_t *
name_slot(const struct inventory *inv, const char *name)
{
    return names_slot(&inv->device_names, name, inv->devices, sizeof *inv->devices,
            offsetof(struct inv_device, name));
}

static er_code
parse_devices(struct ictx *c, const yaml_node_t *seq)
{
    static const char *const keys[] = {"name", "host", "port", "snmp-port", "role", "site", "collectors", "auth",
            "zones", NULL};
    enum { K_NAME, K_HOST, K_PORT, K_SPORT, K_ROLE, K_SITE, K_COLL, K_AUTH, K_ZONES };
    struct inventory *inv = c->inv;
    yaml_node_item_t *it;
    yaml_node_t *v[9];
    uint32_t *slot;
    size_t j;
    er_code rc;
    char where[160], qb[96];
    const char *why;

    if ((rc = seq_alloc(c, seq, "a list of devices", sizeof *inv->devices, (void **)&inv->devices)))
        return rc;
    if (seq->data.sequence.items.top == seq->data.sequence.items.start)
        return expect(c, seq, "at least one device");
    if (names_init(&inv->device_names, (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start)))
        return er_set(c->err, ER_ENOMEM, "out of memory");
    for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
        yaml_node_t *m = node(c, *it);
        struct inv_device *d = &inv->devices[inv->n_devices++];
        int role = 0;

        d->line = (int)m->start_mark.line + 1;
        d->port = 830;
        d->snmp_port = 161;
        d->collectors = INV_COLLECT_NETCONF;
        if ((rc = map_fields(c, m, "a device (a mapping)", keys, v)) ||
                (rc = need(c, m, v[K_NAME], "name", "device")) ||
                (rc = get_str(c, v[K_NAME], "a device name", &d->name)))
            return rc;
        /* The name becomes a directory of the snapshot: it must stay one path component. */
        if ((why = names_bad(d->name)))
            return fail(c, v[K_NAME], "expected a device name of letters, digits, '.', '_' and '-' (not starting "
                    "with '.' or '-', at most %d), got %s: it %s", NAMES_MAX_LEN,
                    quote_scalar(v[K_NAME], qb, sizeof qb), why);
        slot = name_slot(inv, d->name);
        if (*slot) {
            j = *slot - 1;
            return fail(c, v[K_NAME], "duplicate device '%s' (first at line %d)", d->name, inv->devices[j].line);
        }
        *slot = (uint32_t)inv->n_devices;
        snprintf(where, sizeof where, "device '%s'", d->name);
        if ((rc = need(c, m, v[K_HOST], "host", where)) || (rc = need(c, m, v[K_ROLE], "role", where)) ||
                (rc = get_str(c, v[K_HOST], "a host name or address", &d->host)) ||
                (rc = get_port(c, v[K_PORT], "a port number 1-65535", &d->port)) ||
                (rc = get_port(c, v[K_SPORT], "a port number 1-65535", &d->snmp_port)) ||
                (rc = get_enum(c, v[K_ROLE], "a device role", role_names, &role)) ||
                (rc = get_str(c, v[K_SITE], "a site name", &d->site)) ||
                (rc = get_str(c, v[K_AUTH], "an auth profile name", &d->auth)))
            return rc;
        d->role = (enum inv_role)role;
        if (strpbrk(d->host, " \t\r\n"))
            return expect(c, v[K_HOST], "a host name or address without spaces");
        if (v[K_COLL]) {
            yaml_node_item_t *ci;

            if (v[K_COLL]->type != YAML_SEQUENCE_NODE)
                return expect(c, v[K_COLL], "a list of collectors ([netconf, snmp])");
            d->collectors = 0;
            for (ci = v[K_COLL]->data.sequence.items.start; ci < v[K_COLL]->data.sequence.items.top; ci++) {
                int k = 0;

                if ((rc = get_enum(c, node(c, *ci), "a collector", coll_names, &k)))
                    return rc;
                d->collectors |= 1u << k;
            }
        }
        if (d->auth && (rc = check_device_auth(c, v[K_AUTH], d)))
            return rc;
        if (v[K_ZONES] && (rc = parse_zones(c, v[K_ZONES], d)))
            return rc;
    }
    return ER_OK;
}

static er_code
parse_end(struct ictx *c, const yaml_node_t *n, const char *where, struct inv_circuit_end *e)
{
    static const char *const keys[] = {"device", "neighbor", NULL};
    yaml_node_t *v[2];
    char b[96];
    er_code rc;

    if ((rc = map_fields(c, n, "a circuit end {device: NAME, neighbor: ADDRESS}", keys, v)) ||
            (rc = need(c, n, v[0], "device", where)) || (rc = get_str(c, v[0], "a device name", &e->device)) ||
            (rc = get_str(c, v[1], "an IP address", &e->neighbor)))
        return rc;
    if (!inv_device_find(c->inv, e->device))
        return fail(c, v[0], "expected the name of a device, got %s", describe(v[0], b, sizeof b));
    if (e->neighbor && !valid_addr(e->neighbor))
        return expect(c, v[1], "an IPv4 or IPv6 address");
    return ER_OK;
}

static er_code
parse_circuits(struct ictx *c, const yaml_node_t *seq)
{
    static const char *const keys[] = {"name", "sku", "peering-location", "bandwidth-mbps", "primary", "secondary",
            "prefixes", NULL};
    enum { K_NAME, K_SKU, K_LOC, K_BW, K_PRI, K_SEC, K_PFX };
    struct inventory *inv = c->inv;
    yaml_node_item_t *it;
    yaml_node_t *v[7];
    size_t j;
    er_code rc;
    char where[160];

    if ((rc = seq_alloc(c, seq, "a list of circuits", sizeof *inv->circuits, (void **)&inv->circuits)))
        return rc;
    for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
        yaml_node_t *m = node(c, *it);
        struct inv_circuit *ci = &inv->circuits[inv->n_circuits++];

        ci->line = (int)m->start_mark.line + 1;
        if ((rc = map_fields(c, m, "a circuit (a mapping)", keys, v)) ||
                (rc = need(c, m, v[K_NAME], "name", "circuit")) ||
                (rc = get_str(c, v[K_NAME], "a circuit name", &ci->name)))
            return rc;
        for (j = 0; j + 1 < inv->n_circuits; j++) {
            if (!strcmp(inv->circuits[j].name, ci->name))
                return fail(c, v[K_NAME], "duplicate circuit '%s' (first at line %d)", ci->name,
                        inv->circuits[j].line);
        }
        snprintf(where, sizeof where, "circuit '%s'", ci->name);
        if ((rc = need(c, m, v[K_SKU], "sku", where)) || (rc = need(c, m, v[K_PRI], "primary", where)) ||
                (rc = get_enum_str(c, v[K_SKU], "a circuit SKU", sku_names, &ci->sku)) ||
                (rc = get_str(c, v[K_LOC], "a peering location", &ci->peering_location)) ||
                (rc = get_uint(c, v[K_BW], "a bandwidth in Mbps (1-4294967295)", 1, UINT32_MAX, &ci->bandwidth_mbps)) ||
                (rc = parse_end(c, v[K_PRI], where, &ci->primary)) ||
                (v[K_SEC] && (rc = parse_end(c, v[K_SEC], where, &ci->secondary))) ||
                (rc = get_strlist(c, v[K_PFX], "a list of prefixes", "a prefix", &ci->prefixes, &ci->n_prefixes)))
            return rc;
        for (j = 0; j < ci->n_prefixes; j++) {
            if (!canon_prefix(&ci->prefixes[j]))
                return expect(c, node(c, v[K_PFX]->data.sequence.items.start[j]),
                        "a prefix ADDRESS/LENGTH with the host bits clear");
        }
    }
    return ER_OK;
}

static er_code
parse_tenant(struct ictx *c, const yaml_node_t *n)
{
    static const char *const keys[] = {"cloud", "power-platform-region", "azure-regions", "user-sites", NULL};
    static const char *const skeys[] = {"name", "geo-region", "users", NULL};
    struct inventory *inv = c->inv;
    yaml_node_item_t *it;
    yaml_node_t *v[4], *s[3];
    size_t j;
    er_code rc;

    if ((rc = map_fields(c, n, "a mapping of tenant settings", keys, v)) ||
            (rc = get_enum_str(c, v[0], "a cloud", cloud_names, &inv->cloud)) ||
            (rc = get_str(c, v[1], "a Power Platform region", &inv->pp_region)) ||
            (rc = get_strlist(c, v[2], "a list of Azure regions", "an Azure region", &inv->azure_regions,
                    &inv->n_azure_regions)))
        return rc;
    if (!v[3])
        return ER_OK;
    if ((rc = seq_alloc(c, v[3], "a list of user sites", sizeof *inv->sites, (void **)&inv->sites)))
        return rc;
    for (it = v[3]->data.sequence.items.start; it < v[3]->data.sequence.items.top; it++) {
        yaml_node_t *m = node(c, *it);
        struct inv_site *site = &inv->sites[inv->n_sites++];

        if ((rc = map_fields(c, m, "a user site (a mapping)", skeys, s)) ||
                (rc = need(c, m, s[0], "name", "user site")) || (rc = get_str(c, s[0], "a site name", &site->name)) ||
                (rc = get_str(c, s[1], "a geopolitical region", &site->geo_region)) ||
                (rc = get_uint(c, s[2], "a number of users", 0, UINT32_MAX, &site->users)))
            return rc;
        for (j = 0; j + 1 < inv->n_sites; j++) {
            if (!strcmp(inv->sites[j].name, site->name))
                return fail(c, s[0], "duplicate user site '%s'", site->name);
        }
    }
    return ER_OK;
}

/* services: pac-hosts: {NAME: ADDRESS, ...} */
static er_code
parse_pac_hosts(struct ictx *c, const yaml_node_t *n)
{
    struct inventory *inv = c->inv;
    yaml_node_pair_t *p;
    size_t j;
    er_code rc;

    if (n->type != YAML_MAPPING_NODE)
        return expect(c, n, "a mapping HOST-NAME: ADDRESS");
    inv->pac_hosts = calloc((size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start) + 1,
            sizeof *inv->pac_hosts);
    if (!inv->pac_hosts)
        return er_set(c->err, ER_ENOMEM, "out of memory");
    for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        struct inv_pac_host *h = &inv->pac_hosts[inv->n_pac_hosts++];

        if ((rc = get_str(c, node(c, p->key), "a host name", &h->name)) ||
                (rc = get_str(c, node(c, p->value), "an IPv4 or IPv6 address", &h->addr)))
            return rc;
        if (!h->name[0] || strpbrk(h->name, " \t/"))
            return fail(c, node(c, p->key), "expected a host name, got '%s'", h->name);
        if (!valid_addr(h->addr))
            return expect(c, node(c, p->value), "an IPv4 or IPv6 address");
        for (j = 0; j + 1 < inv->n_pac_hosts; j++) {
            if (!strcasecmp(inv->pac_hosts[j].name, h->name))
                return fail(c, node(c, p->key), "duplicate key '%s'", h->name);
        }
    }
    return ER_OK;
}

static er_code
parse_services(struct ictx *c, const yaml_node_t *n)
{
    static const char *const keys[] = {"service-tags", "m365-endpoints", "reference-data", "pac-file",
        "pac-client-address", "pac-hosts", NULL};
    yaml_node_t *v[6];
    er_code rc;

    if ((rc = map_fields(c, n, "a mapping of service data paths", keys, v)) ||
            (rc = get_str(c, v[0], "a file path", &c->inv->service_tags)) ||
            (rc = get_str(c, v[1], "a file path", &c->inv->m365_endpoints)) ||
            (rc = get_str(c, v[3], "a file path", &c->inv->pac_file)) ||
            (rc = get_str(c, v[4], "an IPv4 or IPv6 address", &c->inv->pac_client_address)))
        return rc;
    if (v[4] && !valid_addr(c->inv->pac_client_address))
        return expect(c, v[4], "an IPv4 or IPv6 address");
    if (v[5] && (rc = parse_pac_hosts(c, v[5])))
        return rc;
    c->inv->service_tags_line = v[0] ? (int)v[0]->start_mark.line + 1 : 0;
    c->inv->m365_endpoints_line = v[1] ? (int)v[1]->start_mark.line + 1 : 0;
    c->inv->reference_data_line = v[2] ? (int)v[2]->start_mark.line + 1 : 0;
    c->inv->pac_file_line = v[3] ? (int)v[3]->start_mark.line + 1 : 0;
    return get_str(c, v[2], "a directory path", &c->inv->reference_data);
}

static er_code
parse_overrides(struct ictx *c, const yaml_node_t *n)
{
    struct inventory *inv = c->inv;
    yaml_node_pair_t *p;
    size_t j;
    er_code rc;

    if (n->type != YAML_MAPPING_NODE)
        return expect(c, n, "a mapping RULE: SEVERITY");
    inv->overrides = calloc((size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start) + 1,
            sizeof *inv->overrides);
    if (!inv->overrides)
        return er_set(c->err, ER_ENOMEM, "out of memory");
    for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        struct inv_override *o = &inv->overrides[inv->n_overrides++];

        if ((rc = get_str(c, node(c, p->key), "a rule id", &o->rule)) ||
                (rc = get_enum_str(c, node(c, p->value), "a severity", sev_names, &o->severity)))
            return rc;
        for (j = 0; j + 1 < inv->n_overrides; j++) {
            if (!strcmp(inv->overrides[j].rule, o->rule))
                return fail(c, node(c, p->key), "duplicate key '%s'", o->rule);
        }
    }
    return ER_OK;
}

static er_code
parse_policy(struct ictx *c, const yaml_node_t *n)
{
    static const char *const keys[] = {"fail-on", "severity-overrides", "waivers", NULL};
    static const char *const wkeys[] = {"rule", "device", "circuit", "owner", "reason", "expires", NULL};
    enum { W_RULE, W_DEV, W_CIRC, W_OWNER, W_REASON, W_EXP };
    struct inventory *inv = c->inv;
    yaml_node_item_t *it;
    yaml_node_t *v[3], *w[6];
    char b[96];
    size_t j;
    er_code rc;

    if ((rc = map_fields(c, n, "a mapping of policy settings", keys, v)) ||
            (rc = get_enum_str(c, v[0], "a severity", sev_names, &inv->fail_on)) ||
            (v[1] && (rc = parse_overrides(c, v[1]))))
        return rc;
    if (!v[2])
        return ER_OK;
    if ((rc = seq_alloc(c, v[2], "a list of waivers", sizeof *inv->waivers, (void **)&inv->waivers)))
        return rc;
    for (it = v[2]->data.sequence.items.start; it < v[2]->data.sequence.items.top; it++) {
        yaml_node_t *m = node(c, *it);
        struct inv_waiver *wv = &inv->waivers[inv->n_waivers++];

        wv->line = (int)m->start_mark.line + 1;
        if ((rc = map_fields(c, m, "a waiver (a mapping)", wkeys, w)))
            return rc;
        for (j = 0; j < 6; j++) {
            if (j != W_DEV && j != W_CIRC && (rc = need(c, m, w[j], wkeys[j], "waiver")))
                return rc;
        }
        if ((rc = get_str(c, w[W_RULE], "a rule id", &wv->rule)) ||
                (rc = get_str(c, w[W_DEV], "a device name", &wv->device)) ||
                (rc = get_str(c, w[W_CIRC], "a circuit name", &wv->circuit)) ||
                (rc = get_str(c, w[W_OWNER], "an owner", &wv->owner)) ||
                (rc = get_str(c, w[W_REASON], "a reason", &wv->reason)) ||
                (rc = get_str(c, w[W_EXP], "a date YYYY-MM-DD", &wv->expires)))
            return rc;
        if (wv->device && !inv_device_find(inv, wv->device))
            return fail(c, w[W_DEV], "expected the name of a device, got %s", describe(w[W_DEV], b, sizeof b));
        for (j = 0; wv->circuit && j < inv->n_circuits && strcmp(inv->circuits[j].name, wv->circuit); j++)
            ;
        if (wv->circuit && j == inv->n_circuits)
            return fail(c, w[W_CIRC], "expected the name of a circuit, got %s", describe(w[W_CIRC], b, sizeof b));
        if (!valid_date(wv->expires))
            return expect(c, w[W_EXP], "a valid date YYYY-MM-DD");
    }
    return ER_OK;
}

/* Answers to checklist questions that no rule can measure. */
static er_code
parse_attestations(struct ictx *c, const yaml_node_t *n)
{
    static const char *const keys[] = {"question", "answer", "by", "date", "evidence", NULL};
    enum { A_Q, A_ANS, A_BY, A_DATE, A_EV };
    struct inventory *inv = c->inv;
    yaml_node_item_t *it;
    yaml_node_t *v[5];
    size_t j;
    er_code rc;

    if ((rc = seq_alloc(c, n, "a list of attestations", sizeof *inv->attestations, (void **)&inv->attestations)))
        return rc;
    for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        yaml_node_t *m = node(c, *it);
        struct inv_attestation *a = &inv->attestations[inv->n_attestations++];

        a->line = (int)m->start_mark.line + 1;
        if ((rc = map_fields(c, m, "an attestation (a mapping)", keys, v)))
            return rc;
        for (j = 0; j < A_EV; j++) {
            if ((rc = need(c, m, v[j], keys[j], "attestation")))
                return rc;
        }
        if ((rc = get_str(c, v[A_Q], "a checklist question id", &a->question)) ||
                (rc = get_str(c, v[A_ANS], "an answer", &a->answer)) ||
                (rc = get_str(c, v[A_BY], "who answered", &a->by)) ||
                (rc = get_str(c, v[A_DATE], "a date YYYY-MM-DD", &a->date)) ||
                (rc = get_str(c, v[A_EV], "where the evidence is", &a->evidence)))
            return rc;
        if (!valid_date(a->date))
            return expect(c, v[A_DATE], "a valid date YYYY-MM-DD");
        for (j = 0; j + 1 < inv->n_attestations; j++) {
            if (!strcmp(inv->attestations[j].question, a->question))
                return fail(c, v[A_Q], "question '%s' is attested already (line %d)", a->question,
                        inv->attestations[j].line);
        }
    }
    return ER_OK;
}

static er_code
parse_top(struct ictx *c, const yaml_node_t *root)
{
    static const char *const keys[] = {"known-hosts", "auth", "devices", "circuits", "tenant", "services", "policy",
            "user-rules", "attestations", NULL};
    enum { T_KH, T_AUTH, T_DEV, T_CIRC, T_TEN, T_SERV, T_POL, T_UR, T_ATT };
    yaml_node_t *v[9];
    er_code rc;

    if ((rc = map_fields(c, root, "a mapping of inventory keys", keys, v)) ||
            (rc = need(c, root, v[T_DEV], "devices", "the inventory")) ||
            (rc = get_str(c, v[T_KH], "a known_hosts file path", &c->inv->known_hosts)) ||
            (v[T_AUTH] && (rc = parse_auths(c, v[T_AUTH]))) || (rc = parse_devices(c, v[T_DEV])) ||
            (v[T_CIRC] && (rc = parse_circuits(c, v[T_CIRC]))) || (v[T_TEN] && (rc = parse_tenant(c, v[T_TEN]))) ||
            (v[T_SERV] && (rc = parse_services(c, v[T_SERV]))) || (v[T_POL] && (rc = parse_policy(c, v[T_POL]))) ||
            (rc = get_str(c, v[T_UR], "a user rules file path", &c->inv->user_rules)) ||
            (v[T_ATT] && (rc = parse_attestations(c, v[T_ATT]))))
        return rc;
    c->inv->user_rules_line = v[T_UR] ? (int)v[T_UR]->start_mark.line + 1 : 0;
    /* defaults that the printer writes out, so a round trip is exact */
    if (!c->inv->cloud && !(c->inv->cloud = strdup("public")))
        return er_set(c->err, ER_ENOMEM, "out of memory");
    if (!c->inv->fail_on && !(c->inv->fail_on = strdup("high")))
        return er_set(c->err, ER_ENOMEM, "out of memory");
    return ER_OK;
}

/* ---------------------------------------------------------- whole file */

/* Aliases make one node appear twice; depth is bounded so the walk is too. */
static er_code
check_tree(struct ictx *c, int idx, unsigned char *seen, int depth)
{
    yaml_node_t *n = node(c, idx);
    yaml_node_item_t *it;
    yaml_node_pair_t *p;
    er_code rc;

    if (depth > INV_MAX_DEPTH)
        return fail(c, n, "expected at most %d levels of nesting, got more", INV_MAX_DEPTH);
    if (seen[idx])
        return fail(c, n, "expected plain YAML, got a node reused through an alias (anchors and aliases are not "
                "supported)");
    seen[idx] = 1;
    if (n->type == YAML_SEQUENCE_NODE) {
        for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
            if ((rc = check_tree(c, *it, seen, depth + 1)))
                return rc;
        }
    } else if (n->type == YAML_MAPPING_NODE) {
        for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
            if ((rc = check_tree(c, p->key, seen, depth + 1)) || (rc = check_tree(c, p->value, seen, depth + 1)))
                return rc;
        }
    }
    return ER_OK;
}

/* Tabs may not indent YAML; say so plainly rather than via a scanner error. */
static er_code
check_tabs(const char *name, const char *buf, size_t len, struct er_err *err)
{
    size_t i = 0, line = 1, col;

    while (i < len) {
        for (col = 1; i < len && (buf[i] == ' ' || buf[i] == '\t'); i++, col++) {
            if (buf[i] == '\t' && i + 1 < len && buf[i + 1] != '#' && buf[i + 1] != '\n' && buf[i + 1] != '\r')
                return er_set(err, ER_EINVAL, "%s:%zu:%zu: expected spaces for indentation, got a tab", name, line,
                        col);
        }
        while (i < len && buf[i] != '\n')
            i++;
        i++;
        line++;
    }
    return ER_OK;
}

static er_code
syntax_error(const char *name, const yaml_parser_t *p, const char *buf, size_t len, struct er_err *err)
{
    size_t line = p->problem_mark.line + 1, col = p->problem_mark.column + 1, i;

    if (p->error == YAML_MEMORY_ERROR)
        return er_set(err, ER_ENOMEM, "%s: out of memory", name);
    if (p->error == YAML_READER_ERROR) {
        /* the reader reports a byte offset, not a mark */
        for (i = 0, line = 1, col = 1; i < p->problem_offset && i < len; i++) {
            line += buf[i] == '\n';
            col = buf[i] == '\n' ? 1 : col + 1;
        }
    }
    if (p->context)
        return er_set(err, ER_EINVAL, "%s:%zu:%zu: expected valid YAML, got a syntax error: %s (%s at line %zu)", name,
                line, col, p->problem ? p->problem : "?", p->context, p->context_mark.line + 1);
    return er_set(err, ER_EINVAL, "%s:%zu:%zu: expected valid YAML, got a syntax error: %s", name, line, col,
            p->problem ? p->problem : "?");
}

er_code
inv_load_mem(const char *name, const char *buf, size_t len, struct inventory **inv, struct er_err *err)
{
    yaml_parser_t parser;
    yaml_document_t doc, doc2;
    yaml_node_t *root, *root2;
    struct ictx c = {.name = name, .doc = &doc, .err = err};
    unsigned char *seen = NULL;
    int have_doc = 0;
    er_code rc = ER_OK;

    *inv = NULL;
    if ((rc = check_tabs(name, buf, len, err)))
        return rc;
    /* libyaml is quadratic in nesting: refuse deep text before it reads any. */
    if ((rc = yamlscan_check(name, buf, len, INV_MAX_DEPTH, INV_MAX_FILE, err)))
        return rc;
    if (!yaml_parser_initialize(&parser))
        return er_set(err, ER_ENOMEM, "%s: out of memory", name);
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    ER_CHECK_GOTO(!yaml_parser_load(&parser, &doc), rc, syntax_error(name, &parser, buf, len, err), cleanup);
    have_doc = 1;
    if (!(root = yaml_document_get_root_node(&doc))) {
        rc = er_set(err, ER_EINVAL, "%s:1:1: expected a mapping of inventory keys, got an empty file", name);
        goto cleanup;
    }
    ER_CHECK_GOTO(!yaml_parser_load(&parser, &doc2), rc, syntax_error(name, &parser, buf, len, err), cleanup);
    if ((root2 = yaml_document_get_root_node(&doc2))) {
        size_t l = root2->start_mark.line + 1, col = root2->start_mark.column + 1;

        yaml_document_delete(&doc2);
        rc = er_set(err, ER_EINVAL, "%s:%zu:%zu: expected one YAML document, got a second one", name, l, col);
        goto cleanup;
    }
    yaml_document_delete(&doc2);
    seen = calloc((size_t)(doc.nodes.top - doc.nodes.start) + 1, 1);
    ER_CHECK_GOTO(!seen, rc, er_set(err, ER_ENOMEM, "out of memory"), cleanup);
    ER_TRY(rc, check_tree(&c, 1, seen, 0), cleanup);

    c.inv = calloc(1, sizeof *c.inv);
    ER_CHECK_GOTO(!c.inv || !(c.inv->path = strdup(name)), rc, er_set(err, ER_ENOMEM, "out of memory"), cleanup);
    ER_TRY(rc, parse_top(&c, root), cleanup);
    *inv = c.inv;
    c.inv = NULL;

cleanup:
    inv_free(c.inv);
    free(seen);
    if (have_doc)
        yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return rc;
}

er_code
inv_load(const char *path, struct inventory **inv, struct er_err *err)
{
    FILE *f;
    er_code rc;

    *inv = NULL;
    if (!(f = fopen(path, "rb")))
        return er_set(err, ER_EIO, "%s: cannot read: %s", path, strerror(errno));
    rc = inv_load_fp(f, path, inv, err);
    fclose(f);
    return rc;
}

er_code
inv_load_fp(FILE *f, const char *path, struct inventory **inv, struct er_err *err)
{
    char *buf = NULL;
    size_t len;
    struct stat st;
    er_code rc = ER_OK;

    *inv = NULL;
    /* Refused by its size before any of it is read. */
    ER_CHECK_GOTO(fstat(fileno(f), &st), rc, er_set(err, ER_EIO, "%s: cannot read: %s", path, strerror(errno)),
            cleanup);
    ER_TRY(rc, bound_check(path, (uint64_t)st.st_size, bound_cap(), err), cleanup);
    ER_CHECK_GOTO(S_ISREG(st.st_mode) && st.st_size > (off_t)INV_MAX_FILE, rc,
            er_set(err, ER_EINVAL, "%s:1:1: expected an inventory under %u bytes, got %jd bytes", path,
                    INV_MAX_FILE, (intmax_t)st.st_size), cleanup);
    ER_CHECK_GOTO(!(buf = malloc(INV_MAX_FILE + 1)), rc, er_set(err, ER_ENOMEM, "out of memory"), cleanup);
    len = fread(buf, 1, INV_MAX_FILE + 1, f);
    ER_CHECK_GOTO(ferror(f), rc, er_set(err, ER_EIO, "%s: cannot read: %s", path, strerror(errno)), cleanup);
    ER_CHECK_GOTO(len > INV_MAX_FILE, rc,
            er_set(err, ER_EINVAL, "%s:1:1: expected an inventory under %u bytes, got a bigger file", path,
                    INV_MAX_FILE), cleanup);
    rc = inv_load_mem(path, buf, len, inv, err);

cleanup:
    free(buf);
    return rc;
}

/* ------------------------------------------------------ free and lookup */

static void
strv_free(char **v, size_t n)
{
    size_t i;

    for (i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static void
auth_free(struct inv_auth *a)
{
    free(a->name);
    free(a->username);
    free(a->key_file);
    free(a->password.ref);
    free(a->community.ref);
    free(a->v3_user);
    free(a->v3_level);
    free(a->v3_auth_proto);
    free(a->v3_auth_pass.ref);
    free(a->v3_priv_proto);
    free(a->v3_priv_pass.ref);
}

static void
device_free(struct inv_device *d)
{
    size_t i;

    free(d->name);
    free(d->host);
    free(d->site);
    free(d->auth);
    for (i = 0; i < d->n_zones; i++) {
        free(d->zones[i].name);
        free(d->zones[i].faces);
        strv_free(d->zones[i].interfaces, d->zones[i].n_interfaces);
    }
    free(d->zones);
}

static void
circuit_free(struct inv_circuit *c)
{
    free(c->name);
    free(c->sku);
    free(c->peering_location);
    free(c->primary.device);
    free(c->primary.neighbor);
    free(c->secondary.device);
    free(c->secondary.neighbor);
    strv_free(c->prefixes, c->n_prefixes);
}

void
inv_free(struct inventory *inv)
{
    size_t i;

    if (!inv)
        return;
    for (i = 0; i < inv->n_auths; i++)
        auth_free(&inv->auths[i]);
    for (i = 0; i < inv->n_devices; i++)
        device_free(&inv->devices[i]);
    names_free(&inv->device_names);
    for (i = 0; i < inv->n_circuits; i++)
        circuit_free(&inv->circuits[i]);
    for (i = 0; i < inv->n_sites; i++) {
        free(inv->sites[i].name);
        free(inv->sites[i].geo_region);
    }
    for (i = 0; i < inv->n_overrides; i++) {
        free(inv->overrides[i].rule);
        free(inv->overrides[i].severity);
    }
    for (i = 0; i < inv->n_waivers; i++) {
        struct inv_waiver *w = &inv->waivers[i];

        free(w->rule);
        free(w->device);
        free(w->circuit);
        free(w->owner);
        free(w->reason);
        free(w->expires);
    }
    free(inv->auths);
    free(inv->devices);
    free(inv->circuits);
    free(inv->sites);
    free(inv->overrides);
    free(inv->waivers);
    strv_free(inv->azure_regions, inv->n_azure_regions);
    free(inv->path);
    free(inv->known_hosts);
    free(inv->cloud);
    free(inv->pp_region);
    free(inv->service_tags);
    free(inv->m365_endpoints);
    free(inv->reference_data);
    free(inv->pac_file);
    free(inv->pac_client_address);
    for (i = 0; i < inv->n_pac_hosts; i++) {
        free(inv->pac_hosts[i].name);
        free(inv->pac_hosts[i].addr);
    }
    free(inv->pac_hosts);
    free(inv->user_rules);
    for (i = 0; i < inv->n_attestations; i++) {
        free(inv->attestations[i].question);
        free(inv->attestations[i].answer);
        free(inv->attestations[i].by);
        free(inv->attestations[i].date);
        free(inv->attestations[i].evidence);
    }
    free(inv->attestations);
    free(inv->fail_on);
    free(inv);
}

const char *
inv_resolve(const struct inventory *inv, const char *path, char *buf, size_t size)
{
    const char *slash;

    if (!path || path[0] == '/' || !inv || !inv->path || !(slash = strrchr(inv->path, '/')))
        return path;
    snprintf(buf, size, "%.*s/%s", (int)(slash - inv->path), inv->path, path);
    return buf;
}

const struct inv_device *
inv_device_find(const struct inventory *inv, const char *name)
{
    uint32_t *slot;
    size_t i;

    if (inv && name && inv->device_names.slot) {
        slot = name_slot(inv, name);
        return *slot ? &inv->devices[*slot - 1] : NULL;
    }
    for (i = 0; inv && name && i < inv->n_devices; i++) {
        if (inv->devices[i].name && !strcmp(inv->devices[i].name, name))
            return &inv->devices[i];
    }
    return NULL;
}

const struct inv_auth *
inv_auth_find(const struct inventory *inv, const char *name)
{
    size_t i;

    for (i = 0; inv && name && i < inv->n_auths; i++) {
        if (inv->auths[i].name && !strcmp(inv->auths[i].name, name))
            return &inv->auths[i];
    }
    return NULL;
}

const char *
inv_role_name(enum inv_role role)
{
    return (unsigned)role < sizeof role_names / sizeof *role_names - 1 ? role_names[role] : "?";
}

/* --------------------------------------------------------------- secrets */

/* The caller's buffer must not keep a half-read secret on failure. */
static er_code
secret_fail(char *buf, size_t size, struct er_err *err, er_code code, const char *what, const char *ref,
        const char *why)
{
    if (buf && size)
        explicit_bzero(buf, size);
    return er_set(err, code, "secret %s %s: %s", what, ref, why);
}

/*
 * A systemd credential (LoadCredential=): a file directly in the service's
 * $CREDENTIALS_DIRECTORY. systemd writes it read-only, owned by root and
 * readable by the service's user through an ACL (so its mode shows 0440), in a
 * directory private to the unit; that is as private as a 0600 file of our own.
 */
static int
is_credential(const char *path, const struct stat *st)
{
    const char *dir = getenv("CREDENTIALS_DIRECTORY");
    size_t n = dir ? strlen(dir) : 0;

    if (!n || dir[0] != '/' || strncmp(path, dir, n) || path[n] != '/' || !path[n + 1] || strchr(path + n + 1, '/'))
        return 0;
    return S_ISREG(st->st_mode) && (st->st_uid == 0 || st->st_uid == geteuid()) && !(st->st_mode & 022);
}

static er_code
secret_file(const char *path, char *buf, size_t size, struct er_err *err)
{
    struct stat st;
    char why[160];
    ssize_t n;
    size_t len = 0;
    int fd;
    er_code rc = ER_OK;

    /* O_NONBLOCK: a FIFO opens at once (and is refused below) instead of
     * waiting for a writer; O_NOFOLLOW: the file named, not where a link points */
    if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY)) < 0)
        return secret_fail(buf, size, err, errno == ENOENT ? ER_ENOTFOUND : errno == ELOOP ? ER_EINVAL : ER_EIO,
                "file", path, errno == ELOOP ? "is a symbolic link (not followed); expected a regular file" :
                strerror(errno));
    /* check the file we opened, not the name, so it cannot be swapped between */
    if (fstat(fd, &st) < 0) {
        rc = secret_fail(buf, size, err, ER_EIO, "file", path, strerror(errno));
        goto cleanup;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(why, sizeof why, "is %s, not a regular file", S_ISFIFO(st.st_mode) ? "a FIFO" :
                S_ISDIR(st.st_mode) ? "a directory" : S_ISSOCK(st.st_mode) ? "a socket" :
                S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device" : "something else");
        rc = secret_fail(buf, size, err, ER_EINVAL, "file", path, why);
        goto cleanup;
    }
    if ((st.st_uid != geteuid() || (st.st_mode & 077)) && !is_credential(path, &st)) {
        snprintf(why, sizeof why, "has mode %04o; expected a regular file owned by uid %u with mode 0600 or 0400",
                (unsigned)(st.st_mode & 07777), (unsigned)geteuid());
        rc = secret_fail(buf, size, err, ER_EINVAL, "file", path, why);
        goto cleanup;
    }
    /* the secret and a line end ("\r\n") at most: nothing bigger is read */
    if ((uintmax_t)st.st_size > (uintmax_t)size + 1) {
        snprintf(why, sizeof why, "longer than %zu bytes", size ? size - 1 : 0);
        rc = secret_fail(buf, size, err, ER_EINVAL, "file", path, why);
        goto cleanup;
    }
    while (len < size && (n = read(fd, buf + len, size - len)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = secret_fail(buf, size, err, ER_EIO, "file", path, strerror(errno));
            goto cleanup;
        }
        len += (size_t)n;
    }
    /* room is needed for the NUL after the newline is cut */
    if (len && buf[len - 1] == '\n')
        len--;
    if (len && buf[len - 1] == '\r')
        len--;
    if (len >= size) {
        snprintf(why, sizeof why, "longer than %zu bytes", size ? size - 1 : 0);
        rc = secret_fail(buf, size, err, ER_EINVAL, "file", path, why);
        goto cleanup;
    }
    buf[len] = '\0';
    if (strlen(buf) != len)
        rc = secret_fail(buf, size, err, ER_EINVAL, "file", path, "contains a NUL byte");

cleanup:
    close(fd);
    return rc;
}

er_code
inv_secret_read(const struct inv_secret *s, char *buf, size_t size, struct er_err *err)
{
    const char *v;
    size_t len;

    if (!buf || !size)
        return er_set(err, ER_EINTERNAL, "inv_secret_read: no buffer");
    buf[0] = '\0';
    if (!s || (s->kind != INV_SECRET_ENV && s->kind != INV_SECRET_FILE) || !s->ref)
        return er_set(err, ER_EINVAL, "no secret reference to read (expected {env: NAME} or {file: PATH})");
    if (s->kind == INV_SECRET_FILE)
        return secret_file(s->ref, buf, size, err);
    if (!(v = getenv(s->ref)))
        return secret_fail(buf, size, err, ER_ENOTFOUND, "environment variable", s->ref, "not set");
    len = strlen(v);
    if (len && v[len - 1] == '\n')
        len--;
    if (len >= size)
        return secret_fail(buf, size, err, ER_EINVAL, "environment variable", s->ref, "too long");
    memcpy(buf, v, len);
    buf[len] = '\0';
    return ER_OK;
}
