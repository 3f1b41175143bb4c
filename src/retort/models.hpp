// Declaring the desired schema in C++: the models a project's migrations must match.
//
//     #include <retort/models.hpp>
//     using namespace retort;
//
//     RETORT_MODELS(meta) {
//         meta.table("authors", {
//             col("id", integer()).primary_key(),
//             col("name", varchar(200)).not_null(),
//         });
//     }
//
// RETORT_MODELS defines the models entry point, `extern "C" retort_models()`, that
// autogenerate, `retort check` and the build's drift check load.
#pragma once

#include <retort/builders.hpp>

namespace retort {

namespace detail {
struct MetaDataImpl;
}

/// The desired schema, built table by table.
class MetaData {
public:
    MetaData();
    MetaData(const MetaData&) = delete;
    MetaData& operator=(const MetaData&) = delete;
    ~MetaData();

    /// Declares a table. Throws retort::Error when it is declared twice or an
    /// element is inconsistent (a foreign key naming an unknown column, ...).
    void table(const char* name, Elements elements);
    /// Declares an enum type for columns of `enum_type(name)`:
    /// `meta.enum_type("mood", {"happy", "sad"})`. Throws retort::Error when it is
    /// declared twice or has no or repeated values.
    void enum_type(const char* name, Names values);

    detail::MetaDataImpl& impl() { return *m_impl; }
    const detail::MetaDataImpl& impl() const { return *m_impl; }

private:
    detail::MetaDataImpl* m_impl;
};

}  // namespace retort

#define RETORT_MODELS_ABI 2

extern "C" {
/// What a models library exports. `abi` comes first so it can be read on a mismatch.
struct retort_models_v1 {
    unsigned abi;
    void (*build)(retort::MetaData&);
};
}

/// Defines the models entry point; the block after it fills `meta`.
#define RETORT_MODELS(meta)                                                                   \
    static void retort_detail_build_models(::retort::MetaData& meta);                         \
    extern "C" __attribute__((visibility("default"))) const retort_models_v1* retort_models() { \
        static const retort_models_v1 entry{RETORT_MODELS_ABI, &retort_detail_build_models};  \
        return &entry;                                                                        \
    }                                                                                         \
    static void retort_detail_build_models(::retort::MetaData& meta)
