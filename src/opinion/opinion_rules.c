/* opinion_rules.c - the pure rules of public opinion: topics, grades, labels, and a rule's
 * precision and recall on its labelled examples. */
#include "opinion/opinion.h"
#include <string.h>

static const char *const topics[][2] = {
    {"air", "大气"},   {"water", "水"},         {"noise", "噪声"},
    {"waste", "固废"}, {"soil", "土壤"},        {"ecology", "生态破坏"},
    {"eia", "环评"},   {"enforcement", "执法"}, {"climate", "应对气候变化"},
    {"other", "其他"},
};

static const char *const grades[][2] = {
    {"general", "一般"},
    {"major", "重大"},
    {"grave", "特别重大"},
};

bool opinion_topic_valid(const char *topic)
{
    for (size_t i = 0; topic && i < sizeof topics / sizeof topics[0]; i++)
        if (strcmp(topic, topics[i][0]) == 0) return true;
    return false;
}

const char *opinion_topic_label(const char *topic)
{
    for (size_t i = 0; topic && i < sizeof topics / sizeof topics[0]; i++)
        if (strcmp(topic, topics[i][0]) == 0) return topics[i][1];
    return topic ? topic : "";
}

bool opinion_grade_valid(const char *grade)
{
    for (size_t i = 0; grade && i < sizeof grades / sizeof grades[0]; i++)
        if (strcmp(grade, grades[i][0]) == 0) return true;
    return false;
}

const char *opinion_grade_label(const char *grade)
{
    for (size_t i = 0; grade && i < sizeof grades / sizeof grades[0]; i++)
        if (strcmp(grade, grades[i][0]) == 0) return grades[i][1];
    return grade ? grade : "";
}

const char *opinion_rule_status_label(const char *status)
{
    if (!status) return "";
    if (strcmp(status, "draft") == 0) return "草稿";
    if (strcmp(status, "live") == 0) return "已启用";
    if (strcmp(status, "retired") == 0) return "已停用";
    return status;
}

void opinion_quality_compute(struct opinion_quality *q)
{
    long long p = q->tp + q->fp, r = q->tp + q->fn; /* rounded to the nearest per mille */
    q->precision_pm = p ? (q->tp * 1000 + p / 2) / p : -1;
    q->recall_pm = r ? (q->tp * 1000 + r / 2) / r : -1;
}
