/* unelevated.h — the Linux admin-free backend: Landlock, seccomp, user + mount + PID namespaces. */
#ifndef RF_BACKENDS_LINUX_UNELEVATED_H
#define RF_BACKENDS_LINUX_UNELEVATED_H

#include "core/backend.h"

extern const rf_backend rf_backend_unelevated;

#endif
