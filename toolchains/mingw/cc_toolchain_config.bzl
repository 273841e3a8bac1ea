"""A C toolchain for Windows x64 from Debian's mingw-w64 cross compiler.

Selected with `bazel build --config=mingw` (see .bazelrc): --crosstool_top
points at //toolchains/mingw:suite and --cpu=x64_windows_mingw; host tools
keep the default Linux toolchain.
"""

load(
    "@bazel_tools//tools/cpp:cc_toolchain_config_lib.bzl",
    "artifact_name_pattern",
    "feature",
    "flag_group",
    "flag_set",
    "tool_path",
)
load("@bazel_tools//tools/build_defs/cc:action_names.bzl", "ACTION_NAMES")

_PREFIX = "/usr/bin/x86_64-w64-mingw32-"

_COMPILE_ACTIONS = [
    ACTION_NAMES.c_compile,
    ACTION_NAMES.cpp_compile,
    ACTION_NAMES.assemble,
    ACTION_NAMES.preprocess_assemble,
]

_LINK_ACTIONS = [
    ACTION_NAMES.cpp_link_executable,
    ACTION_NAMES.cpp_link_dynamic_library,
    ACTION_NAMES.cpp_link_nodeps_dynamic_library,
]

def _impl(ctx):
    tool_paths = [
        tool_path(name = "gcc", path = _PREFIX + "gcc"),
        tool_path(name = "cpp", path = _PREFIX + "cpp"),
        tool_path(name = "ld", path = _PREFIX + "ld"),
        tool_path(name = "ar", path = _PREFIX + "ar"),
        tool_path(name = "nm", path = _PREFIX + "nm"),
        tool_path(name = "objcopy", path = _PREFIX + "objcopy"),
        tool_path(name = "objdump", path = _PREFIX + "objdump"),
        tool_path(name = "strip", path = _PREFIX + "strip"),
        tool_path(name = "gcov", path = _PREFIX + "gcov"),
        tool_path(name = "dwp", path = "/bin/false"),
    ]

    # Warnings are errors for the Windows side too, whatever .bazelrc adds.
    # _WIN32_WINNT 0x0A00: Windows 10 APIs (PROC_THREAD_ATTRIBUTE_HANDLE_LIST,
    # job objects, GetFinalPathNameByHandleW).
    compile_flags = feature(
        name = "default_compile_flags",
        enabled = True,
        flag_sets = [flag_set(
            actions = _COMPILE_ACTIONS,
            flag_groups = [flag_group(flags = [
                "-Wall",
                "-Wextra",
                "-Werror",
                "-D__USE_MINGW_ANSI_STDIO=1",
                "-DUNICODE",
                "-D_UNICODE",
                "-D_WIN32_WINNT=0x0A00",
                "-DWINVER=0x0A00",
                "-fno-omit-frame-pointer",
            ])],
        )],
    )

    # Static libgcc: the .exe runs on a machine without mingw DLLs.
    link_flags = feature(
        name = "default_link_flags",
        enabled = True,
        flag_sets = [flag_set(
            actions = _LINK_ACTIONS,
            flag_groups = [flag_group(flags = [
                "-static",
                "-static-libgcc",
                "-municode",
            ])],
        )],
    )

    return cc_common.create_cc_toolchain_config_info(
        ctx = ctx,
        features = [compile_flags, link_flags],
        cxx_builtin_include_directories = [
            "/usr/lib/gcc/x86_64-w64-mingw32/12-win32/include",
            "/usr/lib/gcc/x86_64-w64-mingw32/12-win32/include-fixed",
            "/usr/x86_64-w64-mingw32/include",
            "/usr/share/mingw-w64/include",
        ],
        artifact_name_patterns = [
            artifact_name_pattern(
                category_name = "executable",
                prefix = "",
                extension = ".exe",
            ),
        ],
        toolchain_identifier = "mingw-w64-x86_64",
        host_system_name = "x86_64-unknown-linux-gnu",
        target_system_name = "x86_64-w64-mingw32",
        target_cpu = "x64_windows_mingw",
        target_libc = "msvcrt",
        compiler = "gcc",
        abi_version = "mingw-w64",
        abi_libc_version = "msvcrt",
        tool_paths = tool_paths,
    )

mingw_cc_toolchain_config = rule(
    implementation = _impl,
    attrs = {},
    provides = [CcToolchainConfigInfo],
)
