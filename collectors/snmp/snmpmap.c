/**
 * @file snmpmap.c
 * @brief snmp_map_device(): a device's walk files (snapshot
 * devices/NAME/snmp/\*.walk) through the MIB decoders into the model.
 */
#include "mib.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "beneath.h"

/* The second interface-counter sample (see session.h) is read last, as such. */
static int
snmpmap_is_sample2(const char *name)
{
    return !strncmp(name, "if-sample", 9);
}

/* Name order, with the second samples after everything else. */
static int
snmpmap_cmp(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int sx = snmpmap_is_sample2(x), sy = snmpmap_is_sample2(y);

    return sx != sy ? sx - sy : strcmp(x, y);
}

static int
snmpmap_is_walk(const char *name)
{
    size_t n = strlen(name);

    return name[0] != '.' && n > 5 && !strcmp(name + n - 5, ".walk");
}

/* The sorted names of the walk files in @p dir (opened as @p dfd, which stays open). */
static er_code
snmpmap_list(int dfd, const char *dir, char ***names, size_t *n, struct er_err *err)
{
    int fd = dup(dfd);
    DIR *d = fd < 0 ? NULL : fdopendir(fd);
    struct dirent *e;
    char **v = NULL, **nv;
    size_t cap = 0, cnt = 0;
    er_code rc = ER_OK;

    if (!d) {
        if (fd >= 0)
            close(fd);
        return er_set(err, ER_EIO, "%s: %s", dir, strerror(errno));
    }
    while ((e = readdir(d))) {
        if (!snmpmap_is_walk(e->d_name))
            continue;
        if (cnt == cap) {
            cap = cap ? cap * 2 : 16;
            if (!(nv = realloc(v, cap * sizeof *v)))
                ER_CHECK_GOTO(1, rc, er_set(err, ER_ENOMEM, "out of memory"), cleanup);
            v = nv;
        }
        if (!(v[cnt] = strdup(e->d_name)))
            ER_CHECK_GOTO(1, rc, er_set(err, ER_ENOMEM, "out of memory"), cleanup);
        cnt++;
    }
    qsort(v, cnt, sizeof *v, snmpmap_cmp);
cleanup:
    closedir(d);
    if (rc) {
        while (cnt)
            free(v[--cnt]);
        free(v);
        v = NULL;
    }
    *names = v;
    *n = cnt;
    return rc;
}

er_code
snmp_map_device(struct map_ctx *mc, const char *devdir)
{
    int fd = open(devdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    er_code rc;

    if (fd < 0)
        return er_set(mc->err, ER_ENOTFOUND, "device %s: no snmp/ directory", mc->device);
    rc = snmp_map_device_at(mc, fd, devdir);
    close(fd);
    return rc;
}

er_code
snmp_map_device_at(struct map_ctx *mc, int devfd, const char *devdir)
{
    char dir[PATH_MAX], path[PATH_MAX];
    const char *saved_file = mc->file;
    struct mib_state *st = NULL;
    char **names = NULL;
    size_t n = 0, i;
    struct stat sb;
    er_code rc = ER_OK;
    int sfd = -1, wfd;

    if ((size_t)snprintf(dir, sizeof dir, "%s/snmp", devdir) >= sizeof dir)
        return er_set(mc->err, ER_EINVAL, "device %s: path too long", mc->device);
    if (fstatat(devfd, "snmp", &sb, AT_SYMLINK_NOFOLLOW) || !(S_ISDIR(sb.st_mode) || S_ISLNK(sb.st_mode)))
        return er_set(mc->err, ER_ENOTFOUND, "device %s: no snmp/ directory", mc->device);
    /* a link is opened to see whether it stays inside the snapshot */
    if ((sfd = beneath_open(devfd, "snmp", O_RDONLY | O_DIRECTORY)) < 0) {
        mc->escaped |= beneath_escaped(errno);
        return er_set(mc->err, errno == ENOTDIR ? ER_ENOTFOUND : ER_EIO, "device %s: %s: %s", mc->device, dir,
                beneath_strerror(errno));
    }
    ER_TRY(rc, snmpmap_list(sfd, dir, &names, &n, mc->err), cleanup);
    if (!(st = mib_state_new(mc)))
        ER_CHECK_GOTO(1, rc, er_set(mc->err, ER_ENOMEM, "out of memory"), cleanup);
    if (mc->keep_route)
        mib_set_route_filter(st, mc->keep_route, mc->keep_arg);
    for (i = 0; i < n; i++) {
        if (snmpmap_is_sample2(names[i]))
            mib_begin_second_sample(st);
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        mc->file = path;
        if ((wfd = beneath_open(sfd, names[i], O_RDONLY | O_NONBLOCK)) < 0) {
            mc->escaped |= beneath_escaped(errno);
            ER_CHECK_GOTO(1, rc, er_set(mc->err, ER_EIO, "%s: cannot open: %s", path, beneath_strerror(errno)),
                    cleanup);
        }
        rc = walkfile_parse_fd(wfd, path, mib_feed_cb, st, mc->err);
        close(wfd);
        if (rc)
            goto cleanup;
    }
    mc->file = NULL;
    ER_TRY(rc, mib_finish(st), cleanup);
cleanup:
    mc->file = saved_file;
    if (rc)
        er_wrap(mc->err, "device %s: ", mc->device);
    mib_state_free(st);
    if (sfd >= 0)
        close(sfd);
    while (n)
        free(names[--n]);
    free(names);
    return rc;
}
