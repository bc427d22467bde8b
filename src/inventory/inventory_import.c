/**
 * @file inventory_import.c
 * @brief The drafted device list, what a source's platform and role mean to
 * eraudit, and the commented inventory written for review (imp_* module).
 */
#include "inventory_import.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "atomicfile.h"

void
imp_copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

er_code
imp_skip(struct imp_list *l, struct er_err *err, const char *fmt, ...)
{
    char msg[512], **v, *p;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* names and values from the source: a control character must not reach a terminal or end a comment */
    for (p = msg; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    }
    l->skipped++;
    if (l->warn)
        fprintf(l->warn, "eraudit: %s: %s\n", l->source ? l->source : "", msg);
    if (!(v = realloc(l->skips, (l->n_skips + 1) * sizeof *v)) || !(v[l->n_skips] = strdup(msg))) {
        if (v)
            l->skips = v;
        return er_set(err, ER_ENOMEM, "out of memory");
    }
    l->skips = v;
    l->n_skips++;
    return ER_OK;
}

er_code
imp_add(struct imp_list *l, const struct imp_device *d, struct er_err *err)
{
    const char *why = names_bad(d->name);
    size_t i;

    if (why)
        return imp_skip(l, err, "%s: skipped: device name '%.80s' is not usable (letters, digits, '.', '_' and '-', "
                "at most %d; it %s)", d->where, d->name, NAMES_MAX_LEN, why);
    if (!d->host[0] || strpbrk(d->host, " \t\r\n"))
        return imp_skip(l, err, "%s: skipped: device '%s' has no usable host name or address", d->where, d->name);
    /* a few thousand devices at most: a scan per device is cheaper than an index here */
    for (i = 0; i < l->n; i++) {
        if (!strcmp(l->v[i].name, d->name))
            return imp_skip(l, err, "%s: skipped: device '%s' again (first at %s)", d->where, d->name,
                    l->v[i].where);
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        struct imp_device *v = realloc(l->v, cap * sizeof *v);

        if (!v)
            return er_set(err, ER_ENOMEM, "out of memory");
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = *d;
    return ER_OK;
}

void
imp_list_free(struct imp_list *l)
{
    size_t i;

    if (!l)
        return;
    for (i = 0; i < l->n_skips; i++)
        free(l->skips[i]);
    free(l->skips);
    free(l->v);
    l->v = NULL;
    l->skips = NULL;
    l->n = l->cap = l->n_skips = 0;
}

/* ------------------------------------------------------ what a platform is */

/*
 * Platform names as NetBox slugs, Ansible network_os values and Oxidized
 * models say them, compared lower-case with everything but letters and
 * digits dropped ("cisco.iosxr.iosxr", "cisco-ios-xr" -> ...iosxr). A key
 * matches anywhere in the name when `anywhere`, else at its end (so "ios"
 * is "cisco.ios.ios" but not "iosxe"); the first row that matches wins.
 */
static const struct platform {
    const char *key;
    int anywhere;
    unsigned collectors;
    int firewall;           /* the platform is a firewall: its role is firewall unless the source says */
    const char *why;
} platforms[] = {
    {"iosxr", 1, INV_COLLECT_NETCONF | INV_COLLECT_SNMP, 0, "Cisco IOS XR: OpenConfig over NETCONF"},
    {"iosxe", 1, INV_COLLECT_NETCONF | INV_COLLECT_SNMP, 0, "Cisco IOS XE: OpenConfig and IETF over NETCONF"},
    {"nxos", 1, INV_COLLECT_NETCONF | INV_COLLECT_SNMP, 0, "Cisco NX-OS: OpenConfig over NETCONF"},
    {"junos", 1, INV_COLLECT_NETCONF | INV_COLLECT_SNMP, 0, "Junos: OpenConfig over NETCONF"},
    {"sros", 1, INV_COLLECT_NETCONF | INV_COLLECT_SNMP, 0, "Nokia SR OS: OpenConfig over NETCONF"},
    {"fortios", 1, INV_COLLECT_SNMP, 1, "FortiOS: no OpenConfig over NETCONF, SNMP only"},
    {"fortigate", 1, INV_COLLECT_SNMP, 1, "FortiOS: no OpenConfig over NETCONF, SNMP only"},
    {"panos", 1, INV_COLLECT_SNMP, 1, "PAN-OS: no OpenConfig over NETCONF, SNMP only"},
    {"paloalto", 1, INV_COLLECT_SNMP, 1, "PAN-OS: no OpenConfig over NETCONF, SNMP only"},
    {"vyos", 1, INV_COLLECT_SNMP, 0, "VyOS: no NETCONF, SNMP only"},
    {"routeros", 1, INV_COLLECT_SNMP, 0, "RouterOS: no NETCONF, SNMP only"},
    /* short names last, matched at the end only: "fortios" is not "ios" */
    {"eos", 0, INV_COLLECT_NETCONF | INV_COLLECT_SNMP, 0, "Arista EOS: OpenConfig over NETCONF"},
    {"ios", 0, INV_COLLECT_SNMP, 0,
            "Cisco IOS (or IOS XE under the same name): SNMP; add netconf for IOS XE with NETCONF enabled"},
    {"asa", 0, INV_COLLECT_SNMP, 1, "Cisco ASA: no NETCONF, SNMP only"},
};

static void
squash(const char *s, char *out, size_t size)
{
    size_t n = 0;

    for (; *s && n + 1 < size; s++) {
        if (isalnum((unsigned char)*s))
            out[n++] = (char)tolower((unsigned char)*s);
    }
    out[n] = '\0';
}

static const struct platform *
platform_find(const char *name)
{
    char sq[IMP_TEXT_MAX];
    size_t i, n, k;

    squash(name, sq, sizeof sq);
    n = strlen(sq);
    for (i = 0; n && i < sizeof platforms / sizeof *platforms; i++) {
        k = strlen(platforms[i].key);
        if (platforms[i].anywhere ? strstr(sq, platforms[i].key) != NULL
                                  : (n >= k && !strcmp(sq + n - k, platforms[i].key)))
            return &platforms[i];
    }
    return NULL;
}

/* ---------------------------------------------------------- what a role is */

/* Words in a source's role or group names that say an eraudit role. */
static const struct {
    const char *word;
    int token;              /* must be a whole word ("fw"), else anywhere ("firewall") */
    enum inv_role role;
} role_words[] = {
    {"expressroute", 0, INV_ROLE_ER_EDGE}, {"eredge", 0, INV_ROLE_ER_EDGE}, {"er", 1, INV_ROLE_ER_EDGE},
    {"internet", 0, INV_ROLE_INTERNET_EDGE}, {"inet", 1, INV_ROLE_INTERNET_EDGE},
    {"firewall", 0, INV_ROLE_FIREWALL}, {"fw", 1, INV_ROLE_FIREWALL},
    {"proxy", 0, INV_ROLE_PROXY}, {"wan", 1, INV_ROLE_WAN},
};

/* Whether @p word is in @p text: anywhere (with separators squashed away), or as a whole word. */
static int
has_word(const char *text, const char *word, int token)
{
    char sq[IMP_TEXT_MAX], w[32];
    const char *p;
    size_t k = strlen(word);

    if (!token) {
        squash(text, sq, sizeof sq);
        squash(word, w, sizeof w);
        return strstr(sq, w) != NULL;
    }
    for (p = text; *p; p++) {
        if ((p == text || !isalnum((unsigned char)p[-1])) && !strncasecmp(p, word, k) &&
                !isalnum((unsigned char)p[k]))
            return 1;
    }
    return 0;
}

/* The role the source's words say, or -1. */
static int
role_from_words(const char *text)
{
    size_t i;

    for (i = 0; *text && i < sizeof role_words / sizeof *role_words; i++) {
        if (has_word(text, role_words[i].word, role_words[i].token))
            return (int)role_words[i].role;
    }
    return -1;
}

/* --------------------------------------------------------------- writing */

static const char *const format_names[] = {"NetBox devices export", "Ansible inventory", "Oxidized router.db"};

static void
put_collectors(FILE *out, unsigned c)
{
    fprintf(out, "  collectors: [%s%s%s]", c & INV_COLLECT_NETCONF ? "netconf" : "",
            (c & INV_COLLECT_NETCONF) && (c & INV_COLLECT_SNMP) ? ", " : "", c & INV_COLLECT_SNMP ? "snmp" : "");
}

/* One comment line; the text comes from the source, so a newline in it cannot end the comment. */
static void
put_comment(FILE *out, const char *indent, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
put_comment(FILE *out, const char *indent, const char *fmt, ...)
{
    char buf[640], *p;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    for (p = buf; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
    }
    fprintf(out, "%s# %s\n", indent, buf);
}

static void
put_device(FILE *out, const struct imp_device *d, const char *auth, size_t *guessed)
{
    const struct platform *pf = platform_find(d->platform);
    int role = role_from_words(d->role_src);
    unsigned coll = pf ? pf->collectors : INV_COLLECT_SNMP;
    int by_platform = 0;

    if (d->netconf_hint)
        coll |= INV_COLLECT_NETCONF;
    if (role < 0 && pf && pf->firewall) {
        role = INV_ROLE_FIREWALL;
        by_platform = 1;
    }
    fputs("- name: ", out);
    inv_print_scalar(out, d->name);
    fputc('\n', out);
    put_comment(out, "  ", "from %s", d->where);
    fputs("  host: ", out);
    inv_print_scalar(out, d->host);
    fputc('\n', out);
    if (d->port)
        fprintf(out, "  port: %u\n", d->port);
    if (role >= 0) {
        fprintf(out, "  role: %s\n", inv_role_name((enum inv_role)role));
        put_comment(out, "  ", "role from the %s '%s'", by_platform ? "platform" : d->role_kind ? d->role_kind : "role",
                by_platform ? d->platform : d->role_src);
    } else {
        (*guessed)++;
        fprintf(out, "  role: wan\n");
        put_comment(out, "  ", "REVIEW role: %s '%s' says none of er-edge, internet-edge, firewall, wan, proxy; wan "
                "assumed", d->role_kind ? d->role_kind : "role", d->role_src[0] ? d->role_src : "(none given)");
    }
    if (d->site[0]) {
        fputs("  site: ", out);
        inv_print_scalar(out, d->site);
        fputc('\n', out);
    }
    put_collectors(out, coll);
    fputc('\n', out);
    if (pf)
        put_comment(out, "  ", "platform '%s': %s%s", d->platform, pf->why,
                d->netconf_hint && !(pf->collectors & INV_COLLECT_NETCONF) ? " (netconf: the source connects so)" : "");
    else {
        (*guessed)++;
        put_comment(out, "  ", "REVIEW collectors: platform '%s' is not one eraudit knows; snmp assumed (standard "
                "MIBs)%s; add netconf if it serves OpenConfig or IETF models over NETCONF",
                d->platform[0] ? d->platform : "(none given)",
                d->netconf_hint ? ", netconf as the source connects so" : "");
    }
    if (d->note[0])
        put_comment(out, "  ", "%s", d->note);
    fprintf(out, "  auth: %s\n", auth);
}

void
imp_write(FILE *out, enum imp_format fmt, const char *source, const struct imp_list *l, const char *auth)
{
    size_t i, guessed = 0;

    put_comment(out, "", "eraudit inventory drafted by `eraudit inventory import` from the %s '%s'.",
            format_names[fmt], source);
    fputs("# Review it before use:\n"
          "# - fill in the auth profile below (nothing was read from the source's credentials);\n"
          "# - settle every line marked REVIEW (a role or collectors assumed);\n"
          "# - add the ExpressRoute circuits (circuits:) and the tenant (tenant:), see eraudit-inventory(1);\n"
          "# then `eraudit inventory check FILE` validates it.\n", out);
    for (i = 0; i < l->n_skips; i++)
        put_comment(out, "", "not imported: %s", l->skips[i]);
    fputs("auth:\n- name: ", out);
    inv_print_scalar(out, auth);
    fputs("\n"
          "  # FILL IN how eraudit logs in, then uncomment; secrets only as references.\n"
          "  # SSH (netconf collector): key-file, or agent: true, or password: {env: NAME}\n"
          "  # username: USER\n"
          "  # key-file: /etc/eraudit/id_ed25519\n"
          "  # SNMP (snmp collector): version 3 (or version: 2 and community: {env: NAME})\n"
          "  # snmp:\n"
          "  #   version: 3\n"
          "  #   user: USER\n"
          "  #   level: authPriv\n"
          "  #   auth-protocol: SHA-256\n"
          "  #   auth-pass: {env: NAME}\n"
          "  #   priv-protocol: AES\n"
          "  #   priv-pass: {file: /etc/eraudit/snmp-priv}\n"
          "devices:\n", out);
    for (i = 0; i < l->n; i++)
        put_device(out, &l->v[i], auth, &guessed);
    put_comment(out, "", "%zu devices imported, %zu rows not imported, %zu settings marked REVIEW.", l->n,
            l->skipped, guessed);
}

er_code
imp_run(enum imp_format fmt, const char *path, const struct imp_opts *o, const char *out_path, int force,
        FILE *warn, struct er_err *err)
{
    struct imp_list l = {.warn = warn, .source = path};
    struct atomicfile *af = NULL;
    const char *auth = o && o->auth ? o->auth : "default";
    struct stat st;
    er_code rc;

    if (names_bad(auth))
        return er_set(err, ER_EINVAL, "expected an auth profile name of letters, digits, '.', '_' and '-', got '%.80s'",
                auth);
    /* an inventory someone reviewed is not replaced by a fresh draft by accident */
    if (out_path && !force && stat(out_path, &st) == 0 && S_ISREG(st.st_mode))
        return er_set(err, ER_EINVAL, "%s exists; give --force to replace it", out_path);
    switch (fmt) {
    case IMP_NETBOX: rc = imp_read_netbox(path, &l, err); break;
    case IMP_ANSIBLE: rc = imp_read_ansible(path, &l, err); break;
    default: rc = imp_read_oxidized(path, o, &l, err); break;
    }
    if (rc)
        goto cleanup;
    if (!l.n) {
        rc = er_set(err, ER_EINVAL, "%s: expected at least one device to import, got none (%zu rows not imported)",
                path, l.skipped);
        goto cleanup;
    }
    if (!out_path) {
        imp_write(stdout, fmt, path, &l, auth);
        rc = fflush(stdout) || ferror(stdout) ? er_set(err, ER_EIO, "standard output: %s", strerror(errno)) : ER_OK;
        goto cleanup;
    }
    ER_TRY(rc, atomicfile_open(out_path, &af, err), cleanup);
    imp_write(atomicfile_stream(af), fmt, path, &l, auth);
    rc = atomicfile_commit(af, err);
    af = NULL;
cleanup:
    if (!rc && warn)
        fprintf(warn, "eraudit: %s: %zu devices drafted, %zu rows not imported\n", path, l.n, l.skipped);
    atomicfile_abort(af);
    imp_list_free(&l);
    return rc;
}
