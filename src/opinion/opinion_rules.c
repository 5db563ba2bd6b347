/* opinion_rules.c - the pure rules of public opinion: topics, grades, labels, and a rule's
 * precision and recall on its labelled examples. */
#include "opinion/opinion.h"
#include <stdint.h>
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

static const char *const media[][2] = {
    {"text", "图文"}, {"image", "图片"}, {"video", "视频"}, {"audio", "音频"}, {"live", "直播"},
};

bool opinion_media_valid(const char *m)
{
    for (size_t i = 0; m && i < sizeof media / sizeof media[0]; i++)
        if (strcmp(m, media[i][0]) == 0) return true;
    return false;
}

const char *opinion_media_label(const char *m)
{
    for (size_t i = 0; m && i < sizeof media / sizeof media[0]; i++)
        if (strcmp(m, media[i][0]) == 0) return media[i][1];
    return m ? m : "";
}

const char *opinion_kind_label(const char *kind)
{
    if (!kind) return "";
    if (strcmp(kind, "new") == 0) return "新舆情";
    if (strcmp(kind, "near_duplicate") == 0) return "相似转载";
    if (strcmp(kind, "duplicate") == 0) return "重复链接";
    return kind;
}

/* The next character of s (a code point, or the byte when malformed); *n its width. */
static uint32_t next_cp(const unsigned char *s, size_t len, size_t *n)
{
    uint32_t c = s[0];
    size_t w = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (w > len) w = 1;
    for (size_t i = 1; i < w; i++)
        c = (c << 8) | s[i];
    *n = w;
    return c;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

unsigned long long opinion_simhash(const char *text, size_t len)
{
    int v[64] = {0};
    const unsigned char *s = (const unsigned char *)text;
    uint32_t prev = 0;
    bool have = false;
    size_t features = 0;
    for (size_t i = 0; i < len;) {
        size_t w;
        uint32_t c = next_cp(s + i, len - i, &w);
        i += w;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xE38080) continue;
        if (have) {
            uint64_t h = mix(((uint64_t)prev << 32) | c);
            for (int b = 0; b < 64; b++)
                v[b] += (h >> b) & 1 ? 1 : -1;
            features++;
        }
        prev = c;
        have = true;
    }
    if (!features && have) return mix(prev);
    uint64_t out = 0;
    for (int b = 0; b < 64; b++)
        if (v[b] > 0) out |= 1ULL << b;
    return out;
}

int opinion_hamming(unsigned long long a, unsigned long long b)
{
    return __builtin_popcountll(a ^ b);
}

bool opinion_item_check(const struct opinion_item_in *in, struct problem *p)
{
    if (!in->source || !in->source[0])
        return problem_set(p, ERR_RULE, "source", "请填写来源（平台或媒体名称）"), false;
    if (!in->url || (strncmp(in->url, "https://", 8) != 0 && strncmp(in->url, "http://", 7) != 0))
        return problem_set(p, ERR_RULE, "url", "链接应以 http:// 或 https:// 开头"), false;
    if (in->published_at <= 0)
        return problem_set(p, ERR_RULE, "published_at", "缺少发布时间（Unix 秒）"), false;
    if (!in->text || !in->text[0]) return problem_set(p, ERR_RULE, "text", "正文为空"), false;
    if (strlen(in->text) > OPINION_TEXT_MAX)
        return problem_set(p, ERR_TOO_LARGE, "text", "正文过长（最多 %d 字节）", OPINION_TEXT_MAX),
               false;
    if (!opinion_media_valid(in->media))
        return problem_set(p, ERR_RULE, "media", "媒体类型应为 text、image、video、audio 或 live"),
               false;
    if (in->reads < 0 || in->shares < 0 || in->comments < 0)
        return problem_set(p, ERR_RULE, "reads", "阅读、转发、评论数不能为负"), false;
    return true;
}
