-- A portal's branding beyond its name, accent colour and logo: the header's
-- background colour, a welcome text in French beside the English one
-- (`welcome_text`), footer links (a legal notice web address and a support
-- contact: an e-mail address or a web address) and a favicon, stored like
-- the logo.
ALTER TABLE portals ADD COLUMN header_color TEXT NOT NULL DEFAULT '#ffffff';
ALTER TABLE portals ADD COLUMN welcome_text_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE portals ADD COLUMN legal_url TEXT NOT NULL DEFAULT '';
ALTER TABLE portals ADD COLUMN support_contact TEXT NOT NULL DEFAULT '';

CREATE TABLE portal_favicons (
    portal_id INTEGER PRIMARY KEY REFERENCES portals(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    data BLOB NOT NULL,
    etag TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
