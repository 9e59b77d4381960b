-- Parvis schema 16: a space's description in French beside the one in
-- English (`description`); each reader gets theirs, else the other.

ALTER TABLE spaces ADD COLUMN description_fr TEXT NOT NULL DEFAULT '';
