#pragma once
// write_html_report(): one self-contained HTML page about a cleared round,
// behind `jpclear clear --report FILE`.
//
// Self-contained means: CSS and pictures (SVG) inline, no script, no font,
// image or style from anywhere else, so the page opens the same on a laptop
// without network, in a mail attachment, or printed. Like every output of
// jpclear it is deterministic: the same round and result give the same bytes
// (no dates, no random ids). The result JSON stays the authoritative record;
// the page is for reading, and says so.

#include <cstddef>
#include <iosfwd>

#include "jpclear/clear.h"
#include "jpclear/model/result.h"
#include "jpclear/model/round.h"

namespace jpclear {

struct HtmlReportLimits {
    /// Rows of each table of orders and of awards; the page says how many
    /// more there are and where to find them.
    std::size_t max_table_rows = 1000;
    /// Drawn steps of each curve; more price levels are merged (exactly by
    /// level first, see src/report/curves.h).
    std::size_t max_curve_steps = 400;
};

/// Writes the page for `result`, the outcome of clearing `round` (which must
/// be valid: the result came from it).
void write_html_report(std::ostream& out, const Round& round, const Result& result,
                       const HtmlReportLimits& limits = {});
/// The same page from a StreamedResult of `round`: its order lines are made
/// as the page needs them (all of them once for the counts, and again the
/// rows its tables show).
void write_html_report(std::ostream& out, const Round& round, const StreamedResult& result,
                       const HtmlReportLimits& limits = {});

}  // namespace jpclear
