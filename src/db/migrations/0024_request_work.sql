-- Quotas count the files sent with a space's requests.
CREATE INDEX request_files_space ON request_files(space_id);
-- Waiting files (sent ahead of a filing) are found by age to be swept.
CREATE INDEX request_files_waiting ON request_files(uploaded_at) WHERE request_id IS NULL;
