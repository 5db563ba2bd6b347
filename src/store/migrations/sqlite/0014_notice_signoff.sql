-- 0014_notice_signoff: the leader's 签批 of a draft notice before it is issued (issue 19, where
-- the office sets supervise.signoff_required): state NULL (not asked), 'requested', 'approved'
-- or 'returned'; who asked and when; who decided, when and the note or reason.
ALTER TABLE notices ADD COLUMN signoff_state TEXT;
ALTER TABLE notices ADD COLUMN signoff_requested_by INTEGER;
ALTER TABLE notices ADD COLUMN signoff_requested_by_name TEXT;
ALTER TABLE notices ADD COLUMN signoff_requested_at INTEGER;
ALTER TABLE notices ADD COLUMN signoff_by_name TEXT;
ALTER TABLE notices ADD COLUMN signoff_at INTEGER;
ALTER TABLE notices ADD COLUMN signoff_note TEXT;
