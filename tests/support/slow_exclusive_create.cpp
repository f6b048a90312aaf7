// Preloaded (LD_PRELOAD) under the jpclear command by cli_test.py, it holds
// every call that makes a jpclear temporary file (".NAME.jpclear-…") for
// 200 ms after the file exists and before the call returns.
//
// Why. The command must remove its temporary file whenever SIGINT, SIGTERM or
// SIGHUP ends it. A signal that lands just after the file is made and before
// the command has told its signal handler the name would leave the file: that
// window lasted microseconds, so a test found it once in hundreds of CI runs.
// Held open for 200 ms, the same window is found every time: the test freezes
// the process as soon as the file appears, which is now inside the call.
// mkstemp() and mkostemp() are held too, so that going back to them (they
// name the file only once it exists) fails the test.

#include <dlfcn.h>
#include <fcntl.h>

#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace {

bool is_temporary_output(const char* path) { return path != nullptr && std::strstr(path, ".jpclear-") != nullptr; }

void hold() {
    const timespec pause{0, 200'000'000};
    nanosleep(&pause, nullptr);
}

template <typename Function>
Function next(const char* name) {
    return reinterpret_cast<Function>(dlsym(RTLD_NEXT, name));
}

using OpenFunction = int (*)(const char*, int, ...);

int open_and_hold(const char* real_name, const char* path, int flags, std::va_list arguments) {
    const mode_t mode = (flags & (O_CREAT | O_TMPFILE)) != 0 ? static_cast<mode_t>(va_arg(arguments, int)) : 0;
    const int fd = next<OpenFunction>(real_name)(path, flags, mode);
    if (fd >= 0 && (flags & O_EXCL) != 0 && is_temporary_output(path)) hold();
    return fd;
}

}  // namespace

extern "C" {

int open(const char* path, int flags, ...) {
    std::va_list arguments;
    va_start(arguments, flags);
    const int fd = open_and_hold("open", path, flags, arguments);
    va_end(arguments);
    return fd;
}

int open64(const char* path, int flags, ...) {
    std::va_list arguments;
    va_start(arguments, flags);
    const int fd = open_and_hold("open64", path, flags, arguments);
    va_end(arguments);
    return fd;
}

int mkstemp(char* pattern) {
    static const auto real = next<int (*)(char*)>("mkstemp");
    const int fd = real(pattern);
    if (fd >= 0 && is_temporary_output(pattern)) hold();
    return fd;
}

int mkostemp(char* pattern, int flags) {
    static const auto real = next<int (*)(char*, int)>("mkostemp");
    const int fd = real(pattern, flags);
    if (fd >= 0 && is_temporary_output(pattern)) hold();
    return fd;
}

}  // extern "C"
