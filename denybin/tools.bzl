"""The tools that denybin stubs out when the network is off: the one list.

Each entry is (name, why).  These are programs that open connections by
themselves and ignore the proxy variables, so the env shims cannot stop them;
without a stub they would hang on a dead network or, worse, get through.
Everything else is generated from this list: tools.list (the same list as
text, for tools outside Bazel), the POSIX stubs and the Windows .cmd stubs.
"""

DENYBIN_TOOLS = [
    ("ssh", "remote shell and git's ssh transport; ignores proxy variables"),
    ("scp", "copies over ssh"),
    ("sftp", "file transfer over ssh"),
    ("rsync", "its own rsync:// protocol or a remote shell; ignores HTTP proxies"),
    ("telnet", "plain TCP sessions to any host and port"),
    ("nc", "netcat: raw TCP/UDP to any host and port"),
    ("ncat", "nmap's netcat, same reach (and TLS)"),
    ("netcat", "the other common name of nc"),
    ("socat", "a general relay between any two sockets; a one-line tunnel out"),
    ("ftp", "classic FTP client: connects directly, proxy variables are not read"),
]

def denybin_names():
    return [name for name, _why in DENYBIN_TOOLS]

def denybin_list_text():
    """tools.list: one name per line, each preceded by a comment giving its reason."""
    lines = [
        "# Generated from denybin/tools.bzl (the one source); do not edit.",
        "# One tool per line; the comment above each says why it is stubbed.",
    ]
    for name, why in DENYBIN_TOOLS:
        lines.append("# " + why)
        lines.append(name)
    return "\n".join(lines) + "\n"
