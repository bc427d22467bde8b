/**
 * @file sshcfg.c
 * @brief Opt-in OpenSSH client configuration for a NETCONF session: the
 * file read into the libssh session, a ProxyJump's ssh held to the
 * inventory's known_hosts.
 */
#include "sshcfg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
/* Where the inventory gave the setting, for messages: "inv.yaml:12". */
static const char *
where(const struct inventory *inv, const struct inv_sshcfg *s, char *buf, size_t size)
{
    snprintf(buf, size, "%s:%d", inv->path ? inv->path : "inventory", s->line);
    return buf;
}

/* The file must be a readable regular file: libssh skips a missing one silently. */
static er_code
check_file(const char *dev, const char *path, const char *at, struct er_err *err)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return er_set(err, ER_ECOLLECT, "device %s: ssh-config %s (%s) cannot be read: %s", dev, path, at,
                strerror(errno));
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        close(fd);
        return er_set(err, ER_ECOLLECT, "device %s: ssh-config %s (%s) is not a regular file", dev, path, at);
    }
    close(fd);
    return ER_OK;
}

/*
 * A proxy command that runs ssh gets the same file, no prompts, the
 * inventory's known_hosts checked strictly and the connect timeout; its
 * stderr goes to a private file whose last line explains a failure.
 */
static er_code
hold_proxy(ssh_session ss, const char *dev, const char *cfg, const char *known_hosts, int accept_new,
        unsigned connect_ms, struct sshcfg *out, struct er_err *err)
{
    char *pc = NULL, cmd[3 * PATH_MAX + 512];
    const char *tmp = getenv("TMPDIR");
    int fd, n;
    er_code rc = ER_OK;

    if (!tmp || tmp[0] != '/' || strpbrk(tmp, "%'"))
        tmp = "/tmp";   /* the file's name goes into the command too */
    if (ssh_options_get(ss, SSH_OPTIONS_PROXYCOMMAND, &pc) != SSH_OK || !pc)
        return ER_OK;
    snprintf(out->proxy, sizeof out->proxy, "%s", strstr(pc, "-W '[%h]:%p'") ? "ProxyJump" : "ProxyCommand");
    if (strncmp(pc, "ssh ", 4))
        goto cleanup;   /* not ssh: that command's own business */
    if (strpbrk(known_hosts, "%'") || (cfg && strpbrk(cfg, "%'"))) {
        rc = er_set(err, ER_ECOLLECT, "device %s: cannot hand the known_hosts or ssh-config path to the %s's ssh "
                "(it has a '%%' or a quote)", dev, out->proxy);
        goto cleanup;
    }
    snprintf(out->proxy_err, sizeof out->proxy_err, "%s/eraudit-proxy-XXXXXX", tmp);
    if ((fd = mkstemp(out->proxy_err)) < 0) {
        rc = er_set(err, ER_ECOLLECT, "device %s: cannot make a file for the %s's messages in %s: %s", dev,
                out->proxy, tmp, strerror(errno));
        out->proxy_err[0] = '\0';
        goto cleanup;
    }
    close(fd);
    n = snprintf(cmd, sizeof cmd, "exec 2>'%s'; ssh -o BatchMode=yes -o StrictHostKeyChecking=%s "
            "-o UserKnownHostsFile='%s' -o GlobalKnownHostsFile=/dev/null -o ConnectTimeout=%u%s%s%s %s",
            out->proxy_err, accept_new ? "accept-new" : "yes", known_hosts, (connect_ms + 999) / 1000,
            cfg ? " -F '" : "", cfg ? cfg : "", cfg ? "'" : "", pc + 4);
    if (n < 0 || (size_t)n >= sizeof cmd || ssh_options_set(ss, SSH_OPTIONS_PROXYCOMMAND, cmd) < 0)
        rc = er_set(err, ER_ECOLLECT, "device %s: cannot set the %s command", dev, out->proxy);
cleanup:
    ssh_string_free_char(pc);
    return rc;
}

er_code
sshcfg_apply(ssh_session ss, const struct inventory *inv, const struct inv_device *d, unsigned port,
        const char *known_hosts, int accept_new, unsigned connect_ms, struct sshcfg *out, struct er_err *err)
{
    const struct inv_sshcfg *s = inv_device_ssh_config(inv, d);
    const struct inv_auth *a = inv_auth_find(inv, d->auth);
    char pathbuf[PATH_MAX], at[PATH_MAX + 16], *id0 = NULL, *id1 = NULL;
    const char *path = NULL;
    er_code rc = ER_OK;

    memset(out, 0, sizeof *out);
    if (!s)
        return ER_OK;
    out->on = 1;
    where(inv, s, at, sizeof at);
    if (s->mode == INV_SSHCFG_FILE) {
        path = inv_resolve(inv, s->path, pathbuf, sizeof pathbuf);
        ER_TRY(rc, check_file(d->name, path, at, err), cleanup);
    }
    /* libssh's default identity comes first until the file names one. */
    if (ssh_options_get(ss, SSH_OPTIONS_IDENTITY, &id0) != SSH_OK)
        id0 = NULL;
    ER_CHECK_GOTO(ssh_options_parse_config(ss, path) < 0, rc,
            er_set(err, ER_ECOLLECT, "device %s: ssh-config %s (%s) cannot be used: %s", d->name,
                    path ? path : "~/.ssh/config", at, ssh_get_error(ss)), cleanup);
    /* The inventory's port and user win over the file's (a Host entry is usually the CLI's, port 22). */
    ER_CHECK_GOTO(ssh_options_set(ss, SSH_OPTIONS_PORT, &port) < 0 ||
            (a && a->username && ssh_options_set(ss, SSH_OPTIONS_USER, a->username) < 0), rc,
            er_set(err, ER_ECOLLECT, "device %s: bad SSH options: %s", d->name, ssh_get_error(ss)), cleanup);
    out->identity = ssh_options_get(ss, SSH_OPTIONS_IDENTITY, &id1) == SSH_OK && id1 && (!id0 || strcmp(id0, id1));
    rc = hold_proxy(ss, d->name, path, known_hosts, accept_new, connect_ms, out, err);
cleanup:
    ssh_string_free_char(id0);
    ssh_string_free_char(id1);
    return rc;
}

const char *
sshcfg_identity(ssh_session ss, const struct sshcfg *c, char *buf, size_t size)
{
    char *id = NULL;

    /* Once connected, libssh holds it expanded (~ and %d: the user's home from the password database). */
    buf[0] = '\0';
    if (c->identity && ssh_options_get(ss, SSH_OPTIONS_IDENTITY, &id) == SSH_OK && id)
        snprintf(buf, size, "%s", id);
    ssh_string_free_char(id);
    return buf;
}

const char *
sshcfg_proxy_error(const struct sshcfg *c, char *buf, size_t size)
{
    char line[512], last[512] = "", detail[512] = "";
    int changed = 0;
    FILE *f;

    buf[0] = '\0';
    if (!c->proxy_err[0] || !(f = fopen(c->proxy_err, "r")))
        return buf;
    /* ssh's last line says what failed; for a host key, say which key too. */
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strstr(line, "IDENTIFICATION HAS CHANGED"))
            changed = 1;
        if (strstr(line, "host key is known for") || (changed && !strncmp(line, "SHA256:", 7)))
            snprintf(detail, sizeof detail, "%s%s", changed ? "the jump host's key changed, it offered " : "",
                    line);
        if (line[0] && strncmp(line, "@@@", 3))
            snprintf(last, sizeof last, "%s", line);
    }
    fclose(f);
    if (detail[0] && detail[strlen(detail) - 1] == '.')
        detail[strlen(detail) - 1] = '\0';
    snprintf(buf, size, "%s%s%s", detail, detail[0] && last[0] ? "; " : "", last);
    return buf;
}

void
sshcfg_done(struct sshcfg *c)
{
    if (c->proxy_err[0])
        unlink(c->proxy_err);
    c->proxy_err[0] = '\0';
}
