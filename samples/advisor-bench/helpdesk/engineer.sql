-- The index set a careful engineer would create for workload.sql (one index per line; the bench
-- applies it as a fourth variant). Chosen by hand, before dbvet or .expert were run on this family.
CREATE INDEX eng_customers_email ON customers (email);
CREATE INDEX eng_customers_lower_email ON customers (lower(email));
CREATE INDEX eng_customers_org_name ON customers (org_id, name);
CREATE INDEX eng_customers_country_created ON customers (country, created_at);
CREATE INDEX eng_tickets_customer_created ON tickets (customer_id, created_at);
CREATE INDEX eng_tickets_org_status ON tickets (org_id, status);
CREATE INDEX eng_tickets_org_priority_created ON tickets (org_id, priority, created_at);
CREATE INDEX eng_tickets_agent_priority_created ON tickets (agent_id, priority, created_at);
CREATE INDEX eng_tickets_created ON tickets (created_at);
CREATE INDEX eng_tickets_channel_created ON tickets (channel, created_at);
CREATE INDEX eng_tickets_closed ON tickets (closed_at);
CREATE INDEX eng_tickets_updated ON tickets (updated_at);
CREATE INDEX eng_tickets_subject ON tickets (subject);
CREATE INDEX eng_comments_ticket_created ON comments (ticket_id, created_at);
CREATE INDEX eng_comments_author_internal ON comments (author_agent_id, internal);
CREATE INDEX eng_comments_created ON comments (created_at);
CREATE INDEX eng_tags_tag_ticket ON tags (tag, ticket_id);
CREATE INDEX eng_tags_ticket ON tags (ticket_id);
CREATE INDEX eng_agents_org ON agents (org_id);
CREATE INDEX eng_agents_email ON agents (email);
