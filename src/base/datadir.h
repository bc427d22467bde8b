/**
 * @file datadir.h
 * @brief Where eraudit finds the data it ships: YANG modules and reference data.
 *
 * One lookup, in this order:
 *  1. the environment variable ($ERAUDIT_YANG_DIR, $ERAUDIT_DATA_DIR) when set
 *     and not empty: development and tests point it at the source tree;
 *  2. the data directory relative to the running binary (/proc/self/exe), as
 *     installed: BINDIR/../share/eraudit/{yang,data} (the relative path comes
 *     from GNUInstallDirs at configure time, ER_BIN_TO_DATADIR). A build tree
 *     mirrors that layout (build/bin/eraudit, build/share/eraudit/ linking to
 *     the source tree), so a build-tree binary finds its checkout that way;
 *  3. the configured install prefix's data directory (ER_INSTALL_DATADIR).
 * The source tree is never looked for otherwise.
 */
#ifndef ER_DATADIR_H
#define ER_DATADIR_H

/** @brief The kinds of shipped data. */
enum er_data_kind {
    ER_DATA_YANG,   /**< YANG modules ($ERAUDIT_YANG_DIR, share/eraudit/yang) */
    ER_DATA_REF,    /**< Microsoft reference data ($ERAUDIT_DATA_DIR, share/eraudit/data) */
};

/**
 * @brief The directory holding one kind of data (see the file comment for
 * the order). Thread-safe.
 * @return a path valid until exit, never NULL; it may not exist (the caller
 * reports that, naming the path).
 */
const char *er_data_dir(enum er_data_kind kind);

#endif
