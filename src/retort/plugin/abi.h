/* What a migrations plugin exports, in C so that nothing C++ crosses the dlopen
 * boundary except through libretort_core, which the CLI and the plugin share.
 * `abi` comes first and never moves: it can be read from a plugin of any version. */
#ifndef RETORT_PLUGIN_ABI_H
#define RETORT_PLUGIN_ABI_H

#ifdef __cplusplus
extern "C" {
#endif

struct retort_source_file {
    const char* name;   /* file name inside the migrations folder */
    const char* sha256; /* of its content when the plugin was built */
};

struct retort_plugin_v1 {
    unsigned abi;               /* RETORT_PLUGIN_ABI of the headers it was built with */
    const char* retort_version; /* e.g. "0.1.0" */
    const char* set;            /* the migration set (retort_add_migrations name) */
    const char* source_dir;     /* absolute path of the migrations folder */
    const char* build_dir;      /* the build tree that produced it (for "rebuild" hints) */
    const char* default_url;    /* the DATABASE configured in CMake; may be "" */
    const char* version_table;  /* may be "" (default) */
    unsigned long file_count;
    const struct retort_source_file* files;
};

/* The entry point: `const struct retort_plugin_v1* retort_plugin(void)`. */
typedef const struct retort_plugin_v1* (*retort_plugin_fn)(void);

#ifdef __cplusplus
}
#endif

#endif
