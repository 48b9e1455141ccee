package main

import "testing"

func TestSearchMatchesTitleAndTags(t *testing.T) {
	s := &Store{}
	s.Add(Bookmark{URL: "https://go.dev", Title: "The Go Programming Language", Tags: []string{"golang"}})
	s.Add(Bookmark{URL: "https://sqlite.org", Title: "SQLite Home Page", Tags: []string{"database"}})
	if got := len(s.Search("go")); got != 1 {
		t.Fatalf("search go: got %d results, want 1", got)
	}
	if got := len(s.Search("DATABASE")); got != 1 {
		t.Fatalf("tag search is case-insensitive: got %d, want 1", got)
	}
}
