/* install_paths.h — finding the files that ship beside the ringfence binary. */
#ifndef RF_INSTALL_PATHS_H
#define RF_INSTALL_PATHS_H

#include "core/ringfence.h"

/* Finds `relative` (e.g. "denybin/stubs") in, in order: $RINGFENCE_LIBDIR
 * (for programs that link the library from elsewhere, such as benchmarks),
 * the directory of the running executable (the bazel-bin layout), and
 * <exe dir>/../lib/ringfence (the install layout).  *out is malloc'd. */
int rf_install_find(const char *relative, char **out, rf_error *err);

#endif
