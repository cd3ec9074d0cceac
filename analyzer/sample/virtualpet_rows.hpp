#pragma once
// The Virtual Pet generator's code, for the table list in virtualpet.cpp: one row maker and one row
// count per table (virtualpet_rows.cpp). Internal to the two files.

#include <cstdint>

#include "analyzer/sample/virtualpet.hpp"

namespace dbvet::sample::virtualpet_rows {

// int(base * scale), as the workload scripts compute row counts.
int64_t scaled(int64_t base, double scale);

void users_row(RowContext& c, int64_t i, Row& row);
void profiles_row(RowContext& c, int64_t i, Row& row);
void sessions_row(RowContext& c, int64_t i, Row& row);
void friendships_row(RowContext& c, int64_t i, Row& row);
void realm_row(RowContext& c, int64_t i, Row& row);
void client_row(RowContext& c, int64_t i, Row& row);
void keycloak_role_row(RowContext& c, int64_t i, Row& row);
void user_entity_row(RowContext& c, int64_t i, Row& row);
void credential_row(RowContext& c, int64_t i, Row& row);
void user_role_mapping_row(RowContext& c, int64_t i, Row& row);
void species_row(RowContext& c, int64_t i, Row& row);
void pets_row(RowContext& c, int64_t i, Row& row);
void pet_stats_row(RowContext& c, int64_t i, Row& row);
void feeding_events_row(RowContext& c, int64_t i, Row& row);
void play_events_row(RowContext& c, int64_t i, Row& row);
void items_row(RowContext& c, int64_t i, Row& row);
void inventories_row(RowContext& c, int64_t i, Row& row);
void achievements_row(RowContext& c, int64_t i, Row& row);
void pet_achievements_row(RowContext& c, int64_t i, Row& row);
void leaderboard_scores_row(RowContext& c, int64_t i, Row& row);
void currencies_row(RowContext& c, int64_t i, Row& row);
void wallets_row(RowContext& c, int64_t i, Row& row);
void orders_row(RowContext& c, int64_t i, Row& row);
void order_lines_row(RowContext& c, int64_t i, Row& row);
void payments_row(RowContext& c, int64_t i, Row& row);
void refunds_row(RowContext& c, int64_t i, Row& row);
void ledger_entries_row(RowContext& c, int64_t i, Row& row);
void outbox_row(RowContext& c, int64_t i, Row& row);
void event_log_row(RowContext& c, int64_t i, Row& row);

int64_t users_count(const SampleSize& s);
int64_t double_users(const SampleSize& s);
int64_t sessions_count(const SampleSize& s);
int64_t role_mapping_count(const SampleSize& s);
int64_t pets_count(const SampleSize& s);
int64_t feeding_count(const SampleSize& s);
int64_t play_count(const SampleSize& s);
int64_t inventories_count(const SampleSize& s);
int64_t pet_achievements_count(const SampleSize& s);
int64_t leaderboard_count(const SampleSize& s);
int64_t orders_count(const SampleSize& s);
int64_t order_lines_count(const SampleSize& s);
int64_t refunds_count(const SampleSize& s);
int64_t ledger_count(const SampleSize& s);
int64_t outbox_count(const SampleSize& s);
int64_t event_log_count(const SampleSize& s);
int64_t two(const SampleSize& s);
int64_t clients_count(const SampleSize& s);
int64_t roles_count(const SampleSize& s);
int64_t species_count(const SampleSize& s);
int64_t items_count(const SampleSize& s);
int64_t achievements_count(const SampleSize& s);
int64_t currencies_count(const SampleSize& s);

}  // namespace dbvet::sample::virtualpet_rows
