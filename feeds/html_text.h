// HTML (or text that may contain HTML) to plain text, for titles and descriptions: feeds may put
// markup anywhere, and the screen must never render it. Pure, thread-safe (libxml2's HTML parser
// on an in-memory buffer, no network).
#pragma once

#include <string>
#include <string_view>

namespace branchcast {

// True when `s` contains something that looks like a tag ("<b", "</", "<!") or an entity ("&amp;",
// "&#233;").
bool looks_like_html(std::string_view s);

// Plain text of an HTML fragment: tags removed (script/style content dropped), entities decoded,
// whitespace runs collapsed to one space, trimmed. Block elements (p, br, li, div, h1-6) become a
// line break when `keep_lines` is set, otherwise a space. Text that does not look like HTML is only
// whitespace-normalised. Output is at most `max_bytes` long (cut at a character boundary).
std::string html_to_text(std::string_view html, bool keep_lines = false, size_t max_bytes = 64 * 1024);

// Collapses whitespace runs to one space (newlines kept as one '\n' when keep_lines) and trims.
std::string normalize_space(std::string_view s, bool keep_lines = false);

}  // namespace branchcast
