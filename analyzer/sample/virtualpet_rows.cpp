#include "analyzer/sample/virtualpet_rows.hpp"

#include <array>
#include <cmath>

#include "analyzer/sample/text_data.hpp"
#include "analyzer/util/ascii.hpp"

// Row makers and counts of the Virtual Pet tables: what each column holds and how the tables
// relate (the same seed gives the same rows in every engine).
namespace dbvet::sample::virtualpet_rows {

using K = ColumnKind;

// ---- small helpers -----------------------------------------------------------------------------

int64_t scaled(int64_t base, double scale) {
  const auto count = static_cast<int64_t>(static_cast<double>(base) * scale);
  return count < 1 ? 1 : count;
}

std::string num(int64_t value) { return std::to_string(value); }
std::optional<std::string> maybe(bool present, std::string value) {
  return present ? std::optional<std::string>(std::move(value)) : std::nullopt;
}

// Rank (1 = hottest) to id, scattered over [1, n] so the busiest rows are not all the first ids.
int64_t scatter(int64_t rank, int64_t n) {
  if (n <= 1) return 1;
  return static_cast<int64_t>((static_cast<unsigned __int128>(rank - 1) * 2654435761ULL) % static_cast<uint64_t>(n)) +
         1;
}

// A PRNG that depends only on (seed, stream, id): facts about one entity that several tables need
// (an order's user and total, a pet's owner) come out the same whichever table asks.
core::Random entity_random(uint64_t seed, std::string_view stream, int64_t id) {
  return core::Random(seed ^ (static_cast<uint64_t>(id) * 0xd1b54a32d192ed03ULL), stream);
}

// Picks from a table of (value, weight) by weight.
template <size_t N>
std::string_view weighted(const std::array<std::pair<std::string_view, int>, N>& table, core::Random& random) {
  int total = 0;
  for (const auto& entry : table) total += entry.second;
  int64_t pick = random.range(0, total - 1);
  for (const auto& entry : table) {
    if (pick < entry.second) return entry.first;
    pick -= entry.second;
  }
  return table.back().first;
}

// ---- entity facts shared by several tables ------------------------------------------------------

struct UserFacts {
  std::string_view first;
  std::string_view last;
  int64_t created_at;
};

UserFacts user_facts(uint64_t seed, int64_t user) {
  core::Random random = entity_random(seed, "user", user);
  UserFacts facts{pick(first_names(), random), pick(last_names(), random), 0};
  // Sign-ups grow towards the end of the window.
  facts.created_at = activity_time(random, 1.0) - 86400 * 30;
  return facts;
}

// Pets belong to owners with a power-law skew: the top 1% of players own about a tenth of all pets.
int64_t pet_owner(uint64_t seed, int64_t pet, int64_t users) {
  core::Random random = entity_random(seed, "pet-owner", pet);
  const double u = random.uniform();
  const auto rank = static_cast<int64_t>(static_cast<double>(users) * u * u) + 1;
  return scatter(rank > users ? users : rank, users);
}

constexpr int64_t kItems = 200;
constexpr int64_t kSpecies = 12;
constexpr int64_t kAchievements = 50;
constexpr int64_t kRoles = 20;
constexpr int64_t kClients = 10;

struct OrderFacts {
  int64_t user;
  std::string_view status;
  std::string_view currency;
  int64_t created_at;
  std::array<int64_t, 2> item;
  std::array<int64_t, 2> quantity;
  std::array<int64_t, 2> unit_price;
  int64_t total;
};

constexpr std::array<std::pair<std::string_view, int>, 4> kOrderStatus = {
    {{"completed", 88}, {"cancelled", 6}, {"pending", 4}, {"failed", 2}}};
constexpr std::array<std::pair<std::string_view, int>, 5> kCurrencyUse = {
    {{"USD", 55}, {"EUR", 25}, {"GBP", 10}, {"JPY", 6}, {"BRL", 4}}};

int64_t item_price(int64_t item) { return 99 + (item * 7919 % 50) * 100; }

OrderFacts order_facts(uint64_t seed, int64_t order, const SampleSize& size) {
  core::Random random = entity_random(seed, "order", order);
  OrderFacts facts{};
  facts.user = scatter(random.zipf(size.users, 1.1), size.users);
  facts.status = weighted(kOrderStatus, random);
  facts.currency = weighted(kCurrencyUse, random);
  facts.created_at = activity_time(random, 0.5);
  facts.total = 0;
  for (size_t i = 0; i < 2; ++i) {
    facts.item[i] = scatter(random.zipf(kItems, 1.3), kItems);
    facts.quantity[i] = random.chance(0.8) ? 1 : random.range(2, 5);
    facts.unit_price[i] = item_price(facts.item[i]);
    facts.total += facts.quantity[i] * facts.unit_price[i];
  }
  return facts;
}

constexpr std::array<std::pair<std::string_view, int>, 4> kPaymentStatus = {
    {{"completed", 90}, {"failed", 5}, {"refunded", 3}, {"pending", 2}}};

std::string_view payment_status(uint64_t seed, int64_t payment) {
  core::Random random = entity_random(seed, "payment-status", payment);
  return weighted(kPaymentStatus, random);
}

// ---- row makers --------------------------------------------------------------------------------

// user-service

constexpr std::array<std::pair<std::string_view, int>, 3> kUserStatus = {
    {{"active", 92}, {"inactive", 6}, {"banned", 2}}};
constexpr std::array<std::string_view, 12> kCountries = {"US", "DE", "FR", "GB", "BR", "JP",
                                                         "IN", "CA", "ES", "IT", "PL", "KR"};

void users_row(RowContext& c, int64_t i, Row& row) {
  const int64_t id = i + 1;
  const UserFacts facts = user_facts(c.seed, id);
  const std::string first = std::string(facts.first);
  const std::string last = std::string(facts.last);
  std::string email = c.random.chance(0.3)
                          ? first + "." + last + num(id) + "@" + std::string(pick(email_domains(), c.random))
                          : util::to_lower(first) + "." + util::to_lower(last) + num(id) + "@" +
                                std::string(pick(email_domains(), c.random));
  row.push_back(num(id));
  row.push_back(util::to_lower(first) + "_" + util::to_lower(last) + num(id));
  row.push_back(std::move(email));
  row.push_back(first + " " + last.substr(0, 1) + ".");
  row.push_back(std::string(pick(std::span<const std::string_view>(kCountries), c.random)));
  row.push_back(format_timestamp(facts.created_at));
  row.push_back(maybe(c.random.chance(0.85), format_timestamp(activity_time(c.random, 2.0))));
  row.push_back(std::string(weighted(kUserStatus, c.random)));
}

constexpr std::array<std::string_view, 8> kTimezones = {"UTC",          "Europe/Berlin",      "America/New_York",
                                                        "Asia/Tokyo",   "Europe/London",      "America/Sao_Paulo",
                                                        "Asia/Kolkata", "America/Los_Angeles"};
constexpr std::array<std::string_view, 6> kBios = {"Cat person.",         "Collector of rare eggs",
                                                   "Top 100 in season 3", "I feed my pets on time!",
                                                   "Casual player",       "Looking for friends"};

void profiles_row(RowContext& c, int64_t i, Row& row) {
  const int64_t id = i + 1;
  row.push_back(num(id));
  row.push_back(maybe(c.random.chance(0.6), std::string(pick(std::span<const std::string_view>(kBios), c.random))));
  row.push_back(maybe(c.random.chance(0.7), "https://cdn.virtualpet.example/avatars/" + num(id) + ".png"));
  row.push_back(maybe(c.random.chance(0.55), num(c.random.range(1960, 2012))));
  row.push_back(std::string(pick(std::span<const std::string_view>(kTimezones), c.random)));
  row.push_back(c.random.chance(0.35) ? "1" : "0");
}

constexpr std::array<std::string_view, 5> kAgents = {"VirtualPet/3.2 (iOS 17.1)", "VirtualPet/3.2 (Android 14)",
                                                     "VirtualPet/3.1 (Android 13)", "Mozilla/5.0 (Windows NT 10.0)",
                                                     "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1)"};

void sessions_row(RowContext& c, int64_t i, Row& row) {
  const int64_t created = activity_time(c.random, 2.0);
  row.push_back(num(i + 1));
  row.push_back(num(scatter(c.random.zipf(c.size.users, 1.1), c.size.users)));
  row.push_back(random_hex(c.random, 16));
  row.push_back(format_timestamp(created));
  row.push_back(format_timestamp(created + 86400 * 14));
  row.push_back(num(c.random.range(1, 223)) + "." + num(c.random.range(0, 255)) + "." + num(c.random.range(0, 255)) +
                "." + num(c.random.range(1, 254)));
  row.push_back(maybe(c.random.chance(0.95), std::string(pick(std::span<const std::string_view>(kAgents), c.random))));
}

constexpr std::array<std::pair<std::string_view, int>, 3> kFriendStatus = {
    {{"accepted", 85}, {"pending", 12}, {"blocked", 3}}};

// Two friendships per user, to distinct friends: offsets from disjoint halves of the ring.
void friendships_row(RowContext& c, int64_t i, Row& row) {
  const int64_t n = c.size.users;
  const int64_t user = i / 2 + 1;
  const int64_t half = n / 2 > 1 ? n / 2 : 1;
  const int64_t offset =
      (i % 2 == 0) ? 1 + c.random.range(0, half > 2 ? half - 2 : 0) : half + c.random.range(0, half > 2 ? half - 2 : 0);
  row.push_back(num(user));
  row.push_back(num((user - 1 + offset) % n + 1));
  row.push_back(std::string(weighted(kFriendStatus, c.random)));
  row.push_back(format_timestamp(activity_time(c.random)));
}

// Keycloak-like identity tables.

void realm_row(RowContext&, int64_t i, Row& row) {
  row.push_back(i == 0 ? "master" : "virtualpet");
  row.push_back(i == 0 ? "master" : "virtualpet");
  row.push_back("1");
  row.push_back(i == 0 ? "external" : "all");
}

constexpr std::array<std::string_view, kClients> kClientIds = {
    "account", "account-console", "admin-cli",       "broker",      "realm-management", "security-admin-console",
    "pet-web", "pet-mobile",      "payment-service", "user-service"};

void client_row(RowContext& c, int64_t i, Row& row) {
  row.push_back(stable_uuid(c.seed, "client", i));
  row.push_back(i < 5 ? "master" : "virtualpet");
  row.push_back(std::string(kClientIds[static_cast<size_t>(i)]));
  row.push_back(i < 6 ? maybe(true, "${client_" + std::string(kClientIds[static_cast<size_t>(i)]) + "}")
                      : maybe(true, std::string(kClientIds[static_cast<size_t>(i)])));
  row.push_back("1");
  row.push_back(i == 6 || i == 7 ? "1" : "0");
}

constexpr std::array<std::string_view, kRoles> kRoleNames = {"default-roles-virtualpet",
                                                             "offline_access",
                                                             "uma_authorization",
                                                             "player",
                                                             "premium",
                                                             "moderator",
                                                             "admin",
                                                             "support",
                                                             "beta-tester",
                                                             "creator",
                                                             "manage-users",
                                                             "view-users",
                                                             "query-groups",
                                                             "manage-clients",
                                                             "view-clients",
                                                             "manage-events",
                                                             "view-events",
                                                             "manage-account",
                                                             "view-profile",
                                                             "manage-consent"};

void keycloak_role_row(RowContext& c, int64_t i, Row& row) {
  row.push_back(stable_uuid(c.seed, "role", i));
  row.push_back("virtualpet");
  // Realm roles have no client; the last ten are client roles of realm-management or account.
  row.push_back(i < 10 ? std::nullopt : maybe(true, stable_uuid(c.seed, "client", i < 15 ? 4 : 0)));
  row.push_back(std::string(kRoleNames[static_cast<size_t>(i)]));
  row.push_back(maybe(i % 3 != 2, "${role_" + std::string(kRoleNames[static_cast<size_t>(i)]) + "}"));
}

void user_entity_row(RowContext& c, int64_t i, Row& row) {
  const int64_t id = i + 1;
  const UserFacts facts = user_facts(c.seed, id);
  const std::string first = std::string(facts.first);
  const std::string last = std::string(facts.last);
  row.push_back(stable_uuid(c.seed, "user", id));
  row.push_back("virtualpet");
  row.push_back(util::to_lower(first) + "_" + util::to_lower(last) + num(id));
  row.push_back(util::to_lower(first) + "." + util::to_lower(last) + num(id) + "@" +
                std::string(pick(email_domains(), c.random)));
  row.push_back(c.random.chance(0.8) ? "1" : "0");
  row.push_back(c.random.chance(0.98) ? "1" : "0");
  row.push_back(first);
  row.push_back(last);
  row.push_back(num(facts.created_at * 1000 + c.random.range(0, 999)));
}

void credential_row(RowContext& c, int64_t i, Row& row) {
  const int64_t id = i + 1;
  row.push_back(stable_uuid(c.seed, "credential", id));
  row.push_back(stable_uuid(c.seed, "user", id));
  row.push_back("password");
  row.push_back("{\"value\":\"" + random_hex(c.random, 32) + "\",\"salt\":\"" + random_hex(c.random, 16) + "\"}");
  row.push_back("{\"hashIterations\":27500,\"algorithm\":\"pbkdf2-sha256\"}");
  row.push_back(num(user_facts(c.seed, id).created_at * 1000));
  row.push_back("10");
}

// Every user has the default role; every other user one more role.
void user_role_mapping_row(RowContext& c, int64_t i, Row& row) {
  const int64_t users = c.size.users;
  if (i < users) {
    row.push_back(stable_uuid(c.seed, "role", 0));
    row.push_back(stable_uuid(c.seed, "user", i + 1));
    return;
  }
  const int64_t user = (i - users) * 2 + 1;
  const int64_t role = c.random.chance(0.9) ? 3 : c.random.range(4, 9);  // mostly "player"
  row.push_back(stable_uuid(c.seed, "role", role));
  row.push_back(stable_uuid(c.seed, "user", user));
}

// pet-service

constexpr std::array<std::string_view, kSpecies> kSpeciesNames = {
    "Cat", "Dog", "Dragon", "Bunny", "Fox", "Owl", "Axolotl", "Penguin", "Slime", "Unicorn", "Turtle", "Phoenix"};

void species_row(RowContext&, int64_t i, Row& row) {
  row.push_back(num(i + 1));
  row.push_back(std::string(kSpeciesNames[static_cast<size_t>(i)]));
  row.push_back(num(2 + i % 5));
  row.push_back(num(1 + i % 4));
  row.push_back(i >= 9 ? "legendary" : i >= 6 ? "rare" : "common");
}

constexpr std::array<std::string_view, 10> kColors = {"black",  "white", "orange", "grey",  "brown",
                                                      "golden", "blue",  "pink",   "green", "spotted"};

void pets_row(RowContext& c, int64_t i, Row& row) {
  const int64_t id = i + 1;
  const int64_t owner = pet_owner(c.seed, id, c.size.users);
  const int64_t created =
      std::max(user_facts(c.seed, owner).created_at, kSampleStart - 86400 * 30) + c.random.range(0, 86400 * 20);
  row.push_back(num(id));
  row.push_back(num(owner));
  row.push_back(num(scatter(c.random.zipf(kSpecies, 1.4), kSpecies)));
  row.push_back(std::string(pick(pet_names(), c.random)));
  row.push_back(std::string(pick(std::span<const std::string_view>(kColors), c.random)));
  row.push_back(format_timestamp(created));
  row.push_back(c.random.chance(0.93) ? "1" : "0");
  row.push_back(maybe(c.random.chance(0.9), format_timestamp(activity_time(c.random, 3.0))));
}

void pet_stats_row(RowContext& c, int64_t i, Row& row) {
  row.push_back(num(i + 1));
  row.push_back(num(c.random.range(0, 100)));
  row.push_back(num(c.random.range(0, 100)));
  row.push_back(num(c.random.range(0, 100)));
  const int64_t level = 1 + c.random.exponential(0, 59, 4.0);
  row.push_back(num(level));
  row.push_back(num(level * 100 + c.random.range(0, 99)));
  row.push_back(format_timestamp(activity_time(c.random, 3.0)));
}

void feeding_events_row(RowContext& c, int64_t i, Row& row) {
  row.push_back(num(i + 1));
  row.push_back(num(scatter(c.random.zipf(c.size.pets, 1.1), c.size.pets)));
  // Basic kibble is free and has no item row: NULL a fifth of the time.
  row.push_back(maybe(c.random.chance(0.8), num(scatter(c.random.zipf(kItems, 1.3), kItems))));
  row.push_back(num(c.random.range(1, 5) * 10));
  row.push_back(format_timestamp(activity_time(c.random, 1.0)));
}

constexpr std::array<std::pair<std::string_view, int>, 5> kGames = {
    {{"fetch", 40}, {"puzzle", 20}, {"race", 15}, {"hide_and_seek", 15}, {"dance", 10}}};

void play_events_row(RowContext& c, int64_t i, Row& row) {
  row.push_back(num(i + 1));
  row.push_back(num(scatter(c.random.zipf(c.size.pets, 1.1), c.size.pets)));
  row.push_back(std::string(weighted(kGames, c.random)));
  row.push_back(num(c.random.exponential(10, 900, 3.0)));
  row.push_back(num(c.random.range(1, 15)));
  row.push_back(format_timestamp(activity_time(c.random, 1.0)));
}

constexpr std::array<std::string_view, 10> kItemAdjectives = {"Golden", "Crunchy", "Sparkly", "Cozy",  "Tiny",
                                                              "Mega",   "Frosty",  "Royal",   "Magic", "Lucky"};
constexpr std::array<std::string_view, 20> kItemNouns = {
    "Kibble", "Fish Treat", "Ball", "Bone",    "Carrot", "Berry", "Cupcake", "Blanket", "Bed",     "Collar",
    "Hat",    "Scarf",      "Yarn", "Feather", "Potion", "Egg",   "Apple",   "Cookie",  "Frisbee", "Bell"};
constexpr std::array<std::string_view, 4> kItemCategories = {"food", "toy", "cosmetic", "boost"};

void items_row(RowContext&, int64_t i, Row& row) {
  row.push_back(num(i + 1));
  row.push_back(std::string(kItemAdjectives[static_cast<size_t>(i / 20 % 10)]) + " " +
                std::string(kItemNouns[static_cast<size_t>(i % 20)]));
  row.push_back(std::string(kItemCategories[static_cast<size_t>(i % 20 < 8    ? 0
                                                                : i % 20 < 14 ? 1
                                                                : i % 20 < 18 ? 2
                                                                              : 3)]));
  row.push_back(num(item_price(i + 1)));
  row.push_back(i % 20 == 0 ? "legendary" : i % 5 == 0 ? "rare" : "common");
}

void inventories_row(RowContext& c, int64_t i, Row& row) {
  row.push_back(num(i + 1));
  row.push_back(num(scatter(c.random.zipf(c.size.users, 1.1), c.size.users)));
  row.push_back(num(scatter(c.random.zipf(kItems, 1.2), kItems)));
  row.push_back(num(1 + c.random.exponential(0, 98, 5.0)));
  row.push_back(format_timestamp(activity_time(c.random)));
}

constexpr std::array<std::string_view, 10> kAchievementWords = {"first_feed", "best_friends", "marathon",   "collector",
                                                                "explorer",   "night_owl",    "early_bird", "generous",
                                                                "champion",   "legend"};

void achievements_row(RowContext&, int64_t i, Row& row) {
  const std::string word(kAchievementWords[static_cast<size_t>(i % 10)]);
  const int64_t tier = i / 10 + 1;
  row.push_back(num(i + 1));
  row.push_back(word + "_" + num(tier));
  row.push_back(word + " (tier " + num(tier) + ")");
  row.push_back(num(tier * 10));
}

// Distinct (pet, achievement) pairs: pets cycle, achievements shift per lap.
void pet_achievements_row(RowContext& c, int64_t i, Row& row) {
  const int64_t pet = i % c.size.pets + 1;
  const int64_t lap = i / c.size.pets;
  row.push_back(num(pet));
  row.push_back(num((lap + pet * 7) % kAchievements + 1));
  row.push_back(format_timestamp(activity_time(c.random)));
}

void leaderboard_scores_row(RowContext& c, int64_t i, Row& row) {
  const int64_t pet = scatter(c.random.zipf(c.size.pets, 1.1), c.size.pets);
  // Four seasons; the current one (4) has most of the rows.
  const int64_t season = c.random.chance(0.55) ? 4 : c.random.range(1, 3);
  row.push_back(num(i + 1));
  row.push_back(num(season));
  row.push_back(num(pet_owner(c.seed, pet, c.size.users)));
  row.push_back(num(pet));
  row.push_back(num(c.random.exponential(0, 999999, 6.0)));
  row.push_back(format_timestamp(kSampleStart + (season - 1) * 86400 * 22 + c.random.range(0, 86400 * 22)));
}

// payment-service

void currencies_row(RowContext&, int64_t i, Row& row) {
  static const std::array<std::array<const char*, 4>, 5> kCurrencies = {{{"USD", "US Dollar", "2", "1000000"},
                                                                         {"EUR", "Euro", "2", "1080000"},
                                                                         {"GBP", "Pound Sterling", "2", "1260000"},
                                                                         {"JPY", "Yen", "0", "6700"},
                                                                         {"BRL", "Brazilian Real", "2", "200000"}}};
  for (const char* value : kCurrencies[static_cast<size_t>(i)]) row.push_back(std::string(value));
}

void wallets_row(RowContext& c, int64_t i, Row& row) {
  row.push_back(num(i + 1));
  row.push_back(num(i + 1));
  row.push_back(std::string(weighted(kCurrencyUse, c.random)));
  row.push_back(num(c.random.chance(0.3) ? 0 : c.random.exponential(0, 500000, 8.0)));
  row.push_back(format_timestamp(activity_time(c.random, 2.0)));
}

void orders_row(RowContext& c, int64_t i, Row& row) {
  const OrderFacts facts = order_facts(c.seed, i + 1, c.size);
  row.push_back(num(i + 1));
  row.push_back(num(facts.user));
  row.push_back(std::string(facts.status));
  row.push_back(std::string(facts.currency));
  row.push_back(num(facts.total));
  row.push_back(format_timestamp(facts.created_at));
}

void order_lines_row(RowContext& c, int64_t i, Row& row) {
  const int64_t order = i / 2 + 1;
  const size_t line = static_cast<size_t>(i % 2);
  const OrderFacts facts = order_facts(c.seed, order, c.size);
  row.push_back(num(i + 1));
  row.push_back(num(order));
  row.push_back(num(facts.item[line]));
  row.push_back(num(facts.quantity[line]));
  row.push_back(num(facts.unit_price[line]));
}

constexpr std::array<std::pair<std::string_view, int>, 4> kMethods = {
    {{"card", 70}, {"paypal", 15}, {"apple_pay", 10}, {"google_pay", 5}}};

void payments_row(RowContext& c, int64_t i, Row& row) {
  const int64_t id = i + 1;
  const OrderFacts facts = order_facts(c.seed, id, c.size);
  row.push_back(num(id));
  row.push_back(num(id));
  row.push_back(num(facts.user));
  row.push_back(std::string(weighted(kMethods, c.random)));
  row.push_back(std::string(payment_status(c.seed, id)));
  row.push_back(num(facts.total));
  row.push_back(format_timestamp(facts.created_at + c.random.range(2, 90)));
  row.push_back(maybe(c.random.chance(0.9), "psp_" + random_hex(c.random, 12)));
}

constexpr std::array<std::string_view, 4> kRefundReasons = {"duplicate", "fraudulent", "requested_by_customer",
                                                            "item_not_delivered"};

void refunds_row(RowContext& c, int64_t i, Row& row) {
  // Refunds point at payments whose status is "refunded".
  int64_t payment = 1;
  for (int tries = 0; tries < 1000; ++tries) {
    payment = c.random.range(1, c.size.orders);
    if (payment_status(c.seed, payment) == "refunded") break;
  }
  const OrderFacts facts = order_facts(c.seed, payment, c.size);
  row.push_back(num(i + 1));
  row.push_back(num(payment));
  row.push_back(num(c.random.chance(0.85) ? facts.total : facts.total / 2));
  row.push_back(std::string(pick(std::span<const std::string_view>(kRefundReasons), c.random)));
  row.push_back(format_timestamp(facts.created_at + c.random.range(3600, 86400 * 7)));
}

void ledger_entries_row(RowContext& c, int64_t i, Row& row) {
  row.push_back(num(i + 1));
  if (c.random.chance(0.6)) {  // a purchase debits the buyer's wallet
    const int64_t order = c.random.range(1, c.size.orders);
    const OrderFacts facts = order_facts(c.seed, order, c.size);
    row.push_back(num(facts.user));
    row.push_back(num(order));
    row.push_back("debit");
    row.push_back(num(facts.total));
    row.push_back(format_timestamp(facts.created_at + 1));
  } else {  // a top-up has no order
    row.push_back(num(scatter(c.random.zipf(c.size.users, 1.1), c.size.users)));
    row.push_back(std::nullopt);
    row.push_back("credit");
    row.push_back(num(c.random.range(1, 20) * 500));
    row.push_back(format_timestamp(activity_time(c.random)));
  }
}

// events

constexpr std::array<std::pair<std::string_view, int>, 6> kEventTypes = {{{"pet.fed", 35},
                                                                          {"pet.played", 25},
                                                                          {"order.created", 12},
                                                                          {"payment.completed", 12},
                                                                          {"user.logged_in", 12},
                                                                          {"achievement.earned", 4}}};

std::string_view aggregate_of(std::string_view type) {
  if (type.substr(0, 4) == "pet.") return "pet";
  if (type.substr(0, 6) == "order.") return "order";
  if (type.substr(0, 8) == "payment.") return "payment";
  if (type.substr(0, 5) == "user.") return "user";
  return "pet";
}

void outbox_row(RowContext& c, int64_t i, Row& row) {
  const int64_t count = std::max<int64_t>(1, scaled(30000, c.size.scale));
  const std::string_view type = weighted(kEventTypes, c.random);
  const int64_t aggregate = c.random.range(1, aggregate_of(type) == "user" ? c.size.users : c.size.pets);
  // Rows are in creation order; the newest 1% are still waiting for the relay.
  const int64_t created = kSampleEnd - 86400 * 3 + (86400 * 3) * i / count;
  const bool published = i < count - count / 100;
  row.push_back(num(i + 1));
  row.push_back(std::string(aggregate_of(type)));
  row.push_back(num(aggregate));
  row.push_back(std::string(type));
  row.push_back("{\"id\":" + num(aggregate) + ",\"v\":1,\"source\":\"" + std::string(aggregate_of(type)) +
                "-service\"}");
  row.push_back(format_timestamp(created));
  row.push_back(maybe(published, format_timestamp(created + c.random.range(0, 3))));
  row.push_back(num(published ? 1 : 0));
}

constexpr std::array<std::string_view, 3> kConsumerGroups = {"leaderboard-updater", "notifier", "analytics"};

void event_log_row(RowContext& c, int64_t i, Row& row) {
  const std::string_view type = weighted(kEventTypes, c.random);
  const int64_t key = c.random.range(1, aggregate_of(type) == "user" ? c.size.users : c.size.pets);
  const int64_t occurred = activity_time(c.random, 1.0);
  row.push_back(num(i + 1));
  row.push_back(std::string(aggregate_of(type)) + "-events");
  row.push_back(num(key));
  row.push_back(std::string(type));
  row.push_back("{\"key\":" + num(key) + "}");
  row.push_back(format_timestamp(occurred));
  row.push_back(std::string(pick(std::span<const std::string_view>(kConsumerGroups), c.random)));
  row.push_back(maybe(c.random.chance(0.97), format_timestamp(occurred + c.random.range(0, 5))));
}

// ---- counts --------------------------------------------------------------------------------------

int64_t users_count(const SampleSize& s) { return s.users; }
int64_t double_users(const SampleSize& s) { return s.users * 2; }
int64_t sessions_count(const SampleSize& s) { return scaled(60000, s.scale); }
int64_t role_mapping_count(const SampleSize& s) { return s.users + (s.users + 1) / 2; }
int64_t pets_count(const SampleSize& s) { return s.pets; }
int64_t feeding_count(const SampleSize& s) { return scaled(200000, s.scale); }
int64_t play_count(const SampleSize& s) { return scaled(150000, s.scale); }
int64_t inventories_count(const SampleSize& s) { return scaled(50000, s.scale); }
int64_t pet_achievements_count(const SampleSize& s) { return std::min(scaled(40000, s.scale), s.pets * kAchievements); }
int64_t leaderboard_count(const SampleSize& s) { return scaled(30000, s.scale); }
int64_t orders_count(const SampleSize& s) { return s.orders; }
int64_t order_lines_count(const SampleSize& s) { return s.orders * 2; }
int64_t refunds_count(const SampleSize& s) { return scaled(2000, s.scale); }
int64_t ledger_count(const SampleSize& s) { return scaled(60000, s.scale); }
int64_t outbox_count(const SampleSize& s) { return scaled(30000, s.scale); }
int64_t event_log_count(const SampleSize& s) { return scaled(60000, s.scale); }
int64_t two(const SampleSize&) { return 2; }
int64_t clients_count(const SampleSize&) { return kClients; }
int64_t roles_count(const SampleSize&) { return kRoles; }
int64_t species_count(const SampleSize&) { return kSpecies; }
int64_t items_count(const SampleSize&) { return kItems; }
int64_t achievements_count(const SampleSize&) { return kAchievements; }
int64_t currencies_count(const SampleSize&) { return 5; }

}  // namespace dbvet::sample::virtualpet_rows
