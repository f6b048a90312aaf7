#pragma once
// A strict little checker of XML well-formedness for the SVG the reports
// write: elements nest and close, attributes are quoted and not repeated,
// '<' and '&' appear only as markup or as one of the five entities (or a
// numeric reference), and the text is UTF-8. It is not a general parser: no
// DTD, CDATA, comments or processing instructions, which the writer never
// produces, so meeting any of them is an error too.

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "io/text.h"

namespace jpclear::test {

/// Empty when `xml` is one well-formed element; otherwise what is wrong and where.
inline std::string xml_problem(std::string_view xml) {
    auto is_name = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == ':' || c == '.';
    };
    auto at = [&](std::size_t i, const std::string& what) { return what + " at byte " + std::to_string(i); };
    auto reference_ok = [&](std::size_t i) {  // xml[i] == '&'
        const std::size_t end = xml.find(';', i);
        if (end == std::string_view::npos || end - i > 10) return false;
        const std::string_view name = xml.substr(i + 1, end - i - 1);
        static const std::set<std::string_view> named = {"amp", "lt", "gt", "quot", "apos"};
        if (named.count(name)) return true;
        if (name.size() < 2 || name[0] != '#') return false;
        for (char c : name.substr(1))
            if (c < '0' || c > '9') return false;
        return true;
    };
    if (auto bad = io_detail::first_invalid_utf8(xml)) return at(*bad, "not UTF-8");
    for (std::size_t k = 0; k < xml.size(); ++k) {
        const auto byte = static_cast<unsigned char>(xml[k]);
        if (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') return at(k, "a control character");
    }
    std::vector<std::string> open;
    bool seen_root = false;
    std::size_t i = 0;
    while (i < xml.size() && (xml[i] == ' ' || xml[i] == '\n')) ++i;
    while (i < xml.size()) {
        const char c = xml[i];
        if (c == '&') {
            if (!reference_ok(i)) return at(i, "bad reference");
            ++i;
            continue;
        }
        if (c == '>') return at(i, "stray '>'");
        if (c != '<') {
            if (open.empty() && c != ' ' && c != '\n') return at(i, "text outside the root");
            ++i;
            continue;
        }
        ++i;
        const bool closing = i < xml.size() && xml[i] == '/';
        if (closing) ++i;
        const std::size_t name_start = i;
        while (i < xml.size() && is_name(xml[i])) ++i;
        const std::string name(xml.substr(name_start, i - name_start));
        if (name.empty()) return at(i, "tag without a name");
        if (closing) {
            if (i >= xml.size() || xml[i] != '>') return at(i, "bad closing tag");
            if (open.empty() || open.back() != name) return at(i, "</" + name + "> closes nothing open");
            open.pop_back();
            ++i;
            continue;
        }
        if (open.empty() && seen_root) return at(i, "a second root element");
        seen_root = true;
        std::set<std::string> attributes;
        for (;;) {
            const std::size_t before = i;
            while (i < xml.size() && (xml[i] == ' ' || xml[i] == '\n')) ++i;
            if (i >= xml.size()) return at(i, "unterminated tag");
            if (xml[i] == '>') {
                open.push_back(name);
                ++i;
                break;
            }
            if (xml[i] == '/' && i + 1 < xml.size() && xml[i + 1] == '>') {
                i += 2;
                break;
            }
            if (i == before) return at(i, "attributes must be separated by space");
            const std::size_t a = i;
            while (i < xml.size() && is_name(xml[i])) ++i;
            const std::string attribute(xml.substr(a, i - a));
            if (attribute.empty() || i + 1 >= xml.size() || xml[i] != '=' || xml[i + 1] != '"')
                return at(i, "attribute not written as name=\"value\"");
            if (!attributes.insert(attribute).second) return at(i, "attribute " + attribute + " given twice");
            i += 2;
            while (i < xml.size() && xml[i] != '"') {
                if (xml[i] == '<') return at(i, "'<' in an attribute value");
                if (xml[i] == '&' && !reference_ok(i)) return at(i, "bad reference in an attribute value");
                ++i;
            }
            if (i >= xml.size()) return at(i, "unterminated attribute value");
            ++i;
        }
    }
    if (!open.empty()) return "<" + open.back() + "> is never closed";
    if (!seen_root) return "no element";
    return "";
}

}  // namespace jpclear::test
