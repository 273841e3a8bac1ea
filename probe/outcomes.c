/* outcomes.c — parsing rf-probe's output and the after-run checks (outcomes.h). */
#include "probe/outcomes.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

rf_probe_line *rf_probe_lines_new(size_t *count) {
    size_t n;
    const rf_probe *probes = rf_probes(&n);
    rf_probe_line *lines = calloc(n ? n : 1, sizeof *lines);
    if (!lines)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        lines[i].probe = &probes[i];
        lines[i].outcome = RF_OUT_ERROR;
        snprintf(lines[i].detail, sizeof lines[i].detail, "rf-probe reported nothing");
    }
    *count = n;
    return lines;
}

static int parse_one(rf_probe_line *lines, size_t count, const char *text, char *why,
                     size_t why_len) {
    cJSON *o = cJSON_Parse(text);
    int rc = 0;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
    const cJSON *out = cJSON_GetObjectItemCaseSensitive(o, "outcome");
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(o, "errno");
    const cJSON *detail = cJSON_GetObjectItemCaseSensitive(o, "detail");
    int outcome = cJSON_IsString(out) ? rf_probe_outcome_from_name(out->valuestring) : -1;
    if (!cJSON_IsString(id) || outcome < 0) {
        snprintf(why, why_len, "rf-probe printed a line that is not a probe result: %.200s", text);
        rc = -EINVAL;
        goto out;
    }
    rf_probe_line *line = NULL;
    for (size_t i = 0; i < count && !line; i++)
        if (strcmp(lines[i].probe->id, id->valuestring) == 0)
            line = &lines[i];
    if (!line) {
        snprintf(why, why_len, "rf-probe reported an unknown probe '%.100s' (a stale binary?)",
                 id->valuestring);
        rc = -EINVAL;
        goto out;
    }
    line->seen = true;
    line->outcome = (rf_probe_outcome)outcome;
    line->err = cJSON_IsNumber(err) ? (int)err->valuedouble : 0;
    snprintf(line->detail, sizeof line->detail, "%s",
             cJSON_IsString(detail) ? detail->valuestring : "");
out:
    cJSON_Delete(o);
    return rc;
}

int rf_probe_lines_parse(rf_probe_line *lines, size_t count, const char *output, char *why,
                         size_t why_len) {
    const char *p = output;
    while (*p) {
        size_t len = strcspn(p, "\n");
        if (len > 0) {
            char *text = strndup(p, len);
            if (!text)
                return -ENOMEM;
            int rc = parse_one(lines, count, text, why, why_len);
            free(text);
            if (rc < 0)
                return rc;
        }
        p += len + (p[len] ? 1 : 0);
    }
    return 0;
}

static void sleep_ms(int ms) {
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

static void check_tmp(rf_probe_line *line, const char *tmp_path, const char *nonce) {
    char buf[256] = "";
    if (!nonce[0])
        return; /* no nonce to look for: leave the probe's own word */
    long n = rf_probe_read_file(tmp_path, buf, sizeof buf);
    if (n >= 0 && strstr(buf, nonce)) {
        snprintf(line->detail, sizeof line->detail, "the write reached the host's %s", tmp_path);
        return;
    }
    line->outcome = RF_OUT_BLOCKED;
    line->err = 0;
    snprintf(line->detail, sizeof line->detail,
             "the write stayed inside the sandbox (a private folder): %s is not on the host",
             tmp_path);
}

/* The pid holding a POSIX lock on the file, 0 when none. */
static pid_t lock_holder(const char *lock_path) {
    int fd = open(lock_path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    pid_t holder = 0;
    if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
        holder = fl.l_pid;
    close(fd);
    return holder;
}

/* Ends the survivor: only the pid that holds the world's lock, and only when
 * it is still an rf-probe process (never a recycled pid). */
static void end_survivor(pid_t pid, const char *lock_path) {
    char path[64], comm[64] = "";
    snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
    if (rf_probe_read_file(path, comm, sizeof comm) < 0 || strncmp(comm, "rf-probe", 8) != 0)
        return;
    kill(pid, SIGKILL);
    for (int i = 0; i < 40 && lock_holder(lock_path) == pid; i++) {
        waitpid(pid, NULL, WNOHANG); /* ours when we were its subreaper */
        sleep_ms(50);
    }
    waitpid(pid, NULL, WNOHANG);
}

static void check_daemon(rf_probe_line *line, const char *lock_path) {
    /* The tree may take a moment to die after the run returns. */
    pid_t holder = 0;
    for (int i = 0; i < 30; i++) {
        if ((holder = lock_holder(lock_path)) == 0)
            break;
        sleep_ms(50);
    }
    if (holder == 0) {
        line->outcome = RF_OUT_BLOCKED;
        line->err = 0;
        snprintf(line->detail, sizeof line->detail, "the daemon ended with the run");
        return;
    }
    snprintf(line->detail, sizeof line->detail,
             "the daemon (pid %d) still held the lock 1.5 s after the run; killed it", (int)holder);
    end_survivor(holder, lock_path);
}

void rf_probe_post_check(rf_probe_line *line, const char *tmp_path, const char *lock_path,
                         const char *nonce) {
    if (!(line->probe->flags & RF_PROBE_POST_CHECK) || line->outcome != RF_OUT_ALLOWED)
        return;
    char shm[1100];
    if (strcmp(line->probe->id, "writes.tmp_host") == 0)
        check_tmp(line, tmp_path, nonce);
    else if (strcmp(line->probe->id, "writes.shm_host") == 0 &&
             rf_probe_shm_path(tmp_path, shm, sizeof shm))
        check_tmp(line, shm, nonce);
    else if (strcmp(line->probe->id, "process.daemon") == 0)
        check_daemon(line, lock_path);
}
