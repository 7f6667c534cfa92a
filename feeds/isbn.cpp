#include "feeds/isbn.h"

#include <cctype>

namespace branchcast {

std::optional<std::string> normalize_isbn(std::string_view text) {
  if (text.size() > 64) return std::nullopt;
  std::string d;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) d += c;
    else if ((c == 'X' || c == 'x') && d.size() == 9) d += 'X';
  }
  if (d.size() == 10) {
    int sum = 0;
    for (int i = 0; i < 10; ++i) sum += (10 - i) * (d[i] == 'X' ? 10 : d[i] - '0');
    if (sum % 11 != 0) return std::nullopt;
    d = "978" + d.substr(0, 9);
    int s13 = 0;
    for (int i = 0; i < 12; ++i) s13 += (d[i] - '0') * (i % 2 ? 3 : 1);
    d += static_cast<char>('0' + (10 - s13 % 10) % 10);
    return d;
  }
  if (d.size() != 13 || (d.compare(0, 3, "978") != 0 && d.compare(0, 3, "979") != 0)) return std::nullopt;
  int sum = 0;
  for (int i = 0; i < 13; ++i) sum += (d[i] - '0') * (i % 2 ? 3 : 1);
  if (sum % 10 != 0) return std::nullopt;
  return d;
}

}  // namespace branchcast
