/* log.h - JSON-lines logging to stderr: one object per line with time, level and message.
 * Never pass personal data or secrets to it. Thread-safe (one write per line). */
#ifndef ECOACT_LOG_H
#define ECOACT_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes an already-built JSON object as one line. */
void log_json_line(const char *json);
/* Quiet mode for CLI commands and tests: info lines are dropped. */
void log_set_quiet(int quiet);

#endif
