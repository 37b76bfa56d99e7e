package search_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/nashra-press/nashra/site/search"
	"github.com/nashra-press/nashra/site/search/searchtest"
)

// doc makes an indexed document numbered by its position.
func doc(title, tag, body string) search.Doc {
	var heading []string
	heading = append(heading, title)
	var tags []search.Tag
	if tag != "" {
		heading = append(heading, tag)
		tags = append(tags, search.Tag{Label: tag, URL: "/tags/x/"})
	}
	return search.Doc{
		Terms: search.AnalyzeDoc(heading, []string{body}),
		URL:   "/posts/" + title + "/", Title: title, Date: "2024-01-01T00:00:00+03:00", DateText: "1 كانون الثاني 2024",
		Tags: tags, Text: body,
	}
}

// TestSection5Bar checks the bar of the issue on the query engine of
// search.js: for each row of the table of docs/arabic-rtl.md section 5,
// one post per form, and searching for any form finds every post of the
// row (and no post of another row).
func TestSection5Bar(t *testing.T) {
	rows := searchtest.Section5(t, "../..")
	var docs []search.Doc
	row := map[int]int{} // document -> row
	for r, forms := range rows {
		for _, f := range forms {
			row[len(docs)] = r
			docs = append(docs, doc(fmt.Sprintf("خبر %d", len(docs)), "", "نص يذكر "+f+" هنا."))
		}
	}
	// A title-only mention and posts that must not match.
	row[len(docs)] = 0
	docs = append(docs, doc("لقاء في الأردن", "", "نص آخر."))
	docs = append(docs, doc("خبر عن الزراعة", "", "الزراعة والمياه في آسيا الوسطى."))
	dir := searchtest.WriteIndex(t, search.Build(docs, 0, search.Options{}))

	var queries []string
	for _, forms := range rows {
		for _, f := range forms {
			queries = append(queries, f, f+" ")
		}
	}
	results := searchtest.Query(t, dir, queries)
	i := 0
	for r, forms := range rows {
		var want []int
		for id, rr := range row {
			if rr == r {
				want = append(want, id)
			}
		}
		slices.Sort(want)
		for _, f := range forms {
			for _, q := range []string{f, f + " "} {
				got := slices.Clone(results[i].IDs)
				i++
				slices.Sort(got)
				// "فن" typed without a space also finds "فندق"-like
				// words by prefix; none are in this set, so the match is
				// exact.
				if !slices.Equal(got, want) {
					t.Errorf("search %q found %v, want the posts of its row %v", q, got, want)
				}
			}
		}
	}
}

// TestRanking checks the order of results: title and tag hits above body
// hits, exact forms above stems, newer above older on ties.
func TestRanking(t *testing.T) {
	docs := []search.Doc{
		doc("d0", "", "زار الوفد الأردن."),       // body, exact
		doc("d1", "", "زار الوفد الأردن."),       // body, exact, newer
		doc("d2 الأردن", "", "نص."),              // title, exact
		doc("d3", "", "زار الوفد بالأردن."),      // body, stem
		doc("d4", "الأردن", "نص."),               // tag, exact, newest
		doc("d5", "", "كازاخستان والأردن معًا."), // body, stem, with كازاخستان
	}
	dir := searchtest.WriteIndex(t, search.Build(docs, 0, search.Options{}))
	tests := []struct {
		q    string
		want []int
	}{
		{"الأردن ", []int{4, 2, 1, 0, 5, 3}},
		{"بالأردن ", []int{4, 2, 3, 5, 1, 0}},
		{"اردن ", []int{4, 2, 5, 3, 1, 0}},
		{"الأردن كازاخستان ", []int{5}},
		{"كازاخستان الأردن", []int{5}},
		{"الأرد", []int{4, 2, 5, 3, 1, 0}},
		{"الأرد ", nil},
		{"زار ", []int{3, 1, 0}},
		{"   ", nil},
	}
	queries := make([]string, len(tests))
	for i, tc := range tests {
		queries[i] = tc.q
	}
	for i, r := range searchtest.Query(t, dir, queries) {
		if !slices.Equal(r.IDs, tests[i].want) {
			t.Errorf("search %q ranks %v (scores %v), want %v", tests[i].q, r.IDs, r.Scores, tests[i].want)
		}
		if r.Total != len(r.IDs) {
			t.Errorf("search %q: total %d, %d hits", tests[i].q, r.Total, len(r.IDs))
		}
		for j, u := range r.URLs {
			if want := "/posts/" + docs[r.IDs[j]].Title + "/"; u != want {
				t.Errorf("search %q: result %d shows %s, want %s", tests[i].q, j, u, want)
			}
		}
	}
}

// TestShardedIndex runs queries on an index split into many small shards
// and chunks, so that lookups cross shard boundaries, and compares with
// the same index in one shard.
func TestShardedIndex(t *testing.T) {
	words := strings.Fields("الأردن كازاخستان التعاون الاقتصادي السفير وزير الخارجية أستانا عمّان المؤتمر الثقافة التعليم الجامعات المنح CICA 2024 والتعاون بالأردن الأردنية للسفارة")
	var docs []search.Doc
	for i := range 60 {
		var body []string
		for j := range 12 {
			body = append(body, words[(i*7+j*j)%len(words)])
		}
		docs = append(docs, doc(fmt.Sprintf("n%02d", i), "", strings.Join(body, " ")))
	}
	small := searchtest.WriteIndex(t, search.Build(docs, 3, search.Options{ShardSize: 200}))
	big := searchtest.WriteIndex(t, search.Build(docs, 0, search.Options{ShardSize: 1 << 20}))
	queries := append(slices.Clone(words), "الأ", "كاز", "ال", "cic", "الأردن التعاون")
	a, b := searchtest.Query(t, small, queries), searchtest.Query(t, big, queries)
	for i, q := range queries {
		if !slices.Equal(a[i].IDs, b[i].IDs) || !slices.Equal(a[i].Scores, b[i].Scores) || !slices.Equal(a[i].URLs, b[i].URLs) {
			t.Errorf("search %q: small shards give %v %v %v, one shard %v %v %v", q, a[i].IDs, a[i].Scores, a[i].URLs, b[i].IDs, b[i].Scores, b[i].URLs)
		}
		if i < len(words) && a[i].Total == 0 {
			t.Errorf("search %q found nothing", q)
		}
	}
}
