/*
 * env_table.c — the advisory network layer: what a command's environment says
 * when the policy turns the network off.
 *
 * None of this is enforcement.  Each line tells well-behaved tools to stay
 * offline or points them at an endpoint that refuses at once, so that they
 * fail fast with a clear error instead of hanging or leaking; a program that
 * opens its own sockets ignores all of it.  The guarantee table reports the
 * network as `advisory` unless a backend enforces more.
 *
 * Proxies point at http://127.0.0.1:9: loopback never leaves the machine and
 * port 9 is the discard service, which no current system runs, so a proxied
 * connection is refused immediately (and under Landlock the connect is denied
 * outright).  Should something listen there, it speaks no HTTP and the request
 * still fails, without anything leaving the host.
 *
 * "@DENY_SSH@" is replaced by rf_env_build with a shell-quoted path of the
 * denybin ssh stub (see env_build.c).  On Windows, Git runs GIT_SSH_COMMAND
 * through its bundled MSYS sh, which rewrites `/c`-style arguments of native
 * programs into drive paths (`cmd /c` becomes `cmd C:/`), so the Windows value
 * is a plain sh command rather than a `cmd /c exit 1`.
 */
#include "env/env.h"

#define DEAD_PROXY "http://127.0.0.1:9"
#define DEAD_PROXY_REASON(tool)                                                            \
    "read by " tool ": points them at a loopback port that refuses at once, not the network"

#define WINDOWS_DENY_SSH                                                                   \
    "sh -c 'echo \"ringfence: network is off by policy (ssh blocked)\" >&2; exit 1' "      \
    "ringfence-ssh"

#define SET(n, v, why) {n, RF_ENV_SET, v, v, why}
#define UNSET(n, why) {n, RF_ENV_UNSET, NULL, NULL, why}

static const rf_env_shim network_off_shims[] = {
    /* ---- proxies: curl, wget, git (libcurl), pip, npm, Python, Go, Rust... */
    SET("HTTP_PROXY", DEAD_PROXY, DEAD_PROXY_REASON("Go, pip, npm and most HTTP clients")),
    SET("http_proxy", DEAD_PROXY,
        DEAD_PROXY_REASON("curl (which ignores upper-case HTTP_PROXY), wget and git")),
    SET("HTTPS_PROXY", DEAD_PROXY, DEAD_PROXY_REASON("curl, git, pip, npm and Go for https://")),
    SET("https_proxy", DEAD_PROXY, DEAD_PROXY_REASON("wget, Python's urllib and Ruby")),
    SET("ALL_PROXY", DEAD_PROXY,
        DEAD_PROXY_REASON("curl for every scheme without a variable of its own")),
    SET("all_proxy", DEAD_PROXY, DEAD_PROXY_REASON("curl and Python's urllib (lower case)")),
    SET("FTP_PROXY", DEAD_PROXY, DEAD_PROXY_REASON("curl and Python for ftp://")),
    SET("ftp_proxy", DEAD_PROXY, DEAD_PROXY_REASON("wget and Python for ftp://")),
    /* A host listed here would bypass the dead proxy and connect directly. */
    UNSET("NO_PROXY", "hosts listed here bypass the dead proxy and connect directly"),
    UNSET("no_proxy", "the lower-case form that curl and wget read: bypasses the proxy"),

    /* ---- git */
    {"GIT_SSH_COMMAND", RF_ENV_SET, "@DENY_SSH@", WINDOWS_DENY_SSH,
     "git's ssh transport runs this instead of ssh: it fails at once with a clear message "
     "instead of hanging on a connection"},
    SET("GIT_ALLOW_PROTOCOL", "file",
        "git refuses every transport but local paths (https, ssh, git://, ext:: and "
        "submodule URLs alike)"),

    /* ---- package managers: use caches only, never an index.  GOFLAGS is left
     * alone on purpose: setting it would replace the user's own flags, and
     * -mod=mod would let `go` rewrite go.mod, which is not an offline switch. */
    SET("PIP_NO_INDEX", "1", "pip installs only from local paths and --find-links"),
    SET("UV_OFFLINE", "1", "uv resolves and installs from its cache only"),
    SET("NPM_CONFIG_OFFLINE", "true", "npm answers from its cache and never asks the registry"),
    SET("YARN_ENABLE_OFFLINE_MODE", "1", "Yarn (2+) resolves from its offline cache only"),
    SET("CARGO_NET_OFFLINE", "true", "cargo builds from the local registry cache and vendor/"),
    SET("GOPROXY", "off", "go may not download modules from any source"),
    SET("GOTOOLCHAIN", "local",
        "go uses the installed toolchain instead of downloading the one go.mod asks for"),
    SET("BUNDLE_DISABLE_VERSION_CHECK", "true",
        "Bundler stops asking rubygems.org whether a newer Bundler exists"),
    SET("HF_HUB_OFFLINE", "1", "Hugging Face libraries load models from the local cache only"),
    SET("TRANSFORMERS_OFFLINE", "1", "older transformers releases that predate HF_HUB_OFFLINE"),

    /* ---- host sockets that lead out of a network namespace */
    UNSET("SSH_AUTH_SOCK",
          "a Unix socket to the user's ssh-agent: signs for any host, reachable without network"),
    UNSET("DBUS_SESSION_BUS_ADDRESS",
          "the desktop session bus: can ask host services (browser, portals) to connect for us"),

    /* ---- so tools and scripts can tell, and explain their failures */
    SET("RINGFENCE_NETWORK", "off", "tools and scripts can tell that the network is off by policy"),
};

const rf_env_shim *rf_env_network_off_shims(size_t *count) {
    *count = sizeof network_off_shims / sizeof network_off_shims[0];
    return network_off_shims;
}
