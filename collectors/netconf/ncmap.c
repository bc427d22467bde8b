/**
 * @file ncmap.c
 * @brief nc_map_device(): parse a device's NETCONF replies and dispatch
 * their top-level elements to the mappers by namespace (ncm_* helpers).
 *
 * Why ~680 lines: the mapper table, the ncm_* helpers every mapper calls,
 * and reading a device's files (which, in what order, rolled back on a hard
 * error) are one concern each; the helpers are the part to move out
 * (ncm_helpers.c) when the per-element degradation of issue 14 lands here.
 */
#define _GNU_SOURCE /* memmem */
#include "ncmap.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
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
#include "junos.h"
#include "map_xe_xr.h"

#define NS_NETCONF "urn:ietf:params:xml:ns:netconf:base:1.0"
#define NS_OC "http://openconfig.net/yang/"
#define NS_IETF "urn:ietf:params:xml:ns:yang:"
#define NS_JUNOS_XNM "http://xml.juniper.net/xnm/1.1/xnm"
/* A namespace ending in '*' matches every namespace it begins (Junos puts its release in them). */
#define NS_JUNOS_YANG "http://yang.juniper.net/*"
#define NS_JUNOS_OPER "http://xml.juniper.net/junos/*"

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
    {NS_JUNOS_XNM, "configuration", "junos", map_junos_configuration},
    {NS_JUNOS_YANG, "configuration", "junos", map_junos_configuration},
    {NS_JUNOS_OPER, "bgp-information", "junos", map_junos_bgp_state},
    {NS_JUNOS_OPER, "route-information", "junos", map_junos_route_state},
    {NS_JUNOS_OPER, "interface-information", "junos", map_junos_if_state},
    {"*", "configuration-text", "junos", map_junos_text},
    {"*", "configuration-output", "junos", map_junos_text},
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
    {CX_NS_XR "pfi-im-cmd-oper", "interfaces", "ios-xr", map_xr_if_oper},
    /* IOS-XR 7.x unified models (Cisco-IOS-XR-um-*): same model, other names. */
    {CX_NS_XR "um-interface-cfg", "interfaces", "ios-xr", map_xr_um_interfaces},
    {CX_NS_XR "um-router-bgp-cfg", "router", "ios-xr", map_xr_um_bgp},
    {CX_NS_XR "um-route-policy-cfg", "routing-policy", "ios-xr", map_xr_routing_policy},
    {CX_NS_XR "um-ipv4-access-list-cfg", "ipv4", "ios-xr", map_xr_um_acl},
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

/* ---- elements ------------------------------------------------------- */

/* Messages kept per skipped part; the count goes on. */
#define NCM_SKIP_KEEP 16

void
ncm_elem_begin(struct ncm *c, struct ncm_elem *e, const char *part)
{
    *e = (struct ncm_elem){.part = part ? part : "*", .track = part != NULL, .up = c->elem};
    c->elem = e;
}

er_code
ncm_skip(struct ncm *c, const char *part)
{
    struct er_err scratch = {0};
    struct lyd_node *col, *sk;
    char text[sizeof c->err->msg], who[300];
    const char *msg = c->err->msg;
    uint64_t n = 0;
    er_code rc;

    /* The collection reason names the device already. */
    snprintf(who, sizeof who, "device %s: ", c->mc->device ? c->mc->device : "?");
    if (!strncmp(msg, who, strlen(who)))
        msg += strlen(who);
    snprintf(text, sizeof text, "%s", msg);
    er_clear(c->err);
    ER_TRY(rc, model_cont(c->mc->dev, "collection", &col, &scratch), done);
    ER_TRY(rc, model_list(col, "skipped", part, &sk, &scratch), done);
    model_u64(sk, "count", &n);
    ER_TRY(rc, model_leaf_u64(sk, "count", n + 1, &scratch), done);
    if (n < NCM_SKIP_KEEP)
        rc = model_leaflist(sk, "element", text, &scratch);
done:
    return rc ? er_set(c->err, rc, "device %s: recording a skipped element: %s", c->mc->device, scratch.msg) : ER_OK;
}

er_code
ncm_elem_end(struct ncm *c, struct ncm_elem *e, er_code rc)
{
    c->elem = e->up;
    if (rc != ER_EINVAL)
        return rc;
    if (e->made) {
        lyd_free_tree(e->made);
        /* Freed nodes must not be found again through model_list()'s index. */
        model_cache_reset();
    }
    return ncm_skip(c, e->part);
}

/* The first list entry an element makes is the one to drop if it cannot be read. */
static void
note_made(struct ncm *c, struct lyd_node *node, int made)
{
    if (made && c->elem && c->elem->track && !c->elem->made)
        c->elem->made = node;
}

/*
 * The model part of leaf @p leaf under @p parent ("interface/speed") into
 * @p buf when that leaf can be left out alone: not a key, not mandatory.
 * NULL when its entry cannot stand without it.
 */
static const char *
optional_part(const struct lyd_node *parent, const char *leaf, char *buf, size_t size)
{
    static const char dev[] = "/eraudit-network:network/device";
    const struct lysc_node *s = lys_find_child(parent->schema, NULL, leaf, 0, LYS_LEAF | LYS_LEAFLIST, 0);
    char path[512];
    const char *p;

    if (!s || lysc_is_key(s) || (s->flags & LYS_MAND_TRUE))
        return NULL;
    if (!lysc_path(parent->schema, LYSC_PATH_DATA, path, sizeof path) || strncmp(path, dev, sizeof dev - 1))
        return NULL;
    p = path + sizeof dev - 1;
    snprintf(buf, size, "%s%s%s", *p ? p + 1 : "", *p ? "/" : "", leaf);
    return buf;
}

/* A value refused for an optional leaf costs that leaf only; else its element. */
static er_code
leaf_refused(struct ncm *c, struct lyd_node *parent, const char *leaf, const char *value, const struct xr_node *at)
{
    char part[256];
    er_code rc = refused(c, at, value);
    const char *p = optional_part(parent, leaf, part, sizeof part);

    return p ? ncm_skip(c, p) : rc;
}

er_code
ncm_leaf(struct ncm *c, struct lyd_node *parent, const char *leaf, const char *value, const struct xr_node *at)
{
    return model_leaf(parent, leaf, value, c->err) ? leaf_refused(c, parent, leaf, value, at) : ER_OK;
}

er_code
ncm_leaflist(struct ncm *c, struct lyd_node *parent, const char *leaf, const char *value, const struct xr_node *at)
{
    return model_leaflist(parent, leaf, value, c->err) ? leaf_refused(c, parent, leaf, value, at) : ER_OK;
}

er_code
ncm_list(struct ncm *c, struct lyd_node *parent, const char *list, const char *key, const struct xr_node *at,
        struct lyd_node **out)
{
    int made;

    if (model_list_made(parent, list, key, out, &made, c->err))
        return refused(c, at, key);
    note_made(c, *out, made);
    return ER_OK;
}

er_code
ncm_list2(struct ncm *c, struct lyd_node *parent, const char *list, const char *key1, const char *key2,
        const struct xr_node *at, struct lyd_node **out)
{
    char both[600];
    int made;

    if (!model_list2_made(parent, list, key1, key2, out, &made, c->err)) {
        note_made(c, *out, made);
        return ER_OK;
    }
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
        /* <data> (get, get-config, NMDA get-data), else the content straight
         * in the reply, as some servers send it (Junos answers its own RPCs so). */
        *parent = xu_child(root, "data");
        if (!*parent && xu_first(root) && !(xu_is(xu_first(root), "ok") && !xu_next_elem(xu_first(root))))
            *parent = root;
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
    size_t n = strlen(r->ns);

    if (!xu_is(e, r->name))
        return 0;
    return n && r->ns[n - 1] == '*' ? !strncmp(xu_ns(e), r->ns, n - 1) : !strcmp(xu_ns(e), r->ns);
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
            if (row_matches(r, e) && !strcmp(r->ns, "*")) {
                /* A row for any namespace judges the whole reply (a configuration sent as text). */
                ER_TRY(rc, r->map(c, e), done);
                hit = 1;
            } else if (row_matches(r, e)) {
                /* What no element of the mapper took costs the rest of this top-level element. */
                NCM_ELEM(rc, c, NULL, r->map(c, e), done);
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
    /* An empty configuration is not an empty device: nothing was read from
     * it. (An empty state reply only says there is no state to read.) */
    if (!any && c->mc->source == MAP_CONFIG)
        rc = er_set(c->err, ER_EINVAL, "device %s: %s:%ld: the reply holds no data", c->mc->device, c->mc->file,
                xu_line(parent));
    else if (any && !known)
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
    if (xu_is(doc->root, "eraudit-root") && xu_is(xu_first(doc->root), "rpc-reply")) {
        struct xr_node *r;

        /* Several replies to one kind of request, one after the other (Junos routes, one reply per prefix). */
        for (r = xu_first(doc->root); r; r = xu_next_elem(r)) {
            ER_TRY(rc, data_parent(&c, r, &parent, &single), done);
            if (parent)
                ER_TRY(rc, dispatch(&c, parent, single), done);
        }
    } else {
        ER_TRY(rc, data_parent(&c, doc->root, &parent, &single), done);
        if (!parent && src == MAP_CONFIG) {
            rc = er_set(err, ER_EINVAL, "device %s: %s:%ld: the reply holds no data", mc->device, rel,
                    xu_line(doc->root));
            goto done;
        }
        if (parent)
            ER_TRY(rc, dispatch(&c, parent, single), done);
    }
    if (c.routes)
        rc = add_routes_read(&c);
done:
    xr_free(doc);
    free(buf);
    return rc;
}

/* Operational replies, in the order they are mapped (Junos answers in several). */
static const char *const ncm_state_files[] = {
    "netconf/state.xml", "netconf/junos-interfaces.xml", "netconf/junos-bgp.xml", "netconf/junos-route.xml", NULL,
};

/* Junos advertised routes, one file per neighbor: netconf/junos-adv/ADDRESS.xml. */
#define NCM_ADV_DIR "netconf/junos-adv"

static int
name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Each ADDRESS.xml of the advertised-routes directory, in name order (others are not read). */
static er_code
map_adv_dir(struct map_ctx *mc, struct er_err *err, int devfd)
{
    int fd = beneath_open(devfd, NCM_ADV_DIR, O_RDONLY | O_DIRECTORY);
    char **names = NULL, rel[PATH_MAX];
    size_t n = 0, cap = 0, i;
    struct dirent *de;
    DIR *d;
    er_code rc = ER_OK;

    if (fd < 0) {
        mc->escaped |= beneath_escaped(errno);
        return er_set(err, ER_EIO, "device %s: %s: %s", mc->device, NCM_ADV_DIR, beneath_strerror(errno));
    }
    if (!(d = fdopendir(fd))) {
        close(fd);
        return er_set(err, ER_EIO, "device %s: %s: cannot list", mc->device, NCM_ADV_DIR);
    }
    while ((de = readdir(d)) && n < 4096) {
        size_t l = strlen(de->d_name);

        if (l < 5 || strcmp(de->d_name + l - 4, ".xml") || de->d_name[0] == '.')
            continue;
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 16;
            char **v = realloc(names, nc * sizeof *names);

            if (!v) {
                rc = er_set(err, ER_ENOMEM, "out of memory");
                break;
            }
            names = v;
            cap = nc;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = er_set(err, ER_ENOMEM, "out of memory");
            break;
        }
        n++;
    }
    closedir(d);
    if (!rc)
        qsort(names, n, sizeof *names, name_cmp);
    for (i = 0; !rc && i < n; i++) {
        snprintf(rel, sizeof rel, "%s/%s", NCM_ADV_DIR, names[i]);
        rc = map_file(mc, err, devfd, rel, MAP_STATE, 0);
    }
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
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
    int have_state = 0;
    er_code rc = ER_OK;

    if (!is_at(devfd, "netconf", S_IFDIR))
        return er_set(err, ER_ENOTFOUND, "device %s: no netconf/ directory in %s", mc->device, devdir);

    /* A candidate replaces running; the state file adds operational data. */
    if (candidate && is_at(devfd, "netconf/candidate.xml", S_IFREG))
        cfg_rel = "netconf/candidate.xml";
    else if (is_at(devfd, "netconf/running.xml", S_IFREG))
        cfg_rel = "netconf/running.xml";
    for (size_t i = 0; ncm_state_files[i]; i++)
        have_state |= is_at(devfd, ncm_state_files[i], S_IFREG);
    have_state |= is_at(devfd, NCM_ADV_DIR, S_IFDIR);
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
    for (size_t i = 0; ncm_state_files[i]; i++) {
        if (is_at(devfd, ncm_state_files[i], S_IFREG))
            ER_TRY(rc, map_file(mc, err, devfd, ncm_state_files[i], MAP_STATE, !cfg_rel), done);
    }
    if (is_at(devfd, NCM_ADV_DIR, S_IFDIR))
        ER_TRY(rc, map_adv_dir(mc, err, devfd), done);
done:
    if (rc && kept.v)
        rollback(mc->dev, &kept);
    free(kept.v);
    mc->file = NULL;
    return rc;
}
