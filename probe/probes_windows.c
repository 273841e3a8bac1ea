/*
 * probes_windows.c — the Windows variants of the escape probes (NOT FINISHED).
 *
 * The same suite is meant to run on a real Windows machine: rf-probe built for
 * Windows prints the same JSON lines, and the matrix judges them against the
 * Windows backends' guarantee tables.  What exists here is the table of the
 * Windows-only escapes, each with the way it must be checked, so that the
 * Windows helper can fill in the functions.  Nothing here is compiled on
 * Linux.
 *
 * Still to do for Windows (see the report of the probe work):
 *   - probe_util.c: a Windows rf_probe_failed that maps GetLastError()
 *     (ERROR_ACCESS_DENIED, ERROR_PRIVILEGE_NOT_HELD, ERROR_WRITE_PROTECT,
 *     ERROR_SHARING_VIOLATION) to blocked; the result carries the Win32 error.
 *   - world.c: the world under %TEMP% (CreateDirectory + a random name), the
 *     listeners with Winsock, a named pipe server standing for docker's
 *     \\.\pipe\docker_engine, a target process (CreateProcess of rf-probe
 *     --target) instead of fork.
 *   - session.c: a ConPTY (CreatePseudoConsole) instead of a pty; TIOCSTI has
 *     no Windows twin, the console-input probe below replaces it.
 *   - rf_probe.c: CreateProcess of itself per probe instead of fork.
 *   - The POSIX probes that carry over as they are (paths, sockets, curl,
 *     git, ssh) need only their #includes split; process probes map to
 *     OpenProcess(PROCESS_VM_READ / PROCESS_VM_WRITE / PROCESS_TERMINATE),
 *     DebugActiveProcess and DuplicateHandle.
 */
#ifdef _WIN32

#include "probe/probe.h"

/* Each is an escape under `writes` or `protected` unless said otherwise. */
static const struct {
    const char *id;
    rf_guarantee guarantee;
    const char *how;
} windows_probes[] = {
    {"writes.junction_out", RF_G_WRITES,
     "mklink /J ws\\jn outside; write ws\\jn\\x.txt: a junction needs no privilege, unlike a "
     "symlink, and ACL checks apply to the target"},
    {"writes.symlink_out", RF_G_WRITES,
     "CreateSymbolicLinkW with SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE (developer mode) "
     "pointing outside, then write through it"},
    {"writes.ads_outside", RF_G_WRITES,
     "write outside\\file.txt:hidden (an alternate data stream): a write ACE on the stream's "
     "file is what decides"},
    {"writes.long_path_prefix", RF_G_WRITES,
     "CreateFileW on \\\\?\\C:\\...\\outside\\x.txt: the \\\\?\\ prefix skips Win32 path "
     "normalization, so a check done on normalized paths can be bypassed"},
    {"writes.short_name", RF_G_WRITES,
     "write through the 8.3 short name (OUTSID~1) of the outside folder"},
    {"writes.physical_drive", RF_G_WRITES,
     "CreateFileW(\\\\.\\PhysicalDrive0, GENERIC_WRITE): raw disk access under the restricted "
     "token must fail (ERROR_ACCESS_DENIED)"},
    {"writes.hardlink_in", RF_G_WRITES,
     "CreateHardLinkW of an outside file into the workspace, then write: the file's own ACL "
     "must still refuse the sandbox SID"},
    {"protected.git_case_variant", RF_G_PROTECTED,
     "write ws\\.GiT\\config: NTFS is case-insensitive, a deny ACE keyed on the exact name "
     "'.git' must still apply"},
    {"protected.git_trailing_dot", RF_G_PROTECTED,
     "write ws\\.git.\\config and 'ws\\.git \\config': Win32 strips trailing dots and spaces"},
    {"protected.git_ads", RF_G_PROTECTED,
     "write ws\\.git\\config:evil (a stream on a protected file)"},
    {"protected.git_junction_swap", RF_G_PROTECTED,
     "rename ws\\.git away and put a junction to a decoy in its place"},
    {"protected.git_create", RF_G_PROTECTED,
     "create ws-nogit\\.git when absent (needs the deny ACE inherited by name, or a placeholder)"},
    {"deny_read.named_pipe", RF_G_DENY_READ,
     "CreateFileW on \\\\.\\pipe\\docker_engine (the world's stand-in): the docker.sock twin"},
    {"deny_read.ads_secret", RF_G_DENY_READ,
     "read secret\\token.txt::$DATA (the default stream by its explicit name)"},
    {"network.winsock_connect", RF_G_NETWORK,
     "connect() to the loopback listener: advisory under the unelevated backend (expected "
     "allowed), blocked by the firewall rule of the elevated backend's offline user"},
    {"network.named_pipe_remote", RF_G_NETWORK,
     "CreateFileW on \\\\127.0.0.1\\pipe\\x: SMB to loopback, outside the firewall's TCP rules"},
    {"process.open_process", RF_G_PROCESS_TREE,
     "OpenProcess(PROCESS_VM_READ) on the world's target and ReadProcessMemory the nonce"},
    {"process.console_inject", RF_G_PROCESS_TREE,
     "WriteConsoleInputW into the inherited console (the TIOCSTI twin)"},
    {"process.job_breakaway", RF_G_PROCESS_TREE,
     "CreateProcess with CREATE_BREAKAWAY_FROM_JOB: a daemon that outlives the job object"},
};

/* Referenced so the table is kept by the compiler until the functions exist. */
size_t rf_windows_probe_todo_count(void) {
    return sizeof windows_probes / sizeof windows_probes[0];
}

#endif /* _WIN32 */
