/*
 * grant_acl_test.c — `ringfence grant` / `ungrant` on a real file system,
 * as root (CI): the workspace belongs to a made-up "real user" uid and the
 * sandbox users are made-up uids too (ACL entries take numeric uids and
 * setresuid needs no passwd entry), so no user is created or removed.
 *
 *   1. the ACL entries, read back with libacl (table)
 *   2. what each uid can really do (forked children with setresuid): the
 *      sandbox uid writes the workspace, not .git/config, cannot read a
 *      deny_read file nor list the home folder; the real user edits what
 *      the sandbox uid created
 *   3. the mask widens nobody; symlinks out of the tree are not followed;
 *      files of other owners are skipped and counted
 *   4. a second grant walks nothing; the background walk and --wait
 *   5. ungrant leaves `getfacl -R` byte-identical to before
 *   6. a deleted workspace's inode number reused by a new directory: the
 *      new one is granted afresh, not taken for the deleted one
 */
#include <acl/libacl.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdint.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/acl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/linux/elevated/acl_io.h"
#include "backends/linux/elevated/acl_model.h"
#include "backends/linux/elevated/setup_record.h"
#include "tests/check.h"

enum { REAL = 4000000, SB1 = 4000001, SB2 = 4000002, STRANGER = 4000003, MASKED = 4000009 };

static char base[256], home[512], ws[512], state[512], bin_dir[512], cli[600], policy[512];

static void pathf(char *out, size_t size, const char *fmt, const char *arg) {
    snprintf(out, size, fmt, arg);
}

/* ---- building the tree ----------------------------------------------------- */

static ino_t inode_of(const char *rel) {
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", base, rel);
    struct stat st;
    return stat(p, &st) == 0 ? st.st_ino : 0;
}

static void mk(const char *rel, mode_t mode, bool dir, unsigned owner) {
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", base, rel);
    int rc;
    if (dir) {
        rc = mkdir(p, mode);
    } else {
        int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        rc = fd < 0 ? -1 : 0;
        if (fd >= 0) {
            rc = write(fd, "data\n", 5) == 5 ? 0 : -1;
            close(fd);
        }
    }
    CHECK(rc == 0 && chmod(p, mode) == 0 && chown(p, owner, owner) == 0, "creating %s: %s", p,
          strerror(errno));
}

static void copy_file(const char *from, const char *to) {
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s' && chmod 0755 '%s'", from, to, to);
    CHECK(system(cmd) == 0, "copying %s", from);
}

static void set_acl_text(const char *rel, const char *text) {
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", base, rel);
    acl_t acl = acl_from_text(text);
    CHECK(acl && acl_set_file(p, ACL_TYPE_ACCESS, acl) == 0, "setting %s on %s: %s", text, p,
          strerror(errno));
    if (acl)
        acl_free(acl);
}

static void build_tree(void) {
    const struct {
        const char *rel;
        mode_t mode;
        bool dir;
        unsigned owner;
    } tree[] = {
        {"home", 0700, true, REAL},
        {"home/ws", 0755, true, REAL},
        {"home/ws/src", 0755, true, REAL},
        {"home/ws/src/a.c", 0644, false, REAL},
        {"home/ws/src/run.sh", 0755, false, REAL},
        {"home/ws/.git", 0755, true, REAL},
        {"home/ws/.git/config", 0644, false, REAL},
        {"home/ws/secrets", 0755, true, REAL},
        {"home/ws/secrets/key", 0644, false, REAL},
        {"home/ws/rootfile", 0644, false, 0},
        {"home/ws/masked.txt", 0640, false, REAL},
        {"home/ws/userown.txt", 0644, false, REAL},
        {"home/ws/immutable.txt", 0644, false, REAL},
        {"home/ws2", 0755, true, REAL},
        {"home/ws2/f1", 0644, false, REAL},
        {"home/ws2/f2", 0644, false, REAL},
        {"home/outside", 0700, true, REAL},
        {"home/outside/o.txt", 0644, false, REAL},
        {"home/outside2", 0700, true, REAL},
        {"home/.ssh", 0700, true, REAL},
        {"home/.ssh/id", 0600, false, REAL},
        {"home/.cargo", 0700, true, REAL},
        {"home/.cargo/bin", 0700, true, REAL},
        {"home/.cargo/bin/cargo", 0700, false, REAL},
        {"home/notes.txt", 0644, false, REAL},
        {"home/go", 0755, true, REAL},
        {"home/go/bin", 0755, true, REAL},
        {"home/go/bin/tool", 0755, false, REAL},
        {"home/go/src", 0755, true, REAL},
        {"home/go/src/proj", 0755, true, REAL},
        {"home/go/src/proj/main.go", 0644, false, REAL},
        {"state", 0700, true, REAL},
        {"bin", 0755, true, 0},
        {"bin/backends", 0755, true, 0},
        {"bin/backends/linux", 0755, true, 0},
        {"bin/backends/linux/elevated", 0755, true, 0},
    };
    for (size_t i = 0; i < sizeof tree / sizeof tree[0]; i++)
        mk(tree[i].rel, tree[i].mode, tree[i].dir, tree[i].owner);
    /* The user's own ACLs, which grant and ungrant must keep. */
    set_acl_text("home/ws/masked.txt", "u::rw-,u:4000009:rwx,g::r--,m::r--,o::---");
    set_acl_text("home/ws/userown.txt", "u::rw-,u:4000001:r--,g::r--,m::r--,o::r--");
    /* Symlinks out of the tree, one of them at a protected name. */
    char target[1024], link[1024];
    const struct {
        const char *to, *at;
    } links[] = {{"../outside", "home/ws/link"}, {"../outside2", "home/ws/.codex"}};
    for (size_t i = 0; i < 2; i++) {
        snprintf(target, sizeof target, "%s", links[i].to);
        snprintf(link, sizeof link, "%s/%s", base, links[i].at);
        CHECK(symlink(target, link) == 0 && lchown(link, REAL, REAL) == 0, "symlink %s", link);
    }
}

static void write_setup(const char *name, unsigned online_uid) {
    rf_setup_record r;
    memset(&r, 0, sizeof r);
    r.format = RF_SETUP_FORMAT;
    snprintf(r.version, sizeof r.version, "%s", RINGFENCE_VERSION);
    snprintf(r.group.name, sizeof r.group.name, "rftest-users");
    r.group.id = 4000100;
    snprintf(r.offline.name, sizeof r.offline.name, "rftest-offline");
    r.offline.id = SB1;
    snprintf(r.offline.home, sizeof r.offline.home, "/var/lib/ringfence/rftest-offline");
    snprintf(r.online.name, sizeof r.online.name, "rftest-online");
    r.online.id = online_uid;
    snprintf(r.online.home, sizeof r.online.home, "/var/lib/ringfence/rftest-online");
    snprintf(r.table, sizeof r.table, "ringfence");
    memset(r.table_sha256, 'a', 64);
    memset(r.runner_sha256, 'b', 64);
    snprintf(r.restore_unit, sizeof r.restore_unit, "/etc/systemd/system/rftest.service");
    snprintf(r.runner_path, sizeof r.runner_path, "/usr/local/lib/ringfence/ringfence-runner");
    char path[600];
    snprintf(path, sizeof path, "%s/%s", base, name);
    rf_error err = {0};
    CHECK(rf_setup_record_save(path, &r, &err) == 0, "writing %s: %s", path, err.message);
    setenv("RINGFENCE_TEST_SETUP_RECORD", path, 1);
}

static void write_policy(void) {
    pathf(policy, sizeof policy, "%s/policy.json", base);
    FILE *f = fopen(policy, "w");
    CHECK(f != NULL, "writing %s", policy);
    if (f) {
        fprintf(f, "{\"version\": 1, \"deny_read\": [\"%s/secrets\"]}\n", ws);
        fclose(f);
    }
}

/* Sets or clears the immutable flag (false when the file system has none). */
static bool set_immutable(const char *rel, bool on) {
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", base, rel);
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    int flags = 0;
    bool ok = fd >= 0 && ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
    flags = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
    ok = ok && ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

/* ---- running as another uid ------------------------------------------------ */

static void become(unsigned uid) {
    if (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0)
        _exit(120);
}

/* Runs argv as `uid`; stdout (and stderr) into out. Returns the exit code. */
static int run_as(unsigned uid, char *const argv[], char *out, size_t size) {
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pipefd[1], STDOUT_FILENO);
        dup2(pipefd[1], STDERR_FILENO);
        become(uid);
        execv(argv[0], argv);
        _exit(127);
    }
    close(pipefd[1]);
    size_t len = 0;
    ssize_t n;
    while (len + 1 < size && (n = read(pipefd[0], out + len, size - 1 - len)) > 0)
        len += (size_t)n;
    out[len] = '\0';
    close(pipefd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int cli_as_real(const char *verb, const char *flag, const char *dir, char *out,
                       size_t size) {
    char *argv[8];
    size_t n = 0;
    argv[n++] = cli;
    argv[n++] = (char *)verb;
    if (flag)
        argv[n++] = (char *)flag;
    if (strcmp(verb, "grant") == 0) {
        argv[n++] = "--policy";
        argv[n++] = policy;
    }
    argv[n++] = (char *)dir;
    argv[n] = NULL;
    int rc = run_as(REAL, argv, out, size);
    printf("$ ringfence %s %s %s -> %d\n%s", verb, flag ? flag : "", dir, rc, out);
    return rc;
}

typedef enum { OP_READ, OP_WRITE, OP_CREATE, OP_MKDIR, OP_LIST } op_kind;

/* 0 when `op` on `rel` succeeded as `uid`, else the errno. */
static int try_as(unsigned uid, op_kind op, const char *rel) {
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", base, rel);
    pid_t pid = fork();
    if (pid == 0) {
        become(uid);
        int fd = -1;
        switch (op) {
        case OP_READ:
            fd = open(p, O_RDONLY | O_CLOEXEC);
            break;
        case OP_WRITE:
            fd = open(p, O_WRONLY | O_APPEND | O_CLOEXEC);
            break;
        case OP_CREATE:
            /* 0666 as most tools pass it; the inherited ACL does the rest. */
            fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
            break;
        case OP_MKDIR:
            _exit(mkdir(p, 0777) == 0 ? 0 : errno);
        case OP_LIST: {
            DIR *d = opendir(p);
            _exit(d ? 0 : errno);
        }
        }
        if (fd < 0)
            _exit(errno);
        if ((op == OP_WRITE || op == OP_CREATE) && write(fd, "x\n", 2) != 2)
            _exit(errno);
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

/* ---- reading ACLs back ----------------------------------------------------- */

/* The permission of uid's named entry, or -1 when there is none. */
static int named_perm(const char *rel, bool is_default, unsigned uid) {
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", base, rel);
    acl_t acl = acl_get_file(p, is_default ? ACL_TYPE_DEFAULT : ACL_TYPE_ACCESS);
    if (!acl)
        return -2;
    int found = -1;
    acl_entry_t e;
    for (int w = acl_get_entry(acl, ACL_FIRST_ENTRY, &e); w == 1;
         w = acl_get_entry(acl, ACL_NEXT_ENTRY, &e)) {
        acl_tag_t tag;
        acl_permset_t ps;
        acl_get_tag_type(e, &tag);
        if (tag != ACL_USER)
            continue;
        uid_t *q = acl_get_qualifier(e);
        if (q && *q == uid) {
            acl_get_permset(e, &ps);
            found = (acl_get_perm(ps, ACL_READ) == 1 ? 4 : 0) |
                    (acl_get_perm(ps, ACL_WRITE) == 1 ? 2 : 0) |
                    (acl_get_perm(ps, ACL_EXECUTE) == 1 ? 1 : 0);
        }
        acl_free(q);
    }
    acl_free(acl);
    return found;
}

static unsigned effective(const char *rel, unsigned uid, unsigned gid) {
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", base, rel);
    int fd = open(p, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    rf_acl acl;
    rf_error err = {0};
    unsigned perm = 99;
    rf_acl_file f = {fd, true, p};
    if (fd >= 0 && fstat(fd, &st) == 0 && rf_acl_read(&f, false, &acl, &err) == 0)
        perm = rf_acl_effective(&acl, st.st_uid, st.st_gid, uid, &gid, 1);
    if (fd >= 0)
        close(fd);
    return perm;
}

static char *getfacl_tree(void) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cd '%s' && getfacl -R -p home 2>&1", base);
    FILE *f = popen(cmd, "r");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 4096) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) {
                free(buf);
                buf = NULL;
            }
            buf = grown;
        }
    }
    pclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

/* Rewrites grants.json as if the walk of `dir` had been killed midway. */
static void mark_interrupted(const char *dir) {
    char path[700];
    snprintf(path, sizeof path, "%s/ringfence/grants.json", state);
    FILE *f = fopen(path, "r");
    char text[65536];
    size_t len = f ? fread(text, 1, sizeof text - 1, f) : 0;
    text[len] = '\0';
    if (f)
        fclose(f);
    cJSON *root = cJSON_Parse(text);
    cJSON *g;
    int marked = 0;
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(root, "grants")) {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(g, "path");
        if (cJSON_IsString(p) && strcmp(p->valuestring, dir) == 0) {
            cJSON_ReplaceItemInObject(g, "state", cJSON_CreateString("walking"));
            cJSON_ReplaceItemInObject(g, "walk_started", cJSON_CreateTrue());
            marked++;
        }
    }
    char *printed = cJSON_Print(root);
    f = fopen(path, "w");
    CHECK(marked == 1 && printed && f && fputs(printed, f) >= 0, "marking %s interrupted", dir);
    if (f)
        fclose(f);
    free(printed);
    cJSON_Delete(root);
}

/* ---- the checks ------------------------------------------------------------ */

static void check_entries(void) {
    const struct {
        const char *rel;
        bool is_default;
        unsigned uid;
        int want;
        const char *reason;
    } cases[] = {
        {"home/ws", false, SB1, 7, "workspace rwx (offline)"},
        {"home/ws", false, SB2, 7, "workspace rwx (online)"},
        {"home/ws", true, SB1, 7, "workspace default rwx"},
        {"home/ws", true, REAL, 7, "default entry for the real user"},
        {"home/ws/src", true, SB2, 7, "existing folders get default entries too"},
        {"home/ws/src/a.c", false, SB1, 6, "existing file rw-"},
        {"home/ws/src/run.sh", false, SB2, 7, "existing executable rwx"},
        {"home/ws/.git", false, SB1, 5, "protected folder r-x"},
        {"home/ws/.git", true, SB1, 5, "protected folder default r-x"},
        {"home/ws/.git/config", false, SB1, 4, "protected file r--"},
        {"home/ws/secrets", false, SB1, 0, "deny_read ---"},
        {"home/ws/secrets/key", false, SB1, -1, "nothing beneath a denied folder"},
        {"home/ws/rootfile", false, SB1, -1, "a file of another owner is skipped"},
        {"home/ws/userown.txt", false, SB1, 6, "the user's own r-- entry becomes rw- (saved)"},
        {"home", false, SB1, 1, "home: traverse only"},
        {"home", true, SB1, -1, "home: no default entry"},
        {"home/.ssh", false, SB2, 0, "~/.ssh ---"},
        {"home/.cargo/bin/cargo", false, SB1, 5, "tool r-x"},
        {"home/.cargo/bin", true, SB1, 5, "tool folder default r-x"},
        {"home/outside", false, SB1, -1, "a symlink out of the workspace is not followed"},
        {"home/outside2", false, SB1, -1, "nor a symlink at a protected name"},
        {"home/notes.txt", false, SB1, -1, "the rest of home is untouched"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = named_perm(cases[i].rel, cases[i].is_default, cases[i].uid);
        CHECK(got == cases[i].want, "%s: %s %s u:%u is %d, want %d", cases[i].reason, cases[i].rel,
              cases[i].is_default ? "default" : "access", cases[i].uid, got, cases[i].want);
    }
}

static void check_behaviour(void) {
    const struct {
        unsigned uid;
        op_kind op;
        const char *rel;
        int want;
        const char *reason;
    } cases[] = {
        {SB1, OP_CREATE, "home/ws/src/new.txt", 0, "sandbox user creates a file in the workspace"},
        {SB2, OP_WRITE, "home/ws/src/a.c", 0, "sandbox user edits an existing file"},
        {SB1, OP_MKDIR, "home/ws/newdir", 0, "sandbox user creates a folder"},
        {SB2, OP_CREATE, "home/ws/newdir/f", 0, "... and a file in it (inherited entries)"},
        {SB1, OP_WRITE, "home/ws/.git/config", EACCES, "protected: .git/config is read-only"},
        {SB1, OP_READ, "home/ws/.git/config", 0, "protected: but readable"},
        {SB1, OP_CREATE, "home/ws/.git/hooks-evil", EACCES, "protected: no new file in .git"},
        {SB1, OP_READ, "home/ws/secrets/key", EACCES, "deny_read in the workspace"},
        {SB2, OP_READ, "home/.ssh/id", EACCES, "deny_read ~/.ssh"},
        {SB1, OP_LIST, "home", EACCES, "home is traversed, not listed"},
        {SB1, OP_READ, "home/.cargo/bin/cargo", 0, "tools are readable"},
        {SB1, OP_WRITE, "home/.cargo/bin/cargo", EACCES, "tools are not writable"},
        {SB1, OP_READ, "home/outside/o.txt", EACCES, "the symlink's target got nothing"},
        {SB1, OP_WRITE, "home/ws/rootfile", EACCES, "a skipped file stays as it was"},
        {REAL, OP_WRITE, "home/ws/src/new.txt", 0, "the real user edits what the sandbox created"},
        {REAL, OP_WRITE, "home/ws/newdir/f", 0, "... also in a folder the sandbox created"},
        {REAL, OP_CREATE, "home/ws/newdir/mine", 0, "... and creates files there"},
        {STRANGER, OP_WRITE, "home/ws/src/a.c", EACCES, "another uid got nothing"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = try_as(cases[i].uid, cases[i].op, cases[i].rel);
        CHECK(got == cases[i].want, "%s: uid %u on %s gave %s, want %s", cases[i].reason,
              cases[i].uid, cases[i].rel, got ? strerror(got) : "success",
              cases[i].want ? strerror(cases[i].want) : "success");
    }
    /* Mask: the entry the user's mask held back at r-- stays at r--. */
    CHECK(effective("home/ws/masked.txt", MASKED, 9999) == 4, "masked entry still r-- (got %o)",
          effective("home/ws/masked.txt", MASKED, 9999));
    CHECK(effective("home/ws/masked.txt", STRANGER, REAL) == 4, "owning group still r-- (got %o)",
          effective("home/ws/masked.txt", STRANGER, REAL));
}

static void remove_created(void) {
    /* The real user can clean up what the sandbox users left. */
    const char *rels[] = {"home/ws/src/new.txt", "home/ws/newdir/f", "home/ws/newdir/mine"};
    for (size_t i = 0; i < 3; i++) {
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", base, rels[i]);
        pid_t pid = fork();
        if (pid == 0) {
            become(REAL);
            _exit(unlink(p) == 0 ? 0 : errno);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "real user removes %s", p);
    }
    char p[1024];
    snprintf(p, sizeof p, "%s/home/ws/newdir", base);
    CHECK(rmdir(p) == 0, "removing %s", p);
}

/* A workspace deleted without ungrant; the next directory made beside it
 * gets its inode number (ext4 reuses it at once; tried a few times).  That
 * directory must be granted afresh, not reported "already granted". */
static void check_reused_inode(void) {
    char out[8192], old_abs[700], new_abs[700], rel[64];
    mk("home/reuse", 0755, true, REAL);
    mk("home/reuse/old", 0755, true, REAL);
    snprintf(old_abs, sizeof old_abs, "%s/reuse/old", home);
    CHECK(cli_as_real("grant", "--wait", old_abs, out, sizeof out) == 0, "grant reuse/old");
    ino_t old_ino = inode_of("home/reuse/old");
    CHECK(rmdir(old_abs) == 0, "removing %s without ungrant", old_abs);
    int found = -1;
    for (int i = 0; i < 16 && found < 0; i++) {
        snprintf(rel, sizeof rel, "home/reuse/new%d", i);
        mk(rel, 0755, true, REAL);
        if (inode_of(rel) == old_ino)
            found = i;
    }
    if (found < 0) {
        printf("note: inode %ju was not reused in 16 directories; that case is not checked\n",
               (uintmax_t)old_ino);
    } else {
        snprintf(rel, sizeof rel, "home/reuse/new%d", found);
        snprintf(new_abs, sizeof new_abs, "%s/%s", base, rel);
        CHECK(cli_as_real("grant", "--wait", new_abs, out, sizeof out) == 0 &&
                  !strstr(out, "already granted") && strstr(out, "deleted directory"),
              "a new directory with the deleted workspace's inode is granted afresh");
        CHECK(named_perm(rel, false, SB1) == 7 && named_perm(rel, true, SB2) == 7,
              "its root carries the grant (got %d, default %d)", named_perm(rel, false, SB1),
              named_perm(rel, true, SB2));
        CHECK(cli_as_real("ungrant", NULL, new_abs, out, sizeof out) == 0, "ungrant it");
    }
    char cmd[800];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/reuse'", home);
    CHECK(system(cmd) == 0, "removing %s/reuse", home);
}

int main(void) {
    if (geteuid() != 0) {
        printf("SKIP: grant_acl_test needs root (CI runs it as root)\n");
        return 0;
    }
    snprintf(base, sizeof base, "/tmp/rftest-grant-XXXXXX");
    if (!mkdtemp(base) || chmod(base, 0755) < 0) {
        perror("mkdtemp");
        return 1;
    }
    pathf(home, sizeof home, "%s/home", base);
    pathf(ws, sizeof ws, "%s/home/ws", base);
    pathf(state, sizeof state, "%s/state", base);
    pathf(bin_dir, sizeof bin_dir, "%s/bin", base);
    snprintf(cli, sizeof cli, "%s/ringfence_testbuild", bin_dir);
    build_tree();
    write_setup("setup.json", SB2);
    write_policy();
    /* The bazel output tree is under /root (0700): copy the programs where
     * the made-up real user can run them, in the layout rf_install_find knows. */
    char grant_copy[700];
    snprintf(grant_copy, sizeof grant_copy, "%s/backends/linux/elevated/ringfence-grant_testbuild",
             bin_dir);
    copy_file("ringfence_testbuild", cli);
    copy_file("backends/linux/elevated/ringfence-grant_testbuild", grant_copy);
    setenv("HOME", home, 1);
    setenv("XDG_STATE_HOME", state, 1);
    setenv("XDG_CONFIG_HOME", state, 1);
    unsetenv("RINGFENCE_LIBDIR");

    /* A file whose ACL cannot change (immutable) is counted, not fatal. */
    bool immutable = set_immutable("home/ws/immutable.txt", true);
    if (!immutable)
        printf("note: no immutable flag on this file system; that case is not checked\n");
    char *before = getfacl_tree();
    char out[8192];
    CHECK(cli_as_real("grant", "--wait", ws, out, sizeof out) == 0, "first grant succeeds");
    CHECK(strstr(out, "not_owned=1") != NULL, "the root-owned file is skipped and counted");
    if (immutable) {
        CHECK(strstr(out, "1 files could not be changed") != NULL,
              "the immutable file is counted and the walk goes on");
        CHECK(named_perm("home/ws/immutable.txt", false, SB1) == -1, "it keeps what it had");
    }
    check_entries();
    check_behaviour();

    CHECK(cli_as_real("grant", NULL, ws, out, sizeof out) == 0, "second grant succeeds");
    CHECK(strstr(out, "nothing to walk") && strstr(out, "visited=0 "),
          "a second grant of the same workspace walks nothing");

    char sub[600];
    snprintf(sub, sizeof sub, "%s/src", ws);
    CHECK(cli_as_real("grant", "--wait", sub, out, sizeof out) == 1 && strstr(out, "overlaps"),
          "a grant overlapping a granted workspace is refused");

    /* Setup run again with another uid: the old grant is named, not reused. */
    write_setup("setup-redone.json", 4000005);
    CHECK(cli_as_real("grant", NULL, ws, out, sizeof out) == 1 && strstr(out, "ungrant"),
          "a grant to uids setup no longer names is reported, with the way out");
    write_setup("setup.json", SB2);

    char ws2[600];
    snprintf(ws2, sizeof ws2, "%s/ws2", home);
    CHECK(cli_as_real("grant", NULL, ws2, out, sizeof out) == 0 && strstr(out, "background"),
          "without --wait the walk goes to the background");
    CHECK(named_perm("home/ws2", false, SB1) == 7, "ws2 itself is granted at once");
    CHECK(cli_as_real("grant", "--wait", ws2, out, sizeof out) == 0, "--wait waits for the walk");
    CHECK(named_perm("home/ws2/f2", false, SB2) == 6, "after --wait, existing files have entries");

    /* An interrupted walk (state "walking", walk started) is resumed by the
     * next grant, which takes the entries already there for its own. */
    mark_interrupted(ws2);
    CHECK(cli_as_real("grant", "--wait", ws2, out, sizeof out) == 0, "resuming grant succeeds");
    CHECK(strstr(out, "visited=2 changed=0 ") != NULL,
          "the resumed walk visits the files again and finds them done");

    remove_created();
    CHECK(cli_as_real("ungrant", NULL, ws2, out, sizeof out) == 0, "ungrant ws2");
    CHECK(named_perm("home", false, SB1) == 1, "home grants stay while a workspace is granted");
    CHECK(cli_as_real("ungrant", NULL, ws, out, sizeof out) == 0, "ungrant ws");
    CHECK(cli_as_real("ungrant", NULL, ws, out, sizeof out) == 1 && strstr(out, "not granted"),
          "ungrant of a workspace not granted says so");
    /* A workspace inside a tool folder (~/go): granted first, the shared
     * read grant's walk of ~/go must leave it to its own grant. */
    char proj[600];
    snprintf(proj, sizeof proj, "%s/go/src/proj", home);
    CHECK(cli_as_real("grant", "--wait", proj, out, sizeof out) == 0, "grant inside ~/go");
    CHECK(named_perm("home/go/src/proj/main.go", false, SB1) == 6,
          "a workspace inside a tool folder stays writable (got %d)",
          named_perm("home/go/src/proj/main.go", false, SB1));
    CHECK(named_perm("home/go/src/proj", false, SB1) == 7 &&
              named_perm("home/go/src/proj", true, SB1) == 7,
          "its root keeps rwx and default rwx (got %d, %d)",
          named_perm("home/go/src/proj", false, SB1), named_perm("home/go/src/proj", true, SB1));
    CHECK(named_perm("home/go/bin/tool", false, SB2) == 5, "the rest of ~/go is read-only");
    CHECK(cli_as_real("ungrant", NULL, proj, out, sizeof out) == 0, "ungrant inside ~/go");

    check_reused_inode();

    char saved_dir[700];
    snprintf(saved_dir, sizeof saved_dir, "%s/ringfence/grants.json.d", state);
    DIR *dir = opendir(saved_dir);
    int left = 0;
    for (struct dirent *de; dir && (de = readdir(dir)) != NULL;)
        left += de->d_name[0] != '.';
    if (dir)
        closedir(dir);
    CHECK(dir != NULL && left == 0, "the saved ACLs were written (%s) and dropped with the grants",
          saved_dir);
    char *after = getfacl_tree();
    CHECK(before && after && strcmp(before, after) == 0,
          "getfacl -R after ungrant is byte-identical to before");
    if (before && after && strcmp(before, after) != 0)
        fprintf(stderr, "--- before\n%s\n--- after\n%s\n", before, after);
    free(before);
    free(after);

    if (immutable)
        CHECK(set_immutable("home/ws/immutable.txt", false), "clearing the immutable flag");
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    CHECK(system(cmd) == 0, "removing %s", base);
    return check_summary("grant_acl_test");
}
