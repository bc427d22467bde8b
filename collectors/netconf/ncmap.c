/**
 * @file ncmap.c
 * @brief nc_map_device(): parse a device's NETCONF replies and dispatch
 * their top-level elements to the mappers by namespace (ncm_* helpers).
 */
#define _GNU_SOURCE /* memmem */
#include "ncmap.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "beneath.h"
#include "bound.h"
#include "map_xe_xr.h"

#define NS_NETCONF "urn:ietf:params:xml:ns:netconf:base:1.0"
#define NS_OC "http://openconfig.net/yang/"
#define NS_IETF "urn:ietf:params:xml:ns:yang:"

/* Adding a source model is adding a map_*.c file and a row here. Rows run
 * in table order, so definitions come before what refers to them (BGP
 * neighbors before BFD peers, interfaces before ACL bindings). */
const struct ncm_mapper ncm_mappers[] = {
    {NS_OC "interfaces", "interfaces", "openconfig", map_oc_interfaces},
    {NS_OC "routing-policy", "routing-policy", "openconfig", map_oc_routing_policy},
    {NS_OC "network-instance", "network-instances", "openconfig", map_oc_network_instances},
    {NS_OC "bgp", "bgp", "openconfig", map_oc_bgp_top},
    {NS_OC "local-routing", "local-routes", "openconfig", map_oc_local_routes},
    {NS_OC "bfd", "bfd", "openconfig", map_oc_bfd},
    {NS_OC "acl", "acl", "openconfig", map_oc_acl},
    {NS_IETF "ietf-interfaces", "interfaces", "ietf", map_ietf_interfaces},
    {NS_IETF "ietf-interfaces", "interfaces-state", "ietf", map_ietf_interfaces},
    {NS_IETF "ietf-routing", "routing", "ietf", map_ietf_routing},
    {NS_IETF "ietf-routing", "routing-state", "ietf", map_ietf_routing},
    {NS_IETF "ietf-nat", "nat", "ietf", map_ietf_nat},
    {NS_IETF "ietf-access-control-list", "acls", "ietf", map_ietf_acl},
    /* Cisco native models (map_xe_*.c, map_xr_*.c): element by element, see map_xe_xr.h. */
    {CX_NS_XE "native", "native", "ios-xe", map_xe_native},
    {CX_NS_XE "interfaces-oper", "interfaces", "ios-xe", map_xe_if_oper},
    {CX_NS_XE "bgp-oper", "bgp-state-data", "ios-xe", map_xe_bgp_oper},
    {CX_NS_XR "ifmgr-cfg", "interface-configurations", "ios-xr", map_xr_interfaces},
    {CX_NS_XR "ipv4-acl-cfg", "ipv4-acl-and-prefix-list", "ios-xr", map_xr_acl},
    {CX_NS_XR "policy-repository-cfg", "routing-policy", "ios-xr", map_xr_routing_policy},
    {CX_NS_XR "ipv4-bgp-cfg", "bgp", "ios-xr", map_xr_bgp},
    {CX_NS_XR "ipv4-bgp-oper", "bgp", "ios-xr", map_xr_bgp_oper},
    {CX_NS_XR "ip-rib-ipv4-oper", "rib", "ios-xr", map_xr_rib_oper},
    {NULL, NULL, NULL, NULL},
};

/* ---- errors ---------------------------------------------------------- */

er_code
ncm_bad(struct ncm *c, const struct xr_node *at, const char *fmt, ...)
{
    char msg[600], path[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    xu_path(at, path, sizeof path);
    return er_set(c->err, ER_EINVAL, "device %s: %s:%ld: %s: %s", c->mc->device ? c->mc->device : "?",
            c->mc->file, xu_line(at), path, msg);
}

/* Turn a model_* refusal ("PATH: value 'V' refused: WHY") into one naming the XML. */
static er_code
refused(struct ncm *c, const struct xr_node *at, const char *value)
{
    const char *why = strstr(c->err->msg, "refused: ");
    char reason[400];

    snprintf(reason, sizeof reason, "%s", why ? why + 9 : c->err->msg);
    return ncm_bad(c, at, "value '%.200s' refused: %s", value ? value : "", reason);
}

er_code
ncm_leaf(struct ncm *c, struct lyd_node *parent, const char *leaf, const char *value, const struct xr_node *at)
{
    return model_leaf(parent, leaf, value, c->err) ? refused(c, at, value) : ER_OK;
}

er_code
ncm_leaflist(struct ncm *c, struct lyd_node *parent, const char *leaf, const char *value, const struct xr_node *at)
{
    return model_leaflist(parent, leaf, value, c->err) ? refused(c, at, value) : ER_OK;
}

er_code
ncm_list(struct ncm *c, struct lyd_node *parent, const char *list, const char *key, const struct xr_node *at,
        struct lyd_node **out)
{
    return model_list(parent, list, key, out, c->err) ? refused(c, at, key) : ER_OK;
}

er_code
ncm_list2(struct ncm *c, struct lyd_node *parent, const char *list, const char *key1, const char *key2,
        const struct xr_node *at, struct lyd_node **out)
{
    char both[600];

    if (!model_list2(parent, list, key1, key2, out, c->err))
        return ER_OK;
    snprintf(both, sizeof both, "%.290s %.290s", key1, key2);
    return refused(c, at, both);
}

er_code
ncm_cont(struct ncm *c, struct lyd_node *parent, const char *name, struct lyd_node **out)
{
    return model_cont(parent, name, out, c->err) ? refused(c, NULL, "") : ER_OK;
}

er_code
ncm_copy(struct ncm *c, struct lyd_node *dst, const char *leaf, const struct xr_node *from, const char *path,
        const char *(*conv)(const char *v, char *buf, size_t size))
{
    char tb[NCM_TEXT], cb[64];
    const struct xr_node *n = xu_find(from, path);
    const char *v;

    if (!n || !(v = xu_text(n, tb, sizeof tb)))
        return ER_OK;
    if (conv && !(v = conv(v, cb, sizeof cb)))
        return ER_OK;
    return ncm_leaf(c, dst, leaf, v, n);
}

er_code
ncm_copy_all(struct ncm *c, struct lyd_node *dst, const char *leaf, const struct xr_node *from, const char *name)
{
    char tb[NCM_TEXT];
    const struct xr_node *n;
    er_code rc = ER_OK;

    XU_FOR(from, name, n) {
        const char *v = xu_text(n, tb, sizeof tb);

        if (v && *v)
            ER_TRY(rc, ncm_leaflist(c, dst, leaf, xu_ident(v), n), done);
    }
done:
    return rc;
}

er_code
ncm_address(struct ncm *c, struct lyd_node *ifc, const char *ip, const struct xr_node *ipn, const char *len,
        const struct xr_node *lenn)
{
    struct lyd_node *addr;
    unsigned char b[16];
    char *end;
    unsigned long l = strtoul(len, &end, 10);
    er_code rc;

    if (*len && !*end && inet_pton(AF_INET, ip, b) == 1 && l > 32)
        return ncm_bad(c, lenn, "value '%s' refused: longer than 32 bits for IPv4 address %s", len, ip);
    ER_TRY(rc, ncm_list(c, ifc, "address", ip, ipn, &addr), done);
    rc = ncm_leaf(c, addr, "prefix-length", len, lenn);
done:
    return rc;
}

const struct xr_node *
ncm_key(const struct xr_node *entry, const char *key)
{
    const struct xr_node *k = xu_child(entry, key);

    return k ? k : xu_child(xu_child(entry, "config"), key);
}

/* ---- value conversions ----------------------------------------------- */

const char *
ncm_lower(const char *v, char *buf, size_t size)
{
    size_t i;

    v = xu_ident(v);
    for (i = 0; v[i] && i + 1 < size; i++)
        buf[i] = v[i] == '_' ? '-' : (char)tolower((unsigned char)v[i]);
    buf[i] = '\0';
    return buf;
}

const char *
ncm_oper_status(const char *v, char *buf, size_t size)
{
    char l[32];

    ncm_lower(v, l, sizeof l);
    if (!strcmp(l, "up"))
        return "up";
    if (!strcmp(l, "down") || !strcmp(l, "lower-layer-down") || !strcmp(l, "not-present"))
        return "down";
    return "other";
}

const char *
ncm_oc_speed(const char *v, char *buf, size_t size)
{
    static const struct { const char *unit; uint64_t mult; } units[] = {
        {"MB", 1000000ull}, {"GB", 1000000000ull}, {"TB", 1000000000000ull},
    };
    uint64_t whole = 0, frac = 0, fdiv = 1, mult = 0;
    const char *p;
    size_t i;

    v = xu_ident(v);
    if (strncmp(v, "SPEED_", 6))
        return NULL;
    /* Digits, an optional fraction, a unit: nothing negative, no exponent, no NaN. */
    for (p = v + 6; *p >= '0' && *p <= '9'; p++) {
        if (whole > 1000000000000000ull)
            return NULL;
        whole = whole * 10 + (uint64_t)(*p - '0');
    }
    if (p == v + 6)
        return NULL;
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++) {
            if (fdiv < 1000000ull) {
                frac = frac * 10 + (uint64_t)(*p - '0');
                fdiv *= 10;
            }
        }
    }
    for (i = 0; i < sizeof units / sizeof *units; i++) {
        if (!strcmp(p, units[i].unit))
            mult = units[i].mult;
    }
    /* At most 1 Pb/s: far above any port, far below 2^64. */
    if (!mult || whole > 1000000000000000ull / mult)
        return NULL;
    snprintf(buf, size, "%" PRIu64, whole * mult + (frac * mult + fdiv / 2) / fdiv);
    return buf;
}

const char *
ncm_protocol(const char *v, char *buf, size_t size)
{
    static const struct { const char *in, *out; } names[] = {
        {"6", "tcp"}, {"17", "udp"}, {"1", "icmp"}, {"ip-tcp", "tcp"}, {"ip-udp", "udp"}, {"ip-icmp", "icmp"},
        {"ip-icmpv6", "icmp"}, {"icmpv6", "icmp"},
    };
    size_t i;

    ncm_lower(v, buf, size);
    for (i = 0; i < sizeof names / sizeof *names; i++) {
        if (!strcmp(buf, names[i].in))
            return names[i].out;
    }
    /* IP_PIM and friends: drop the "ip-" of the OpenConfig identity. */
    return !strncmp(buf, "ip-", 3) ? buf + 3 : buf;
}

const char *
ncm_netmask(const char *v, char *buf, size_t size)
{
    struct in_addr a;
    uint32_t m;
    int len = 0;

    if (inet_pton(AF_INET, v, &a) != 1)
        return NULL;
    m = ntohl(a.s_addr);
    while (m & 0x80000000u) {
        len++;
        m <<= 1;
    }
    if (m)
        return NULL;
    snprintf(buf, size, "%d", len);
    return buf;
}

const char *
ncm_int(const char *v, char *buf, size_t size)
{
    size_t i;

    for (i = 0; v[i] && v[i] != '.' && i + 1 < size; i++)
        buf[i] = v[i];
    buf[i] = '\0';
    return buf;
}

int
ncm_is_addr(const char *v)
{
    unsigned char b[16];

    return v && (inet_pton(AF_INET, v, b) == 1 || inet_pton(AF_INET6, v, b) == 1);
}

/* ---- files ----------------------------------------------------------- */

/*
 * Whether @p rel below @p dfd is there as a file of @p type. A link counts:
 * opening it decides whether it stays inside (it is refused if not).
 */
static int
is_at(int dfd, const char *rel, mode_t type)
{
    struct stat st;

    return !fstatat(dfd, rel, &st, AT_SYMLINK_NOFOLLOW) && ((st.st_mode & S_IFMT) == type || S_ISLNK(st.st_mode));
}

/* The whole file, refused by its size before it is read (bound.h). */
static er_code
slurp(struct ncm *c, int dfd, const char *rel, char **buf, size_t *len)
{
    char what[512];
    int fd = beneath_open(dfd, rel, O_RDONLY | O_NONBLOCK);
    struct stat st;
    er_code rc;

    if (fd < 0) {
        c->mc->escaped |= beneath_escaped(errno);
        return er_set(c->err, ER_EIO, "device %s: %s: %s", c->mc->device, c->mc->file, beneath_strerror(errno));
    }
    snprintf(what, sizeof what, "device %s: %s", c->mc->device, c->mc->file);
    if (fstat(fd, &st) || !S_ISREG(st.st_mode))
        rc = er_set(c->err, ER_EIO, "%s: not a regular file", what);
    else
        rc = bound_read_fd(fd, what, 64, buf, len, c->err);
    close(fd);
    return rc;
}

static er_code
rpc_error(struct ncm *c, const struct xr_node *err)
{
    char tb[NCM_TEXT], tag[64];
    const char *msg = xu_str(err, "error-message", tb, sizeof tb);
    const char *t = xu_str(err, "error-tag", tag, sizeof tag);

    return ncm_bad(c, err, "the device answered with an error (%s): %s", t ? t : "?", msg ? msg : "no message");
}

/* Where the data elements are: inside rpc-reply/data, data, config, or the root itself. */
static er_code
data_parent(struct ncm *c, struct xr_node *root, struct xr_node **parent, int *single)
{
    const char *ns = xu_ns(root);
    struct xr_node *e;

    *single = 0;
    if (xu_is(root, "rpc-reply")) {
        if ((e = xu_child(root, "rpc-error")))
            return rpc_error(c, e);
        *parent = xu_child(root, "data");
        return ER_OK;
    }
    if (xu_is(root, "eraudit-root")
            || ((xu_is(root, "data") || xu_is(root, "config")) && strstr(ns, "urn:ietf:params:xml:ns:") == ns)) {
        *parent = root;
        return ER_OK;
    }
    *parent = root;
    *single = 1;
    return ER_OK;
}

/* Append @ns to the comma-separated list @seen unless it is there. */
static void
add_ns(char *seen, size_t size, const char *ns)
{
    size_t len = strlen(seen), nl = strlen(ns);
    const char *p;

    if (!*ns)
        ns = "(none)", nl = 6;
    for (p = seen; (p = strstr(p, ns)); p += nl) {
        if ((p == seen || p[-1] == ' ') && (p[nl] == ',' || !p[nl]))
            return;
    }
    snprintf(seen + len, size - len, "%s%s", len ? ", " : "", ns);
}

static int
row_matches(const struct ncm_mapper *r, const struct xr_node *e)
{
    return xu_is(e, r->name) && !strcmp(xu_ns(e), r->ns);
}

static er_code
dispatch(struct ncm *c, struct xr_node *parent, int single)
{
    const struct ncm_mapper *r;
    char seen[512] = "";
    struct xr_node *e, *first = single ? parent : xu_first(parent);
    int known = 0, any = 0;
    er_code rc = ER_OK;

    for (r = ncm_mappers; r->ns; r++) {
        int hit = 0;

        for (e = first; e; e = single ? NULL : xu_next_elem(e)) {
            if (row_matches(r, e)) {
                ER_TRY(rc, r->map(c, e), done);
                hit = 1;
            }
        }
        if (hit)
            ER_TRY(rc, model_leaflist(c->mc->dev, "source-model", r->model, c->err), done);
    }
    for (e = first; e; e = single ? NULL : xu_next_elem(e)) {
        any = 1;
        for (r = ncm_mappers; r->ns && !row_matches(r, e); r++)
            ;
        if (r->ns)
            known = 1;
        else
            add_ns(seen, sizeof seen, xu_ns(e));
    }
    if (any && !known)
        rc = er_set(c->err, ER_EINVAL, "device %s: %s: no known data model (namespaces seen: %s)", c->mc->device,
                c->mc->file, seen);
done:
    return rc;
}

static er_code
add_routes_read(struct ncm *c)
{
    struct lyd_node *rib;
    uint64_t old = 0;
    er_code rc;

    ER_TRY(rc, model_cont(c->mc->dev, "rib", &rib, c->err), done);
    model_u64(rib, "routes-read", &old);
    rc = model_leaf_u64(rib, "routes-read", old + c->routes, c->err);
done:
    return rc;
}

/* Map one reply file (@rel is its name in messages, relative to the device dir). */
static er_code
map_file(struct map_ctx *mc, struct er_err *err, int dfd, const char *rel, enum map_source src, int cfg)
{
    struct ncm c = {.mc = mc, .cfg = cfg, .src = src == MAP_CONFIG ? "config" : "state", .err = err};
    struct xr_doc *doc = NULL;
    struct xr_node *parent = NULL;
    char *buf = NULL, msg[512];
    size_t len = 0;
    long line = 0;
    int single = 0;
    er_code rc;

    mc->file = rel;
    mc->source = src;
    ER_TRY(rc, slurp(&c, dfd, rel, &buf, &len), done);
    if (!len) {
        rc = er_set(err, ER_EINVAL, "device %s: %s:1: empty file (no XML document)", mc->device, rel);
        goto done;
    }
    /* Read in place; what the fast reader leaves to libxml2 is read again. */
    if (xr_parse_take(buf, len, &doc)) {
        buf = NULL;
        ER_TRY(rc, slurp(&c, dfd, rel, &buf, &len), done);
        if (xr_parse(buf, len, rel, &doc, msg, sizeof msg, &line)) {
            rc = er_set(err, ER_EINVAL, "device %s: %s:%ld: %s", mc->device, rel, line, msg);
            goto done;
        }
    } else {
        buf = NULL;
    }
    ER_TRY(rc, data_parent(&c, doc->root, &parent, &single), done);
    if (parent)
        ER_TRY(rc, dispatch(&c, parent, single), done);
    if (c.routes)
        rc = add_routes_read(&c);
done:
    xr_free(doc);
    free(buf);
    return rc;
}

/* Children the device had before mapping (name, role, host, site...). */
struct kept {
    struct lyd_node **v;
    size_t n;
};

static er_code
keep_children(struct lyd_node *dev, struct kept *k, struct er_err *err)
{
    struct lyd_node *n;
    size_t total = 0;

    k->n = 0;
    LY_LIST_FOR(lyd_child(dev), n)
        total++;
    k->v = malloc((total + 1) * sizeof *k->v);
    if (!k->v)
        return er_set(err, ER_ENOMEM, "out of memory");
    LY_LIST_FOR(lyd_child(dev), n)
        k->v[k->n++] = n;
    return ER_OK;
}

/* After a hard error, drop what this call added: half a device would not
 * validate, and the caller marks the device instead. */
static void
rollback(struct lyd_node *dev, const struct kept *k)
{
    struct lyd_node *n, *next;
    size_t i;

    for (n = lyd_child(dev); n; n = next) {
        next = n->next;
        for (i = 0; i < k->n && k->v[i] != n; i++)
            ;
        if (i == k->n)
            lyd_free_tree(n);
    }
    /* Freed nodes must not be found again through model_list()'s index. */
    model_cache_reset();
}

er_code
nc_map_device(struct map_ctx *mc, const char *devdir, int candidate)
{
    struct er_err scratch = {0};
    int fd = open(devdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    er_code rc;

    if (fd < 0)
        return er_set(mc->err ? mc->err : &scratch, ER_ENOTFOUND, "device %s: no netconf/ directory in %s",
                mc->device, devdir);
    rc = nc_map_device_at(mc, fd, devdir, candidate);
    close(fd);
    return rc;
}

er_code
nc_map_device_at(struct map_ctx *mc, int devfd, const char *devdir, int candidate)
{
    struct kept kept = {0};
    const char *cfg_rel = NULL;
    struct er_err scratch = {0};
    struct er_err *err = mc->err ? mc->err : &scratch;
    int have_state;
    er_code rc = ER_OK;

    if (!is_at(devfd, "netconf", S_IFDIR))
        return er_set(err, ER_ENOTFOUND, "device %s: no netconf/ directory in %s", mc->device, devdir);

    /* A candidate replaces running; the state file adds operational data. */
    if (candidate && is_at(devfd, "netconf/candidate.xml", S_IFREG))
        cfg_rel = "netconf/candidate.xml";
    else if (is_at(devfd, "netconf/running.xml", S_IFREG))
        cfg_rel = "netconf/running.xml";
    have_state = is_at(devfd, "netconf/state.xml", S_IFREG);
    if (!cfg_rel && !have_state)
        return er_set(err, ER_ENOTFOUND, "device %s: netconf/ holds neither running.xml nor state.xml", mc->device);

    ER_TRY(rc, keep_children(mc->dev, &kept, err), done);
    if (cfg_rel) {
        ER_TRY(rc, map_file(mc, err, devfd, cfg_rel, MAP_CONFIG, 1), done);
        /* A bad state file must not take the good configuration with it. */
        free(kept.v);
        memset(&kept, 0, sizeof kept);
        ER_TRY(rc, keep_children(mc->dev, &kept, err), done);
    }
    /* Config nodes of a <get> reply come from running: they would undo a candidate. */
    if (have_state)
        ER_TRY(rc, map_file(mc, err, devfd, "netconf/state.xml", MAP_STATE, !cfg_rel), done);
done:
    if (rc && kept.v)
        rollback(mc->dev, &kept);
    free(kept.v);
    mc->file = NULL;
    return rc;
}
