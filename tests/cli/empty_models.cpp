// A models module that declares no table: `retort check` must say the models
// library is probably not linked (exit 2).
#include <retort/models.hpp>

RETORT_MODELS(meta) { (void)meta; }
