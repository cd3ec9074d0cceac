#include "analyzer/sample/text_data.hpp"

#include <array>

#include "analyzer/util/time.hpp"

namespace dbvet::sample {

namespace {

constexpr std::array<std::string_view, 64> kFirstNames = {
    "Emma",   "Liam",   "Olivia", "Noah",   "Ava",   "Elijah", "Sophia", "Lucas",  "Mia",   "Mateo",  "Amelia",
    "Levi",   "Harper", "Ethan",  "Evelyn", "James", "Luna",   "Aiden",  "Chloe",  "Leo",   "Sofia",  "Jack",
    "Aria",   "Owen",   "Ella",   "Henry",  "Nora",  "Kai",    "Hazel",  "Ezra",   "Zoe",   "Hugo",   "Lily",
    "Arthur", "Emily",  "Louis",  "Ines",   "Jonas", "Lena",   "Felix",  "Hannah", "Paul",  "Clara",  "Yuki",
    "Haruto", "Mei",    "Wei",    "Aarav",  "Priya", "Omar",   "Fatima", "Diego",  "Lucia", "Mateus", "Ana",
    "Ivan",   "Olga",   "Kofi",   "Amara",  "Sven",  "Freya",  "Marco",  "Giulia", "Tomasz"};

constexpr std::array<std::string_view, 64> kLastNames = {
    "Smith",     "Johnson",  "Williams",  "Brown",   "Jones",     "Garcia",   "Miller",   "Davis",
    "Rodriguez", "Martinez", "Hernandez", "Lopez",   "Gonzalez",  "Wilson",   "Anderson", "Thomas",
    "Taylor",    "Moore",    "Jackson",   "Martin",  "Lee",       "Perez",    "Thompson", "White",
    "Harris",    "Sanchez",  "Clark",     "Ramirez", "Lewis",     "Robinson", "Walker",   "Young",
    "Allen",     "King",     "Wright",    "Scott",   "Torres",    "Nguyen",   "Hill",     "Flores",
    "Green",     "Adams",    "Nelson",    "Baker",   "Hall",      "Rivera",   "Campbell", "Mitchell",
    "Carter",    "Roberts",  "Mueller",   "Schmidt", "Schneider", "Fischer",  "Weber",    "Dubois",
    "Lefebvre",  "Rossi",    "Russo",     "Tanaka",  "Suzuki",    "Kim",      "Park",     "Novak"};

constexpr std::array<std::string_view, 80> kPetNames = {
    "Bella",  "Mochi",  "Luna",     "Biscuit", "Pixel",   "Nugget",  "Pebble", "Waffles",  "Sprout", "Ziggy",
    "Maple",  "Clover", "Bubbles",  "Pickle",  "Noodle",  "Cookie",  "Tofu",   "Peanut",   "Muffin", "Sushi",
    "Button", "Cosmo",  "Dumpling", "Echo",    "Fluffy",  "Ginger",  "Honey",  "Igloo",    "Jelly",  "Kiwi",
    "Lemon",  "Mango",  "Nimbus",   "Oreo",    "Pudding", "Quokka",  "Rusty",  "Sparky",   "Toffee", "Umbra",
    "Velvet", "Wasabi", "Yoshi",    "Zephyr",  "Blossom", "Caramel", "Dusty",  "Ember",    "Frodo",  "Gizmo",
    "Hopper", "Inky",   "Jasper",   "Kobe",    "Loki",    "Miso",    "Nala",   "Olive",    "Poppy",  "Rocket",
    "Shadow", "Tiger",  "Willow",   "Bean",    "Chip",    "Daisy",   "Fig",    "Gus",      "Hazel",  "Juniper",
    "Koda",   "Latte",  "Marble",   "Nova",    "Otis",    "Pip",     "Rosie",  "Snowball", "Taco",   "Zuzu"};

constexpr std::array<std::string_view, 8> kDomains = {"gmail.com",  "outlook.com", "yahoo.com",   "proton.me",
                                                      "icloud.com", "gmx.de",      "example.org", "mail.ru"};

// Relative activity per hour of the day (UTC): quiet at night, a lunch bump, an evening peak.
constexpr std::array<int, 24> kHourWeights = {30, 20, 12, 8,  6,  8,  15, 30,  45,  50, 55, 60,
                                              70, 65, 60, 60, 65, 75, 90, 100, 100, 90, 70, 45};

constexpr int hour_total() {
  int total = 0;
  for (int w : kHourWeights) total += w;
  return total;
}

}  // namespace

std::span<const std::string_view> first_names() { return kFirstNames; }
std::span<const std::string_view> last_names() { return kLastNames; }
std::span<const std::string_view> pet_names() { return kPetNames; }
std::span<const std::string_view> email_domains() { return kDomains; }

std::string format_timestamp(int64_t epoch_seconds) { return util::format_iso8601(epoch_seconds, ' ', false); }

std::string format_date(int64_t epoch_seconds) { return format_timestamp(epoch_seconds).substr(0, 10); }

int64_t activity_time(core::Random& random, double recent_bias) {
  int64_t day = random.range(0, kSampleDays - 1);
  if (recent_bias > 0) {
    // Growth: later days are busier (a younger game gains players).
    const double u = random.uniform();
    day = static_cast<int64_t>(static_cast<double>(kSampleDays) * std::pow(u, 1.0 / (1.0 + recent_bias)));
    if (day >= kSampleDays) day = kSampleDays - 1;
  }
  int64_t pick_hour = random.range(0, hour_total() - 1);
  int hour = 0;
  while (pick_hour >= kHourWeights[static_cast<size_t>(hour)]) pick_hour -= kHourWeights[static_cast<size_t>(hour++)];
  return kSampleStart + day * 86400 + hour * 3600 + random.range(0, 3599);
}

std::string random_hex(core::Random& random, int bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(static_cast<size_t>(bytes) * 2);
  uint64_t word = 0;
  for (int i = 0; i < bytes; ++i) {
    if (i % 8 == 0) word = random.next();
    const unsigned byte = static_cast<unsigned>(word & 0xff);
    word >>= 8;
    out += digits[byte >> 4];
    out += digits[byte & 15];
  }
  return out;
}

std::string stable_uuid(uint64_t seed, std::string_view stream, int64_t index) {
  core::Random random(seed ^ (static_cast<uint64_t>(index) * 0x9e3779b97f4a7c15ULL), stream);
  std::string hex = random_hex(random, 16);
  hex[12] = '4';
  hex[16] = "89ab"[random.next() & 3];
  return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' + hex.substr(16, 4) + '-' +
         hex.substr(20, 12);
}

}  // namespace dbvet::sample
