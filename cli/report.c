// SPDX-License-Identifier: GPL-2.0-only
/*
 * report.c - mhpsim report SCENARIO -o FILE.html: one self-contained page
 * that steps through a scenario. For each step: what it did (the narration,
 * kernel functions named), what changed in what a user reads (sysfs, zoneinfo,
 * meminfo, the log: the reference lane's observation, before and after), the
 * memory map, the page tables when the step changed them, and the invariants.
 * No network, no external file: styles, script and pictures are inline.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define REPORT_MAX_STEPS 4096

struct step_page {
	char *narration, *observed, *map, *tables;
	int invariant;
};

struct report {
	struct step_page *pages;      /* [0]: boot */
	unsigned n;
	FILE *narr;                   /* the narration, as the run writes it */
	char *narr_buf;
	size_t narr_len, narr_mark;
	uint64_t log_mark, va_lo, va_hi;
	struct mhp_pt_capture *tables;   /* as they were after the previous step */
	uint64_t allocated, freed;
	int ret;
};

/* What f wrote, as a string; f closed. NULL if it failed. */
static char *stream_text(FILE *f, char **buf)
{
	if (fclose(f)) {
		free(*buf);
		return NULL;
	}
	return *buf;
}

static char *observe(struct mhp_machine *m, uint64_t *log_mark, bool boot)
{
	char *raw = NULL, *text = NULL;
	size_t rlen = 0, tlen = 0;
	FILE *r = open_memstream(&raw, &rlen);
	if (!r)
		return NULL;
	mhp_observe_raw(m, log_mark, r);
	if (!stream_text(r, &raw))
		return NULL;
	FILE *t = open_memstream(&text, &tlen);
	if (t)
		(boot ? mhp_observe_format_boot : mhp_observe_format)(raw, rlen, t);
	free(raw);
	return t ? stream_text(t, &text) : NULL;
}

static char *picture_map(struct mhp_machine *m)
{
	char *svg = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&svg, &len);
	if (!f)
		return NULL;
	mhp_draw_memory_map(m, "physical memory", f);
	return stream_text(f, &svg);
}

/* The page tables of all of the model's memory, drawn when the step allocated or freed any. */
static char *picture_tables(struct report *r, struct mhp_machine *m)
{
	struct mhp_pt_stats st;
	struct mhp_err err = { 0 };
	struct mhp_pt_capture *now = NULL;
	mhp_machine_pt_stats(m, &st);
	bool changed = st.allocated != r->allocated || st.freed != r->freed;
	r->allocated = st.allocated;
	r->freed = st.freed;
	if (!r->va_hi)
		mhp_draw_linear_span(m, &r->va_lo, &r->va_hi);
	if (mhp_pt_capture(m, r->va_lo, r->va_hi, &now, &err))
		return NULL;
	char *svg = NULL;
	size_t len = 0;
	FILE *f = changed && r->tables ? open_memstream(&svg, &len) : NULL;
	if (f) {
		mhp_draw_pgtables(r->tables, now, "linear map: page tables before and after this step", f);
		svg = stream_text(f, &svg);
	}
	mhp_pt_capture_free(r->tables);
	r->tables = now;
	return svg;
}

/* The narration written since the last call. */
static char *narration_since(struct report *r)
{
	fflush(r->narr);
	size_t from = r->narr_mark;
	r->narr_mark = r->narr_len;
	return strndup(r->narr_buf + from, r->narr_len - from);
}

static void page_at(struct report *r, struct mhp_machine *m, int invariant)
{
	if (r->n == REPORT_MAX_STEPS) {
		r->ret = -E2BIG;
		return;
	}
	struct step_page *p = &r->pages[r->n];
	p->narration = narration_since(r);
	p->observed = observe(m, &r->log_mark, r->n == 0);
	p->map = picture_map(m);
	p->tables = picture_tables(r, m);
	p->invariant = invariant;
	if (!p->narration || !p->observed || !p->map)
		r->ret = -ENOMEM;
	r->n++;
}

static void after_boot(struct mhp_machine *m, void *ctx)
{
	page_at(ctx, m, 0);
}

static void after_step(struct mhp_machine *m, unsigned step, int invariant, void *ctx)
{
	(void)step;
	page_at(ctx, m, invariant);
}

/* ---- the page ------------------------------------------------------------------ */

static void html_text(FILE *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i]; i++) {
		char c = s[i];
		if (c == '<')
			fputs("&lt;", out);
		else if (c == '>')
			fputs("&gt;", out);
		else if (c == '&')
			fputs("&amp;", out);
		else if (c == '"')
			fputs("&quot;", out);
		else
			fputc(c, out);
	}
}

static bool has_line(const char *text, const char *line, size_t n)
{
	for (const char *p = text; p && *p;) {
		size_t len = strcspn(p, "\n");
		if (len == n && strncmp(p, line, n) == 0)
			return true;
		p += len + (p[len] == '\n');
	}
	return false;
}

/*
 * The lines of b not in a, marked with mark: what a step changed in what a
 * user reads. An observation's log lines are the step's own: with skip_log,
 * b's are left out (the last step's log did not disappear).
 */
static unsigned changed_lines(FILE *out, const char *a, const char *b, const char *cls, const char *mark, bool skip_log)
{
	unsigned n = 0;
	for (const char *p = b; p && *p;) {
		size_t len = strcspn(p, "\n");
		if (skip_log && len == 6 && strncmp(p, "dmesg:", 6) == 0)
			break;
		if (len && !has_line(a, p, len) && strncmp(p, "### ", 4) != 0 && strncmp(p, "result: ", 8) != 0) {
			fprintf(out, "<span class=\"%s\">%s ", cls, mark);
			html_text(out, p, len);
			fputs("</span>\n", out);
			n++;
		}
		p += len + (p[len] == '\n');
	}
	return n;
}

static const char style[] =
	"body{font-family:sans-serif;margin:0;display:flex;height:100vh}"
	"nav{width:30%;max-width:420px;overflow:auto;border-right:1px solid #ccc;background:#fafafa}"
	"nav ol{margin:0;padding:0 0 0 2.6em}nav li{padding:3px 6px;cursor:pointer;font-size:13px}"
	"nav li.current{background:#dbe7f5;font-weight:bold}nav li.fail{color:#b00}"
	"main{flex:1;overflow:auto;padding:12px 20px}section.step{display:none}section.step.current{display:block}"
	"pre{background:#f6f6f6;padding:8px;overflow:auto;font-size:12px}.add{color:#1a7f37}.del{color:#b00}"
	"table.inv td{padding:1px 8px;font-size:12px}.held{color:#1a7f37}.broken{color:#b00;font-weight:bold}"
	"header{padding:8px 12px;border-bottom:1px solid #ccc}button{margin-right:6px}";

static const char script[] =
	"(function(){var s=document.querySelectorAll('section.step'),l=document.querySelectorAll('nav li'),c=0;"
	"function show(i){if(i<0||i>=s.length)return;s[c].classList.remove('current');l[c].classList.remove('current');"
	"c=i;s[c].classList.add('current');l[c].classList.add('current');"
	"document.getElementById('pos').textContent=(c+1)+' / '+s.length;}"
	"l.forEach(function(e,i){e.addEventListener('click',function(){show(i);});});"
	"document.getElementById('prev').onclick=function(){show(c-1);};"
	"document.getElementById('next').onclick=function(){show(c+1);};"
	"document.addEventListener('keydown',function(e){if(e.key=='ArrowRight')show(c+1);if(e.key=='ArrowLeft')show(c-1);});"
	"var h=location.hash.match(/^#step-(\\d+)$/);show(h?+h[1]:0);"
	"document.body.setAttribute('data-ready',s.length);})();";

/* A step's title: the narration's first line that names it ("step 3: ..." or a "> " narration). */
static void step_title(FILE *out, const struct step_page *p, unsigned i)
{
	if (i == 0) {
		fputs("boot", out);
		return;
	}
	const char *t = p->narration;
	while (*t == '\n')
		t++;
	if (strncmp(t, "> ", 2) == 0)
		t += 2;
	html_text(out, t, strcspn(t, "\n"));
}

static void write_invariants(FILE *out, const struct step_page *p)
{
	fputs("<h3>invariants</h3><table class=\"inv\">", out);
	for (size_t k = 0; k < mhp_invariant_count(); k++) {
		const struct mhp_invariant *inv = mhp_invariant_get(k);
		fprintf(out, "<tr><td class=\"%s\">%s</td><td>%s</td><td>", p->invariant ? "broken" : "held",
			p->invariant ? "?" : "held", inv->id);
		html_text(out, inv->statement, strlen(inv->statement));
		fputs("</td></tr>", out);
	}
	fputs("</table>\n", out);
	if (p->invariant)
		fputs("<p class=\"broken\">an invariant failed after this step: the run's error names it</p>\n", out);
}

static void write_page(FILE *out, const struct report *r, const struct mhp_scenario *sc, const char *name,
		       const struct mhp_run_result *res, int ret, const char *msg)
{
	(void)sc;
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>mhpsim: ");
	html_text(out, name, strlen(name));
	fprintf(out, "</title><style>%s</style></head>\n<body>\n<nav><header><b>", style);
	html_text(out, name, strlen(name));
	fprintf(out, "</b><br><small>state-hash %016llx, %s</small></header><ol start=\"0\">\n",
		(unsigned long long)res->state_hash, ret ? "FAILED" : "every expectation and invariant held");
	for (unsigned i = 0; i < r->n; i++) {
		fprintf(out, "<li class=\"step%s\" data-step=\"%u\">", r->pages[i].invariant ? " fail" : "", i);
		step_title(out, &r->pages[i], i);
		fputs("</li>\n", out);
	}
	fputs("</ol></nav>\n<main><div><button id=\"prev\">&larr; previous</button><button id=\"next\">next &rarr;"
	      "</button><span id=\"pos\"></span></div>\n", out);
	if (ret) {
		fputs("<p class=\"broken\">", out);
		html_text(out, msg, strlen(msg));
		fputs("</p>\n", out);
	}
	for (unsigned i = 0; i < r->n; i++) {
		const struct step_page *p = &r->pages[i];
		fprintf(out, "<section class=\"step\" id=\"step-%u\"><h2>", i);
		step_title(out, p, i);
		fputs("</h2>\n<h3>what happened</h3><pre class=\"narration\">", out);
		html_text(out, p->narration, strlen(p->narration));
		fputs("</pre>\n<h3>what changed in sysfs, zoneinfo, meminfo and the log</h3><pre class=\"changes\">", out);
		unsigned c = 0;
		if (i) {
			c += changed_lines(out, p->observed, r->pages[i - 1].observed, "del", "-", true);
			c += changed_lines(out, r->pages[i - 1].observed, p->observed, "add", "+", false);
		} else {
			html_text(out, p->observed, strlen(p->observed));
			c = 1;
		}
		if (!c)
			fputs("(nothing a user reads changed)", out);
		fputs("</pre>\n<h3>memory map</h3><div class=\"map\">", out);
		fputs(p->map, out);
		fputs("</div>\n", out);
		if (p->tables) {
			fputs("<h3>page tables</h3><div class=\"tables\">", out);
			fputs(p->tables, out);
			fputs("</div>\n", out);
		}
		write_invariants(out, p);
		fputs("</section>\n", out);
	}
	fprintf(out, "</main>\n<script>%s</script>\n</body></html>\n", script);
}

const struct option cli_report_options[] = { CLI_HELP_OPTION, { 0 } };

int cmd_report(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *out_path = NULL, *file = NULL;
	const struct cli_binding b[] = { CLI_STR('o', &out_path), CLI_END_OF_BINDINGS };
	int status = cli_parse(cmd, argc, argv, b);
	if (status >= 0)
		return status;
	if (argc - optind != 1)
		return cli_usage_error(cmd, "one scenario");
	file = argv[optind];
	struct mhp_scenario *sc = NULL;
	struct mhp_err err = { 0 };
	if (mhp_scenario_load(file, NULL, &sc, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 2;
	}
	struct report r = { 0 };
	r.pages = calloc(REPORT_MAX_STEPS, sizeof(*r.pages));
	r.narr = open_memstream(&r.narr_buf, &r.narr_len);
	FILE *out = r.pages && r.narr ? cli_open_out(out_path) : NULL;
	int ret = 1;
	if (out) {
		struct mhp_run_options opt = { .output = MHP_OUT_NARRATE, .out = r.narr, .after_boot = after_boot,
					       .after_step = after_step, .after_ctx = &r };
		struct mhp_run_result res;
		int run = mhp_scenario_run(sc, &opt, &res, &err);
		const char *name = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
		if (r.ret)
			fprintf(stderr, "mhpsim report: %s\n", strerror(-r.ret));
		else
			write_page(out, &r, sc, name, &res, run, err.msg);
		if (run)
			fprintf(stderr, "%s\n", err.msg);
		ret = cli_close_out(out, out_path) || r.ret ? 1 : 0;
	}
	if (r.narr)
		fclose(r.narr);
	free(r.narr_buf);
	for (unsigned i = 0; i < r.n; i++) {
		free(r.pages[i].narration);
		free(r.pages[i].observed);
		free(r.pages[i].map);
		free(r.pages[i].tables);
	}
	free(r.pages);
	mhp_pt_capture_free(r.tables);
	mhp_scenario_free(sc);
	return ret;
}
