#include "commands.hpp"

int main(int argc, char** argv) { return retort::cli::run(argc, argv); }
