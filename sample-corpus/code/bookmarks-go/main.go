// Command bookmarks serves a tiny JSON API for saving and searching bookmarks.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Bookmark is one saved link.
type Bookmark struct {
	URL     string    `json:"url"`
	Title   string    `json:"title"`
	Tags    []string  `json:"tags"`
	SavedAt time.Time `json:"saved_at"`
}

// Store keeps bookmarks in memory, guarded by a mutex.
type Store struct {
	mu    sync.RWMutex
	items []Bookmark
}

func (s *Store) Add(b Bookmark) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b.SavedAt = time.Now()
	s.items = append(s.items, b)
}

// Search returns bookmarks whose title or tags contain the query, case-insensitively.
func (s *Store) Search(query string) []Bookmark {
	s.mu.RLock()
	defer s.mu.RUnlock()
	query = strings.ToLower(query)
	var found []Bookmark
	for _, b := range s.items {
		if strings.Contains(strings.ToLower(b.Title), query) || containsTag(b.Tags, query) {
			found = append(found, b)
		}
	}
	return found
}

func containsTag(tags []string, query string) bool {
	for _, tag := range tags {
		if strings.EqualFold(tag, query) {
			return true
		}
	}
	return false
}

func main() {
	store := &Store{}
	http.HandleFunc("/bookmarks", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			var b Bookmark
			if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
				http.Error(w, "invalid JSON: "+err.Error(), http.StatusBadRequest)
				return
			}
			store.Add(b)
			w.WriteHeader(http.StatusCreated)
		case http.MethodGet:
			json.NewEncoder(w).Encode(store.Search(r.URL.Query().Get("q")))
		default:
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
	})
	log.Println("listening on 127.0.0.1:8080")
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", nil))
}
