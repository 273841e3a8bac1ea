/* grant_ops.c — `ringfence grant` / `ungrant` (see grant_ops.h). */
#include "backends/linux/elevated/grant_ops.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/linux/elevated/grant_plan.h"
#include "backends/linux/elevated/grant_record.h"
#include "backends/linux/elevated/grant_walk.h"
#include "backends/linux/elevated/setup_record.h"
#include "core/error.h"
#include "core/policy.h"

/* Everything one command works with; freed by context_free. */
typedef struct context {
    char home[PATH_MAX];
    char *record_path;
    char progress_path[PATH_MAX + 32];
    char walk_lock_base[PATH_MAX + 32]; /* rf_grant_record_lock adds ".lock" */
    int record_lock, walk_lock;
    rf_grant_record rec;
    rf_grant_plan workspaces; /* writable roots of granted workspaces, at claim time */
} context;

static void context_free(context *c) {
    if (c->record_lock >= 0)
        close(c->record_lock);
    if (c->walk_lock >= 0)
        close(c->walk_lock);
    rf_grant_record_free(&c->rec);
    rf_grant_plan_free(&c->workspaces);
    free(c->record_path);
}

static int resolve_home(char out[PATH_MAX], rf_error *err) {
    const char *home = getenv("HOME");
    if (!home || home[0] != '/') {
        struct passwd *pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : NULL;
    }
    if (!home || home[0] != '/')
        return rf_fail(err, -ENOENT,
                       "finding the home folder: $HOME is not set and uid %u has no "
                       "passwd entry",
                       (unsigned)getuid());
    if (!realpath(home, out))
        return rf_fail_errno(err, errno, "resolving the home folder %s", home);
    return 0;
}

static int context_init(context *c, rf_error *err) {
    memset(c, 0, sizeof *c);
    c->record_lock = c->walk_lock = -1;
    int rc = resolve_home(c->home, err);
    if (rc == 0)
        rc = rf_grant_record_path(&c->record_path, err);
    if (rc < 0)
        return rc;
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", c->record_path);
    *strrchr(dir, '/') = '\0';
    snprintf(c->progress_path, sizeof c->progress_path, "%s/grant-progress", dir);
    snprintf(c->walk_lock_base, sizeof c->walk_lock_base, "%s/grant-walk", dir);
    return 0;
}

static int lock_record(context *c, rf_error *err) {
    int fd = rf_grant_record_lock(c->record_path, err);
    if (fd < 0)
        return fd;
    c->record_lock = fd;
    rf_grant_record_free(&c->rec);
    return rf_grant_record_load(c->record_path, true, &c->rec, err);
}

static void unlock_record(context *c) {
    if (c->record_lock >= 0)
        close(c->record_lock);
    c->record_lock = -1;
}

static int stat_dir(const char *path, struct stat *st, rf_error *err) {
    if (stat(path, st) < 0)
        return rf_fail_errno(err, errno, "checking %s", path);
    if (!S_ISDIR(st->st_mode))
        return rf_fail(err, -ENOTDIR, "%s is not a directory", path);
    return 0;
}

static int copy_target(rf_grant_plan *plan, const rf_grant_target *t) {
    if (plan->n == plan->cap) {
        size_t cap = plan->cap ? plan->cap * 2 : 8;
        rf_grant_target *grown = realloc(plan->targets, cap * sizeof *grown);
        if (!grown)
            return -ENOMEM;
        plan->targets = grown;
        plan->cap = cap;
    }
    char *path = strdup(t->path);
    if (!path)
        return -ENOMEM;
    plan->targets[plan->n++] = (rf_grant_target){path, t->kind, t->walk, t->shared};
    return 0;
}

static bool plan_has_path(const rf_grant_plan *plan, const char *path) {
    for (size_t i = 0; i < plan->n; i++)
        if (strcmp(plan->targets[i].path, path) == 0)
            return true;
    return false;
}

/* A path inside another granted workspace is that grant's business: ACLs
 * are the union of all grants (the per-run limits are the runner's Landlock
 * layer), and two grants changing one file would mistake each other's
 * entries for the user's own. */
static bool inside_granted_workspace(const rf_grant_record *rec, const char *path) {
    for (size_t i = 0; i < rec->n; i++)
        for (size_t k = 0; !rec->entries[i].shared && k < rec->entries[i].plan.n; k++) {
            const rf_grant_target *t = &rec->entries[i].plan.targets[k];
            if (t->kind == RF_GRANT_WRITABLE && rf_path_within(path, t->path))
                return true;
        }
    return false;
}

/* Two grants over the same files would each take the other's entries for the
 * user's own; refuse instead. */
static int check_overlap(const rf_grant_record *rec, const rf_grant_plan *plan, rf_error *err) {
    for (size_t i = 0; i < rec->n; i++) {
        const rf_grant_entry *e = &rec->entries[i];
        if (e->shared)
            continue;
        for (size_t a = 0; a < e->plan.n; a++)
            for (size_t b = 0; b < plan->n; b++) {
                const rf_grant_target *x = &e->plan.targets[a], *y = &plan->targets[b];
                if (x->kind != RF_GRANT_WRITABLE || y->kind != RF_GRANT_WRITABLE || y->shared)
                    continue;
                if (rf_path_within(x->path, y->path) || rf_path_within(y->path, x->path))
                    return rf_fail(err, -EEXIST,
                                   "granting %s: its writable root %s overlaps %s of the workspace "
                                   "%s granted before (run `ringfence ungrant %s` first)",
                                   plan->targets[0].path, y->path, x->path, e->path, e->path);
            }
    }
    return 0;
}

static int load_plan(const rf_grant_options *o, const char *home, rf_grant_plan *plan,
                     rf_error *err) {
    rf_setup_record setup;
    int rc = rf_setup_record_load(o->setup_record, false, &setup, err);
    if (rc == -ENOENT)
        return rf_fail(err, -ENOENT,
                       "granting %s: the elevated backend is not set up (%s does not exist; run "
                       "`sudo ringfence setup` first)",
                       o->dir, o->setup_record);
    if (rc < 0)
        return rc;
    rf_load_options lo = {
        .policy_file = o->policy_file,
        .managed_file = o->managed_file,
        .home = home,
        .overrides = {.workspace = o->dir,
                      .allow_write = o->allow_write,
                      .n_allow_write = o->n_allow_write},
    };
    rf_policy *policy = NULL;
    if ((rc = rf_policy_load(&lo, &policy, err)) < 0)
        return rc;
    unsigned uids[2] = {setup.offline.id, setup.online.id};
    rc = rf_grant_plan_build(policy, home, uids, (unsigned)getuid(), plan, err);
    rf_policy_free(policy);
    return rc;
}

/* ---- the roots phase ----------------------------------------------------- */

static int apply_roots(rf_grant_entry *e, const rf_grant_plan *plan, size_t first, bool ungrant,
                       rf_grant_walk *w, rf_error *err) {
    *w = (rf_grant_walk){.plan = plan,
                         .entry = e,
                         .ungrant = ungrant,
                         .owner = (unsigned)getuid(),
                         .progress_fd = -1};
    for (size_t i = first; i < plan->n; i++) {
        int rc = rf_grant_walk_root(w, &plan->targets[i], err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static bool has_walk(const rf_grant_plan *plan, size_t first) {
    for (size_t i = first; i < plan->n; i++)
        if (plan->targets[i].walk)
            return true;
    return false;
}

static int undo_entry(rf_grant_entry *e, rf_grant_walk *total, rf_error *err);

/* An entry found by the workspace's device and inode that records a deleted
 * directory whose inode number the workspace got: its entries are taken
 * back (targets that are gone are skipped) and it leaves the record, so
 * that the workspace is granted afresh instead of counted as granted. */
static int drop_stale(context *c, rf_grant_entry *stale, const char *dir, rf_error *err) {
    rf_grant_walk total = {0};
    int rc = undo_entry(stale, &total, err);
    if (rc < 0)
        return rc;
    printf("the grants record named a deleted directory (%s) with the device and inode of %s: "
           "its %" PRIu64 " remaining entries were taken back\n",
           stale->path, dir, total.changed);
    rf_grant_record_remove(&c->rec, stale);
    return 0;
}

/* Records the roots of the workspace's own targets and of the shared targets
 * not granted before.  Returns 1 when the workspace was already recorded. */
static int grant_roots(context *c, const rf_grant_plan *plan, const struct stat *ws,
                       const rf_grant_identity *ws_id, const struct stat *home_st,
                       rf_error *err) {
    rf_grant_entry *old =
        rf_grant_record_find(&c->rec, (uint64_t)ws->st_dev, (uint64_t)ws->st_ino, false);
    if (old && !rf_grant_entry_is_dir(old, plan->targets[0].path, ws_id)) {
        int rc = drop_stale(c, old, plan->targets[0].path, err);
        if (rc < 0)
            return rc;
        old = NULL;
    }
    if (old && (old->plan.sandbox_uids[0] != plan->sandbox_uids[0] ||
                old->plan.sandbox_uids[1] != plan->sandbox_uids[1]))
        return rf_fail(err, -ESTALE,
                       "granting %s: it was granted to uids %u and %u, but setup now names %u and "
                       "%u (setup was run again); run `ringfence ungrant %s` and grant it again",
                       old->path, old->plan.sandbox_uids[0], old->plan.sandbox_uids[1],
                       plan->sandbox_uids[0], plan->sandbox_uids[1], old->path);
    if (old && !old->id.has_btime && !old->id.has_generation &&
        (ws_id->has_btime || ws_id->has_generation)) {
        /* Recorded before the birth time and generation were kept (and
         * verified by its ACL just now): keep them from now on. */
        rf_grant_entry_set_identity(old, ws_id);
        int rc = rf_grant_record_save(c->record_path, &c->rec, err);
        if (rc < 0)
            return rc;
    }
    if (old)
        return 1;
    int rc = check_overlap(&c->rec, plan, err);
    if (rc < 0)
        return rc;
    rf_grant_entry *shared =
        rf_grant_record_find(&c->rec, (uint64_t)home_st->st_dev, (uint64_t)home_st->st_ino, true);
    if (!shared) {
        shared = rf_grant_record_add(&c->rec, c->home, (uint64_t)home_st->st_dev,
                                     (uint64_t)home_st->st_ino, true);
        if (!shared)
            return rf_fail_errno(err, ENOMEM, "recording the grant");
        shared->complete = true;
        shared->plan.sandbox_uids[0] = plan->sandbox_uids[0];
        shared->plan.sandbox_uids[1] = plan->sandbox_uids[1];
        shared->plan.real_uid = plan->real_uid;
    }
    size_t shared_first = shared->plan.n;
    for (size_t i = 0; i < plan->n; i++)
        if (plan->targets[i].shared && !plan_has_path(&shared->plan, plan->targets[i].path) &&
            !inside_granted_workspace(&c->rec, plan->targets[i].path) &&
            (rc = copy_target(&shared->plan, &plan->targets[i])) < 0)
            return rf_fail_errno(err, -rc, "recording the grant");
    size_t shared_index = (size_t)(shared - c->rec.entries);
    rf_grant_entry *e = rf_grant_record_add(&c->rec, plan->targets[0].path, (uint64_t)ws->st_dev,
                                            (uint64_t)ws->st_ino, false);
    if (!e)
        return rf_fail_errno(err, ENOMEM, "recording the grant");
    shared = &c->rec.entries[shared_index]; /* the array may have moved */
    rf_grant_entry_set_identity(e, ws_id);
    e->plan.sandbox_uids[0] = plan->sandbox_uids[0];
    e->plan.sandbox_uids[1] = plan->sandbox_uids[1];
    e->plan.real_uid = plan->real_uid;
    for (size_t i = 0; i < plan->n; i++)
        if (!plan->targets[i].shared && (rc = copy_target(&e->plan, &plan->targets[i])) < 0)
            return rf_fail_errno(err, -rc, "recording the grant");
    rf_grant_walk w;
    rc = apply_roots(e, &e->plan, 0, false, &w, err);
    e->changed = w.changed;
    e->skipped_not_owned = w.skipped_not_owned;
    e->complete = !has_walk(&e->plan, 0);
    if (rc == 0) {
        rc = apply_roots(shared, &shared->plan, shared_first, false, &w, err);
        shared->changed += w.changed;
        shared->skipped_not_owned += w.skipped_not_owned;
        if (has_walk(&shared->plan, shared_first))
            shared->complete = false;
    }
    if (rc < 0) {
        /* Record what was already added, so that ungrant can take it back. */
        rf_error ignored = {0};
        e->complete = shared->complete = true;
        if (rf_grant_record_save(c->record_path, &c->rec, &ignored) == 0 && err) {
            size_t len = strlen(err->message);
            snprintf(err->message + len, sizeof err->message - len,
                     " (the entries added so far are recorded: `ringfence ungrant %s` removes "
                     "them)",
                     e->path);
        }
        return rc;
    }
    return rf_grant_record_save(c->record_path, &c->rec, err);
}

/* ---- the walk phase ------------------------------------------------------ */

typedef struct walk_totals {
    uint64_t visited, changed, skipped_not_owned, failed;
    char first_failure[1024];
} walk_totals;

static int walk_entry_trees(const rf_grant_plan *plan, rf_grant_walk *w, rf_error *err) {
    for (size_t i = 0; i < plan->n; i++)
        if (rf_grant_walk_is_top(plan, &plan->targets[i])) {
            int rc = rf_grant_walk_tree(w, &plan->targets[i], err);
            if (rc < 0)
                return rc;
        }
    return 0;
}

/* Walks one incomplete entry (a copy from the record); saved ACLs go to
 * `collect`, merged into the record afterwards. */
static int walk_one(context *c, const rf_grant_entry *e, bool foreground, rf_grant_entry *collect,
                    walk_totals *t, rf_error *err) {
    const rf_grant_plan *skip = e->shared ? &c->workspaces : NULL;
    rf_grant_walk count = {.plan = &e->plan,
                           .entry = collect,
                           .count_only = true,
                           .skip = skip,
                           .owner = (unsigned)getuid(),
                           .progress_fd = -1};
    int rc = walk_entry_trees(&e->plan, &count, err);
    if (rc < 0)
        return rc;
    int pfd = open(c->progress_path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    rf_grant_walk w = {.plan = &e->plan,
                       .entry = collect,
                       .resume = e->walk_started,
                       .skip = skip,
                       .owner = (unsigned)getuid(),
                       .total = count.visited,
                       .progress_fd = pfd,
                       .progress_stderr = foreground && isatty(STDERR_FILENO)};
    rc = walk_entry_trees(&e->plan, &w, err);
    if (pfd >= 0) {
        char line[64];
        int n = snprintf(line, sizeof line, "%" PRIu64 "/%" PRIu64 " done\n", w.visited, w.total);
        if (pwrite(pfd, line, (size_t)n, 0) == n)
            (void)!ftruncate(pfd, n);
        close(pfd);
    }
    if (w.progress_stderr)
        fputc('\n', stderr);
    t->visited += w.visited;
    t->changed += w.changed;
    t->skipped_not_owned += w.skipped_not_owned;
    if (w.failed && !t->failed)
        snprintf(t->first_failure, sizeof t->first_failure, "%s", w.first_failure);
    t->failed += w.failed;
    return rc;
}

static int merge_walk(context *c, const rf_grant_entry *walked, const rf_grant_entry *collect,
                      const walk_totals *t, rf_error *err) {
    int rc = lock_record(c, err);
    if (rc < 0)
        return rc;
    rf_grant_entry *e = rf_grant_record_find(&c->rec, walked->dev, walked->ino, walked->shared);
    if (e) { /* gone: ungranted meanwhile (it waits for us, so only by hand) */
        for (size_t i = 0; rc == 0 && i < collect->n_saved; i++) {
            const rf_grant_saved *s = &collect->saved[i];
            rc = rf_grant_entry_save_acl(e, s->path, s->dev, s->ino, s->is_default, s->before,
                                         s->after);
        }
        if (rc < 0)
            rc = rf_fail_errno(err, -rc, "recording the walk of %s", walked->path);
        e->visited += t->visited;
        e->changed += t->changed;
        e->skipped_not_owned += t->skipped_not_owned;
        e->complete = true;
        if (rc == 0)
            rc = rf_grant_record_save(c->record_path, &c->rec, err);
    }
    unlock_record(c);
    return rc;
}

/* Marks the incomplete entries as started and returns a copy of them. */
static int claim_walks(context *c, rf_grant_record *todo, rf_error *err) {
    memset(todo, 0, sizeof *todo);
    int rc = lock_record(c, err);
    rf_grant_plan_free(&c->workspaces);
    for (size_t i = 0; rc == 0 && i < c->rec.n; i++)
        for (size_t k = 0; !c->rec.entries[i].shared && k < c->rec.entries[i].plan.n; k++)
            if (c->rec.entries[i].plan.targets[k].kind == RF_GRANT_WRITABLE &&
                (rc = copy_target(&c->workspaces, &c->rec.entries[i].plan.targets[k])) < 0)
                rc = rf_fail_errno(err, -rc, "planning the walk");
    for (size_t i = 0; rc == 0 && i < c->rec.n; i++) {
        rf_grant_entry *e = &c->rec.entries[i];
        if (e->complete)
            continue;
        rf_grant_entry *copy = rf_grant_record_add(todo, e->path, e->dev, e->ino, e->shared);
        if (!copy) {
            rc = rf_fail_errno(err, ENOMEM, "planning the walk");
            break;
        }
        copy->walk_started = e->walk_started;
        copy->plan.sandbox_uids[0] = e->plan.sandbox_uids[0];
        copy->plan.sandbox_uids[1] = e->plan.sandbox_uids[1];
        copy->plan.real_uid = e->plan.real_uid;
        for (size_t k = 0; rc == 0 && k < e->plan.n; k++)
            if ((rc = copy_target(&copy->plan, &e->plan.targets[k])) < 0)
                rc = rf_fail_errno(err, -rc, "planning the walk");
        e->walk_started = true;
    }
    if (rc == 0 && todo->n)
        rc = rf_grant_record_save(c->record_path, &c->rec, err);
    unlock_record(c);
    return rc;
}

/* The walker: one at a time per user (the walk lock); ungrant waits for it. */
static int walk_pending(context *c, bool foreground, walk_totals *t, rf_error *err) {
    int fd = rf_grant_record_lock(c->walk_lock_base, err);
    if (fd < 0)
        return fd;
    c->walk_lock = fd;
    rf_grant_record todo;
    int rc = claim_walks(c, &todo, err);
    for (size_t i = 0; rc == 0 && i < todo.n; i++) {
        rf_grant_entry collect = {0};
        walk_totals one = {0};
        rc = walk_one(c, &todo.entries[i], foreground, &collect, &one, err);
        if (rc == 0)
            rc = merge_walk(c, &todo.entries[i], &collect, &one, err);
        t->visited += one.visited;
        t->changed += one.changed;
        t->skipped_not_owned += one.skipped_not_owned;
        if (one.failed && !t->failed)
            snprintf(t->first_failure, sizeof t->first_failure, "%s", one.first_failure);
        t->failed += one.failed;
        for (size_t k = 0; k < collect.n_saved; k++) {
            free(collect.saved[k].path);
            free(collect.saved[k].before);
            free(collect.saved[k].after);
        }
        free(collect.saved);
    }
    rf_grant_record_free(&todo);
    close(c->walk_lock);
    c->walk_lock = -1;
    return rc;
}

/* Detached: its own session, stdio on /dev/null, not our child once the
 * intermediate process exits, so the command that started it returns now. */
static int walk_in_background(context *c, rf_error *err) {
    pid_t pid = fork();
    if (pid < 0)
        return rf_fail_errno(err, errno, "starting the background walk");
    if (pid == 0) {
        if (setsid() < 0 || (pid = fork()) < 0)
            _exit(1);
        if (pid > 0)
            _exit(0);
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null >= 0) {
            dup2(null, STDIN_FILENO);
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
        }
        walk_totals t = {0};
        rf_error e = {0};
        int rc = walk_pending(c, false, &t, &e);
        /* Nobody reads our stderr: the outcome goes to the progress file. */
        FILE *f = (rc < 0 || t.failed) ? fopen(c->progress_path, "ae") : NULL;
        if (f && rc < 0)
            fprintf(f, "failed: %s\n", e.message);
        if (f && t.failed)
            fprintf(f, "%" PRIu64 " files could not be changed (first: %s)\n", t.failed,
                    t.first_failure);
        if (f)
            fclose(f);
        _exit(rc < 0 ? 1 : 0);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return rf_fail_errno(err, errno, "starting the background walk");
    return 0;
}

int rf_grant_run(const rf_grant_options *o, rf_error *err) {
    context c;
    rf_grant_plan plan = {0};
    int rc = context_init(&c, err);
    if (rc == 0)
        rc = load_plan(o, c.home, &plan, err);
    struct stat ws, home_st;
    rf_grant_identity ws_id;
    if (rc == 0 && (rc = stat_dir(plan.targets[0].path, &ws, err)) == 0)
        rc = stat_dir(c.home, &home_st, err);
    if (rc == 0)
        rc = rf_grant_identity_read(plan.targets[0].path, &ws_id, err);
    if (rc == 0 && ws.st_uid != getuid())
        rc = rf_fail(err, -EPERM,
                     "granting %s: it is owned by uid %u, not by you (uid %u); the runner only "
                     "accepts workspaces their caller owns",
                     plan.targets[0].path, (unsigned)ws.st_uid, (unsigned)getuid());
    if (rc == 0)
        rc = lock_record(&c, err);
    int already = 0;
    if (rc == 0)
        rc = already = grant_roots(&c, &plan, &ws, &ws_id, &home_st, err);
    unlock_record(&c);
    bool pending = false;
    for (size_t i = 0; rc >= 0 && i < c.rec.n; i++)
        pending |= !c.rec.entries[i].complete;
    walk_totals t = {0};
    if (rc >= 0) {
        if (already && !pending)
            printf("%s is already granted (%s); nothing to walk\n", plan.targets[0].path,
                   c.record_path);
        else if (already)
            printf("%s is already granted (%s); the files already in it are still being given "
                   "their entries\n",
                   plan.targets[0].path, c.record_path);
        else
            printf("granted %s to uids %u and %u (recorded in %s)\n", plan.targets[0].path,
                   plan.sandbox_uids[0], plan.sandbox_uids[1], c.record_path);
        if (pending && o->wait) {
            fflush(stdout);
            rc = walk_pending(&c, true, &t, err);
        } else if (pending) {
            printf("giving the files already in it the same entries in the background; progress "
                   "in %s; `ringfence grant --wait %s` waits for it\n",
                   c.progress_path, plan.targets[0].path);
            fflush(stdout);
            rc = walk_in_background(&c, err);
        }
    }
    if (rc >= 0 && (!pending || o->wait)) {
        printf("walk: visited=%" PRIu64 " changed=%" PRIu64 " not_owned=%" PRIu64 "\n", t.visited,
               t.changed, t.skipped_not_owned);
        if (t.skipped_not_owned)
            printf("%" PRIu64 " files not owned by you were left as they are\n",
                   t.skipped_not_owned);
        if (t.failed)
            printf("%" PRIu64 " files could not be changed and keep what they had (first: %s)\n",
                   t.failed, t.first_failure);
    }
    rf_grant_plan_free(&plan);
    context_free(&c);
    return rc < 0 ? rc : 0;
}

/* ---- ungrant ------------------------------------------------------------- */

static int undo_entry(rf_grant_entry *e, rf_grant_walk *total, rf_error *err) {
    rf_grant_walk w;
    int rc = apply_roots(e, &e->plan, 0, true, &w, err);
    if (rc == 0)
        rc = walk_entry_trees(&e->plan, &w, err);
    total->visited += w.visited;
    total->changed += w.changed;
    total->skipped_not_owned += w.skipped_not_owned;
    total->changed_since_grant += w.changed_since_grant;
    if (w.failed && !total->failed)
        snprintf(total->first_failure, sizeof total->first_failure, "%s", w.first_failure);
    total->failed += w.failed;
    return rc;
}

int rf_ungrant_run(const rf_grant_options *o, rf_error *err) {
    context c;
    int rc = context_init(&c, err);
    struct stat ws;
    char dir[PATH_MAX];
    if (rc == 0 && !realpath(o->dir, dir))
        rc = rf_fail_errno(err, errno, "ungranting %s", o->dir);
    if (rc == 0)
        rc = stat_dir(dir, &ws, err);
    /* A running walk finishes first; otherwise it would add entries behind us. */
    if (rc == 0 && (rc = rf_grant_record_lock(c.walk_lock_base, err)) >= 0) {
        c.walk_lock = rc;
        rc = lock_record(&c, err);
    }
    rf_grant_entry *e = NULL;
    if (rc == 0 &&
        !(e = rf_grant_record_find(&c.rec, (uint64_t)ws.st_dev, (uint64_t)ws.st_ino, false)))
        rc = rf_fail(err, -ENOENT, "ungranting %s: it is not granted (no record in %s)", dir,
                     c.record_path);
    rf_grant_walk total = {0};
    if (rc == 0 && (rc = undo_entry(e, &total, err)) == 0)
        rf_grant_record_remove(&c.rec, e);
    bool workspaces_left = false;
    for (size_t i = 0; rc == 0 && i < c.rec.n; i++)
        workspaces_left |= !c.rec.entries[i].shared;
    /* The shared home grant serves every workspace: it goes with the last. */
    for (size_t i = 0; rc == 0 && !workspaces_left && i < c.rec.n;) {
        if ((rc = undo_entry(&c.rec.entries[i], &total, err)) == 0)
            rf_grant_record_remove(&c.rec, &c.rec.entries[i]);
    }
    if (rc == 0)
        rc = rf_grant_record_save(c.record_path, &c.rec, err);
    if (rc == 0) {
        printf("ungranted %s: %" PRIu64 " files changed back", dir, total.changed);
        if (!workspaces_left)
            printf(" (with the home folder's read grants: no workspace is granted any more)");
        printf("\n");
        if (total.changed_since_grant)
            printf("%" PRIu64 " ACLs changed since the grant: only ringfence's entries were "
                   "removed from them\n",
                   total.changed_since_grant);
        if (total.failed)
            printf("%" PRIu64 " files could not be changed back (first: %s)\n", total.failed,
                   total.first_failure);
        if (total.skipped_not_owned)
            printf("%" PRIu64 " files not owned by you (such as files the sandbox users created) "
                   "were left as they are\n",
                   total.skipped_not_owned);
    }
    context_free(&c);
    return rc;
}
