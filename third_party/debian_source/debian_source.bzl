"""debian_source: a Debian source package, fetched with apt at build time.

The rule asks apt for the source package `package` from the Debian archives
this machine's apt already uses (the `deb` entries of `codename`, its
-updates and its -security suites), with a private apt state inside the
repository's own directory, so the host's apt lists and caches are never
touched.  apt checks the downloaded files against the archive's signed
Sources index; the rule then checks the upstream (orig) tarball against the
SHA-256 pinned in WORKSPACE, so a new upstream version fails loudly instead
of slipping into the build, unpacks it with `dpkg-source -x` (which applies
Debian's patch series, security fixes included) and copies the named files
into the repository next to `build_file`.

Needs apt-get, dpkg-source (dpkg-dev) and sha256sum: scripts/install-deps.sh
installs them.  apt's own options (/etc/apt/apt.conf.d) stay in force, so a
proxy or mirror set up there is used.
"""

_SUITE_SUFFIXES = ["", "-updates", "-security"]

def _fail_run(what, args, result):
    fail(("debian_source: %s failed (exit %d)\n  ran: %s\n  stderr:\n%s\n  stdout (end):\n%s") % (
        what,
        result.return_code,
        " ".join(args),
        result.stderr.strip() or "(empty)",
        result.stdout.strip()[-2000:] or "(empty)",
    ))

def _run(rctx, what, args, timeout = 600, working_directory = ""):
    result = rctx.execute(
        args,
        timeout = timeout,
        environment = {"LC_ALL": "C", "DEBIAN_FRONTEND": "noninteractive"},
        working_directory = working_directory,
    )
    if result.return_code != 0:
        _fail_run(what, args, result)
    return result

def _tool(rctx, name, package):
    path = rctx.which(name)
    if not path:
        fail("debian_source: `%s` not found on PATH: install Debian's %s (scripts/install-deps.sh does)" %
             (name, package))
    return str(path)

def _debian_sources(rctx, apt_get):
    """The deb-src lines for the Debian archives the host's apt lists name."""
    suites = [rctx.attr.codename + s for s in _SUITE_SUFFIXES]
    args = [apt_get, "indextargets", "--format", "$(TARGET_OF)|$(ORIGIN)|$(CODENAME)|$(COMPONENT)|$(REPO_URI)|$(RELEASE)"]
    listed = _run(rctx, "listing the host's apt archives", args, timeout = 60).stdout
    lines = []
    for entry in listed.splitlines():
        fields = entry.split("|")
        if len(fields) != 6:
            continue
        target_of, origin, codename, component, uri, release = fields
        if target_of != "deb" or origin != "Debian" or codename not in suites or component != "main":
            continue
        line = "deb-src %s %s main" % (uri, release)
        if line not in lines:
            lines.append(line)
    if not lines:
        fail(("debian_source: the host's apt knows no Debian %s archive (component main), so there is " +
              "nowhere to fetch the source package %s from.\n  ran: %s\n  It printed:\n%s\n" +
              "  Configure Debian's archive in /etc/apt/sources.list.d and run `apt-get update` " +
              "(scripts/install-deps.sh does).") % (
            "/".join(suites),
            rctx.attr.package,
            " ".join(args),
            listed.strip() or "(nothing: are apt's lists empty?)",
        ))
    return lines

def _one_file(rctx, directory, suffixes, what):
    found = [f for f in directory.readdir() if [s for s in suffixes if f.basename.endswith(s)]]
    if len(found) != 1:
        fail("debian_source: expected one %s in %s after `apt-get source`, found %s" %
             (what, directory, [f.basename for f in directory.readdir()]))
    return found[0]

def _dsc_field(text, field):
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return line[len(field) + 1:].strip()
    return "unknown"

def _debian_source_impl(rctx):
    apt_get = _tool(rctx, "apt-get", "apt")
    dpkg_source = _tool(rctx, "dpkg-source", "dpkg-dev")
    sha256sum = _tool(rctx, "sha256sum", "coreutils")

    # Private apt state: the host's lists, caches and sources stay as they are.
    work = rctx.path("_fetch")
    apt_dir = rctx.path("_fetch/apt")
    rctx.file("_fetch/apt/sources.list", "\n".join(_debian_sources(rctx, apt_get)) + "\n", executable = False)
    _run(rctx, "creating apt's private directories", [
        "mkdir",
        "-p",
        str(apt_dir) + "/lists/partial",
        str(apt_dir) + "/cache/archives/partial",
        str(work) + "/download",
    ])
    apt_options = [
        "-o",
        "Dir::Etc::SourceList=%s/sources.list" % apt_dir,
        "-o",
        "Dir::Etc::SourceParts=%s/no-parts" % apt_dir,
        "-o",
        "Dir::State::Lists=%s/lists" % apt_dir,
        "-o",
        "Dir::Cache=%s/cache" % apt_dir,
        "-o",
        "APT::Get::List-Cleanup=0",
        # The output base is not readable by the _apt user apt would drop to.
        "-o",
        "APT::Sandbox::User=root",
    ]
    _run(rctx, "`apt-get update` of the deb-src index (sources: %s/sources.list)" % apt_dir,
         [apt_get] + apt_options + ["-q", "update"])
    _run(
        rctx,
        "`apt-get source --download-only %s`" % rctx.attr.package,
        [apt_get] + apt_options + ["-q", "source", "--download-only", rctx.attr.package],
        working_directory = str(work) + "/download",
    )

    download = rctx.path("_fetch/download")
    orig = _one_file(rctx, download, [".orig.tar.gz", ".orig.tar.xz", ".orig.tar.bz2"], "orig tarball")
    dsc = _one_file(rctx, download, [".dsc"], ".dsc file")
    dsc_text = rctx.read(dsc)
    version = _dsc_field(dsc_text, "Version")

    # A pinned upstream version: a different tarball is a decision for a person.
    got = _run(rctx, "hashing " + orig.basename, [sha256sum, str(orig)]).stdout.split(" ")[0].strip()
    if got != rctx.attr.sha256:
        fail(("debian_source: %s (Debian version %s) has SHA-256 %s, but WORKSPACE pins %s.\n" +
              "  Debian now ships another upstream %s: review it, then update sha256 in WORKSPACE.") % (
            orig.basename,
            version,
            got,
            rctx.attr.sha256,
            rctx.attr.package,
        ))

    # dpkg-source checks the files against the .dsc and applies debian/patches.
    _run(rctx, "`dpkg-source -x` (unpack and apply Debian's patches)",
         [dpkg_source, "-x", dsc.basename, "tree"], working_directory = str(download))
    for dest, src in rctx.attr.files.items():
        _run(rctx, "copying %s from the unpacked source" % src, [
            "install",
            "-D",
            "-m",
            "0644",
            "%s/tree/%s" % (download, src),
            str(rctx.path(dest)),
        ])
    _run(rctx, "removing the download", ["rm", "-rf", str(work)])

    rctx.template("BUILD.bazel", rctx.attr.build_file, {
        "%{package}": rctx.attr.package,
        "%{version}": version,
        "%{sha256}": rctx.attr.sha256,
    }, executable = False)
    rctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % rctx.name, executable = False)
    rctx.file("DEBIAN_VERSION", version + "\n", executable = False)

debian_source = repository_rule(
    implementation = _debian_source_impl,
    attrs = {
        "package": attr.string(mandatory = True, doc = "Debian source package name"),
        "codename": attr.string(default = "bookworm", doc = "Debian release to take it from"),
        "sha256": attr.string(mandatory = True, doc = "SHA-256 of the upstream (orig) tarball"),
        "files": attr.string_dict(
            mandatory = True,
            doc = "destination in the repository -> path in the unpacked source",
        ),
        "build_file": attr.label(mandatory = True, allow_single_file = True),
    },
)
