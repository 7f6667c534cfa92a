#include "feeds/ical_support.h"

#include <algorithm>
#include <cstdio>

#include "common/strings.h"
#include "feeds/html_text.h"

namespace branchcast {
namespace {

constexpr int kMaxDepth = 16;

}  // namespace

std::string ical_text_of(icalcomponent* c, icalproperty_kind kind) {
  icalproperty* p = icalcomponent_get_first_property(c, kind);
  if (!p) return "";
  icalvalue* v = icalproperty_get_value(p);
  if (!v) return "";
  const char* t = icalvalue_isa(v) == ICAL_TEXT_VALUE ? icalvalue_get_text(v)
                                                      : icalproperty_get_value_as_string(p);
  return t ? t : "";
}

std::string ical_occurrence_id(TimePoint t, bool all_day, const IcalZone& zone) {
  if (all_day) {
    icaltimetype w = ical_wall(t, zone, true);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", w.year, w.month, w.day);
    return buf;
  }
  std::string s = TimeZone::utc().format_iso(t);  // ...+00:00
  return s.substr(0, s.size() - 6) + "Z";
}

void ical_add_tags(icalcomponent* c, std::vector<std::string>& tags) {
  for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_CATEGORIES_PROPERTY); p;
       p = icalcomponent_get_next_property(c, ICAL_CATEGORIES_PROPERTY)) {
    const char* v = icalproperty_get_categories(p);
    if (!v) continue;
    for (const std::string& part : split(v, ',')) {
      std::string tag = to_lower(trim(html_to_text(part)));
      if (!tag.empty() && std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
    }
  }
}

void ical_add_people(icalcomponent* c, std::vector<std::string>& people) {
  for (icalproperty_kind kind : {ICAL_ORGANIZER_PROPERTY, ICAL_ATTENDEE_PROPERTY}) {
    for (icalproperty* p = icalcomponent_get_first_property(c, kind); p; p = icalcomponent_get_next_property(c, kind)) {
      const char* cn = icalproperty_get_parameter_as_string(p, "CN");
      if (!cn) continue;
      std::string name(trim(html_to_text(cn)));
      if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = std::string(trim(name.substr(1, name.size() - 2)));
      if (!name.empty() && name.size() <= 256 && std::find(people.begin(), people.end(), name) == people.end())
        people.push_back(name);
    }
  }
}

std::string ical_image_of(icalcomponent* c) {
  for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_ANY_PROPERTY); p;
       p = icalcomponent_get_next_property(c, ICAL_ANY_PROPERTY)) {
    const char* name = icalproperty_get_property_name(p);
    if (!name) continue;
    std::string n = name;
    if (n == "IMAGE") {
      const char* v = icalproperty_get_value_as_string(p);
      if (v) return v;
    }
    if (n == "ATTACH") {
      const char* fmt = icalproperty_get_parameter_as_string(p, "FMTTYPE");
      const char* v = icalproperty_get_value_as_string(p);
      if (fmt && starts_with(to_lower(fmt), "image/") && v &&
          (starts_with(v, "http://") || starts_with(v, "https://")))
        return v;
    }
  }
  return "";
}

// Line-level checks libical does not make: nesting depth, a VCALENDAR at all, and a CHARSET
// parameter (vCalendar 1.0 style) as the declared encoding.
Status ical_precheck(const std::string& text, const std::string& source, std::string& x_wr_timezone) {
  int depth = 0, line_no = 0;
  bool calendar = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    ++line_no;
    std::string_view line(text.data() + pos, eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string head = to_lower(line.substr(0, 16));
    if (starts_with(head, "begin:")) {
      if (starts_with(head, "begin:vcalendar")) calendar = true;
      if (++depth > kMaxDepth)
        return make_error("components nested deeper than " + std::to_string(kMaxDepth),
                          SourcePlace{source, line_no, 1});
    } else if (starts_with(head, "end:")) {
      depth = std::max(0, depth - 1);
    } else if (x_wr_timezone.empty() && starts_with(head, "x-wr-timezone")) {
      auto colon = line.find(':');
      if (colon != std::string_view::npos) x_wr_timezone = std::string(trim(line.substr(colon + 1)));
    }
    pos = eol + 1;
  }
  if (!calendar) return make_error("not an iCalendar file (no BEGIN:VCALENDAR)", SourcePlace{source, 1, 1});
  if (depth != 0) return make_error("truncated iCalendar file (missing END lines)", SourcePlace{source, line_no, 1});
  return {};
}

std::string ical_declared_charset(std::string_view body) {
  std::string head = to_lower(body.substr(0, 64 * 1024));
  auto at = head.find(";charset=");
  if (at == std::string::npos) return "";
  size_t start = at + 9, end = start;
  while (end < head.size() && head[end] != ':' && head[end] != ';' && head[end] != '\r' && head[end] != '\n') ++end;
  return std::string(trim(std::string_view(head).substr(start, end - start)));
}

}  // namespace branchcast

namespace branchcast {

size_t ical_repair_glued_tzid(std::string& text) {
  size_t repaired = 0;
  size_t pos = 0;
  while ((pos = text.find("TZID=\"", pos)) != std::string::npos) {
    size_t open = pos + 5;
    size_t close = text.find('"', open + 1);
    size_t eol = text.find_first_of("\r\n", open);
    if (close == std::string::npos || (eol != std::string::npos && close > eol)) break;
    pos = close;
    // Only when the quote closes the line: TZID="zone:VALUE"<eol>.
    if (close + 1 < text.size() && text[close + 1] != '\r' && text[close + 1] != '\n') continue;
    size_t colon = text.rfind(':', close);
    if (colon == std::string::npos || colon <= open) continue;
    std::string_view value(text.data() + colon + 1, close - colon - 1);
    bool datetime = value.size() >= 8 && value.size() <= 16 &&
                    std::all_of(value.begin(), value.begin() + 8, [](char c) { return c >= '0' && c <= '9'; }) &&
                    (value.size() == 8 || value[8] == 'T');
    if (!datetime) continue;
    std::string v(value);
    text.replace(colon, close - colon + 1, "\":" + v);
    ++repaired;
  }
  return repaired;
}

int ical_count_errors(icalcomponent* root) {
  int errors = 0;
  for (icalproperty* p = icalcomponent_get_first_property(root, ICAL_XLICERROR_PROPERTY); p;
       p = icalcomponent_get_next_property(root, ICAL_XLICERROR_PROPERTY)) {
    const char* what = icalproperty_get_xlicerror(p);
    std::string_view w = what ? what : "";
    // libical: "No value for DESCRIPTION", "No value for X property."
    bool empty_text = false;
    if (starts_with(w, "No value for ")) {
      std::string_view name = w.substr(13);
      name = name.substr(0, name.find_first_of(" ."));
      for (std::string_view text : {"DESCRIPTION", "LOCATION", "SUMMARY", "COMMENT", "CONTACT",
                                    "CATEGORIES", "RESOURCES", "URL", "X"})
        if (name == text) empty_text = true;
    }
    if (!empty_text) ++errors;
  }
  for (icalcomponent* c = icalcomponent_get_first_component(root, ICAL_ANY_COMPONENT); c;
       c = icalcomponent_get_next_component(root, ICAL_ANY_COMPONENT))
    errors += ical_count_errors(c);
  return errors;
}

std::string ical_anonymous_uid(const std::string& start, const std::string& summary) {
  uint64_t h = 0xcbf29ce484222325ULL;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 0x100000001b3ULL;
    }
  };
  mix(start);
  mix(std::string_view("\x1f", 1));
  mix(summary);
  char buf[32];
  std::snprintf(buf, sizeof buf, "nouid-%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace branchcast
