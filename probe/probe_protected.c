/*
 * probe_protected.c — probes of the `protected` guarantee: `.git`, `.codex`,
 * `.agents` and `.ringfence` inside every writable root stay read-only, even
 * though the root around them is writable.  A probe that changes a protected
 * path restores it afterwards where it can, so the rest of the run still sees
 * the fixture.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe/probe.h"
#include "probe/world_layout.h"

#define PATHBUF 1200

static int append_marker(const char *path, int flags, const char *marker) {
    int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | flags, 0755);
    if (fd < 0)
        return -errno;
    ssize_t n = write(fd, marker, strlen(marker));
    int e = n < 0 ? errno : 0;
    close(fd);
    return -e;
}

static bool contains(const char *path, const char *needle) {
    char buf[8192];
    return rf_probe_read_file(path, buf, sizeof buf) >= 0 && strstr(buf, needle) != NULL;
}

/* Append a marker to rel (creating it with O_CREAT when `create`). */
static void append_probe(const rf_probe_world *w, const char *rel, bool create, const char *what,
                         rf_probe_result *r) {
    char path[PATHBUF], marker[128];
    if (!rf_probe_path(w, rel, path, sizeof path))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    snprintf(marker, sizeof marker, "# rfprobe-%s\n", w->nonce);
    int rc = append_marker(path, create ? O_CREAT : 0, marker);
    if (rc < 0)
        return rf_probe_failed(r, -rc, what);
    if (!contains(path, marker))
        return rf_probe_error(r, 0, "%s: wrote, but %s lacks the marker", what, path);
    rf_probe_allowed(r, "%s: wrote %s", what, path);
}

static void p_git_config(const rf_probe_world *w, rf_probe_result *r) {
    append_probe(w, RF_W_WS_GIT_CONFIG, false, "write .git/config", r);
}

static void p_git_hook(const rf_probe_world *w, rf_probe_result *r) {
    append_probe(w, RF_W_WS_GIT_HOOK, true, "add .git/hooks/pre-commit", r);
}

static void p_extra_git_config(const rf_probe_world *w, rf_probe_result *r) {
    append_probe(w, RF_W_EXTRA_GIT_CONFIG, false, "write .git/config of the extra root", r);
}

static void p_ringfence_write(const rf_probe_world *w, rf_probe_result *r) {
    append_probe(w, RF_W_WS_RINGFENCE "/policy.json", true, "write .ringfence/policy.json", r);
}

static void p_codex_write(const rf_probe_world *w, rf_probe_result *r) {
    append_probe(w, RF_W_WS_CODEX_CONFIG, false, "write .codex/config.toml", r);
}

/* Through a workspace symlink that points at .git/config. */
static void p_git_config_via_symlink(const rf_probe_world *w, rf_probe_result *r) {
    char link[PATHBUF], target[PATHBUF], marker[128];
    if (!rf_probe_path(w, RF_W_WS "/cfg-link", link, sizeof link) ||
        !rf_probe_path(w, RF_W_WS_GIT_CONFIG, target, sizeof target))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    unlink(link);
    if (symlink(target, link) < 0)
        return rf_probe_error(r, errno, "symlink in the workspace: %s", strerror(errno));
    snprintf(marker, sizeof marker, "# rfprobe-link-%s\n", w->nonce);
    int rc = append_marker(link, 0, marker);
    if (rc < 0)
        return rf_probe_failed(r, -rc, "write .git/config through a symlink");
    if (!contains(target, marker))
        return rf_probe_error(r, 0, "wrote the link but .git/config lacks the marker");
    rf_probe_allowed(r, "wrote .git/config through %s", link);
}

static void p_git_chmod(const rf_probe_world *w, rf_probe_result *r) {
    char path[PATHBUF];
    struct stat st;
    if (!rf_probe_path(w, RF_W_WS_GIT_CONFIG, path, sizeof path))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    if (stat(path, &st) < 0)
        return rf_probe_error(r, errno, "fixture %s missing", path);
    mode_t want = (st.st_mode & 07777) ^ 0004;
    if (chmod(path, want) < 0)
        return rf_probe_failed(r, errno, "chmod .git/config");
    if (stat(path, &st) < 0 || (st.st_mode & 07777) != want)
        return rf_probe_error(r, errno, "chmod returned 0 but the mode is unchanged");
    rf_probe_allowed(r, "chmod %o .git/config", (unsigned)want);
}

static void p_git_unlink(const rf_probe_world *w, rf_probe_result *r) {
    char path[PATHBUF];
    if (!rf_probe_path(w, RF_W_WS_GIT_DESCRIPTION, path, sizeof path))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    if (access(path, F_OK) < 0)
        return rf_probe_error(r, errno, "fixture %s missing", path);
    if (unlink(path) < 0)
        return rf_probe_failed(r, errno, "delete .git/description");
    if (access(path, F_OK) == 0)
        return rf_probe_error(r, 0, "unlink returned 0 but the file is still there");
    rf_probe_allowed(r, "deleted %s", path);
}

/* Rename .git away (the first step of replacing it); put it back after. */
static void p_git_rename(const rf_probe_world *w, rf_probe_result *r) {
    char git[PATHBUF], moved[PATHBUF];
    if (!rf_probe_path(w, RF_W_WS_GIT, git, sizeof git) ||
        !rf_probe_path(w, RF_W_WS "/.git-moved", moved, sizeof moved))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    if (rename(git, moved) < 0)
        return rf_probe_failed(r, errno, "rename .git");
    bool back = rename(moved, git) == 0;
    rf_probe_allowed(r, "renamed .git away%s", back ? " (and back)" : " (could not move it back)");
}

/* Replace .git with an attacker's: rename it away, create a new one with a
 * hook.  Restored afterwards. */
static void p_git_replace(const rf_probe_world *w, rf_probe_result *r) {
    char git[PATHBUF], moved[PATHBUF], hooks[PATHBUF], hook[PATHBUF];
    if (!rf_probe_path(w, RF_W_WS_GIT, git, sizeof git) ||
        !rf_probe_path(w, RF_W_WS "/.git-orig", moved, sizeof moved) ||
        !rf_probe_path(w, RF_W_WS_GIT "/hooks", hooks, sizeof hooks) ||
        !rf_probe_path(w, RF_W_WS_GIT "/hooks/post-checkout", hook, sizeof hook))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    if (rename(git, moved) < 0)
        return rf_probe_failed(r, errno, "move .git away to replace it");
    int rc = 0;
    if (mkdir(git, 0755) < 0 || mkdir(hooks, 0755) < 0)
        rc = -errno;
    else
        rc = append_marker(hook, O_CREAT, "#!/bin/sh\necho planted\n");
    /* Put the real .git back whatever happened. */
    unlink(hook);
    rmdir(hooks);
    rmdir(git);
    bool back = rename(moved, git) == 0;
    if (rc < 0)
        return rf_probe_error(r, -rc, "moved .git away but could not build a new one: %s",
                              strerror(-rc));
    rf_probe_allowed(r, "replaced .git with a planted hook%s",
                     back ? " (restored)" : " (could not restore)");
}

/* The fixture has no `path` (the baseline run proves it), yet it exists in
 * the sandbox: a placeholder the backend put there.  It protects only when
 * nothing can be created inside it. */
static void placeholder_probe(const char *path, rf_probe_result *r) {
    char inner[PATHBUF + 16];
    snprintf(inner, sizeof inner, "%s/rfprobe", path);
    int fd = open(inner, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
        close(fd);
        unlink(inner);
        return rf_probe_allowed(r, "%s exists in the sandbox and a file could be created inside",
                                path);
    }
    int e = errno;
    rf_probe_failed(r, e, "a placeholder occupies the path; create inside it");
    if (e == ENOTDIR) /* a read-only file placeholder: nothing goes inside */
        r->outcome = RF_OUT_BLOCKED;
}

/* Create .git where there is none: git would run its hooks. */
static void p_git_create(const rf_probe_world *w, rf_probe_result *r) {
    char git[PATHBUF];
    if (!rf_probe_path(w, RF_W_NOGIT "/.git", git, sizeof git))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    if (mkdir(git, 0755) < 0) {
        if (errno == EEXIST)
            return placeholder_probe(git, r);
        return rf_probe_failed(r, errno, "mkdir .git in a root without one");
    }
    rmdir(git);
    rf_probe_allowed(r, "created %s", git);
}

/* A .git *file* ("gitdir: ...") where there is none redirects git elsewhere. */
static void p_gitfile_create(const rf_probe_world *w, rf_probe_result *r) {
    char git[PATHBUF];
    if (!rf_probe_path(w, RF_W_NOGIT "/.git", git, sizeof git))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    int fd = open(git, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        if (errno == EEXIST)
            return placeholder_probe(git, r);
        return rf_probe_failed(r, errno, "create a .git file in a root without one");
    }
    ssize_t n = write(fd, "gitdir: /nonexistent\n", 21);
    int e = n < 0 ? errno : 0;
    close(fd);
    unlink(git);
    if (e)
        return rf_probe_failed(r, e, "write the .git file");
    rf_probe_allowed(r, "created the gitfile %s", git);
}

/* .codex swapped for a symlink to a decoy the agent controls. */
static void p_codex_symlink(const rf_probe_world *w, rf_probe_result *r) {
    char codex[PATHBUF], moved[PATHBUF], decoy[PATHBUF], got[PATHBUF];
    if (!rf_probe_path(w, RF_W_WS_CODEX, codex, sizeof codex) ||
        !rf_probe_path(w, RF_W_WS "/.codex-moved", moved, sizeof moved) ||
        !rf_probe_path(w, RF_W_WS_DECOY, decoy, sizeof decoy))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    if (rename(codex, moved) < 0)
        return rf_probe_failed(r, errno, "move .codex away");
    int rc = symlink(decoy, codex) < 0 ? -errno : 0;
    ssize_t n = rc == 0 ? readlink(codex, got, sizeof got - 1) : -1;
    unlink(codex);
    bool back = rename(moved, codex) == 0;
    if (rc < 0)
        return rf_probe_error(r, -rc, "moved .codex but could not plant the symlink: %s",
                              strerror(-rc));
    if (n <= 0)
        return rf_probe_error(r, errno, "planted .codex but cannot read it back");
    rf_probe_allowed(r, ".codex was a symlink to the decoy%s", back ? " (restored)" : "");
}

/* Create .agents where there is none. */
static void p_agents_create(const rf_probe_world *w, rf_probe_result *r) {
    char agents[PATHBUF];
    if (!rf_probe_path(w, RF_W_WS_AGENTS, agents, sizeof agents))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    if (mkdir(agents, 0755) < 0) {
        if (errno == EEXIST)
            return placeholder_probe(agents, r);
        return rf_probe_failed(r, errno, "mkdir .agents");
    }
    rmdir(agents);
    rf_probe_allowed(r, "created %s", agents);
}

/* clang-format off */
#define P(id, fn, desc) {id, RF_G_PROTECTED, RF_KIND_RAW, 0, fn, desc}

const rf_probe rf_probes_protected[] = {
    P("protected.git_config", p_git_config, "write .git/config"),
    P("protected.git_config_symlink", p_git_config_via_symlink, "write .git/config through a workspace symlink"),
    P("protected.git_chmod", p_git_chmod, "chmod .git/config"),
    P("protected.git_hook", p_git_hook, "add .git/hooks/pre-commit"),
    P("protected.git_unlink", p_git_unlink, "delete a file inside .git"),
    P("protected.git_rename", p_git_rename, "rename .git"),
    P("protected.git_replace", p_git_replace, "replace .git with a new one holding a hook"),
    P("protected.git_create", p_git_create, "create .git in a writable root that has none"),
    P("protected.gitfile_create", p_gitfile_create, "create a .git file (gitdir:) where there is none"),
    P("protected.extra_git_config", p_extra_git_config, "write .git/config of an extra writable root"),
    P("protected.codex_write", p_codex_write, "write .codex/config.toml"),
    P("protected.codex_symlink", p_codex_symlink, "replace .codex with a symlink to a decoy"),
    P("protected.agents_create", p_agents_create, "create .agents where there is none"),
    P("protected.ringfence_write", p_ringfence_write, "write .ringfence/policy.json"),
};
const size_t rf_probes_protected_count = sizeof rf_probes_protected / sizeof rf_probes_protected[0];
/* clang-format on */
