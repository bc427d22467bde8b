/**
 * @file checkcache.h
 * @brief The pre-change check's cache of the running network (ccache_*
 * module): what an audit of a snapshot's running configurations produced,
 * kept beside it so that the next check of the same snapshot does not
 * normalize and judge the whole network again.
 *
 * An entry holds the normalized running tree, cut down to what the rules
 * read (libyang binary), the running
 * findings in the engine's order, and each rule's reads (the schema nodes it
 * read, model_reads). It lives in $XDG_CACHE_HOME/eraudit/check/ (else
 * ~/.cache/eraudit/check/), one directory per snapshot path, and is used
 * only while everything it came from is unchanged: the eraudit binary, the
 * YANG modules, the bundled reference data (ERAUDIT_DATA_DIR), the date the audit is dated (waivers expire), the rule
 * table, and every file of the snapshot but the candidates (by size, times
 * and inode, and by SHA-256 when those moved). Its own files are checked
 * against the SHA-256 its index records, so a damaged entry is never read:
 * it is reported and built again. The snapshot itself is never written.
 */
#ifndef ER_CHECKCACHE_H
#define ER_CHECKCACHE_H

#include "findings.h"
#include "model.h"
#include "model_reads.h"
#include "run.h"

/** One cache entry: where it is, what it must match, the strings its findings point to. */
struct ccache;

/**
 * @brief The cache entry of the run @p s's snapshot, not read yet. Sets
 * *@p cc NULL (and returns ER_OK) when a check of @p s cannot use a cache:
 * a live run, or an inventory given apart from the snapshot (its data files
 * lie outside it).
 */
er_code ccache_open(const struct run *s, struct ccache **cc, struct er_err *err);

/**
 * @brief Read the entry: the running tree into *@p m, the running findings
 * into @p f, the reads of rule i into @p reads[i] (sets made by the
 * caller). @return 1 when the entry is valid and read whole; 0 when there is
 * none or it is stale (@p why says which file changed), -1 when it is
 * damaged (@p why says how): the caller builds the network; *@p m and @p f
 * are left empty, @p reads may hold some nodes (make them again).
 */
int ccache_load(struct ccache *cc, const struct run *s, struct er_model **m, struct findings *f,
        struct model_reads **reads, char *why, size_t whysize);

/**
 * @brief Write the entry for the running tree @p m, its findings @p f and
 * the rules' reads: every file beside its final name, then renamed, the
 * index last.
 */
er_code ccache_save(struct ccache *cc, const struct run *s, const struct er_model *m, const struct findings *f,
        struct model_reads *const *reads, struct er_err *err);

/** @brief The entry's directory. */
const char *ccache_dir(const struct ccache *cc);

/** @brief Free the entry and the strings findings read from it point to; NULL is fine. */
void ccache_free(struct ccache *cc);

#endif
