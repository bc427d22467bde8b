/**
 * @file session_v3.c
 * @brief Reaching a device: address, credentials from the inventory's
 * secrets, SNMPv3 engine-ID discovery (RFC 3414 section 4) on a plain UDP
 * socket, and the USM users net-snmp keeps per engine ID and user name.
 */
#include "session_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netdb.h>
#include <unistd.h>

#include <net-snmp/library/lcd_time.h>
#include <net-snmp/library/snmpusm.h>

/* ---- SNMPv3 engine-ID discovery (RFC 3414 section 4) ------------------ */

/* Wrap @p len bytes at @p in into TLV @p tag at @p out (short lengths only:
 * the discovery message is well under 128 bytes a part). */
static size_t
ber_wrap(uint8_t tag, const uint8_t *in, size_t len, uint8_t *out)
{
    out[0] = tag;
    out[1] = (uint8_t)len;
    if (len)
        memmove(out + 2, in, len);
    return len + 2;
}

static size_t
ber_uint(uint32_t v, uint8_t *out)
{
    uint8_t tmp[5];
    size_t n = 0;

    do {
        tmp[4 - n++] = (uint8_t)v;
        v >>= 8;
    } while (v);
    if (tmp[5 - n] & 0x80)
        tmp[4 - n++] = 0;
    return ber_wrap(0x02, tmp + 5 - n, n, out);
}

static size_t
disc_build(uint32_t id, uint8_t *msg)
{
    uint8_t hdr[32], usm[32], pdu[48], body[128], t[48];
    size_t h = 0, u = 0, p = 0, b = 0, n;

    h += ber_uint(id, hdr + h);
    h += ber_uint(65507, hdr + h);
    h += ber_wrap(0x04, (const uint8_t *)"\x04", 1, hdr + h);   /* reportable, noAuthNoPriv */
    h += ber_uint(3, hdr + h);                                   /* USM */
    /* UsmSecurityParameters: engine ID, boots, time, user, auth, priv: all empty/0 */
    n = 0;
    n += ber_wrap(0x04, NULL, 0, t + n);
    n += ber_uint(0, t + n);
    n += ber_uint(0, t + n);
    n += ber_wrap(0x04, NULL, 0, t + n);
    n += ber_wrap(0x04, NULL, 0, t + n);
    n += ber_wrap(0x04, NULL, 0, t + n);
    u = ber_wrap(0x30, t, n, usm);
    /* ScopedPDU: empty context engine ID and name, GetRequest without varbinds */
    n = 0;
    n += ber_uint(id, t + n);
    n += ber_uint(0, t + n);
    n += ber_uint(0, t + n);
    n += ber_wrap(0x30, NULL, 0, t + n);
    p += ber_wrap(0x04, NULL, 0, pdu + p);
    p += ber_wrap(0x04, NULL, 0, pdu + p);
    p += ber_wrap(0xa0, t, n, pdu + p);

    b += ber_uint(3, body + b);
    b += ber_wrap(0x30, hdr, h, body + b);
    b += ber_wrap(0x04, usm, u, body + b);
    b += ber_wrap(0x30, pdu, p, body + b);
    return ber_wrap(0x30, body, b, msg);
}

struct ber {
    const uint8_t *p, *end;
};

/* Read one TLV; its value becomes @p v. */
static int
ber_next(struct ber *b, uint8_t *tag, struct ber *v)
{
    size_t len;

    if (b->end - b->p < 2)
        return -1;
    *tag = *b->p++;
    len = *b->p++;
    if (len & 0x80) {
        unsigned nb = len & 0x7f;
        if (nb == 0 || nb > 4 || (size_t)(b->end - b->p) < nb)
            return -1;
        for (len = 0; nb; nb--)
            len = (len << 8) | *b->p++;
    }
    if ((size_t)(b->end - b->p) < len)
        return -1;
    v->p = b->p;
    v->end = b->p + len;
    b->p += len;
    return 0;
}

static int
ber_get_uint(struct ber *b, uint32_t *out)
{
    uint8_t tag;
    struct ber v;
    uint64_t x = 0;

    if (ber_next(b, &tag, &v) || tag != 0x02 || v.p == v.end || v.end - v.p > 5 || (*v.p & 0x80))
        return -1;
    for (; v.p < v.end; v.p++)
        x = (x << 8) | *v.p;
    if (x > UINT32_MAX)
        return -1;
    *out = (uint32_t)x;
    return 0;
}

/* Parse a discovery Report: msgID must be ours; take engine ID, boots, time. */
static int
disc_parse(const uint8_t *pkt, size_t len, uint32_t id, u_char *eid, size_t *eid_len, uint32_t *boots,
        uint32_t *etime)
{
    struct ber b = { pkt, pkt + len }, msg, hdr, sec, usm, e;
    uint8_t tag;
    uint32_t v, msgid;

    if (ber_next(&b, &tag, &msg) || tag != 0x30 || ber_get_uint(&msg, &v) || v != 3)
        return -1;
    if (ber_next(&msg, &tag, &hdr) || tag != 0x30 || ber_get_uint(&hdr, &msgid) || msgid != id)
        return -1;
    if (ber_next(&msg, &tag, &sec) || tag != 0x04 || ber_next(&sec, &tag, &usm) || tag != 0x30)
        return -1;
    if (ber_next(&usm, &tag, &e) || tag != 0x04 || e.end == e.p || e.end - e.p > 32)
        return -1;
    *eid_len = (size_t)(e.end - e.p);
    memcpy(eid, e.p, *eid_len);
    if (ber_get_uint(&usm, boots) || ber_get_uint(&usm, etime))
        return -1;
    return 0;
}

void
snmps_disc_send(struct loop *l, struct dev *d)
{
    uint8_t msg[256];
    size_t n = disc_build(d->disc_id, msg);

    /* A send error (no route) is treated like a lost datagram: retried, then timeout. */
    (void)send(d->disc_fd, msg, n, 0);
    d->disc_tries++;
    d->disc_deadline = snmps_now_ms() + l->o.timeout_ms;
}

void
snmps_disc_read(struct loop *l, struct dev *d)
{
    uint8_t pkt[2048];
    uint32_t boots, etime;
    ssize_t n;

    while ((n = recv(d->disc_fd, pkt, sizeof pkt, 0)) >= 0) {
        if (disc_parse(pkt, (size_t)n, d->disc_id, d->engine_id, &d->engine_id_len, &boots, &etime))
            continue;     /* not our Report: ignore, as a retransmission might still come */
        close(d->disc_fd);
        d->disc_fd = -1;
        /* With engine ID, boots and time known, net-snmp neither probes nor
         * needs a notInTimeWindow round trip. */
        set_enginetime(d->engine_id, (u_int)d->engine_id_len, boots, etime, FALSE);
        d->tmpl.securityEngineID = d->engine_id;
        d->tmpl.securityEngineIDLen = d->engine_id_len;
        d->st = D_HOLD;
        snmps_usm_claim(l, d);
        return;
    }
    if (errno == ECONNREFUSED) {
        snmps_fail(d, "no SNMP agent at %s (port unreachable)", d->where);
        d->fatal = 1;
        d->st = D_DONE;
    }
    (void)l;
}

/* ---- credentials ------------------------------------------------------- */

static int
lookup_auth_proto(const char *name, oid **proto, size_t *len)
{
    static const struct { const char *name; oid *proto; } tab[] = {
        { "SHA", usmHMACSHA1AuthProtocol }, { "SHA1", usmHMACSHA1AuthProtocol },
        { "SHA-1", usmHMACSHA1AuthProtocol }, { "SHA-224", usmHMAC128SHA224AuthProtocol },
        { "SHA-256", usmHMAC192SHA256AuthProtocol }, { "SHA-384", usmHMAC256SHA384AuthProtocol },
        { "SHA-512", usmHMAC384SHA512AuthProtocol }, { "MD5", usmHMACMD5AuthProtocol },
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (!strcasecmp(name, tab[i].name)) {
            *proto = tab[i].proto;
            *len = USM_AUTH_PROTO_SHA_LEN;
            return 0;
        }
    return -1;
}

static int
lookup_priv_proto(const char *name, oid **proto, size_t *len)
{
    if (!strcasecmp(name, "AES") || !strcasecmp(name, "AES-128") || !strcasecmp(name, "AES128")) {
        *proto = usmAESPrivProtocol;
        *len = USM_PRIV_PROTO_AES_LEN;
    } else if (!strcasecmp(name, "AES-192") || !strcasecmp(name, "AES192")) {
        *proto = usmAES192PrivProtocol;
        *len = sizeof usmAES192PrivProtocol / sizeof(oid);
    } else if (!strcasecmp(name, "AES-256") || !strcasecmp(name, "AES256")) {
        *proto = usmAES256PrivProtocol;
        *len = sizeof usmAES256PrivProtocol / sizeof(oid);
    } else if (!strcasecmp(name, "DES")) {
        *proto = usmDESPrivProtocol;
        *len = USM_PRIV_PROTO_DES_LEN;
    } else {
        return -1;
    }
    return 0;
}

/* Read a pass phrase and turn it into the key net-snmp localizes later. */
static int
make_ku(struct dev *d, const struct inv_secret *s, const char *what, oid *hash, size_t hash_len, u_char *key,
        size_t *key_len)
{
    char pass[512];
    struct er_err e;
    int rc = -1;

    if (s->kind == INV_SECRET_NONE) {
        snmps_fail(d, "auth profile '%s' has no %s pass phrase", d->inv->auth, what);
        return -1;
    }
    if (inv_secret_read(s, pass, sizeof pass, &e)) {
        snmps_fail(d, "%s pass phrase: %s", what, e.msg);
        goto cleanup;
    }
    if (strlen(pass) < 8) {
        snmps_fail(d, "%s pass phrase from %s is shorter than 8 characters (RFC 3414)", what,
                s->ref ? s->ref : "?");
        goto cleanup;
    }
    if (generate_Ku(hash, (u_int)hash_len, (u_char *)pass, strlen(pass), key, key_len) != SNMPERR_SUCCESS) {
        snmps_fail(d, "could not derive the %s key", what);
        goto cleanup;
    }
    rc = 0;
cleanup:
    explicit_bzero(pass, sizeof pass);
    return rc;
}

int
snmps_credentials(struct dev *d, const struct inventory *inv)
{
    const struct inv_auth *a = d->inv->auth ? inv_auth_find(inv, d->inv->auth) : NULL;
    netsnmp_session *s = &d->tmpl;
    struct er_err e;

    if (!a) {
        snmps_fail(d, "auth profile '%s' not found", d->inv->auth ? d->inv->auth : "(none)");
        return -1;
    }
    snmp_sess_init(s);
    s->peername = d->peer;
    if (a->snmp_version != 3) {
        if (a->community.kind == INV_SECRET_NONE) {
            snmps_fail(d, "auth profile '%s' has no SNMP community", a->name);
            return -1;
        }
        if (inv_secret_read(&a->community, d->community, sizeof d->community, &e)) {
            snmps_fail(d, "community: %s", e.msg);
            return -1;
        }
        s->version = SNMP_VERSION_2c;
        s->community = (u_char *)d->community;
        s->community_len = strlen(d->community);
        return 0;
    }

    d->v3 = 1;
    s->version = SNMP_VERSION_3;
    s->securityModel = SNMP_SEC_MODEL_USM;
    if (!a->v3_user || !*a->v3_user) {
        snmps_fail(d, "auth profile '%s' has no SNMPv3 user", a->name);
        return -1;
    }
    s->securityName = a->v3_user;
    s->securityNameLen = strlen(a->v3_user);
    const char *level = a->v3_level ? a->v3_level
            : a->v3_priv_proto ? "authPriv" : a->v3_auth_proto ? "authNoPriv" : "noAuthNoPriv";
    if (!strcasecmp(level, "noAuthNoPriv")) {
        s->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
        return 0;
    } else if (!strcasecmp(level, "authNoPriv")) {
        s->securityLevel = SNMP_SEC_LEVEL_AUTHNOPRIV;
    } else if (!strcasecmp(level, "authPriv")) {
        s->securityLevel = SNMP_SEC_LEVEL_AUTHPRIV;
    } else {
        snmps_fail(d, "auth profile '%s': unknown SNMPv3 level '%s'", a->name, level);
        return -1;
    }
    /* SHA and AES unless the profile asks for something else; MD5/DES only if named. */
    const char *ap = a->v3_auth_proto ? a->v3_auth_proto : "SHA";
    if (lookup_auth_proto(ap, &s->securityAuthProto, &s->securityAuthProtoLen)) {
        snmps_fail(d, "auth profile '%s': unsupported SNMPv3 auth protocol '%s'", a->name, ap);
        return -1;
    }
    s->securityAuthKeyLen = USM_AUTH_KU_LEN;
    if (make_ku(d, &a->v3_auth_pass, "auth", s->securityAuthProto, s->securityAuthProtoLen, s->securityAuthKey,
                &s->securityAuthKeyLen))
        return -1;
    if (s->securityLevel != SNMP_SEC_LEVEL_AUTHPRIV)
        return 0;
    const char *pp = a->v3_priv_proto ? a->v3_priv_proto : "AES";
    if (lookup_priv_proto(pp, &s->securityPrivProto, &s->securityPrivProtoLen)) {
        snmps_fail(d, "auth profile '%s': unsupported SNMPv3 privacy protocol '%s'", a->name, pp);
        return -1;
    }
    s->securityPrivKeyLen = USM_PRIV_KU_LEN;
    return make_ku(d, &a->v3_priv_pass, "privacy", s->securityAuthProto, s->securityAuthProtoLen,
            s->securityPrivKey, &s->securityPrivKeyLen);
}

/* FNV-1a over what makes net-snmp's USM user: two devices with the same
 * engine ID and user name share one user, so their keys must agree. */
uint64_t
snmps_key_fingerprint(const netsnmp_session *s)
{
    uint64_t h = 1469598103934665603ull;
    const u_char *parts[] = { (const u_char *)&s->securityLevel, (const u_char *)s->securityAuthProto,
            s->securityAuthKey, (const u_char *)s->securityPrivProto, s->securityPrivKey };
    size_t lens[] = { sizeof s->securityLevel, s->securityAuthProtoLen * sizeof(oid), s->securityAuthKeyLen,
            s->securityPrivProtoLen * sizeof(oid), s->securityPrivKeyLen };

    for (size_t i = 0; i < 5; i++)
        for (size_t j = 0; parts[i] && j < lens[i]; j++)
            h = (h ^ parts[i][j]) * 1099511628211ull;
    return h;
}

void
snmps_wipe_secrets(struct dev *d)
{
    explicit_bzero(d->community, sizeof d->community);
    explicit_bzero(d->tmpl.securityAuthKey, sizeof d->tmpl.securityAuthKey);
    explicit_bzero(d->tmpl.securityPrivKey, sizeof d->tmpl.securityPrivKey);
    d->tmpl.community = NULL;
}

int
snmps_resolve(struct dev *d)
{
    struct addrinfo hints = { .ai_socktype = SOCK_DGRAM, .ai_flags = AI_NUMERICSERV }, *res = NULL;
    char port[8], host[INET6_ADDRSTRLEN];
    unsigned p = d->inv->snmp_port ? d->inv->snmp_port : 161;
    int rc;

    if (!d->inv->host || !*d->inv->host) {
        snmps_fail(d, "no host");
        return -1;
    }
    snprintf(port, sizeof port, "%u", p);
    rc = getaddrinfo(d->inv->host, port, &hints, &res);
    if (rc || !res) {
        snmps_fail(d, "cannot resolve %s: %s", d->inv->host, gai_strerror(rc));
        return -1;
    }
    memcpy(&d->addr, res->ai_addr, res->ai_addrlen);
    d->alen = res->ai_addrlen;
    getnameinfo(res->ai_addr, res->ai_addrlen, host, sizeof host, NULL, 0, NI_NUMERICHOST);
    if (res->ai_family == AF_INET6) {
        snprintf(d->peer, sizeof d->peer, "udp6:[%s]:%u", host, p);
        snprintf(d->where, sizeof d->where, "[%s]:%u", host, p);
    } else {
        snprintf(d->peer, sizeof d->peer, "udp:%s:%u", host, p);
        snprintf(d->where, sizeof d->where, "%s:%u", host, p);
    }
    freeaddrinfo(res);
    return 0;
}

/* ---- USM users --------------------------------------------------------- */

static int
same_usm(const struct dev *a, const struct dev *b)
{
    return a->v3 && b->v3 && a->engine_id_len == b->engine_id_len
            && !memcmp(a->engine_id, b->engine_id, a->engine_id_len)
            && !strcmp(a->tmpl.securityName, b->tmpl.securityName);
}

/* Forget the USM user of @p d unless another live device of the run uses it. */
void
snmps_usm_release(struct loop *l, struct dev *d)
{
    if (!d->usm_user)
        return;
    d->usm_user = 0;
    for (size_t i = 0; i < l->n; i++)
        if (&l->devs[i] != d && l->devs[i].usm_user && same_usm(&l->devs[i], d))
            return;
    struct usmUser *u = usm_get_user(d->engine_id, d->engine_id_len, d->tmpl.securityName);
    if (u) {
        usm_remove_user(u);
        usm_free_user(u);
    }
}

/* Open the session of a discovered v3 device once no other live device
 * holds a USM user of the same engine ID and name with other keys: net-snmp
 * keys its users by (engine ID, name), so the second would silently use the
 * first one's keys (a wrong pass phrase would pass, a right one fail). */
void
snmps_usm_claim(struct loop *l, struct dev *d)
{
    for (size_t i = 0; i < l->n; i++) {
        struct dev *o = &l->devs[i];
        if (o != d && o->usm_user && same_usm(o, d) && o->keyfp != d->keyfp)
            return;                   /* stay in D_HOLD */
    }
    int shared = 0;
    for (size_t i = 0; i < l->n; i++)
        if (&l->devs[i] != d && l->devs[i].usm_user && same_usm(&l->devs[i], d))
            shared = 1;
    if (!shared) {                    /* a stale user from an earlier run */
        struct usmUser *u = usm_get_user(d->engine_id, d->engine_id_len, d->tmpl.securityName);
        if (u) {
            usm_remove_user(u);
            usm_free_user(u);
        }
    }
    d->usm_user = 1;
    snmps_open(d);
}
