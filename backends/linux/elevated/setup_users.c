/* setup_users.c — the sandbox group and users, through Debian's shadow tools. */
#include "backends/linux/elevated/setup_users.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <shadow.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/linux/elevated/setup_fs.h"
#include "core/error.h"

int rf_setup_run_tool(const char *const argv[], rf_error *err) {
    /* A fixed environment: nothing the invoking user set (LD_PRELOAD, PATH,
     * locale files) reaches the tools that edit the user database. */
    static char *const env[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL};
    char cmdline[512] = "";
    for (size_t i = 0; argv[i]; i++)
        snprintf(cmdline + strlen(cmdline), sizeof cmdline - strlen(cmdline), "%s%s",
                 i ? " " : "", argv[i]);
    pid_t pid = fork();
    if (pid < 0)
        return rf_fail_errno(err, errno, "starting `%s`", cmdline);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (null < 0 || dup2(null, STDOUT_FILENO) < 0)
            _exit(126);
        execve(argv[0], (char *const *)argv, env);
        fprintf(stderr, "ringfence-setup: executing %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return rf_fail_errno(err, errno, "waiting for `%s`", cmdline);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    if (WIFEXITED(status))
        return rf_fail(err, -EIO, "`%s` failed with exit status %d (its message is above)",
                       cmdline, WEXITSTATUS(status));
    return rf_fail(err, -EIO, "`%s` was killed by signal %d", cmdline, WTERMSIG(status));
}

/* ---- the group ---------------------------------------------------------- */

int rf_setup_group_ensure(const char *group, gid_t *gid, rf_error *err) {
    struct group *gr = getgrnam(group);
    if (!gr) {
        const char *const argv[] = {"/usr/sbin/groupadd", "--system", group, NULL};
        int rc = rf_setup_run_tool(argv, err);
        if (rc < 0)
            return rc;
        gr = getgrnam(group);
    }
    if (!gr)
        return rf_fail(err, -ENOENT, "group %s: missing right after groupadd created it", group);
    *gid = gr->gr_gid;
    return 0;
}

int rf_setup_group_remove(const char *group, rf_error *err) {
    if (!getgrnam(group))
        return 0;
    const char *const argv[] = {"/usr/sbin/groupdel", group, NULL};
    return rf_setup_run_tool(argv, err);
}

bool rf_setup_group_has_member(const char *group, const char *user) {
    struct group *gr = getgrnam(group);
    for (char **m = gr ? gr->gr_mem : NULL; m && *m; m++)
        if (strcmp(*m, user) == 0)
            return true;
    return false;
}

int rf_setup_group_add_member(const char *group, const char *user, rf_error *err) {
    if (rf_setup_group_has_member(group, user))
        return 0;
    const char *const argv[] = {"/usr/bin/gpasswd", "-a", user, group, NULL};
    return rf_setup_run_tool(argv, err);
}

int rf_setup_group_remove_member(const char *group, const char *user, rf_error *err) {
    if (!rf_setup_group_has_member(group, user))
        return 0;
    const char *const argv[] = {"/usr/bin/gpasswd", "-d", user, group, NULL};
    return rf_setup_run_tool(argv, err);
}

/* ---- the sandbox users -------------------------------------------------- */

static bool password_locked(const char *user) {
    struct spwd *sp = getspnam(user);
    return sp && (sp->sp_pwdp[0] == '!' || sp->sp_pwdp[0] == '*');
}

int rf_setup_user_problem(const char *user, const char *home, const char *sandbox_group,
                          char *why, size_t why_len) {
    why[0] = '\0';
    struct passwd *pw = getpwnam(user);
    if (!pw)
        return -ENOENT;
    struct group *gr = getgrnam(sandbox_group);
    struct stat st;
    if (strcmp(pw->pw_dir, home) != 0)
        snprintf(why, why_len, "home is %s, not %s", pw->pw_dir, home);
    else if (strcmp(pw->pw_shell, RF_SETUP_NOLOGIN) != 0)
        snprintf(why, why_len, "login shell is %s, not %s", pw->pw_shell, RF_SETUP_NOLOGIN);
    else if (!password_locked(user))
        snprintf(why, why_len, "has a password");
    else if ((gr && pw->pw_gid == gr->gr_gid) || rf_setup_group_has_member(sandbox_group, user))
        snprintf(why, why_len, "belongs to the sandbox group %s", sandbox_group);
    else if (lstat(home, &st) < 0 || !S_ISDIR(st.st_mode))
        snprintf(why, why_len, "home folder %s is missing", home);
    else if (st.st_uid != pw->pw_uid || (st.st_mode & 07777) != 0700)
        snprintf(why, why_len, "home folder %s is not its own with mode 0700", home);
    return 0;
}

/* The home: mode 0700, owned by the user, never reached through a symbolic
 * link (a planted link would make root chown someone else's folder). */
static int ensure_home(const char *home, uid_t uid, gid_t gid, rf_error *err) {
    char base[4096];
    snprintf(base, sizeof base, "%s", home);
    char *slash = strrchr(base, '/');
    if (slash && slash != base) {
        *slash = '\0';
        int rc = rf_setup_mkdirs(base, 0755, err);
        if (rc < 0)
            return rc;
    }
    if (mkdir(home, 0700) < 0 && errno != EEXIST)
        return rf_fail_errno(err, errno, "creating home folder %s", home);
    int fd = open(home, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return rf_fail_errno(err, errno, "opening home folder %s", home);
    int rc = 0;
    if (fchown(fd, uid, gid) < 0)
        rc = rf_fail_errno(err, errno, "giving home folder %s to uid %u", home, (unsigned)uid);
    if (rc == 0 && fchmod(fd, 0700) < 0)
        rc = rf_fail_errno(err, errno, "setting mode 0700 on home folder %s", home);
    close(fd);
    return rc;
}

int rf_setup_user_ensure(const char *user, const char *home, const char *sandbox_group,
                         uid_t *uid, rf_error *err) {
    int rc = 0;
    struct passwd *pw = getpwnam(user);
    if (!pw) {
        /* --user-group: a primary group of its own, not the sandbox group
         * (see setup_users.h).  No --password: the account stays locked. */
        const char *const argv[] = {"/usr/sbin/useradd", "--system", "--user-group",
                                    "--no-create-home", "--home-dir", home,
                                    "--shell", RF_SETUP_NOLOGIN,
                                    "--comment", "ringfence sandbox user", user, NULL};
        if ((rc = rf_setup_run_tool(argv, err)) < 0)
            return rc;
    } else if (strcmp(pw->pw_dir, home) != 0 || strcmp(pw->pw_shell, RF_SETUP_NOLOGIN) != 0) {
        const char *const argv[] = {"/usr/sbin/usermod", "--home", home,
                                    "--shell", RF_SETUP_NOLOGIN, user, NULL};
        if ((rc = rf_setup_run_tool(argv, err)) < 0)
            return rc;
    }
    if (!password_locked(user)) {
        const char *const argv[] = {"/usr/sbin/usermod", "--lock", user, NULL};
        if ((rc = rf_setup_run_tool(argv, err)) < 0)
            return rc;
    }
    if ((rc = rf_setup_group_remove_member(sandbox_group, user, err)) < 0)
        return rc;
    pw = getpwnam(user);
    if (!pw)
        return rf_fail(err, -ENOENT, "user %s: missing right after useradd created it", user);
    struct group *gr = getgrnam(sandbox_group);
    if (gr && pw->pw_gid == gr->gr_gid)
        return rf_fail(err, -EEXIST, "user %s has the sandbox group %s as its primary group; "
                       "it must not (it could run the setuid runner): fix it with usermod -g",
                       user, sandbox_group);
    *uid = pw->pw_uid;
    return ensure_home(home, pw->pw_uid, pw->pw_gid, err);
}

int rf_setup_user_remove(const char *user, const char *home, rf_error *err) {
    if (getpwnam(user)) {
        /* Not -r: the home is removed below without following links, and
         * there is no mail spool for a system user. */
        const char *const argv[] = {"/usr/sbin/userdel", user, NULL};
        int rc = rf_setup_run_tool(argv, err);
        if (rc < 0)
            return rc;
    }
    return rf_setup_remove_tree(home, err);
}
