// The progress bar (see progress.h).

#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>
#include <ostream>

namespace jpclear::cli {
namespace {

using Clock = std::chrono::steady_clock;

// A terminal is spared a bar for runs shorter than this, and redrawn at most
// this often; a log file gets a line at most once a second.
constexpr auto quiet_start = std::chrono::milliseconds(500);
constexpr auto redraw_every = std::chrono::milliseconds(100);
constexpr auto log_every = std::chrono::seconds(1);
constexpr std::size_t bar_width = 30;

}  // namespace

ProgressBar::ProgressBar(std::ostream& out, std::string what, bool terminal, bool forced)
    : out_(out), what_(std::move(what)), terminal_(terminal), forced_(forced), start_(Clock::now()), last_(start_) {}

void ProgressBar::update(std::size_t done, std::size_t total) {
    if (!terminal_ && !forced_) return;
    const auto now = Clock::now();
    const bool last = done == total;
    if (!forced_ && now - start_ < quiet_start) return;
    if (drawn_ && !last && now - last_ < (terminal_ ? Clock::duration(redraw_every) : Clock::duration(log_every)))
        return;
    last_ = now;
    drawn_ = true;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    char tail[64];
    std::snprintf(tail, sizeof tail, " %zu/%zu %s, %.1f s", done, total, what_.c_str(), seconds);
    if (terminal_) {
        const std::size_t filled = total ? done * bar_width / total : bar_width;
        out_ << "\rjpclear: [" << std::string(filled, '#') << std::string(bar_width - filled, '.') << ']' << tail
             << std::flush;
    } else {
        out_ << "jpclear:" << tail << '\n' << std::flush;
    }
}

void ProgressBar::finish() {
    if (drawn_ && terminal_) out_ << '\n' << std::flush;
}

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

}  // namespace jpclear::cli
