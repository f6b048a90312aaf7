// The command line's output files, written whole or not at all.
//
// Why. A result, a report or a table that stops half-way (a full disk, a
// file-size limit, a failed line) must not be left where the last good one
// was: a reader, a script or an auditor would take it for the result. So a
// regular file is written under a temporary name in its own folder and put
// in place with rename(), which POSIX makes one step: whoever opens the path
// sees the old file or the new one, never part of one. When the write fails,
// the temporary file is removed and the old file is left as it was.
//
// Where that cannot work, the file is written in place as before: a path
// that is not a regular file (/dev/stdout, a pipe, a device), a symbolic
// link or a file with several hard links (replacing it would cut the link),
// and a folder where no new file may be made. A replaced file keeps its
// permission bits; a new one gets 0666 less the umask, as open() gives.
//
// Stopped by SIGINT, SIGTERM or SIGHUP while it writes, the process removes
// the temporary file before the signal ends it (only SIGKILL or a power loss
// can leave one behind).

#ifndef JPCLEAR_SRC_CLI_OUTPUT_FILE_H
#define JPCLEAR_SRC_CLI_OUTPUT_FILE_H

#include <functional>
#include <iosfwd>
#include <string>

namespace jpclear::cli {

/// Writes `path` with `write(stream)`; false, with a message on stderr that
/// says whether an older file was left in place, when it could not be
/// written whole. An exception from `write` removes the temporary file and
/// goes on to the caller.
bool write_whole_file(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace jpclear::cli

#endif
