/* comply.h - pure compliance evaluation of a recurring or once-by-date duty
 * (DOMAIN.md §2 "Counting rules"): which periods are met, met late (补报) or
 * missed at an as-of date, and their warning lights. No I/O, no clock. */
#ifndef ECOACT_BASE_COMPLY_H
#define ECOACT_BASE_COMPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/period.h"

/* Days after a period's end during which an accepted report still counts on time. */
#define COMPLY_GRACE_DAYS 15
/* A once-by-date duty turns yellow when its due date is this close. */
#define COMPLY_ONCE_WARN_DAYS 90

struct comply_rule {
    enum period_kind per;
    int minimum;    /* per full period; <= 0 means nothing is owed */
    int from;       /* first day in effect (inclusive) */
    int to;         /* last day in effect (inclusive); ignored for PERIOD_ONCE */
    int due;        /* PERIOD_ONCE: the single period is [from, due] */
    int grace_days; /* normally COMPLY_GRACE_DAYS */
    int min_share;  /* percent of a period that must lie in from..to for it to be assessed
                       (0: every period); the plan's "assess_min_share" */
};

struct comply_event {
    int activity_day; /* decides the period the report counts for */
    int accepted_day; /* the report counts from this day on */
    long long value;  /* 1 for a count, or the metric value to sum */
};

enum comply_status {
    COMPLY_NOT_DUE,     /* once-by-date, not met, due more than 90 days away */
    COMPLY_IN_PROGRESS, /* open (current, in grace, or once within 90 days), not met */
    COMPLY_MET,         /* met on time */
    COMPLY_MET_LATE,    /* met only by reports accepted after end + grace (补报) */
    COMPLY_MISSED,      /* closed (end + grace passed) and not met */
    COMPLY_NOT_ASSESSED /* less of it than the rule's min_share lies in effect: shown, not judged */
};

/* LIGHT_GREY: a period not assessed (COMPLY_NOT_ASSESSED); never counted as met or missed. */
enum comply_light { LIGHT_GREEN, LIGHT_YELLOW, LIGHT_RED, LIGHT_GREY };

struct comply_period {
    int start, end;          /* inclusive; for PERIOD_ONCE: rule from .. due */
    int minimum;             /* after pro-rating */
    long long count;         /* events in the period done and accepted by as_of */
    long long count_on_time; /* of those, accepted by end + grace (and, for
                                PERIOD_ONCE, done by due) */
    enum comply_status status;
    enum comply_light light;
    bool late;     /* status == COMPLY_MET_LATE */
    int share_pct; /* percent of the period in effect, rounded down (100: all of it) */
};
/* Whether a period counts in scores and tallies (everything but COMPLY_NOT_ASSESSED). */
bool comply_assessed(const struct comply_period *p);
/* Whether the period is closed at as_of: its end plus the grace days has passed, so a report
 * accepted from now on no longer counts on time, only as made up late (补报). */
bool comply_closed(const struct comply_period *p, int grace, int as_of);

/* Evaluates every period of the rule from the one holding r->from up to and
 * including the one holding as_of (recurring rules stop at the period holding
 * r->to). Future periods are not emitted; nothing is emitted when as_of is
 * before r->from.
 *
 * Counting: an event counts for the period holding its activity_day, once
 * accepted (accepted_day <= as_of) and done (activity_day <= as_of); values
 * are summed (saturating). For PERIOD_ONCE an event done after due still
 * counts, but only as made up late; events done before from never count.
 *
 * Pro-rating: a period only partly in effect (starting before from, or ending
 * after to) owes ceil(minimum * days_in_effect / days_in_period). When less than
 * r->min_share percent of it is in effect it is not assessed: COMPLY_NOT_ASSESSED,
 * LIGHT_GREY, its count still given.
 *
 * Lights (recurring): closed (as_of > end + grace): green MET / yellow
 * MET_LATE / red MISSED. Current (start <= as_of <= end): green when met, or
 * when count >= floor(minimum * elapsed / days) and elapsed / days < 75%
 * (elapsed = as_of - start); else yellow. In grace: green when met, else yellow.
 * Lights (PERIOD_ONCE): green when met on time or due more than 90 days away;
 * yellow when met late, within 90 days of due, or in the grace after due; red
 * when not met after due + grace.
 *
 * Fills out[] (capacity cap, may be NULL when cap is 0) and returns the number
 * of periods; when that exceeds cap only the first cap are written. Events
 * need not be sorted. */
size_t comply_evaluate(const struct comply_rule *r, const struct comply_event *ev, size_t nev,
                       int as_of, struct comply_period *out, size_t cap);

/* "not_due", "in_progress", "met", "met_late", "missed". */
const char *comply_status_name(enum comply_status s);
/* "green", "yellow", "red", "grey". */
const char *comply_light_name(enum comply_light l);
/* In Chinese, for people: 按时完成 … (a status), 绿灯 … and what a light means. */
const char *comply_status_label(enum comply_status s);
const char *comply_light_label(enum comply_light l);
const char *comply_light_desc(enum comply_light l);
#define COMPLY__STATUSES (COMPLY_NOT_ASSESSED + 1)
#define COMPLY__LIGHTS (LIGHT_GREY + 1)

#endif
