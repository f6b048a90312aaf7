#pragma once
// A progress bar on stderr for long runs (jpclear sweep).
//
// On a terminal the bar redraws in place, and only once the run has taken
// long enough to be worth watching; asked for elsewhere (--progress into a
// log file) it writes a plain line now and then, so the log stays readable.
// It never writes to stdout, which holds the command's output.

#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <string>

namespace jpclear::cli {

class ProgressBar {
public:
    /// `terminal`: the stream is a terminal; `forced`: asked for by flag, so
    /// shown from the start.
    ProgressBar(std::ostream& out, std::string what, bool terminal, bool forced);

    /// `done` of `total` items are finished.
    void update(std::size_t done, std::size_t total);

    /// Ends the bar's line, if it drew anything.
    void finish();

private:
    std::ostream& out_;
    std::string what_;
    bool terminal_, forced_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_, last_;
};

/// Whether stderr is a terminal.
bool stderr_is_terminal();

}  // namespace jpclear::cli
