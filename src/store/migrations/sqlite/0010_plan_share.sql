-- 0010_plan_share.sql - an obligation's least share of a period in effect for the period to be
-- assessed (issue 19 defect 9: school years straddling the plan). Percent, 0 (every period,
-- as before) to 100. A period with less of it inside from..to is shown grey, not assessed.
ALTER TABLE plan_obligations ADD COLUMN assess_min_share INTEGER NOT NULL DEFAULT 0
    CHECK (assess_min_share BETWEEN 0 AND 100);
