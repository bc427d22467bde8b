/**
 * @file client.c
 * @brief Live NETCONF collection over SSH with libnetconf2 2.0.
 *
 * Per device: the SSH part (connect with a timeout, host key, login) is done
 * here with libssh, because libnetconf2 2.0's own connect has no connect
 * timeout, no ssh-agent and asks about host keys on /dev/tty. The channel
 * goes to a tap (tap.h) that relays it to libnetconf2 (nc_connect_inout()),
 * which runs the session: <hello>, capabilities, building the requests,
 * <close-session>. Replies carrying data are taken off the wire raw by the
 * tap, and requests are pipelined: yang-library, running and candidate in
 * one round trip, then operational data and the schemas not cached yet.
 *
 * Each worker thread keeps one libyang context for all its sessions, so
 * libnetconf2 loads the modules it needs once per thread instead of
 * building a context per device; the device's schema cache is that
 * context's first search directory.
 *
 * Why one file of ~1,160 lines: its sections (SSH, requests, modules,
 * schemas, Junos, one device, the pool) all work on one session's state
 * (struct ncc_dev) in the order a collection runs them. The schema, module
 * and Junos sections are the candidates to leave for their own files when
 * the collectors become a table of back ends (issue 11); the Junos requests
 * themselves are already apart (junos_rpc.c).
 */
#define _GNU_SOURCE
#include "client.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libyang/libyang.h>
#include <nc_client.h>
#include <openssl/crypto.h>

#include "bound.h"
#include "hostkey.h"
#include "junos_rpc.h"
#include "ncc_xe_xr.h"
#include "progress.h"
#include "redact.h"
#include "sshcfg.h"
#include "tap.h"
#include "xmlguard.h"

#define NS_YANGLIB "urn:ietf:params:xml:ns:yang:ietf-yang-library"
#define CAP_CANDIDATE "urn:ietf:params:netconf:capability:candidate:1.0"
#define CAP_YANGLIB "urn:ietf:params:netconf:capability:yang-library:"
#define NS_MONITORING "urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"

/* Top-level subtrees the mappers read from operational data. */
static const char *const ncc_subtrees[][2] = {
    {"interfaces", "http://openconfig.net/yang/interfaces"},
    {"network-instances", "http://openconfig.net/yang/network-instance"},
    {"routing-policy", "http://openconfig.net/yang/routing-policy"},
    {"acl", "http://openconfig.net/yang/acl"},
    {"interfaces", "urn:ietf:params:xml:ns:yang:ietf-interfaces"},
    {"interfaces-state", "urn:ietf:params:xml:ns:yang:ietf-interfaces"},
    {"routing", "urn:ietf:params:xml:ns:yang:ietf-routing"},
    {"routing-state", "urn:ietf:params:xml:ns:yang:ietf-routing"},
    {"nat", "urn:ietf:params:xml:ns:yang:ietf-nat"},
    {"acls", "urn:ietf:params:xml:ns:yang:ietf-access-control-list"},
};

/* The whole collection. */
struct ncc_run {
    const struct inventory *inv;
    struct snap_writer *w;
    struct ncc_opts o;
    char known_hosts[PATH_MAX];
    char cache[PATH_MAX];        /* "" = no schema cache */
    size_t *todo;                /* indices of NETCONF devices */
    size_t n;
    pthread_mutex_t lock;
    size_t next;
    er_code fatal;
    struct er_err fatal_err;
};

/* One device being collected. */
struct ncc_dev {
    struct ncc_run *run;
    const struct inv_device *d;
    struct ly_ctx *ctx;          /* the worker's */
    struct tap *tap;             /* the SSH channel, relayed to libnetconf2 */
    struct nc_session *nc;
    char **mods;                 /* "name@revision" or "name" */
    size_t n_mods;
    int nmda, candidate, monitoring;
    char cachedir[PATH_MAX];     /* this device's schema cache, "" = none */
    int partial;
    char partial_why[sizeof(((struct er_err *)0)->msg)];
    int write_failed;            /* the snapshot could not be written */
    char *state_filter;          /* the platform's own (ncc_xe_xr.h); NULL: ncc_state_filter() */
    int connect_ms, rpc_ms;      /* this device's timeouts (ncc_timeouts()) */
    struct sshcfg sshcfg;        /* its ssh-config, when the inventory turns it on */
};

/* Last libnetconf2 error of this thread: the reason when a call fails. */
static __thread char ncc_nc_error[512];

static void
ncc_nc_print(const struct nc_session *s, NC_VERB_LEVEL level, const char *msg)
{
    (void)s;
    if (level == NC_VERB_ERROR)
        snprintf(ncc_nc_error, sizeof ncc_nc_error, "%s", msg);
}

void
ncc_opts_default(struct ncc_opts *o)
{
    memset(o, 0, sizeof *o);
    o->jobs = 16;
    o->connect_timeout_ms = 10000;
    o->rpc_timeout_ms = 60000;
    o->max_reply_bytes = bound_cap();   /* what is collected can be read back */
    o->fetch_schemas = 1;
}

const char *
ncc_default_schema_cache(char *buf, size_t size)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

    if (xdg && xdg[0] == '/')
        snprintf(buf, size, "%s/eraudit/schemas", xdg);
    else if (home && home[0])
        snprintf(buf, size, "%s/.cache/eraudit/schemas", home);
    else
        return NULL;
    return buf;
}

static char ncc_filter[2048];

static void
ncc_filter_build(void)
{
    size_t off = 0;

    for (size_t i = 0; i < sizeof ncc_subtrees / sizeof *ncc_subtrees; i++)
        off += snprintf(ncc_filter + off, sizeof ncc_filter - off, "<%s xmlns=\"%s\"/>", ncc_subtrees[i][0],
                ncc_subtrees[i][1]);
}

const char *
ncc_state_filter(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;

    pthread_once(&once, ncc_filter_build);
    return ncc_filter;
}

/* mkdir -p */
static int
ncc_mkdirs(const char *dir)
{
    char path[PATH_MAX];

    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0700) && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(path, 0700) && errno != EEXIST ? -1 : 0;
}

static er_code
ncc_write(struct ncc_dev *dv, const char *relpath, const char *buf, size_t len, struct er_err *err)
{
    er_code rc = snap_write_file(dv->run->w, dv->d->name, relpath, buf, len, err);

    if (rc)
        dv->write_failed = 1;
    return rc;
}

/* ---- SSH: connect, host key, login ---- */

/* Add "WHAT ARG" to the list of what was tried; a long list is cut, never overrun. */
static void
ncc_tried(char *buf, size_t size, size_t *off, const char *what, const char *arg)
{
    int n = snprintf(buf + *off, size - *off, "%s%s%s%s", *off ? ", " : "", what, arg ? " " : "", arg ? arg : "");

    *off = n < 0 || (size_t)n >= size - *off ? size - 1 : *off + (size_t)n;
}

static er_code
ncc_login(struct ncc_dev *dv, ssh_session ss, const struct inv_auth *a, struct er_err *err)
{
    char secret[1024], tried[512] = "", idfile[PATH_MAX];
    size_t off = 0;
    int r;

    if (a->key_file) {
        ssh_key key = NULL;

        ncc_tried(tried, sizeof tried, &off, "public key", a->key_file);
        if (ssh_pki_import_privkey_file(a->key_file, NULL, NULL, NULL, &key) != SSH_OK)
            return er_set(err, ER_ECOLLECT, "device %s: cannot read private key %s (missing, unreadable or "
                    "protected by a passphrase)", dv->d->name, a->key_file);
        r = ssh_userauth_publickey(ss, NULL, key);
        ssh_key_free(key);
        if (r == SSH_AUTH_SUCCESS)
            return ER_OK;
    }
    if (sshcfg_identity(ss, &dv->sshcfg, idfile, sizeof idfile)[0] && (!a->key_file || strcmp(a->key_file, idfile))) {
        ssh_key key = NULL;

        /* IdentityFile of the device's ssh-config: after the profile's own key. */
        ncc_tried(tried, sizeof tried, &off, "ssh-config's IdentityFile", idfile);
        if (ssh_pki_import_privkey_file(idfile, NULL, NULL, NULL, &key) == SSH_OK) {
            r = ssh_userauth_publickey(ss, NULL, key);
            ssh_key_free(key);
            if (r == SSH_AUTH_SUCCESS)
                return ER_OK;
        }
    }
    if (a->use_agent) {
        ncc_tried(tried, sizeof tried, &off, "ssh-agent", NULL);
        if (ssh_userauth_agent(ss, NULL) == SSH_AUTH_SUCCESS)
            return ER_OK;
    }
    if (a->password.kind == INV_SECRET_ENV || a->password.kind == INV_SECRET_FILE) {
        ncc_tried(tried, sizeof tried, &off, a->password.kind == INV_SECRET_ENV ? "password from variable"
                : "password from file", a->password.ref);
        if (inv_secret_read(&a->password, secret, sizeof secret, err))
            return er_wrap(err, "device %s: ", dv->d->name);
        r = ssh_userauth_password(ss, NULL, secret);
        if (r != SSH_AUTH_SUCCESS) {
            /* Some devices only offer keyboard-interactive: answer the password
             * to every prompt that does not echo. */
            r = ssh_userauth_kbdint(ss, NULL, NULL);
            while (r == SSH_AUTH_INFO) {
                int n = ssh_userauth_kbdint_getnprompts(ss);

                for (int i = 0; i < n; i++) {
                    char echo = 0;

                    ssh_userauth_kbdint_getprompt(ss, i, &echo);
                    ssh_userauth_kbdint_setanswer(ss, i, echo ? "" : secret);
                }
                r = ssh_userauth_kbdint(ss, NULL, NULL);
            }
        }
        explicit_bzero(secret, sizeof secret);
        if (r == SSH_AUTH_SUCCESS)
            return ER_OK;
    }
    if (!off)
        return er_set(err, ER_ECOLLECT, "device %s: auth profile %s gives no key file, agent or password",
                dv->d->name, a->name);
    return er_set(err, ER_ECOLLECT, "device %s: authentication failed for user %s (tried %s)", dv->d->name,
            a->username, tried);
}

static er_code
ncc_ssh(struct ncc_dev *dv, ssh_session *out, struct er_err *err)
{
    const struct inv_device *d = dv->d;
    const struct inv_auth *a = d->auth ? inv_auth_find(dv->run->inv, d->auth) : NULL;
    ssh_session ss = NULL;
    long sec = dv->connect_ms / 1000, usec = (dv->connect_ms % 1000) * 1000L;
    unsigned int port = d->port ? d->port : 830;
    int yes = 1, no = 0, added = 0, verbosity = SSH_LOG_NOLOG;
    er_code rc;

    if (!a || !a->username)
        return er_set(err, ER_ECOLLECT, "device %s: no auth profile with a username (auth: %s)", d->name,
                d->auth ? d->auth : "none");
    ss = ssh_new();
    if (!ss)
        return er_set(err, ER_ENOMEM, "device %s: out of memory", d->name);
    if (ssh_options_set(ss, SSH_OPTIONS_HOST, d->host) < 0 || ssh_options_set(ss, SSH_OPTIONS_PORT, &port) < 0 ||
            ssh_options_set(ss, SSH_OPTIONS_USER, a->username) < 0 ||
            ssh_options_set(ss, SSH_OPTIONS_TIMEOUT, &sec) < 0 ||
            ssh_options_set(ss, SSH_OPTIONS_TIMEOUT_USEC, &usec) < 0 ||
            ssh_options_set(ss, SSH_OPTIONS_PROCESS_CONFIG, &no) < 0 ||
            ssh_options_set(ss, SSH_OPTIONS_LOG_VERBOSITY, &verbosity) < 0 ||
            ssh_options_set(ss, SSH_OPTIONS_KNOWNHOSTS, dv->run->known_hosts) < 0 ||
            /* Without it, Nagle and delayed ACKs add ~40 ms to every exchange. */
            ssh_options_set(ss, SSH_OPTIONS_NODELAY, &yes) < 0) {
        rc = er_set(err, ER_ECOLLECT, "device %s: bad SSH options: %s", d->name, ssh_get_error(ss));
        goto fail;
    }
    ER_TRY(rc, sshcfg_apply(ss, dv->run->inv, d, port, dv->run->known_hosts, dv->run->o.accept_new_host_keys,
            (unsigned)dv->connect_ms, &dv->sshcfg, err), fail);
    if (ssh_connect(ss) != SSH_OK) {
        char why[512];

        if (dv->sshcfg.proxy[0])
            rc = er_set(err, ER_ECOLLECT, "device %s: cannot connect to %s:%u through its %s: %s", d->name,
                    d->host, port, dv->sshcfg.proxy, sshcfg_proxy_error(&dv->sshcfg, why, sizeof why)[0] ? why
                    : ssh_get_error(ss));
        else
            rc = er_set(err, ER_ECOLLECT, "device %s: cannot connect to %s:%u: %s", d->name, d->host, port,
                    ssh_get_error(ss));
        goto fail;
    }
    ER_TRY(rc, hostkey_check(ss, d->name, dv->run->known_hosts, dv->run->o.accept_new_host_keys, &added, err),
            fail);
    if (added)
        progress_msg("eraudit: device %s: recorded its new host key in %s\n", d->name, dv->run->known_hosts);
    ER_TRY(rc, ncc_login(dv, ss, a, err), fail);
    *out = ss;
    return ER_OK;
fail:
    ssh_disconnect(ss);
    ssh_free(ss);
    return rc;
}

/* ---- requests ---- */

/* One request of a pipelined batch. */
struct ncc_req {
    struct nc_rpc *rpc;          /* freed by ncc_batch() */
    char what[300];              /* for messages: "<get-config> of running" */
    const char *relpath;         /* write the reply there, or NULL */
    int keep;                    /* keep the reply in buf */
    char *buf;
    size_t len;
    er_code rc;                  /* ER_OK, or why this request failed */
    struct er_err err;
};

static void
ncc_req_clear(struct ncc_req *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        nc_rpc_free(r[i].rpc);
        free(r[i].buf);
    }
    memset(r, 0, n * sizeof *r);
}

/*
 * Send every request, then take the replies in order: one round trip for
 * the batch. Replies are taken off the wire by the tap (no libyang tree,
 * size limit while reading), checked, and written as received. Each request
 * gets its own outcome; the return value is not ER_OK only when the session
 * is lost or the snapshot cannot be written (@p err says why, and every
 * request not answered yet gets the same error).
 */
static er_code
ncc_batch(struct ncc_dev *dv, struct ncc_req *r, size_t n, struct er_err *err)
{
    int tmo = dv->rpc_ms;
    uint64_t *ids = calloc(n ? n : 1, sizeof *ids);
    size_t sent = 0, i = 0;
    er_code rc = ER_OK;

    if (!ids)
        return er_set(err, ER_ENOMEM, "device %s: out of memory", dv->d->name);
    for (; sent < n; sent++) {
        ncc_nc_error[0] = '\0';
        if (!r[sent].rpc) {
            rc = er_set(err, ER_ENOMEM, "device %s: cannot build %s", dv->d->name, r[sent].what);
            break;
        }
        tap_arm(dv->tap, dv->run->o.max_reply_bytes);
        if (nc_send_rpc(dv->nc, r[sent].rpc, tmo, &ids[sent]) != NC_MSG_RPC) {
            rc = er_set(err, ER_ECOLLECT, "device %s: cannot send %s: %s", dv->d->name, r[sent].what,
                    ncc_nc_error[0] ? ncc_nc_error : "session closed");
            break;
        }
    }
    for (; i < sent && !rc; i++) {
        char *buf = NULL;
        size_t len = 0;

        if ((rc = tap_take(dv->tap, tmo, r[i].what, &buf, &len, err)))
            break;
        r[i].rc = tap_check_reply(dv->d->name, buf, len, ids[i], r[i].what, &r[i].err);
        if (!r[i].rc && r[i].relpath) {
            char *red = NULL;
            size_t red_len = 0;

            /* Device secrets never reach the snapshot unless asked for. */
            if (!dv->run->o.keep_device_secrets &&
                    (r[i].rc = redact_xml(buf, len, &red, &red_len, NULL, &r[i].err)))
                er_wrap(&r[i].err, "device %s: reply to %s not stored, its secrets cannot be removed: ",
                        dv->d->name, r[i].what);
            else
                rc = ncc_write(dv, r[i].relpath, red ? red : buf, red ? red_len : len, err);
            free(red);
            if (rc) {
                free(buf);
                break;
            }
        }
        if (!r[i].rc && r[i].keep) {
            r[i].buf = buf;
            r[i].len = len;
            buf = NULL;
        }
        free(buf);
    }
    if (rc) {
        tap_abandon(dv->tap);
        for (; i < n; i++) {
            r[i].rc = rc;
            r[i].err = *err;
        }
    }
    for (i = 0; i < n; i++) {
        nc_rpc_free(r[i].rpc);
        r[i].rpc = NULL;
    }
    free(ids);
    return rc;
}

/* A request failed but the device goes on: remember the first reason. */
static void
ncc_partial(struct ncc_dev *dv, const struct er_err *e)
{
    if (!dv->partial)
        snprintf(dv->partial_why, sizeof dv->partial_why, "%s", e->msg);
    dv->partial = 1;
}

/* ---- modules the device implements ---- */

/* Add "name@rev" to the module list; 1 when it was not there yet. */
static int
ncc_add_mod(struct ncc_dev *dv, const char *name, size_t nlen, const char *rev, size_t rlen)
{
    char *m, **v;

    if (!nlen || asprintf(&m, "%.*s%s%.*s", (int)nlen, name, rlen ? "@" : "", (int)rlen, rev ? rev : "") < 0)
        return 0;
    for (size_t i = 0; i < dv->n_mods; i++) {
        if (!strcmp(dv->mods[i], m)) {
            free(m);
            return 0;
        }
    }
    v = realloc(dv->mods, (dv->n_mods + 1) * sizeof *v);
    if (!v) {
        free(m);
        return 0;
    }
    dv->mods = v;
    dv->mods[dv->n_mods++] = m;
    return 1;
}

/* "...?module=NAME&revision=REV&..." */
static void
ncc_cap_module(struct ncc_dev *dv, const char *cap)
{
    const char *q = strchr(cap, '?'), *m, *r;

    if (!q || !(m = strstr(q, "module=")))
        return;
    m += 7;
    r = strstr(q, "revision=");
    if (r)
        r += 9;
    ncc_add_mod(dv, m, strcspn(m, "&"), r, r ? strcspn(r, "&") : 0);
}

/* Text of the child element @p name of @p n, or NULL. */
static const char *
ncc_xml_text(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name))
            return c->children && c->children->type == XML_TEXT_NODE ? (const char *)c->children->content : "";
    }
    return NULL;
}

/* Modules in yang-library data (both the 1.1 tree and modules-state). */
static void
ncc_yl_modules(struct ncc_dev *dv, const xmlNode *n, char ***caps, size_t *n_caps)
{
    for (; n; n = n->next) {
        const char *name = (const char *)n->name;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!strcmp(name, "module") || !strcmp(name, "import-only-module")) {
            const char *nv = ncc_xml_text(n, "name"), *rv = ncc_xml_text(n, "revision"),
                    *ns = ncc_xml_text(n, "namespace");
            char *cap, **v;

            if (!nv || !nv[0])
                continue;
            if (!rv)
                rv = "";
            /* Modules already in <hello> (or seen twice) get no extra line. */
            if (ncc_add_mod(dv, nv, strlen(nv), rv, strlen(rv)) && ns &&
                    asprintf(&cap, "%s?module=%s%s%s", ns, nv, rv[0] ? "&revision=" : "", rv) >= 0) {
                if ((v = realloc(*caps, (*n_caps + 1) * sizeof *v))) {
                    *caps = v;
                    (*caps)[(*n_caps)++] = cap;
                } else {
                    free(cap);
                }
            }
            if (!strcmp(name, "module") && !strcmp(nv, "ietf-netconf-nmda"))
                dv->nmda = 1;
            if (!strcmp(nv, "ietf-netconf-monitoring"))
                dv->monitoring = 1;
        } else {
            /* rpc-reply, data, yang-library, modules-state, module-set */
            ncc_yl_modules(dv, n->children, caps, n_caps);
        }
    }
}

/* What <hello> says: datastores, yang-library, modules (YANG 1.0). */
static int
ncc_hello(struct ncc_dev *dv)
{
    const char *const *cpblts = nc_session_get_cpblts(dv->nc);
    int yanglib = 0;

    for (size_t i = 0; cpblts && cpblts[i]; i++) {
        if (!strcmp(cpblts[i], CAP_CANDIDATE))
            dv->candidate = 1;
        else if (!strncmp(cpblts[i], CAP_YANGLIB, strlen(CAP_YANGLIB)))
            yanglib = 1;
        else if (!strncmp(cpblts[i], NS_MONITORING "?", strlen(NS_MONITORING) + 1))
            dv->monitoring = 1;
        ncc_cap_module(dv, cpblts[i]);
    }
    return yanglib;
}

/* capabilities.txt: <hello>, then the modules only yang-library lists. */
static er_code
ncc_capabilities(struct ncc_dev *dv, const char *yl, size_t yl_len, struct er_err *err)
{
    const char *const *cpblts = nc_session_get_cpblts(dv->nc);
    char **extra = NULL, *txt = NULL;
    size_t n_extra = 0, len = 0;
    struct xg_err xe;
    xmlDoc *doc = NULL;
    FILE *f;
    er_code rc;

    /* YANG 1.1 modules are only listed in yang-library, not in <hello>. */
    if (yl && (doc = xg_read(yl, yl_len, "yang-library.xml", XML_PARSE_NONET | XML_PARSE_NOBLANKS, &xe)))
        ncc_yl_modules(dv, xmlDocGetRootElement(doc), &extra, &n_extra);
    xmlFreeDoc(doc);
    if (!(f = open_memstream(&txt, &len))) {
        rc = er_set(err, ER_ENOMEM, "device %s: out of memory", dv->d->name);
        goto cleanup;
    }
    for (size_t i = 0; cpblts && cpblts[i]; i++)
        fprintf(f, "%s\n", cpblts[i]);
    for (size_t i = 0; i < n_extra; i++)
        fprintf(f, "%s\n", extra[i]);
    fclose(f);
    rc = ncc_write(dv, "netconf/capabilities.txt", txt, len, err);
cleanup:
    free(txt);
    for (size_t i = 0; i < n_extra; i++)
        free(extra[i]);
    free(extra);
    return rc;
}

/* ---- schemas ---- */

/* A cached schema, NULL when there is none (or it is over the size cap). */
static char *
ncc_read_file(const char *path, size_t *len)
{
    struct er_err e;
    char *buf;

    return bound_read_path(path, path, 0, &buf, len, &e) ? NULL : buf;
}

/* Write @p buf to @p path through a temporary file; a failed cache write is not an error. */
static void
ncc_cache_put(const char *path, const char *buf, size_t len)
{
    char tmp[PATH_MAX + 32];
    FILE *f;

    snprintf(tmp, sizeof tmp, "%s.%lu.tmp", path, (unsigned long)pthread_self());
    if (!(f = fopen(tmp, "wb")))
        return;
    if (fwrite(buf, 1, len, f) != len || fclose(f)) {
        unlink(tmp);
        return;
    }
    if (rename(tmp, path))
        unlink(tmp);
}

/* The module text of a <get-schema> reply: the text of <rpc-reply><data>. */
static char *
ncc_schema_text(const char *reply, size_t len)
{
    struct xg_err xe;
    xmlDoc *doc = xg_read(reply, len, "get-schema", XML_PARSE_NONET, &xe);
    xmlNode *n = doc ? xmlDocGetRootElement(doc) : NULL;
    xmlChar *content = NULL;
    char *text = NULL;

    for (n = n ? n->children : NULL; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, "data"))
            break;
    }
    if (n && (content = xmlNodeGetContent(n)) && content[0])
        text = strdup((const char *)content);
    xmlFree(content);
    xmlFreeDoc(doc);
    return text;
}

/* Write schemas/MOD.yang and, when it came from the device, the cache copy. */
static er_code
ncc_schema_put(struct ncc_dev *dv, const char *mod, const char *text, size_t len, int cache, struct er_err *err)
{
    char rel[PATH_MAX], path[PATH_MAX];

    if (cache && dv->cachedir[0] && snprintf(path, sizeof path, "%s/%s.yang", dv->cachedir, mod) < (int)sizeof path)
        ncc_cache_put(path, text, len);
    snprintf(rel, sizeof rel, "netconf/schemas/%s.yang", mod);
    return ncc_write(dv, rel, text, len, err);
}

#define NCC_SCHEMA_BATCH 64

/*
 * Operational data and the schemas, pipelined: state first, then a
 * <get-schema> for each module not in the device's cache. Failures here
 * leave the device partial: its configuration is in.
 */
static er_code
ncc_state_and_schemas(struct ncc_dev *dv, struct er_err *err)
{
    struct ncc_req r[1 + NCC_SCHEMA_BATCH];
    const char *filter = dv->state_filter ? dv->state_filter : ncc_state_filter();
    size_t next = 0, missing = 0, n;
    int first = 1;
    er_code rc = ER_OK;

    memset(r, 0, sizeof r);
    while (first || next < dv->n_mods) {
        size_t idx[NCC_SCHEMA_BATCH];

        n = 0;
        if (first) {
            if (dv->nmda)
                r[n].rpc = nc_rpc_getdata("ietf-datastores:operational", filter, NULL, NULL, 0, 0, 0,
                        0, NC_WD_UNKNOWN, NC_PARAMTYPE_CONST);
            else
                r[n].rpc = nc_rpc_get(filter, NC_WD_UNKNOWN, NC_PARAMTYPE_CONST);
            snprintf(r[n].what, sizeof r[n].what, "%s", dv->nmda ? "<get-data> of operational" : "<get>");
            r[n++].relpath = "netconf/state.xml";
        }
        while (dv->run->o.fetch_schemas && dv->monitoring && next < dv->n_mods &&
                n < (size_t)(1 + NCC_SCHEMA_BATCH - first)) {
            const char *mod = dv->mods[next];
            char name[256], path[PATH_MAX], *text = NULL, *rev;
            size_t len = 0;

            next++;
            if (strchr(mod, '/'))
                continue;
            if (dv->cachedir[0] && snprintf(path, sizeof path, "%s/%s.yang", dv->cachedir, mod) < (int)sizeof path &&
                    (text = ncc_read_file(path, &len))) {
                rc = ncc_schema_put(dv, mod, text, len, 0, err);
                free(text);
                if (rc)
                    goto cleanup;
                continue;
            }
            snprintf(name, sizeof name, "%s", mod);
            if ((rev = strchr(name, '@')))
                *rev++ = '\0';
            r[n].rpc = nc_rpc_getschema(name, rev ? rev : "", "yang", NC_PARAMTYPE_DUP_AND_FREE);
            snprintf(r[n].what, sizeof r[n].what, "<get-schema> of %s", mod);
            r[n].keep = 1;
            idx[n - first] = next - 1;
            n++;
        }
        if (!n)
            break;
        rc = ncc_batch(dv, r, n, err);
        if (rc && dv->write_failed)
            goto cleanup;
        if (first && r[0].rc)
            ncc_partial(dv, &r[0].err);
        for (size_t i = first; i < n; i++) {
            const char *mod = dv->mods[idx[i - first]];
            char *text = r[i].rc ? NULL : ncc_schema_text(r[i].buf, r[i].len);

            if (!text) {
                missing++;
                continue;
            }
            rc = ncc_schema_put(dv, mod, text, strlen(text), 1, err);
            free(text);
            if (rc)
                goto cleanup;
        }
        ncc_req_clear(r, n);
        if (!tap_alive(dv->tap))
            break;
        first = 0;
    }
    if (missing || next < dv->n_mods) {
        struct er_err e;

        er_set(&e, ER_ECOLLECT, "device %s: %zu of %zu schemas not fetched", dv->d->name,
                missing + (dv->n_mods - next), dv->n_mods);
        if (dv->run->o.fetch_schemas && dv->monitoring)
            ncc_partial(dv, &e);
    }
    rc = ER_OK;
cleanup:
    ncc_req_clear(r, sizeof r / sizeof *r);
    return rc;
}

/* ---- Junos (junos_rpc.h) ---- */

#define NCC_JUNOS_BATCH 64
#define NCC_JUNOS_PEERS 256

/* A Junos RPC of the batch: @p xml (copied) answered into @p relpath (NULL: kept in memory). */
static void
ncc_junos_req(struct ncc_dev *dv, struct ncc_req *r, const char *xml, const char *what, const char *relpath, int keep)
{
    struct lyd_node *n = junos_rpc_node(dv->ctx, xml);

    r->rpc = n ? nc_rpc_act_generic(n, NC_PARAMTYPE_FREE) : NULL;
    if (n && !r->rpc)
        lyd_free_tree(n);
    snprintf(r->what, sizeof r->what, "%s", what);
    r->relpath = relpath;
    r->keep = keep;
}

/* Replies of one kind, one after the other in one file (their XML declarations
 * but the first dropped, so the file reads back), secrets removed. */
static er_code
ncc_write_joined(struct ncc_dev *dv, const char *relpath, FILE *f, char **buf, size_t *len, struct er_err *err)
{
    struct er_err e;
    char *red = NULL;
    size_t red_len = 0;
    er_code rc = ER_OK;

    fclose(f);
    if (!dv->run->o.keep_device_secrets && redact_xml(*buf, *len, &red, &red_len, NULL, &e)) {
        er_wrap(&e, "device %s: %s not stored, its secrets cannot be removed: ", dv->d->name, relpath);
        ncc_partial(dv, &e);
    } else {
        rc = ncc_write(dv, relpath, red ? red : *buf, red ? red_len : *len, err);
    }
    free(red);
    free(*buf);
    *buf = NULL;
    return rc;
}

static void
ncc_join(FILE *f, const char *buf, size_t len, int first)
{
    const char *end;

    if (!first && len > 5 && !strncmp(buf, "<?xml", 5) && (end = memmem(buf, len, "?>", 2))) {
        len -= (size_t)(end + 2 - buf);
        buf = end + 2;
    }
    fwrite(buf, 1, len, f);
    fputc('\n', f);
}

/* The routes that matter, one <get-route-information> each, pipelined: netconf/junos-route.xml. */
static er_code
ncc_junos_routes(struct ncc_dev *dv, struct er_err *err)
{
    struct ncc_req r[NCC_JUNOS_BATCH];
    char *buf = NULL, xml[256];
    size_t len = 0, next = 0, n, got = 0;
    FILE *f;
    er_code rc = ER_OK;

    if (!dv->run->o.n_keep)
        return ER_OK;
    if (!(f = open_memstream(&buf, &len)))
        return er_set(err, ER_ENOMEM, "device %s: out of memory", dv->d->name);
    memset(r, 0, sizeof r);
    while (next < dv->run->o.n_keep && tap_alive(dv->tap)) {
        for (n = 0; n < NCC_JUNOS_BATCH && next < dv->run->o.n_keep; next++) {
            if (junos_rpc_route(&dv->run->o.keep[next], xml, sizeof xml))
                ncc_junos_req(dv, &r[n++], xml, "<get-route-information> of a prefix that matters", NULL, 1);
        }
        rc = ncc_batch(dv, r, n, err);
        if (rc && dv->write_failed)
            break;
        for (size_t i = 0; i < n; i++) {
            if (r[i].rc) {
                ncc_partial(dv, &r[i].err);
                continue;
            }
            ncc_join(f, r[i].buf, r[i].len, !got++);
        }
        ncc_req_clear(r, n);
        if (rc) {
            ncc_partial(dv, err);
            rc = ER_OK;
            break;
        }
    }
    ncc_req_clear(r, NCC_JUNOS_BATCH);
    if (rc) {
        fclose(f);
        free(buf);
        return rc;
    }
    if (!got) {
        fclose(f);
        free(buf);
        return ER_OK;
    }
    return ncc_write_joined(dv, "netconf/junos-route.xml", f, &buf, &len, err);
}

/* What is advertised to each BGP peer: netconf/junos-adv/ADDRESS.xml. */
static er_code
ncc_junos_advertised(struct ncc_dev *dv, const char *bgp, size_t bgp_len, struct er_err *err)
{
    char (*pv)[64] = calloc(NCC_JUNOS_PEERS, sizeof *pv);
    struct ncc_req *r = calloc(NCC_JUNOS_PEERS, sizeof *r);
    char xml[256], (*rel)[96] = calloc(NCC_JUNOS_PEERS, sizeof *rel);
    size_t n, i;
    er_code rc = ER_OK;

    if (!pv || !r || !rel) {
        rc = er_set(err, ER_ENOMEM, "device %s: out of memory", dv->d->name);
        goto cleanup;
    }
    n = junos_rpc_peers(bgp, bgp_len, pv, NCC_JUNOS_PEERS);
    for (i = 0; i < n; i++) {
        snprintf(rel[i], sizeof rel[i], "netconf/junos-adv/%s.xml", pv[i]);
        junos_rpc_advertised(pv[i], xml, sizeof xml);
        ncc_junos_req(dv, &r[i], xml, "<get-route-information> advertised to a BGP peer", rel[i], 0);
    }
    if (!n)
        goto cleanup;
    rc = ncc_batch(dv, r, n, err);
    if (rc && dv->write_failed)
        goto cleanup;
    for (i = 0; i < n; i++) {
        if (r[i].rc)
            ncc_partial(dv, &r[i].err);
    }
    rc = ER_OK;
cleanup:
    if (r)
        ncc_req_clear(r, NCC_JUNOS_PEERS);
    free(r);
    free(pv);
    free(rel);
    return rc;
}

/*
 * A Junos device: configuration (committed and candidate, groups
 * inherited), interfaces and BGP peers in one round trip, then the routes
 * that matter and what each peer is sent. Only the committed configuration
 * is required; the rest missing leaves the device partial.
 */
static er_code
ncc_junos(struct ncc_dev *dv, struct er_err *err)
{
    struct ncc_req r[4];
    er_code rc;

    memset(r, 0, sizeof r);
    ncc_junos_req(dv, &r[0], junos_rpc_config("committed"), "<get-configuration> of committed", "netconf/running.xml", 0);
    ncc_junos_req(dv, &r[1], junos_rpc_config("candidate"), "<get-configuration> of candidate", "netconf/candidate.xml",
            0);
    ncc_junos_req(dv, &r[2], "<get-interface-information/>", "<get-interface-information>",
            "netconf/junos-interfaces.xml", 0);
    ncc_junos_req(dv, &r[3], "<get-bgp-neighbor-information/>", "<get-bgp-neighbor-information>",
            "netconf/junos-bgp.xml", 1);
    rc = ncc_batch(dv, r, 4, err);
    if (r[0].rc) {
        *err = r[0].err;
        rc = r[0].rc;
        goto cleanup;
    }
    if (rc) {
        if (dv->write_failed)
            goto cleanup;
        ncc_partial(dv, err);
        rc = ER_OK;
    }
    for (size_t i = 1; i < 4; i++) {
        if (r[i].rc)
            ncc_partial(dv, &r[i].err);
    }
    ER_TRY(rc, ncc_capabilities(dv, NULL, 0, err), cleanup);
    if (tap_alive(dv->tap) && !r[3].rc && r[3].buf)
        ER_TRY(rc, ncc_junos_advertised(dv, r[3].buf, r[3].len, err), cleanup);
    if (tap_alive(dv->tap))
        rc = ncc_junos_routes(dv, err);
cleanup:
    ncc_req_clear(r, 4);
    return rc;
}

/* ---- one device ---- */

/* The command line's timeouts win, then the device's, the inventory's defaults, ours. */
static void
ncc_timeouts(struct ncc_dev *dv)
{
    unsigned c, t;

    inv_device_timeouts(dv->run->inv, dv->d, &c, &t);
    dv->connect_ms = dv->run->o.connect_timeout_set || !c ? dv->run->o.connect_timeout_ms : (int)c;
    dv->rpc_ms = dv->run->o.rpc_timeout_set || !t ? dv->run->o.rpc_timeout_ms : (int)t;
}

static er_code
ncc_device(struct ncc_dev *dv, struct er_err *err)
{
    ssh_session ss = NULL;
    struct ncc_req r[3];
    size_t n = 0, i_yl = SIZE_MAX, i_run, i_cand = SIZE_MAX;
    int fd = -1, yl;
    er_code rc;

    memset(r, 0, sizeof r);
    ncc_timeouts(dv);
    /* The device's schema cache is also where libnetconf2 looks first for the
     * modules it needs (LY_CTX_PREFER_SEARCHDIRS): a module cached once is
     * never asked for again. (netconfd dies on its second <get-schema> of
     * ietf-netconf.) */
    ly_ctx_unset_searchdir(dv->ctx, NULL);
    if (dv->run->cache[0] && dv->d->name[0] != '.' && !strchr(dv->d->name, '/') &&
            snprintf(dv->cachedir, sizeof dv->cachedir, "%s/%s", dv->run->cache, dv->d->name) <
                    (int)sizeof dv->cachedir &&
            !ncc_mkdirs(dv->cachedir))
        ly_ctx_set_searchdir(dv->ctx, dv->cachedir);
    else
        dv->cachedir[0] = '\0';
    ER_TRY(rc, ncc_ssh(dv, &ss, err), cleanup);
    /* The tap owns the SSH session from here on; libnetconf2 talks to it over fd. */
    ER_TRY(rc, tap_open(ss, dv->d->name, dv->connect_ms, &fd, &dv->tap, err), cleanup);
    ncc_nc_error[0] = '\0';
    dv->nc = nc_connect_inout(fd, fd, dv->ctx);
    if (!dv->nc) {
        const char *why = tap_error(dv->tap);

        rc = er_set(err, ER_ECOLLECT, "device %s: NETCONF session not established: %s", dv->d->name,
                why ? why : ncc_nc_error[0] ? ncc_nc_error : "no <hello>");
        goto cleanup;
    }
    if (junos_rpc_is_junos(nc_session_get_cpblts(dv->nc))) {
        rc = ncc_junos(dv, err);
        goto cleanup;
    }
    /* One round trip: yang-library, running, candidate. */
    yl = ncc_hello(dv);
    dv->state_filter = ncc_cisco_filter(ncc_cisco_family(nc_session_get_cpblts(dv->nc)), ncc_state_filter(),
            dv->run->o.keep, dv->run->o.n_keep);
    if (yl) {
        i_yl = n;
        r[n].rpc = nc_rpc_get("<yang-library xmlns=\"" NS_YANGLIB "\"/><modules-state xmlns=\"" NS_YANGLIB "\"/>",
                NC_WD_UNKNOWN, NC_PARAMTYPE_CONST);
        snprintf(r[n].what, sizeof r[n].what, "<get> of ietf-yang-library");
        r[n].relpath = "netconf/yang-library.xml";
        r[n++].keep = 1;
    }
    i_run = n;
    r[n].rpc = nc_rpc_getconfig(NC_DATASTORE_RUNNING, NULL, NC_WD_UNKNOWN, NC_PARAMTYPE_CONST);
    snprintf(r[n].what, sizeof r[n].what, "<get-config> of running");
    r[n++].relpath = "netconf/running.xml";
    if (dv->candidate) {
        i_cand = n;
        r[n].rpc = nc_rpc_getconfig(NC_DATASTORE_CANDIDATE, NULL, NC_WD_UNKNOWN, NC_PARAMTYPE_CONST);
        snprintf(r[n].what, sizeof r[n].what, "<get-config> of candidate");
        r[n++].relpath = "netconf/candidate.xml";
    }
    rc = ncc_batch(dv, r, n, err);
    if (r[i_run].rc) {
        *err = r[i_run].err;
        rc = r[i_run].rc;
        goto cleanup;
    }
    if (rc) {
        /* Lost after the running configuration came in. */
        if (dv->write_failed)
            goto cleanup;
        ncc_partial(dv, err);
        rc = ER_OK;
    }
    if (i_yl < n && r[i_yl].rc)
        ncc_partial(dv, &r[i_yl].err);
    if (i_cand < n && r[i_cand].rc)
        ncc_partial(dv, &r[i_cand].err);
    ER_TRY(rc, ncc_capabilities(dv, i_yl < n ? r[i_yl].buf : NULL, i_yl < n ? r[i_yl].len : 0, err), cleanup);
    if (tap_alive(dv->tap))
        ER_TRY(rc, ncc_state_and_schemas(dv, err), cleanup);
cleanup:
    ncc_req_clear(r, sizeof r / sizeof *r);
    nc_session_free(dv->nc, NULL);
    dv->nc = NULL;
    tap_close(dv->tap);
    dv->tap = NULL;
    for (size_t i = 0; i < dv->n_mods; i++)
        free(dv->mods[i]);
    free(dv->mods);
    dv->mods = NULL;
    dv->n_mods = 0;
    free(dv->state_filter);
    dv->state_filter = NULL;
    sshcfg_done(&dv->sshcfg);
    return rc;
}

/* ---- the pool ---- */

static void *
ncc_worker(void *arg)
{
    struct ncc_run *run = arg;
    struct ly_ctx *ctx = NULL;

    if (ly_ctx_new(NULL, LY_CTX_DISABLE_SEARCHDIR_CWD | LY_CTX_PREFER_SEARCHDIRS, &ctx))
        ctx = NULL;
    for (;;) {
        struct ncc_dev dv = {.run = run, .ctx = ctx};
        struct snap_device sd = {0};
        struct er_err e = {0}, we;
        er_code rc;
        size_t i;

        pthread_mutex_lock(&run->lock);
        i = run->next < run->n && !run->fatal ? run->todo[run->next++] : SIZE_MAX;
        pthread_mutex_unlock(&run->lock);
        if (i == SIZE_MAX)
            break;
        dv.d = &run->inv->devices[i];
        progress_report(dv.d->name, "netconf", PROGRESS_STARTED);
        rc = ctx ? ncc_device(&dv, &e) : er_set(&e, ER_ENOMEM, "device %s: no libyang context", dv.d->name);
        sd.name = dv.d->name;
        sd.collectors = "netconf";
        sd.status = rc ? "failed" : dv.partial ? "partial" : "collected";
        sd.reason = rc ? e.msg : dv.partial ? dv.partial_why : NULL;
        if (snap_writer_device(run->w, &sd, &we))
            dv.write_failed = 1;
        else
            we = e;
        pthread_mutex_lock(&run->lock);
        if (dv.write_failed && !run->fatal) {
            /* A snapshot that cannot be written stops the whole collection. */
            run->fatal = we.code ? we.code : ER_EIO;
            run->fatal_err = we;
        }
        pthread_mutex_unlock(&run->lock);
        progress_report(dv.d->name, "netconf", rc ? PROGRESS_FAILED : PROGRESS_DONE);
    }
    ly_ctx_destroy(ctx);
    nc_thread_destroy();
    /* OpenSSL's per-thread state (libssh's random generator) is freed here,
     * not left to its thread-exit destructor: that one now and then lost a
     * thread's DRBG when several workers ended together (LeakSanitizer). */
    OPENSSL_thread_stop();
    return NULL;
}

static void
ncc_nc_init(void)
{
    nc_client_init();
    nc_verbosity(NC_VERB_ERROR);
    nc_set_print_clb_session(ncc_nc_print);
}

er_code
ncc_collect(const struct inventory *inv, struct snap_writer *w, const struct ncc_opts *opts, struct er_err *err)
{
    static pthread_once_t init = PTHREAD_ONCE_INIT;
    struct ncc_run run = {.inv = inv, .w = w};
    pthread_t *tids = NULL;
    unsigned n_threads, started = 0;
    uint32_t old_log;
    er_code rc = ER_OK;

    if (opts)
        run.o = *opts;
    else
        ncc_opts_default(&run.o);
    if (!run.o.jobs || run.o.connect_timeout_ms <= 0 || run.o.rpc_timeout_ms <= 0 || !run.o.max_reply_bytes)
        return er_set(err, ER_EINVAL, "netconf: bad collection options (jobs %u, timeouts %d/%d ms)", run.o.jobs,
                run.o.connect_timeout_ms, run.o.rpc_timeout_ms);
    if (inv->known_hosts)
        snprintf(run.known_hosts, sizeof run.known_hosts, "%s", inv->known_hosts);
    else if (!hostkey_default_path(run.known_hosts, sizeof run.known_hosts))
        return er_set(err, ER_EINVAL, "netconf: no home directory for ~/.ssh/known_hosts; set known_hosts in %s",
                inv->path ? inv->path : "the inventory");
    if (run.o.schema_cache)
        snprintf(run.cache, sizeof run.cache, "%s", run.o.schema_cache);
    else if (!ncc_default_schema_cache(run.cache, sizeof run.cache))
        run.cache[0] = '\0';

    run.todo = calloc(inv->n_devices ? inv->n_devices : 1, sizeof *run.todo);
    if (!run.todo)
        return er_set(err, ER_ENOMEM, "out of memory");
    for (size_t i = 0; i < inv->n_devices; i++) {
        if (inv->devices[i].collectors & INV_COLLECT_NETCONF)
            run.todo[run.n++] = i;
    }
    if (!run.n)
        goto cleanup;
    pthread_once(&init, ncc_nc_init);
    /* Reply parse errors are reported per device, not printed by libyang. */
    old_log = ly_log_options(LY_LOSTORE_LAST);
    pthread_mutex_init(&run.lock, NULL);
    n_threads = run.o.jobs < run.n ? run.o.jobs : (unsigned)run.n;
    tids = calloc(n_threads, sizeof *tids);
    for (unsigned i = 0; tids && i < n_threads; i++) {
        if (pthread_create(&tids[i], NULL, ncc_worker, &run))
            break;
        started++;
    }
    if (!started)
        ncc_worker(&run);
    for (unsigned i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    ly_log_options(old_log);
    pthread_mutex_destroy(&run.lock);
    if (run.fatal) {
        *err = run.fatal_err;
        rc = run.fatal;
    }
cleanup:
    free(tids);
    free(run.todo);
    return rc;
}
