#include <retort/autogen/models_source.hpp>

#include <retort/error.hpp>
#include <retort/plugin/loader.hpp>

#include <fstream>
#include <sstream>

namespace retort::autogen {

std::string describe(const ModelsSource& source) {
    return (source.kind == ModelsKind::module ? "models module " : "models SQL ") + source.path;
}

Schema read_models_sql(const std::string& path, const Dialect& dialect) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorKind::config, "cannot read the models SQL file " + path,
                    "check the path given with --models-sql or `models_sql` in retort.toml");
    std::ostringstream text;
    text << in.rdbuf();
    Schema schema;
    try {
        schema = dialect.schema_from_ddl(text.str());
    } catch (Error& e) {
        throw Error(ErrorKind::config, path + ": " + e.what(), e.hint());
    }
    if (schema.tables.empty())
        throw Error(ErrorKind::config, "the models SQL " + path + " declares no tables",
                    "write the desired schema there as CREATE TABLE statements");
    return schema;
}

Schema read_models(const ModelsSource& source, const Dialect& dialect) {
    if (source.kind == ModelsKind::sql) return read_models_sql(source.path, dialect);
    return load_models(source.path);
}

}  // namespace retort::autogen
