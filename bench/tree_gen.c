/*
 * tree_gen.c — the generated trees the benchmark runs in: workspaces of N
 * files, a C project, a git repository.  Deterministic content, so two runs
 * measure the same work.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/bench.h"

int tree_make_dir(const char *path) {
    char buf[4096];
    bench_fmt(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) < 0 && errno != EEXIST)
            return -errno;
        *p = '/';
    }
    if (mkdir(buf, 0755) < 0 && errno != EEXIST)
        return -errno;
    return 0;
}

static int write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        bench_log("create %s: %s", path, strerror(errno));
        return -errno;
    }
    size_t len = strlen(text);
    ssize_t w = write(fd, text, len);
    int e = errno;
    close(fd);
    if (w != (ssize_t)len) {
        bench_log("write %s: %s", path, w < 0 ? strerror(e) : "short write");
        return -EIO;
    }
    return 0;
}

int tree_gen_files(const char *root, long files) {
    char path[4200], text[512];
    int rc = tree_make_dir(root);
    if (rc < 0)
        return rc;
    bench_fmt(path, sizeof path, "%s/.git", root);
    if ((rc = tree_make_dir(path)) < 0)
        return rc;
    for (long i = 0; i < files; i++) {
        if (i % 100 == 0) {
            bench_fmt(path, sizeof path, "%s/d%04ld", root, i / 100);
            if ((rc = tree_make_dir(path)) < 0)
                return rc;
        }
        bench_fmt(path, sizeof path, "%s/d%04ld/file%06ld.txt", root, i / 100, i);
        bench_fmt(text, sizeof text,
                 "file %ld of a generated ringfence benchmark workspace\n"
                 "line two keeps the size of a small source file\n"
                 "line three: %08lx %08lx %08lx\n",
                 i, i * 2654435761UL, i ^ 0x5bd1e995UL, i + 7);
        if ((rc = write_file(path, text)) < 0)
            return rc;
    }
    return 0;
}

int tree_gen_c_project(const char *root, int units) {
    char path[4200];
    char *text = malloc(1 << 16);
    if (!text)
        return -ENOMEM;
    int rc = 0;
    bench_fmt(path, sizeof path, "%s/src", root);
    if ((rc = tree_make_dir(path)) < 0)
        goto out;
    bench_fmt(path, sizeof path, "%s/include", root);
    if ((rc = tree_make_dir(path)) < 0)
        goto out;
    bench_fmt(path, sizeof path, "%s/.git", root);
    if ((rc = tree_make_dir(path)) < 0)
        goto out;
    size_t used = 0;
    used += (size_t)bench_fmt(text + used, (1 << 16) - used,
                             "#ifndef ALL_H\n#define ALL_H\n#include <stddef.h>\n");
    for (int u = 0; u < units && used < (1 << 16) - 200; u++)
        used += (size_t)bench_fmt(text + used, (1 << 16) - used,
                                 "unsigned long unit%d(unsigned long x);\n", u);
    bench_fmt(text + used, (1 << 16) - used, "#endif\n");
    bench_fmt(path, sizeof path, "%s/include/all.h", root);
    if ((rc = write_file(path, text)) < 0)
        goto out;
    for (int u = 0; u < units; u++) {
        /* A few functions with loops and a table: ~30 ms of gcc -O1 each. */
        bench_fmt(text, 1 << 16,
                 "#include \"all.h\"\n"
                 "static const unsigned char table%d[64] = {%d, %d, %d, %d};\n"
                 "static unsigned long mix%d(unsigned long x) {\n"
                 "    for (int i = 0; i < 64; i++) x = (x << 5) ^ (x >> 3) ^ table%d[i];\n"
                 "    return x;\n}\n"
                 "static unsigned long fold%d(const unsigned long *v, size_t n) {\n"
                 "    unsigned long acc = 0;\n"
                 "    for (size_t i = 0; i < n; i++) acc += mix%d(v[i] * %dUL);\n"
                 "    return acc;\n}\n"
                 "struct pair%d { unsigned long a, b; };\n"
                 "static struct pair%d step%d(struct pair%d p) {\n"
                 "    switch (p.a %% 4) {\n"
                 "    case 0: p.b += p.a; break;\n"
                 "    case 1: p.b ^= p.a << 1; break;\n"
                 "    case 2: p.b -= p.a >> 2; break;\n"
                 "    default: p.b *= 3; break;\n    }\n"
                 "    p.a = mix%d(p.a + p.b);\n    return p;\n}\n"
                 "unsigned long unit%d(unsigned long x) {\n"
                 "    unsigned long v[16];\n"
                 "    for (int i = 0; i < 16; i++) v[i] = x + (unsigned long)i * %dUL;\n"
                 "    struct pair%d p = {x, fold%d(v, 16)};\n"
                 "    for (int i = 0; i < 8; i++) p = step%d(p);\n"
                 "    return p.a ^ p.b;\n}\n",
                 u, u & 255, (u * 7) & 255, (u * 13) & 255, (u * 31) & 255, u, u, u, u, u + 1,
                 u, u, u, u, u, u, u + 3, u, u, u);
        bench_fmt(path, sizeof path, "%s/src/unit%04d.c", root, u);
        if ((rc = write_file(path, text)) < 0)
            goto out;
    }
    used = (size_t)bench_fmt(text, 1 << 16,
                            "#include <stdio.h>\n#include \"all.h\"\n"
                            "int main(void) {\n    unsigned long acc = 1;\n");
    for (int u = 0; u < units && used < (1 << 16) - 200; u++)
        used += (size_t)bench_fmt(text + used, (1 << 16) - used, "    acc = unit%d(acc);\n", u);
    bench_fmt(text + used, (1 << 16) - used, "    printf(\"%%lu\\n\", acc);\n    return 0;\n}\n");
    bench_fmt(path, sizeof path, "%s/main.c", root);
    if ((rc = write_file(path, text)) < 0)
        goto out;
    bench_fmt(path, sizeof path, "%s/Makefile", root);
    rc = write_file(path,
                    "CFLAGS = -O1 -pipe -Iinclude\n"
                    "OBJS = $(patsubst %.c,%.o,$(wildcard src/*.c)) main.o\n"
                    "prog: $(OBJS)\n\t$(CC) -o $@ $(OBJS)\n"
                    "%.o: %.c include/all.h\n\t$(CC) $(CFLAGS) -c $< -o $@\n"
                    "clean:\n\trm -f src/*.o main.o prog\n"
                    ".PHONY: clean\n");
out:
    free(text);
    return rc;
}

int tree_gen_git_repo(const bench_ctx *ctx, const char *root, long files, int modified) {
    int rc = tree_gen_files(root, files);
    if (rc < 0)
        return rc;
    /* tree_gen_files leaves an empty .git/ for the protected-path rule; git
     * init fills it. */
    char *init[] = {"git", "init", "-q", NULL};
    char *add[] = {"git", "add", "-A", NULL};
    char *commit[] = {"git", "-c", "user.name=bench", "-c", "user.email=bench@localhost",
                      "commit", "-q", "-m", "generated", NULL};
    if (bench_exec_quiet(ctx, init, root) < 0 || bench_exec_quiet(ctx, add, root) < 0 ||
        bench_exec_quiet(ctx, commit, root) < 0) {
        bench_log("git repository setup failed in %s", root);
        return -EIO;
    }
    char path[4200];
    for (int i = 0; i < modified && i < files; i++) {
        long f = (long)i * (files / (modified ? modified : 1));
        bench_fmt(path, sizeof path, "%s/d%04ld/file%06ld.txt", root, f / 100, f);
        if ((rc = write_file(path, "changed by the benchmark: git diff has work to do\n")) < 0)
            return rc;
    }
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    (void)st;
    (void)ftw;
    int rc = (type == FTW_DP) ? rmdir(path) : unlink(path);
    if (rc < 0 && errno != ENOENT)
        bench_log("remove %s: %s", path, strerror(errno));
    return 0;
}

int tree_remove(const char *root) {
    if (access(root, F_OK) != 0)
        return 0;
    return nftw(root, remove_entry, 64, FTW_DEPTH | FTW_PHYS) < 0 ? -errno : 0;
}
