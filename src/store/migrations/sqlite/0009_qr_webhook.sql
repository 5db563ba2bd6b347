-- 0009_qr_webhook (SQLite): signed QR codes and the outbox's push delivery (issue 12 §4, §5).
-- qr_redemptions: the one use of a single-use code (check-in, booking, voucher), keyed by the
-- code's nonce, so of two concurrent scans exactly one inserts; codes themselves are not stored
-- (a signed code is its own record). outbox gains not_before (a message is not handed out, by
-- the push deliverer or a pulling gateway, before then: the next attempt after a failed push, or
-- the end of the recipient's quiet hours) and urgent (urgent kinds ignore quiet hours).
-- notify_prefs: a person's delivery preferences: channels on or off (sms), and quiet hours as
-- minutes of the day in Asia/Shanghai, from quiet_from to quiet_to (may wrap midnight).
CREATE TABLE qr_redemptions (
    nonce       TEXT PRIMARY KEY,
    purpose     INTEGER NOT NULL,
    subject_id  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    redeemed_by INTEGER REFERENCES users(id),
    redeemed_at INTEGER NOT NULL
);
CREATE INDEX qr_redemptions_subject ON qr_redemptions(purpose, subject_id);

ALTER TABLE outbox ADD COLUMN not_before INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_due ON outbox(status, not_before, id);

CREATE TABLE notify_prefs (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id),
    sms        INTEGER NOT NULL DEFAULT 1 CHECK (sms IN (0, 1)),
    quiet_from INTEGER CHECK (quiet_from BETWEEN 0 AND 1439),
    quiet_to   INTEGER CHECK (quiet_to BETWEEN 0 AND 1439),
    updated_at INTEGER NOT NULL
);
