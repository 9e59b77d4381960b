-- Parvis schema 11: the e-mail domains an organization's people write from,
-- so that an invitation proposes the right organization and questions a
-- wrong one. A domain belongs to one organization at most.

CREATE TABLE organization_domains (
    domain TEXT PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE
) STRICT;
CREATE INDEX organization_domains_org ON organization_domains(org_id);
