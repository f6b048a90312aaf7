// Value problems of rows read from CSV files: named by file, line and id,
// and without those that only repeat what a reader could not read (io.h:
// csv_path(), merge_csv_problems()).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jpclear/io.h"
#include "io/text.h"

namespace jpclear {
namespace {

// A path into a list read from a CSV file: `bids[3].limit`, `bids[3]`, or
// the readers' own `bids[3].limit (bids.csv line 5, ...)`.
struct RowRef {
    std::size_t file = 0;    // index into the files
    std::size_t row = 0;
    std::string_view field;  // "limit"; empty for the row itself
    std::string_view rest;   // what follows: "" or " (bids.csv line 5...)"
};

std::optional<RowRef> row_of(std::string_view path, const std::vector<const CsvFile*>& files) {
    for (std::size_t f = 0; f < files.size(); ++f) {
        const std::string& list = files[f]->list;
        if (!path.starts_with(list) || path.size() <= list.size() || path[list.size()] != '[') continue;
        std::size_t i = list.size() + 1;
        const std::size_t digits = i;
        std::size_t row = 0;
        for (; i < path.size() && path[i] >= '0' && path[i] <= '9'; ++i) {
            if (row > (SIZE_MAX - 9) / 10) return std::nullopt;
            row = row * 10 + static_cast<std::size_t>(path[i] - '0');
        }
        if (i == digits || i >= path.size() || path[i] != ']') return std::nullopt;
        ++i;
        RowRef ref{f, row, {}, {}};
        if (i < path.size() && path[i] == '.') {
            const std::size_t end = std::min(path.find(' ', i), path.size());
            ref.field = path.substr(i + 1, end - i - 1);
            i = end;
        }
        ref.rest = path.substr(i);
        return ref;
    }
    return std::nullopt;
}

// Whether a path is about the list of a file as a whole: `logistics.routes`.
std::optional<std::size_t> list_of(std::string_view path, const std::vector<const CsvFile*>& files) {
    for (std::size_t f = 0; f < files.size(); ++f) {
        const std::string& list = files[f]->list;
        if (path.starts_with(list) &&
            (path.size() == list.size() || path[list.size()] == '[' || path[list.size()] == '.'))
            return f;
    }
    return std::nullopt;
}

const Text* id_of(const Round& round, const CsvFile& file, std::size_t row) {
    if (file.list == "bids" && row < round.bids.size()) return &round.bids[row].id;
    if (file.list == "offers" && row < round.offers.size()) return &round.offers[row].id;
    return nullptr;
}

std::string located(std::string_view path, const RowRef& ref, const Round& round, const CsvFile& file) {
    std::string out(path);
    out += " (" + io_detail::escaped(file.source, false, SIZE_MAX) + " line " + std::to_string(file.line_of(ref.row));
    const Text* id = id_of(round, file, ref.row);
    if (id && !id->empty()) out += ", id " + io_detail::plain_or_shown(*id);
    return out + ")";
}

// A value problem that only repeats what the reader of `file` already said.
bool echoes(const RowRef& ref, const CsvFile& file) {
    if (!file.complete) return true;
    auto same_field = [&](std::string_view column) {
        // min_lots is checked against lots: an unread lots makes it look wrong too.
        return ref.field == column || (column == "lots" && ref.field == "min_lots");
    };
    for (const std::string& column : file.missing_columns)
        if (same_field(column)) return true;
    const std::pair<std::size_t, std::string> key{ref.row, {}};
    auto [first, last] = std::equal_range(file.unread.begin(), file.unread.end(), key,
                                          [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto it = first; it != last; ++it) {
        if (it->second.empty()) return true;  // the row could not be read at all
        // A row with an unread cell: its fields are not all known, so neither
        // is what is said of the row as a whole (a route repeated, say).
        if (ref.field.empty() || same_field(it->second)) return true;
    }
    return false;
}

}  // namespace

std::string csv_path(const std::string& path, const Round& round, const std::vector<const CsvFile*>& files) {
    const std::optional<RowRef> ref = row_of(path, files);
    if (!ref || !ref->rest.empty() || ref->row >= files[ref->file]->rows) return path;
    return located(path, *ref, round, *files[ref->file]);
}

Problems merge_csv_problems(Problems reading, Problems values, const Round& round,
                            const std::vector<const CsvFile*>& files) {
    // Places are checked against the routes: while some are not known, those
    // checks would guess.
    bool routes_unknown = false;
    for (const CsvFile* f : files)
        if (f->list == "logistics.routes")
            routes_unknown = routes_unknown || !f->complete || !f->unread.empty() || !f->missing_columns.empty();

    struct Keyed {
        std::size_t group;  // 0: no file; 1 + file index
        std::size_t row;    // 0 for a file's header and the file as a whole; 1 + row
        Problem problem;
    };
    std::vector<Keyed> all;
    all.reserve(reading.size() + values.size());
    for (Problem& p : reading) {
        Keyed k{0, 0, std::move(p)};
        if (const std::optional<RowRef> ref = row_of(k.problem.path, files)) {
            k.group = 1 + ref->file;
            k.row = 1 + ref->row;
        } else {
            for (std::size_t f = 0; f < files.size(); ++f) {
                const std::string source = io_detail::escaped(files[f]->source, false, SIZE_MAX);
                if (k.problem.path == source || k.problem.path.starts_with(source + " line ")) {
                    k.group = 1 + f;
                    break;
                }
            }
        }
        all.push_back(std::move(k));
    }
    for (Problem& p : values) {
        const std::optional<RowRef> ref = row_of(p.path, files);
        const bool place = p.path.starts_with("bids[") || p.path.starts_with("offers[");
        if (routes_unknown && place && (p.path.ends_with(".delivery") || p.path.ends_with(".port"))) continue;
        if (!ref) {
            // The list of a file that could not be read is not known, nor is
            // anything said of it as a whole (`must name at least one route`)
            // while some of its rows are not.
            const std::optional<std::size_t> f = list_of(p.path, files);
            if (f && (!files[*f]->complete || (p.path == files[*f]->list && !files[*f]->unread.empty()))) continue;
            all.push_back({0, 0, std::move(p)});
            continue;
        }
        const CsvFile& file = *files[ref->file];
        if (echoes(*ref, file)) continue;
        if (ref->rest.empty() && ref->row < file.rows) p.path = located(p.path, *ref, round, file);
        // "... is already used by bids[0]": where that is, too.
        if (const std::size_t open = p.message.find_last_of(' ');
            open != std::string::npos && p.message.ends_with("]"))
            if (const std::optional<RowRef> other = row_of(std::string_view(p.message).substr(open + 1), files);
                other && other->field.empty() && other->rest.empty() && other->row < files[other->file]->rows)
                p.message += " (" + io_detail::escaped(files[other->file]->source, false, SIZE_MAX) + " line " +
                             std::to_string(files[other->file]->line_of(other->row)) + ")";
        all.push_back({1 + ref->file, 1 + ref->row, std::move(p)});
    }
    // Reading problems come before value problems of the same row: stable.
    std::stable_sort(all.begin(), all.end(), [](const Keyed& a, const Keyed& b) {
        if (a.group != b.group) return a.group < b.group;
        return a.group != 0 && a.row < b.row;
    });
    Problems out;
    out.reserve(all.size());
    for (Keyed& k : all) out.push_back(std::move(k.problem));
    return out;
}

}  // namespace jpclear
