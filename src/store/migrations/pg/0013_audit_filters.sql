-- 0013_audit_filters: the audit log filtered by the acting account's unit and by operation
-- (GET /api/v1/audit?unit=…&action=…), newest first, without scanning the whole log.
CREATE INDEX audit_unit ON audit_log(unit_id, id);
CREATE INDEX audit_action ON audit_log(action, id);
