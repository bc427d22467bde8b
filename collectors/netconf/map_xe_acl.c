/**
 * @file map_xe_acl.c
 * @brief IOS-XE `ip access-list extended` (Cisco-IOS-XE-acl, augmenting
 * /native/ip/access-list) into filter/rule. Addresses come as address and
 * wildcard mask (`ipv4-address`/`mask`, `dest-ipv4-address`/`dest-mask`),
 * `host-address`/`dst-host-address` (or the deprecated `host`/`dst-host`)
 * or `any`/`dst-any`; ports as `dst-eq` or `dst-range1`..`dst-range2`. A rule
 * the model cannot state (object, FQDN and geo groups, non-contiguous
 * wildcards, `dst-gt`/`dst-lt`/`dst-neq`, several `dst-eq` ports) is skipped
 * by name: one entry is one element (part filter/rule).
 */
#include "map_xe_xr.h"

#include <stdio.h>
#include <string.h>

static er_code
xe_ace(struct ncm *c, struct lyd_node *f, const char *acl, const struct xr_node *e)
{
    static const char *const src[5] = {"any", "host", "host-address", "ipv4-address", "mask"};
    static const char *const dst[5] = {"dst-any", "dst-host", "dst-host-address", "dest-ipv4-address", "dest-mask"};
    static const char *const unsupported[] = {"object-group", "dst-object-group", "src-fqdn-group", "dst-fqdn-group",
        "src-geo-group", "dst-geo-group", "dst-gt", "dst-lt", "dst-neq", "dst-eq-port2", "src-eq", "src-gt", "src-lt",
        "src-neq", "src-range1", NULL};
    const struct xr_node *kn = xu_child(e, "sequence"), *ace = xu_child(e, "ace-rule"), *an;
    struct lyd_node *r = NULL;
    char sb[32], tb[64], cb[64], p2[32];
    const char *seq = xu_text(kn, sb, sizeof sb), *v;
    size_t i;
    er_code rc = ER_OK;

    if (!seq || !*seq)
        return ncm_bad(c, e, "access-list %s entry without a sequence", acl);
    if (!ace)
        return ER_OK;                         /* a remark */
    for (i = 0; unsupported[i]; i++) {
        if (xu_child(ace, unsupported[i]))
            return ncm_bad(c, xu_child(ace, unsupported[i]), "access-list %s %s: '%s' is not modelled; the entry "
                    "is skipped", acl, seq, unsupported[i]);
    }
    an = xu_child(ace, "action");
    v = xu_text(an, tb, sizeof tb);
    if (!v || (strcmp(v, "permit") && strcmp(v, "deny")))
        return ncm_bad(c, an ? an : ace, "access-list %s %s without action permit or deny", acl, seq);
    ER_TRY(rc, ncm_list(c, f, "rule", seq, kn, &r), done);
    ER_TRY(rc, ncm_leaf(c, r, "action", v, an), done);
    ER_TRY(rc, cx_acl_side(c, r, "source", ace, src), done);
    ER_TRY(rc, cx_acl_side(c, r, "destination", ace, dst), done);
    v = xu_str(ace, "protocol", tb, sizeof tb);
    ER_TRY(rc, ncm_leaf(c, r, "protocol", v && *v ? ncm_protocol(v, cb, sizeof cb) : "ip", ace), done);
    if ((v = xu_str(ace, "dst-eq", tb, sizeof tb)) && *v)
        ER_TRY(rc, cx_acl_ports(c, r, v, NULL, xu_child(ace, "dst-eq")), done);
    else if ((v = xu_str(ace, "dst-range1", tb, sizeof tb)) && *v)
        ER_TRY(rc, cx_acl_ports(c, r, v, xu_str(ace, "dst-range2", p2, sizeof p2), xu_child(ace, "dst-range1")), done);
    else
        ER_TRY(rc, cx_acl_ports(c, r, NULL, NULL, ace), done);
done:
    return rc;
}

er_code
xe_acls(struct ncm *c, const struct xr_node *native)
{
    const struct xr_node *x, *e;
    struct lyd_node *f;
    char nb[NCM_TEXT];
    const char *name;
    er_code rc = ER_OK;

    XU_FOR(xu_find(native, "ip/access-list"), "extended", x) {
        const struct xr_node *kn = xu_child(x, "name");

        if (!(name = xu_text(kn, nb, sizeof nb)) || !*name) {
            NCM_ELEM(rc, c, "filter", ncm_bad(c, x, "extended access-list without a name"), done);
            continue;
        }
        ER_TRY(rc, ncm_list(c, c->mc->dev, "filter", name, kn, &f), done);
        XU_FOR(x, "access-list-seq-rule", e)
            NCM_ELEM(rc, c, "filter/rule", xe_ace(c, f, name, e), done);
    }
done:
    return rc;
}
