/* job_win.c — the job object that holds the command's whole process tree. */
#include <string.h>

#include "backends/windows/win32.h"

int rf_win_job_create(HANDLE *out, rf_error *err) {
    *out = NULL;
    HANDLE job = CreateJobObjectW(NULL, NULL);
    if (!job)
        return rf_win_fail(err, GetLastError(), "CreateJobObjectW");
    /* KILL_ON_JOB_CLOSE: if ringfence dies, Windows closes the handle and
     * ends every process of the run; nothing survives in the background. */
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits;
    memset(&limits, 0, sizeof limits);
    limits.BasicLimitInformation.LimitFlags =
        JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION;
    if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits,
                                 sizeof limits)) {
        int rc = rf_win_fail(err, GetLastError(), "set KILL_ON_JOB_CLOSE on the job");
        CloseHandle(job);
        return rc;
    }
    *out = job;
    return 0;
}
