#include "feeds/windows_zones.h"

#include <algorithm>
#include <cctype>
#include <array>
#include <utility>

namespace branchcast {
namespace {

// CLDR common/supplemental/windowsZones.xml, territory "001", the zones libraries are likely to
// meet. Sorted by Windows name for binary search.
constexpr std::array<std::pair<std::string_view, std::string_view>, 74> kZones{{
    {"AUS Central Standard Time", "Australia/Darwin"},
    {"AUS Eastern Standard Time", "Australia/Sydney"},
    {"Afghanistan Standard Time", "Asia/Kabul"},
    {"Alaskan Standard Time", "America/Anchorage"},
    {"Arab Standard Time", "Asia/Riyadh"},
    {"Arabian Standard Time", "Asia/Dubai"},
    {"Arabic Standard Time", "Asia/Baghdad"},
    {"Argentina Standard Time", "America/Buenos_Aires"},
    {"Atlantic Standard Time", "America/Halifax"},
    {"Azores Standard Time", "Atlantic/Azores"},
    {"Canada Central Standard Time", "America/Regina"},
    {"Cape Verde Standard Time", "Atlantic/Cape_Verde"},
    {"Cen. Australia Standard Time", "Australia/Adelaide"},
    {"Central America Standard Time", "America/Guatemala"},
    {"Central Asia Standard Time", "Asia/Almaty"},
    {"Central Europe Standard Time", "Europe/Budapest"},
    {"Central European Standard Time", "Europe/Warsaw"},
    {"Central Pacific Standard Time", "Pacific/Guadalcanal"},
    {"Central Standard Time", "America/Chicago"},
    {"Central Standard Time (Mexico)", "America/Mexico_City"},
    {"China Standard Time", "Asia/Shanghai"},
    {"E. Africa Standard Time", "Africa/Nairobi"},
    {"E. Australia Standard Time", "Australia/Brisbane"},
    {"E. Europe Standard Time", "Europe/Chisinau"},
    {"E. South America Standard Time", "America/Sao_Paulo"},
    {"Eastern Standard Time", "America/New_York"},
    {"Egypt Standard Time", "Africa/Cairo"},
    {"FLE Standard Time", "Europe/Kiev"},
    {"Fiji Standard Time", "Pacific/Fiji"},
    {"GMT Standard Time", "Europe/London"},
    {"GTB Standard Time", "Europe/Bucharest"},
    {"Georgian Standard Time", "Asia/Tbilisi"},
    {"Greenland Standard Time", "America/Godthab"},
    {"Greenwich Standard Time", "Atlantic/Reykjavik"},
    {"Hawaiian Standard Time", "Pacific/Honolulu"},
    {"India Standard Time", "Asia/Calcutta"},
    {"Iran Standard Time", "Asia/Tehran"},
    {"Israel Standard Time", "Asia/Jerusalem"},
    {"Jordan Standard Time", "Asia/Amman"},
    {"Korea Standard Time", "Asia/Seoul"},
    {"Mountain Standard Time", "America/Denver"},
    {"Mountain Standard Time (Mexico)", "America/Chihuahua"},
    {"Myanmar Standard Time", "Asia/Rangoon"},
    {"N. Central Asia Standard Time", "Asia/Novosibirsk"},
    {"Namibia Standard Time", "Africa/Windhoek"},
    {"Nepal Standard Time", "Asia/Katmandu"},
    {"New Zealand Standard Time", "Pacific/Auckland"},
    {"Newfoundland Standard Time", "America/St_Johns"},
    {"North Asia Standard Time", "Asia/Krasnoyarsk"},
    {"Pacific SA Standard Time", "America/Santiago"},
    {"Pacific Standard Time", "America/Los_Angeles"},
    {"Pakistan Standard Time", "Asia/Karachi"},
    {"Romance Standard Time", "Europe/Paris"},
    {"Russian Standard Time", "Europe/Moscow"},
    {"SA Eastern Standard Time", "America/Cayenne"},
    {"SA Pacific Standard Time", "America/Bogota"},
    {"SA Western Standard Time", "America/La_Paz"},
    {"SE Asia Standard Time", "Asia/Bangkok"},
    {"Singapore Standard Time", "Asia/Singapore"},
    {"South Africa Standard Time", "Africa/Johannesburg"},
    {"Sri Lanka Standard Time", "Asia/Colombo"},
    {"Taipei Standard Time", "Asia/Taipei"},
    {"Tasmania Standard Time", "Australia/Hobart"},
    {"Tokyo Standard Time", "Asia/Tokyo"},
    {"Tonga Standard Time", "Pacific/Tongatapu"},
    {"Turkey Standard Time", "Europe/Istanbul"},
    {"US Eastern Standard Time", "America/Indianapolis"},
    {"US Mountain Standard Time", "America/Phoenix"},
    {"UTC", "Etc/UTC"},
    {"Ulaanbaatar Standard Time", "Asia/Ulaanbaatar"},
    {"W. Australia Standard Time", "Australia/Perth"},
    {"W. Central Africa Standard Time", "Africa/Lagos"},
    {"W. Europe Standard Time", "Europe/Berlin"},
    {"West Asia Standard Time", "Asia/Tashkent"},
}};

}  // namespace

std::optional<std::string> iana_from_windows_zone(std::string_view windows_name) {
  auto it = std::lower_bound(kZones.begin(), kZones.end(), windows_name,
                             [](const auto& e, std::string_view n) { return e.first < n; });
  if (it == kZones.end() || it->first != windows_name) return std::nullopt;
  return std::string(it->second);
}

}  // namespace branchcast

namespace branchcast {
namespace {

// Windows display names (tzutil /l, old and new spellings) without their "(UTC+hh:mm) " prefix,
// normalized as by normalize_display() below.
constexpr std::pair<std::string_view, std::string_view> kDisplayNames[] = {
    {"international date line west", "Etc/GMT+12"},
    {"midway island samoa", "Pacific/Pago_Pago"},
    {"hawaii", "Pacific/Honolulu"},
    {"alaska", "America/Anchorage"},
    {"pacific time us and canada", "America/Los_Angeles"},
    {"pacific time us and canada tijuana", "America/Los_Angeles"},
    {"arizona", "America/Phoenix"},
    {"mountain time us and canada", "America/Denver"},
    {"chihuahua la paz mazatlan", "America/Chihuahua"},
    {"central time us and canada", "America/Chicago"},
    {"saskatchewan", "America/Regina"},
    {"guadalajara mexico city monterrey", "America/Mexico_City"},
    {"central america", "America/Guatemala"},
    {"eastern time us and canada", "America/New_York"},
    {"indiana east", "America/Indiana/Indianapolis"},
    {"bogota lima quito", "America/Bogota"},
    {"bogota lima quito rio branco", "America/Bogota"},
    {"atlantic time canada", "America/Halifax"},
    {"caracas", "America/Caracas"},
    {"georgetown la paz manaus san juan", "America/La_Paz"},
    {"santiago", "America/Santiago"},
    {"newfoundland", "America/St_Johns"},
    {"brasilia", "America/Sao_Paulo"},
    {"buenos aires", "America/Argentina/Buenos_Aires"},
    {"city of buenos aires", "America/Argentina/Buenos_Aires"},
    {"greenland", "America/Nuuk"},
    {"mid atlantic", "Atlantic/South_Georgia"},
    {"azores", "Atlantic/Azores"},
    {"cape verde is", "Atlantic/Cape_Verde"},
    {"coordinated universal time", "Etc/UTC"},
    {"dublin edinburgh lisbon london", "Europe/London"},
    {"monrovia reykjavik", "Atlantic/Reykjavik"},
    {"casablanca", "Africa/Casablanca"},
    {"amsterdam berlin bern rome stockholm vienna", "Europe/Berlin"},
    {"belgrade bratislava budapest ljubljana prague", "Europe/Budapest"},
    {"brussels copenhagen madrid paris", "Europe/Paris"},
    {"sarajevo skopje warsaw zagreb", "Europe/Warsaw"},
    {"west central africa", "Africa/Lagos"},
    {"athens bucharest", "Europe/Bucharest"},
    {"athens bucharest istanbul", "Europe/Bucharest"},
    {"cairo", "Africa/Cairo"},
    {"harare pretoria", "Africa/Johannesburg"},
    {"helsinki kyiv riga sofia tallinn vilnius", "Europe/Kyiv"},
    {"helsinki kiev riga sofia tallinn vilnius", "Europe/Kyiv"},
    {"jerusalem", "Asia/Jerusalem"},
    {"istanbul", "Europe/Istanbul"},
    {"kuwait riyadh", "Asia/Riyadh"},
    {"baghdad", "Asia/Baghdad"},
    {"nairobi", "Africa/Nairobi"},
    {"moscow st petersburg", "Europe/Moscow"},
    {"moscow st petersburg volgograd", "Europe/Moscow"},
    {"tehran", "Asia/Tehran"},
    {"abu dhabi muscat", "Asia/Dubai"},
    {"baku", "Asia/Baku"},
    {"kabul", "Asia/Kabul"},
    {"islamabad karachi", "Asia/Karachi"},
    {"ashgabat tashkent", "Asia/Tashkent"},
    {"chennai kolkata mumbai new delhi", "Asia/Kolkata"},
    {"sri jayawardenepura", "Asia/Colombo"},
    {"kathmandu", "Asia/Kathmandu"},
    {"astana", "Asia/Almaty"},
    {"dhaka", "Asia/Dhaka"},
    {"yangon rangoon", "Asia/Yangon"},
    {"bangkok hanoi jakarta", "Asia/Bangkok"},
    {"beijing chongqing hong kong urumqi", "Asia/Shanghai"},
    {"kuala lumpur singapore", "Asia/Singapore"},
    {"perth", "Australia/Perth"},
    {"taipei", "Asia/Taipei"},
    {"osaka sapporo tokyo", "Asia/Tokyo"},
    {"seoul", "Asia/Seoul"},
    {"adelaide", "Australia/Adelaide"},
    {"darwin", "Australia/Darwin"},
    {"brisbane", "Australia/Brisbane"},
    {"canberra melbourne sydney", "Australia/Sydney"},
    {"hobart", "Australia/Hobart"},
    {"auckland wellington", "Pacific/Auckland"},
    {"fiji", "Pacific/Fiji"},
    {"nuku alofa", "Pacific/Tongatapu"},
};

// Lower-case words of `s`: "&" becomes "and", every other non-alphanumeric byte separates words.
std::string normalize_display(std::string_view s) {
  std::string out;
  bool gap = false;
  auto word = [&](std::string_view w) {
    if (gap && !out.empty()) out += ' ';
    gap = false;
    out += w;
  };
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) word(std::string(1, static_cast<char>(std::tolower(u))));
    else if (c == '&') { gap = true; word("and"); gap = true; }
    else gap = true;
  }
  return out;
}

}  // namespace

std::optional<std::string> iana_from_windows_display_name(std::string_view name) {
  // "(GMT+10:00) ..." / "(UTC-05:00) ..." / "(UTC) ...": the offset, then the city list.
  std::optional<int> offset_minutes;
  std::string_view rest = name;
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.size() >= 4 && rest.front() == '(' &&
      (rest.substr(1, 3) == "GMT" || rest.substr(1, 3) == "UTC")) {
    size_t close = rest.find(')');
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view off = rest.substr(4, close - 4);
    if (off.empty()) {
      offset_minutes = 0;
    } else if (off.size() == 6 && (off[0] == '+' || off[0] == '-') && off[3] == ':' &&
               std::isdigit(static_cast<unsigned char>(off[1])) && std::isdigit(static_cast<unsigned char>(off[2])) &&
               std::isdigit(static_cast<unsigned char>(off[4])) && std::isdigit(static_cast<unsigned char>(off[5]))) {
      int m = ((off[1] - '0') * 10 + (off[2] - '0')) * 60 + (off[4] - '0') * 10 + (off[5] - '0');
      offset_minutes = off[0] == '-' ? -m : m;
    }
    rest.remove_prefix(close + 1);
  }
  std::string words = normalize_display(rest);
  if (!words.empty()) {
    for (const auto& [key, zone] : kDisplayNames) {
      // Exact, or the end of a longer name ("greenwich mean time dublin edinburgh lisbon london").
      if (words == key || (words.size() > key.size() + 1 && words.ends_with(key) &&
                           words[words.size() - key.size() - 1] == ' '))
        return std::string(zone);
    }
    if (auto w = iana_from_windows_zone(std::string(rest))) return w;
  }
  if (offset_minutes && *offset_minutes % 60 == 0) {
    int h = *offset_minutes / 60;
    if (h == 0) return std::string("Etc/UTC");
    // POSIX sign: Etc/GMT-10 is ten hours AHEAD of UTC.
    return std::string("Etc/GMT") + (h > 0 ? "-" : "+") + std::to_string(h > 0 ? h : -h);
  }
  return std::nullopt;
}

}  // namespace branchcast
