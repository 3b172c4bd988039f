-- Sample rows for the built-in demo database. They are inserted after the embedded migrations
-- brought an empty database to the demo revision (c3e7a1d9f482, see demo.rs), so they must fit
-- ContentEngine's schema at that revision: posts already has user_id and is_demo, oauth_tokens
-- does not yet have user_sub/user_email, and there is no chat_messages table yet.

INSERT INTO users (id, linkedin_sub, email, name, created_at, last_login_at) VALUES
  (1, 'li-7f3a9c', 'ada@example.org', 'Ada Lovelace', '2025-02-12 08:30:00', '2025-03-01 19:04:12'),
  (2, 'li-2b81e0', 'jose@example.org', 'José Müller-Łukasiewicz', '2025-02-14 11:02:45', NULL),
  (3, 'li-c0ffee', NULL, '山田 花子 🌸', '2025-02-20 17:45:10', '2025-02-28 07:15:00');

INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES
  ('5b2f0c1e-8a4d-4c7e-9f10-3d2a6b7c8e91', 1, '2025-03-01 19:04:12', '2025-03-31 19:04:12'),
  ('e0d9c8b7-a6f5-4e3d-8c2b-1a0f9e8d7c6b', 3, '2025-02-28 07:15:00', '2025-03-30 07:15:00');

INSERT INTO posts (id, content, platform, status, created_at, updated_at, posted_at,
                   external_id, error_message, user_id, is_demo) VALUES
  (1, 'Shipping our first migration tool 🚀 — it runs entirely in your browser.', 'linkedin',
   'posted', '2025-02-15 09:00:00', '2025-02-15 09:05:00', '2025-02-15 09:05:00',
   'urn:li:share:7001', NULL, 1, 0),
  (2, 'Brouillon : « les données restent sur votre machine ».', 'linkedin', 'draft',
   '2025-02-18 14:20:00', '2025-02-18 14:20:00', NULL, NULL, NULL, 2, 0),
  (3, 'デモ投稿: SQLite + WebAssembly', 'twitter', 'posted', '2025-02-21 10:00:00',
   '2025-02-21 10:00:30', '2025-02-21 10:00:30', 'demo-0001', NULL, 3, 1),
  (4, 'This one hit a rate limit.', 'twitter', 'failed', '2025-02-22 16:40:00',
   '2025-02-22 16:41:00', NULL, NULL, '429 Too Many Requests', 1, 0),
  (5, 'A post nobody owns any more.', 'linkedin', 'draft', '2025-01-10 12:00:00',
   '2025-01-10 12:00:00', NULL, 'demo-0002', NULL, NULL, 1);

INSERT INTO oauth_tokens (id, platform, access_token, refresh_token, expires_at, created_at,
                          updated_at) VALUES
  (1, 'linkedin', 'demo-access-token-1', 'demo-refresh-token-1', '2025-04-01 00:00:00',
   '2025-02-12 08:30:00', '2025-03-01 19:04:12'),
  (2, 'twitter', 'demo-access-token-2', NULL, NULL, '2025-02-20 17:45:10',
   '2025-02-20 17:45:10');
