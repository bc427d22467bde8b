/**
 * @file checkcache_int.h
 * @brief What checkcache.c (the entry, its index) and checkcache_io.c (its
 * findings and reads files) share; not for other modules.
 */
#ifndef ER_CHECKCACHE_INT_H
#define ER_CHECKCACHE_INT_H

#include <limits.h>
#include <stdio.h>

#include "checkcache.h"

/* A file of the snapshot as the entry saw it. */
struct cc_file {
    char *rel;
    long long size, mtime, ctime, ino;
    char sha[80];
};

/** The tree is kept in this many parts, each a range of devices (the first with the network's other children), read side by side. */
#define CC_PARTS 4
/** Data files: the tree's parts, then findings, then reads. */
#define CC_NDATA (CC_PARTS + 2)

struct ccache {
    char dir[PATH_MAX];
    char *head;                      /* the lines the entry must match, each ending in '\n' */
    struct cc_file *files;           /* the snapshot now, sorted by path */
    size_t n_files, cap_files;
    char **strs;                     /* strings the loaded findings point to (rule ids, remediations) */
    size_t n_strs, cap_strs;
    const struct lysc_node **nodes;  /* eraudit-network's schema nodes, depth first */
    size_t n_nodes;
    char data_sha[CC_NDATA][80];     /* of the tree's parts, findings, reads */
    int refresh;                     /* a file's times moved, not its content: write the index again */
};

/** What ccache_write_reads() writes: the rules of @p s and their reads. */
struct ccache_reads_arg {
    struct ccache *cc;
    const struct run *s;
    struct model_reads *const *reads;
};

/** @brief eraudit-network's schema nodes in depth-first order into cc->nodes (once); -1 out of memory. */
int ccache_nodes(struct ccache *cc, const struct run *s);

/** @brief Read the findings file @p path into @p fs (strings kept by @p cc); 0, or -1 when damaged. */
int ccache_load_findings(struct ccache *cc, const char *path, struct findings *fs);

/** @brief Read the reads file @p path into @p reads (one set per rule of @p s); 0, or -1 when damaged. */
int ccache_load_reads(struct ccache *cc, const struct run *s, const char *path, struct model_reads **reads);

/** @brief Write the findings @p arg (struct findings). */
er_code ccache_write_findings(FILE *f, const void *arg);

/** @brief Write the reads @p arg (struct ccache_reads_arg). */
er_code ccache_write_reads(FILE *f, const void *arg);

#endif
