-- 0017_account_counters: the per-account numbers of citizen_inbox and citizen_consents
-- (store/counters.c), taken from a counter row instead of MAX(id) + 1, which two concurrent
-- transactions for the same account computed alike. Filled from what the tables hold.
CREATE TABLE account_counters (
    account_id BIGINT NOT NULL,
    counter    TEXT NOT NULL,
    last_id    BIGINT NOT NULL,
    PRIMARY KEY (account_id, counter)
);
INSERT INTO account_counters(account_id, counter, last_id)
    SELECT citizen_id, 'citizen_inbox', MAX(id) FROM citizen_inbox GROUP BY citizen_id;
INSERT INTO account_counters(account_id, counter, last_id)
    SELECT citizen_id, 'citizen_consents', MAX(id) FROM citizen_consents GROUP BY citizen_id;
