/* facility_lights.c - the bi-monthly duty of task 74 per facility (issue 15 §2): "全市联动、双月
 * 开放", at least one session held in each two-month period, lit green, yellow or red by the
 * compliance engine's own rules (base/comply.h: comply_evaluate with COMPLY_GRACE_DAYS and the
 * plan's assess_min_share) over the facility's held sessions; a session counts from the day it
 * was recorded held. The duty's span and share are the plan's t74-facility-opening obligation
 * (data/plans: 2021-07-01 to 2025-12-31, minimum 1 per two months, assess_min_share 50); a
 * facility owes it from the day it was approved. */
#include "facility/facility_store.h"
#include "base/comply.h"
#include "base/date.h"
#include "base/period.h"
#include <stdio.h>

#define DUTY_FROM "2021-07-01"
#define DUTY_TO "2025-12-31"
#define DUTY_MIN_SHARE 50
#define HELD_MAX 400
#define PERIODS_MAX 40

static json_t *lights_of(struct store *db, json_t *f, int as_of)
{
    long long id = json_integer_value(json_object_get(f, "id"));
    long long reviewed = json_integer_value(json_object_get(f, "reviewed_at"));
    int from, to, day[HELD_MAX], held[HELD_MAX], n;
    date_parse(DUTY_FROM, &from);
    date_parse(DUTY_TO, &to);
    int approved = reviewed > 0 ? date_today_shanghai(reviewed) : to + 1;
    if (approved > from) from = approved;
    if (fac_store_held_days(db, id, day, held, HELD_MAX, &n) != OK) return NULL;
    struct comply_event ev[HELD_MAX];
    for (int i = 0; i < n; i++)
        ev[i] = (struct comply_event){day[i], held[i], 1};
    struct comply_rule r = {.per = PERIOD_TWO_MONTHS,
                            .minimum = 1,
                            .from = from,
                            .to = to,
                            .grace_days = COMPLY_GRACE_DAYS,
                            .min_share = DUTY_MIN_SHARE};
    struct comply_period out[PERIODS_MAX];
    size_t np = from <= to ? comply_evaluate(&r, ev, (size_t)n, as_of, out, PERIODS_MAX) : 0;
    if (np > PERIODS_MAX) np = PERIODS_MAX;
    json_t *a = json_array();
    for (size_t i = 0; i < np; i++) {
        char label[32], cn[48], s[11], e[11];
        period_label(PERIOD_TWO_MONTHS, out[i].start, label, sizeof label);
        period_label_cn(PERIOD_TWO_MONTHS, out[i].start, cn, sizeof cn);
        date_format(out[i].start, s);
        date_format(out[i].end, e);
        json_array_append_new(a,
                              json_pack("{s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:s}", "period", label,
                                        "period_label", cn, "start", s, "end", e, "sessions_held",
                                        out[i].count, "status", comply_status_name(out[i].status),
                                        "status_label", comply_status_label(out[i].status), "light",
                                        comply_light_name(out[i].light), "light_label",
                                        comply_light_label(out[i].light)));
    }
    return json_pack("{s:I,s:O,s:O,s:O,s:o}", "id", id, "name", json_object_get(f, "name"),
                     "unit_id", json_object_get(f, "unit_id"), "status",
                     json_object_get(f, "status"), "periods", a);
}

json_t *fac_lights_json(struct store *db, long long unit, int as_of)
{
    json_t *items = json_array();
    static const char *const statuses[] = {"open", "suspended"};
    for (size_t k = 0; k < 2; k++) {
        long long after = 0, last;
        for (;;) {
            struct fac_find f = {.unit = unit, .status = statuses[k]};
            json_t *page = fac_store_list(db, &f, after, 200, &last);
            if (!page) {
                json_decref(items);
                return NULL;
            }
            size_t i;
            json_t *x;
            json_array_foreach(page, i, x)
            {
                json_t *l = lights_of(db, x, as_of);
                if (!l) {
                    json_decref(page);
                    json_decref(items);
                    return NULL;
                }
                json_array_append_new(items, l);
            }
            size_t got = json_array_size(page);
            json_decref(page);
            if (got < 200) break;
            after = last;
        }
    }
    char d[11];
    date_format(as_of, d);
    return json_pack("{s:s,s:s,s:o}", "as_of", d, "duty", "t74-facility-opening", "items", items);
}
