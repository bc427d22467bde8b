/**
 * @file checkcache.c
 * @brief The pre-change check's cache of the running network: the entry's
 * index (what it must match), the snapshot's files, and the three data
 * files (tree, findings, reads).
 *
 * index      "eraudit-check-cache 3", then the lines the run must match
 *            (tool, yang, today, rules), one "file" line per snapshot file
 *            (size, mtime, ctime, inode, SHA-256, path), one "data" line
 *            per data file (its SHA-256), "end".
 * model-N.lyb the running tree cut down to what the rules read (check.c),
 *            libyang binary, in CC_PARTS parts of consecutive devices (the
 *            first with the network's other children), read on as many
 *            threads and joined in order.
 * findings   the running findings, one record each (strings length-prefixed).
 * reads      per rule: "all", or the indexes of the schema nodes it read in
 *            eraudit-network's depth-first order.
 */
#include "checkcache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "atomicfile.h"
#include "pool.h"
#include "beneath.h"
#include "checkcache_int.h"
#include "datadir.h"
#include "snapshot.h"

#define CC_MAGIC "eraudit-check-cache 3"
#define CC_LINE (PATH_MAX + 256)
#define CC_MAX_FILES 1000000

static const char *const cc_data[CC_NDATA] = {"model-0.lyb", "model-1.lyb", "model-2.lyb", "model-3.lyb",
    "findings", "reads"};

const char *
ccache_dir(const struct ccache *cc)
{
    return cc->dir;
}

/* "sha256:HEX" of @p len bytes at @p p. */
static void
sha_mem(const void *p, size_t len, char out[80])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0, i;

    out[0] = 0;
    if (!EVP_Digest(p, len, md, &n, EVP_sha256(), NULL))
        return;
    strcpy(out, "sha256:");
    for (i = 0; i < n; i++)
        snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
}

/* SHA-256 of the file at absolute @p path (its directory as the root); "" when unreadable. */
static void
sha_path(const char *path, char out[80])
{
    char dir[PATH_MAX];
    const char *base = strrchr(path, '/');
    struct er_err e;
    int fd;

    out[0] = 0;
    if (!base || (size_t)(base - path) >= sizeof dir)
        return;
    snprintf(dir, sizeof dir, "%.*s", (int)(base - path) ? (int)(base - path) : 1, path);
    if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        return;
    if (snap_digest(fd, base + 1, out, 80, &e))
        out[0] = 0;
    close(fd);
}

/* The snapshot's candidates are not part of the running network. */
static int
is_candidate(const char *rel)
{
    const char *p = strchr(rel, '/');

    return !strncmp(rel, "devices/", 8) && p && (p = strchr(p + 1, '/')) && !strcmp(p, "/netconf/candidate.xml");
}

static int
add_file(struct ccache *cc, const char *rel, const struct stat *st)
{
    struct cc_file *f;

    if (cc->n_files == cc->cap_files) {
        size_t cap = cc->cap_files ? cc->cap_files * 2 : 256;
        struct cc_file *v = cap > CC_MAX_FILES ? NULL : realloc(cc->files, cap * sizeof *v);

        if (!v)
            return -1;
        cc->files = v;
        cc->cap_files = cap;
    }
    f = &cc->files[cc->n_files];
    memset(f, 0, sizeof *f);
    if (!(f->rel = strdup(rel)))
        return -1;
    f->size = (long long)st->st_size;
    f->mtime = (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
    f->ctime = (long long)st->st_ctim.tv_sec * 1000000000LL + st->st_ctim.tv_nsec;
    f->ino = (long long)st->st_ino;
    cc->n_files++;
    return 0;
}

/* Every file below directory @p fd (@p rel its path in the snapshot), links not followed. */
static int
walk(struct ccache *cc, int fd, const char *rel)
{
    DIR *d = fdopendir(fd);
    struct dirent *e;
    int rc = 0;

    if (!d) {
        close(fd);
        return -1;
    }
    while (!rc && (e = readdir(d))) {
        char sub[PATH_MAX];
        struct stat st;

        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if ((size_t)snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name) >= sizeof sub ||
                fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW)) {
            rc = -1;
            break;
        }
        if (S_ISDIR(st.st_mode)) {
            int sfd = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

            rc = sfd < 0 ? -1 : walk(cc, sfd, sub);
        } else if (!is_candidate(sub)) {
            /* A link or a special file is recorded too: it changes the snapshot. */
            rc = add_file(cc, sub, &st);
        }
    }
    closedir(d);
    return rc;
}

static int
cmp_file(const void *a, const void *b)
{
    return strcmp(((const struct cc_file *)a)->rel, ((const struct cc_file *)b)->rel);
}

/*
 * One digest of every file below the directory @p dir (the bundled reference
 * data a snapshot's inventory may leave unnamed); "" when it cannot be read.
 */
static void
sha_dir(const char *dir, char out[80])
{
    struct ccache d = {0};
    char *buf = NULL;
    size_t i, len = 0;
    int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1, rootfd = fd >= 0 ? dup(fd) : -1;

    out[0] = 0;
    if (fd < 0 || rootfd < 0 || walk(&d, fd, ""))
        goto done;
    qsort(d.files, d.n_files, sizeof *d.files, cmp_file);
    if (!(buf = malloc(d.n_files * (PATH_MAX + 96) + 1)))
        goto done;
    for (i = 0; i < d.n_files; i++) {
        struct er_err e;

        if (snap_digest(rootfd, d.files[i].rel, d.files[i].sha, sizeof d.files[i].sha, &e))
            goto done;
        len += (size_t)sprintf(buf + len, "%s %s\n", d.files[i].sha, d.files[i].rel);
    }
    sha_mem(buf, len, out);
done:
    free(buf);
    for (i = 0; i < d.n_files; i++)
        free(d.files[i].rel);
    free(d.files);
    if (rootfd >= 0)
        close(rootfd);
}

/* The lines an entry for run @p s must match: the binary, the schema, the bundled data, the date, the rules. */
static char *
make_head(const struct run *s)
{
    char exe[PATH_MAX], tool[80], yn[80], yf[80], data[80], path[PATH_MAX + 32];
    size_t i, len = 256 + 5 * 80 + sizeof s->today;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *h, *p;

    if (n <= 0)
        return NULL;
    exe[n] = 0;
    sha_path(exe, tool);
    snprintf(path, sizeof path, "%s/eraudit-network.yang", model_yang_dir() ? model_yang_dir() : "");
    sha_path(path, yn);
    snprintf(path, sizeof path, "%s/eraudit-findings.yang", model_yang_dir() ? model_yang_dir() : "");
    sha_path(path, yf);
    sha_dir(er_data_dir(ER_DATA_REF), data);
    if (!*tool || !*yn || !*yf || !*data)
        return NULL;
    for (i = 0; i < s->n_rules; i++)
        len += strlen(s->rules[i].id) + 1;
    if (!(h = malloc(len)))
        return NULL;
    p = h + sprintf(h, CC_MAGIC "\ntool %s %s\nyang %s %s\nrefdata %s\ntoday %s\nrules %zu", tool, ER_VERSION, yn, yf,
            data, s->today, s->n_rules);
    for (i = 0; i < s->n_rules; i++)
        p += sprintf(p, " %s", s->rules[i].id);
    strcpy(p, "\n");
    return h;
}

er_code
ccache_open(const struct run *s, struct ccache **out, struct er_err *err)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    char real[PATH_MAX], key[80];
    struct ccache *cc;
    int fd;

    *out = NULL;
    /* Only a snapshot read with its own inventory is a closed world whose files say it all. */
    if (s->temp_snapshot || s->rootfd < 0 || !realpath(s->snapdir, real))
        return ER_OK;
    if (!(xdg && *xdg == '/') && !(home && *home == '/'))
        return ER_OK;
    if (!(cc = calloc(1, sizeof *cc)))
        return er_set(err, ER_ENOMEM, "out of memory");
    sha_mem(real, strlen(real), key);
    snprintf(cc->dir, sizeof cc->dir, "%s%s/eraudit/check/%.32s", xdg && *xdg == '/' ? xdg : home,
            xdg && *xdg == '/' ? "" : "/.cache", key + 7);
    if (!(cc->head = make_head(s)))
        goto fail;
    if ((fd = dup(s->rootfd)) < 0 || walk(cc, fd, ""))
        goto fail;
    qsort(cc->files, cc->n_files, sizeof *cc->files, cmp_file);
    *out = cc;
    return ER_OK;
fail:
    ccache_free(cc);
    return er_set(err, ER_EIO, "%s: cannot list the snapshot's files for the check cache: %s", s->snapdir,
            strerror(errno));
}

struct part_load {
    const struct run *s;
    const struct ccache *cc;
    size_t i;
    struct lyd_node *tree;
    int ok;
};

/* Part i of the tree: its digest checked first (a damaged file is never parsed), then parsed. */
static void *
load_part(void *arg)
{
    struct part_load *p = arg;
    char path[PATH_MAX + 16], now[80];

    snprintf(path, sizeof path, "%s/%s", p->cc->dir, cc_data[p->i]);
    sha_path(path, now);
    /* A part of no device (a small network) may read back as nothing. */
    p->ok = !strcmp(now, p->cc->data_sha[p->i]) &&
            !lyd_parse_data_path(p->s->ctx, path, LYD_LYB, LYD_PARSE_ONLY | LYD_PARSE_STRICT, 0, &p->tree) &&
            (p->tree ? !p->tree->next && p->tree->schema && !strcmp(p->tree->schema->name, "network") : p->i > 0);
    return NULL;
}

/* The tree's parts read side by side and joined in order into one model; why says which part failed. */
static int
load_model(const struct ccache *cc, const struct run *s, struct er_model **m, char *why, size_t whysize)
{
    struct part_load parts[CC_PARTS];
    pthread_t tid[CC_PARTS];
    int started[CC_PARTS] = {0}, rv = -1;
    size_t i, nt = pool_threads(CC_PARTS);
    struct lyd_node *dev, *next;
    struct er_err e;

    for (i = 0; i < CC_PARTS; i++) {
        parts[i] = (struct part_load){.s = s, .cc = cc, .i = i};
        started[i] = i && i < nt && !pthread_create(&tid[i], NULL, load_part, &parts[i]);
    }
    for (i = 0; i < CC_PARTS; i++) {
        if (started[i])
            pthread_join(tid[i], NULL);
        else
            load_part(&parts[i]);
    }
    for (i = 0; i < CC_PARTS; i++) {
        if (!parts[i].ok) {
            snprintf(why, whysize, "%s/%s does not match its digest or cannot be read", cc->dir, cc_data[i]);
            goto done;
        }
    }
    /* The devices of parts 1.. follow part 0's, in their order. */
    for (i = 1; i < CC_PARTS; i++) {
        for (dev = parts[i].tree ? lyd_child(parts[i].tree) : NULL; dev; dev = next) {
            next = dev->next;
            lyd_unlink_tree(dev);
            if (lyd_insert_child(parts[0].tree, dev)) {
                lyd_free_tree(dev);
                snprintf(why, whysize, "%s/%s cannot be joined", cc->dir, cc_data[i]);
                goto done;
            }
        }
    }
    /* The model's index hangs on the root it adopts (model_wrap), as for a tree it built. */
    if (!model_adopt(s->ctx, parts[0].tree, m, &e)) {
        parts[0].tree = NULL;
        rv = 0;
    }
done:
    for (i = 0; i < CC_PARTS; i++)
        lyd_free_all(parts[i].tree);
    return rv;
}

/* Compare the index's file lines with the snapshot now; 0 same, -1 stale (why set). */
static int
match_files(struct ccache *cc, const struct run *s, FILE *f, char *line, char *why, size_t whysize)
{
    size_t i = 0;

    while (fgets(line, CC_LINE, f) && !strncmp(line, "file ", 5)) {
        struct cc_file x = {0};
        int at = 0;
        char *rel;

        line[strcspn(line, "\n")] = 0;
        if (sscanf(line, "file %lld %lld %lld %lld %79s %n", &x.size, &x.mtime, &x.ctime, &x.ino, x.sha, &at) != 5 ||
                !at) {
            snprintf(why, whysize, "damaged index (%.60s)", line);
            return -2;
        }
        rel = line + at;
        if (i >= cc->n_files || strcmp(rel, cc->files[i].rel)) {
            snprintf(why, whysize, "%s %s", i < cc->n_files && strcmp(rel, cc->files[i].rel) > 0 ?
                    cc->files[i].rel : rel, i < cc->n_files && strcmp(rel, cc->files[i].rel) > 0 ?
                    "was added" : "was removed");
            return -1;
        }
        if (x.size != cc->files[i].size || x.mtime != cc->files[i].mtime || x.ctime != cc->files[i].ctime ||
                x.ino != cc->files[i].ino) {
            /* Touched, copied or linked: the content decides. */
            struct er_err e;

            if (snap_digest(s->rootfd, rel, cc->files[i].sha, sizeof cc->files[i].sha, &e))
                cc->files[i].sha[0] = 0;
            if (strcmp(cc->files[i].sha, x.sha)) {
                snprintf(why, whysize, "%s changed", rel);
                return -1;
            }
            cc->refresh = 1;
        }
        memcpy(cc->files[i].sha, x.sha, sizeof x.sha);
        i++;
    }
    if (i < cc->n_files) {
        snprintf(why, whysize, "%s was added", cc->files[i].rel);
        return -1;
    }
    return 0;
}

/* Write one data file through @p write; its digest into @p sha. */
static er_code
save_one(const char *dir, const char *name, er_code (*write)(FILE *f, const void *arg), const void *arg,
        char sha[80], struct er_err *err)
{
    char path[PATH_MAX + 16];
    struct atomicfile *af;
    er_code rc;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    ER_TRY(rc, atomicfile_open(path, &af, err), done);
    if ((rc = write(atomicfile_stream(af), arg))) {
        atomicfile_abort(af);
        return er_set(err, rc, "%s: cannot write", path);
    }
    ER_TRY(rc, atomicfile_commit(af, err), done);
    sha_path(path, sha);
done:
    return rc;
}

static er_code
write_part(FILE *f, const void *arg)
{
    const struct lyd_node *root = arg;

    return lyd_print_file(f, root, LYD_LYB, LYD_PRINT_WITHSIBLINGS) ? ER_EYANG : ER_OK;
}

/*
 * Write the tree of @p m in CC_PARTS parts: the devices of parts 1.. are
 * moved under roots of their own for the while, and back in their order.
 */
static er_code
save_model(struct ccache *cc, const struct er_model *m, struct er_err *err)
{
    struct lyd_node *roots[CC_PARTS] = {m->net}, *dev, *next, *stay = NULL;
    size_t n = 0, i, k, per;
    er_code rc = ER_OK;

    for (dev = lyd_child(m->net); dev && dev->schema && !strcmp(dev->schema->name, "device"); dev = dev->next)
        n++;
    per = n ? (n + CC_PARTS - 1) / CC_PARTS : 1;
    for (i = 1; i < CC_PARTS && !rc; i++) {
        if (lyd_new_inner(NULL, m->mod, "network", 0, &roots[i]))
            rc = model_ly_err(m->ctx, err, "a part of the check cache's tree");
    }
    /* Devices past part 0's move out, in order: part i takes the next per of them. */
    for (dev = lyd_child(m->net), k = 0; !rc && dev && dev->schema && !strcmp(dev->schema->name, "device");
            dev = next, k++) {
        next = dev->next;
        if (k < per)
            continue;
        lyd_unlink_tree(dev);
        if (lyd_insert_child(roots[k / per < CC_PARTS ? k / per : CC_PARTS - 1], dev)) {
            /* Not moved: it stays where it was, and the moved ones go back before it. */
            rc = model_ly_err(m->ctx, err, "a part of the check cache's tree");
            if (next ? lyd_insert_before(next, dev) : lyd_insert_child(m->net, dev))
                lyd_free_tree(dev);
            else
                stay = dev;
        }
    }
    for (i = 0; i < CC_PARTS && !rc; i++)
        rc = save_one(cc->dir, cc_data[i], write_part, roots[i], cc->data_sha[i], err);
    /* Back in order, whatever happened: before the first device that stayed, else after the last. */
    for (i = 1; i < CC_PARTS; i++) {
        for (dev = roots[i] ? lyd_child(roots[i]) : NULL; dev; dev = next) {
            next = dev->next;
            lyd_unlink_tree(dev);
            if ((stay ? lyd_insert_before(stay, dev) : lyd_insert_child(m->net, dev)) && !rc)
                rc = model_ly_err(m->ctx, err, "the check cache's tree");
        }
        lyd_free_all(roots[i]);
    }
    return rc;
}

static er_code
write_index(FILE *f, const void *arg)
{
    const struct ccache *cc = arg;
    size_t i;

    struct timespec now;
    long long racy;

    /* A file changed within the clock's grain of its listing may keep its
     * times: it is recorded with no size, so the next check reads it (git's racy index). */
    clock_gettime(CLOCK_REALTIME, &now);
    racy = (long long)now.tv_sec * 1000000000LL + now.tv_nsec - 2000000000LL;
    fputs(cc->head, f);
    for (i = 0; i < cc->n_files; i++) {
        const struct cc_file *x = &cc->files[i];

        fprintf(f, "file %lld %lld %lld %lld %s %s\n", x->mtime > racy || x->ctime > racy ? -1 : x->size, x->mtime,
                x->ctime, x->ino, x->sha, x->rel);
    }
    for (i = 0; i < CC_NDATA; i++)
        fprintf(f, "data %s %s\n", cc_data[i], cc->data_sha[i]);
    fputs("end\n", f);
    return ferror(f) ? ER_EIO : ER_OK;
}

int
ccache_load(struct ccache *cc, const struct run *s, struct er_model **m, struct findings *fs,
        struct model_reads **reads, char *why, size_t whysize)
{
    char *line = malloc(CC_LINE), path[PATH_MAX + 16], name[32], now[80];
    size_t hl = strlen(cc->head), i;
    int rc = 0, r;
    FILE *f;

    snprintf(why, whysize, "none yet");
    snprintf(path, sizeof path, "%s/index", cc->dir);
    if (!line || !(f = fopen(path, "rb"))) {
        free(line);
        return 0;
    }
    /* The head must match line by line: another binary, schema, date or rule table makes the entry stale. */
    for (i = 0; i < hl; i += strlen(line)) {
        if (!fgets(line, CC_LINE, f) || strncmp(line, cc->head + i, strlen(line))) {
            snprintf(why, whysize, "made by another eraudit, schema, reference data, date or rule table");
            goto done;
        }
    }
    if ((r = match_files(cc, s, f, line, why, whysize))) {
        rc = r == -2 ? -1 : 0;
        goto done;
    }
    rc = -1;
    snprintf(why, whysize, "damaged index");
    for (i = 0; i < CC_NDATA; i++) {
        if (i && !fgets(line, CC_LINE, f))
            goto done;
        if (sscanf(line, "data %31s %79s", name, cc->data_sha[i]) != 2 || strcmp(name, cc_data[i])) {
            snprintf(why, whysize, "damaged index");
            goto done;
        }
        /* The tree's parts are checked as they are read, each on its thread (load_model). */
        if (i < CC_PARTS)
            continue;
        snprintf(path, sizeof path, "%s/%s", cc->dir, cc_data[i]);
        sha_path(path, now);
        if (strcmp(now, cc->data_sha[i])) {
            snprintf(why, whysize, "%s does not match its digest", path);
            goto done;
        }
    }
    if (!fgets(line, CC_LINE, f) || strcmp(line, "end\n")) {
        snprintf(why, whysize, "damaged index");
        goto done;
    }
    run_phase("cache-check");
    snprintf(path, sizeof path, "%s/findings", cc->dir);
    if (ccache_load_findings(cc, path, fs)) {
        snprintf(why, whysize, "%s cannot be read", path);
        goto done;
    }
    snprintf(path, sizeof path, "%s/reads", cc->dir);
    if (ccache_load_reads(cc, s, path, reads)) {
        snprintf(why, whysize, "%s cannot be read", path);
        goto done;
    }
    run_phase("cache-findings");
    if (load_model(cc, s, m, why, whysize))
        goto done;
    rc = 1;
done:
    fclose(f);
    free(line);
    if (rc == 1 && cc->refresh) {
        struct er_err e;

        /* Best effort: the next check then trusts the times again instead of reading every file. */
        if (!save_one(cc->dir, "index", write_index, cc, now, &e))
            cc->refresh = 0;
    }
    if (rc != 1)
        findings_clear(fs);
    return rc;
}

er_code
ccache_save(struct ccache *cc, const struct run *s, const struct er_model *m, const struct findings *fs,
        struct model_reads *const *reads, struct er_err *err)
{
    char path[PATH_MAX + 16], sha[80];
    struct ccache_reads_arg ra = {.cc = cc, .s = s, .reads = reads};
    size_t i;
    er_code rc;

    if (atomicfile_mkdirs(cc->dir, 0700) || (mkdir(cc->dir, 0700) && errno != EEXIST))
        return er_set(err, ER_EIO, "%s: cannot create: %s", cc->dir, strerror(errno));
    if (ccache_nodes(cc, s))
        return er_set(err, ER_ENOMEM, "out of memory");
    /* The index goes first, so no reader matches old data files against new digests meanwhile. */
    snprintf(path, sizeof path, "%s/index", cc->dir);
    if (unlink(path) && errno != ENOENT)
        return er_set(err, ER_EIO, "%s: cannot remove: %s", path, strerror(errno));
    for (i = 0; i < cc->n_files; i++) {
        struct er_err e;

        /* Digests the index had are still good (match_files() compared them); the rest are made now. */
        if (!cc->files[i].sha[0] && snap_digest(s->rootfd, cc->files[i].rel, cc->files[i].sha,
                sizeof cc->files[i].sha, &e))
            return er_set(err, ER_EIO, "%s", e.msg);
    }
    ER_TRY(rc, save_model(cc, m, err), done);
    ER_TRY(rc, save_one(cc->dir, cc_data[CC_PARTS], ccache_write_findings, fs, cc->data_sha[CC_PARTS], err), done);
    ER_TRY(rc, save_one(cc->dir, cc_data[CC_PARTS + 1], ccache_write_reads, &ra, cc->data_sha[CC_PARTS + 1], err),
            done);
    rc = save_one(cc->dir, "index", write_index, cc, sha, err);
done:
    return rc;
}

void
ccache_free(struct ccache *cc)
{
    size_t i;

    if (!cc)
        return;
    for (i = 0; i < cc->n_files; i++)
        free(cc->files[i].rel);
    for (i = 0; i < cc->n_strs; i++)
        free(cc->strs[i]);
    free(cc->files);
    free(cc->strs);
    free(cc->nodes);
    free(cc->head);
    free(cc);
}
