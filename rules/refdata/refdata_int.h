/**
 * @file refdata_int.h
 * @brief What refdata.c (loading) and refdata_query.c (lookups) share: the
 * tables of the reference data and the finders by folded name (in
 * refdata_query.c).
 */
#ifndef ER_REFDATA_INT_H
#define ER_REFDATA_INT_H

#include <stdint.h>
#include <stdio.h>

#include "pacask.h"
#include "refdata.h"
#include "servicetags.h"

#define REF_MAXFIELDS 8
#define REF_NAMELEN 128

struct ref_region {
    char *name;        /* programmatic, already folded: "westeurope" */
    char *display;
    char *geo;
    char *community;   /* NULL when none */
};

/* A named list of Azure regions: a Power Platform region or a location. */
struct ref_group {
    char *key;         /* folded name */
    char *geo;         /* locations only */
    char **regions;
    size_t n;
};

struct ref_pair {
    char *key;
    char *text;
    uint64_t num;
};

/* One special-purpose range (data file special-prefixes). */
struct ref_special {
    struct pfx p;
    char *prefix;      /* as written */
    char *kind;        /* "private", "reserved" or "documentation" */
    char *text;        /* what it is */
};

struct ref_vec {
    void *v;
    size_t n, cap;
};

struct refdata {
    struct ref_vec regions;    /* struct ref_region */
    struct ref_vec pp;         /* struct ref_group */
    struct ref_vec locations;  /* struct ref_group */
    struct ref_vec services;   /* struct ref_pair: community -> name */
    struct ref_vec limits;     /* struct ref_pair: name -> num */
    struct ref_vec tag_names;  /* struct ref_pair: service tag -> what it is */
    struct ref_vec endpoints;  /* struct ref_pair: host pattern -> "expressroute" | "internet" */
    struct ref_vec special;    /* struct ref_special: never advertised to Microsoft */
    const char **tag_list;     /* the keys of tag_names, as one array */
    struct svc_data *svc;      /* service tags and M365 endpoints, when loaded */
    struct pac *pac;           /* the clients' proxy PAC file, when named */
    struct pac_asks *asks;     /* what it answered for the client endpoints */
};

/* One line being parsed, for messages. */
struct ref_line {
    const char *path;
    unsigned lineno;
    char *f[REF_MAXFIELDS];
    size_t nf;
};

typedef er_code (*ref_handler)(struct refdata *r, struct ref_line *l, struct er_err *err);

const struct ref_region *ref_region_find(const struct refdata *r, const char *name);
const struct ref_group *ref_group_find(const struct ref_vec *v, const char *name);
const struct ref_pair *ref_pair_find(const struct ref_vec *v, const char *key);

#endif
