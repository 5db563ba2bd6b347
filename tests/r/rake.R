# rake.R - the reference for survey_rake.c (tests/unit/test_survey.c runs it when Rscript and
# R's survey package are installed): reads respondents (a, b, c categories, base weight w0, a 0/1
# item y) and the margins, rakes with survey::rake to a tight tolerance, and writes the raked
# weights, then the weighted share of y with its standard error (weights taken as fixed).
# Usage: Rscript tests/r/rake.R data.csv margins.csv out.csv
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
m <- read.csv(args[2])
d$a <- factor(d$a); d$b <- factor(d$b); d$c <- factor(d$c)
pop <- function(v) {
  x <- m[m$var == v, ]
  out <- data.frame(factor(x$cat), x$pop)
  names(out) <- c(v, "Freq")
  out
}
des <- svydesign(ids = ~1, weights = ~w0, data = d)
r <- rake(des, list(~a, ~b, ~c), list(pop("a"), pop("b"), pop("c")),
          control = list(maxit = 500, epsilon = 1e-9, verbose = FALSE))
w <- as.numeric(weights(r))
fixed <- svydesign(ids = ~1, weights = w, data = d)
est <- svymean(~y, fixed)
out <- c(w, as.numeric(coef(est)), as.numeric(SE(est)))
writeLines(formatC(out, digits = 17, format = "g"), args[3])
