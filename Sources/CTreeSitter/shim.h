// The tree-sitter runtime (Debian: libtree-sitter-dev 0.20.7, MIT): parses with grammars of ABI 13–14,
// which qwery compiles from their PyPI sdists into its data folder and loads with dlopen.
#include <tree_sitter/api.h>
#include <dlfcn.h>
