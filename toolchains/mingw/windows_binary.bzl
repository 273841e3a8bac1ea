"""windows_binary: a cc_binary built for Windows by the mingw toolchain, from
any build (a Linux `bazel test //...` included), through a configuration
transition.  The result is `<name>.exe`, for Wine tests and for copying to a
Windows machine."""

def _no_sanitizer(flags):
    # mingw-w64 has no sanitizer runtimes: `--config=asan` keeps applying to
    # the Linux targets only.
    return [f for f in flags if not f.startswith("-fsanitize") and f != "-fno-omit-frame-pointer"]

def _to_mingw_impl(settings, attr):
    return {
        "//command_line_option:cpu": "x64_windows_mingw",
        "//command_line_option:crosstool_top": "//toolchains/mingw:suite",
        "//command_line_option:copt": _no_sanitizer(settings["//command_line_option:copt"]),
        "//command_line_option:linkopt": _no_sanitizer(settings["//command_line_option:linkopt"]),
    }

_to_mingw = transition(
    implementation = _to_mingw_impl,
    inputs = [
        "//command_line_option:copt",
        "//command_line_option:linkopt",
    ],
    outputs = [
        "//command_line_option:cpu",
        "//command_line_option:crosstool_top",
        "//command_line_option:copt",
        "//command_line_option:linkopt",
    ],
)

def _windows_binary_impl(ctx):
    files = ctx.attr.binary[0][DefaultInfo].files.to_list()
    exes = [f for f in files if f.extension == "exe"]
    if len(exes) != 1:
        fail("%s: expected one .exe from %s, got %s" % (ctx.label, ctx.attr.binary[0].label, files))
    out = ctx.actions.declare_file(ctx.label.name + ".exe")
    ctx.actions.symlink(output = out, target_file = exes[0])
    return [DefaultInfo(files = depset([out]), runfiles = ctx.runfiles(files = [out]))]

windows_binary = rule(
    implementation = _windows_binary_impl,
    attrs = {
        "binary": attr.label(cfg = _to_mingw, mandatory = True),
        "_whitelist_function_transition": attr.label(
            default = "@bazel_tools//tools/whitelists/function_transition_whitelist",
        ),
    },
)
