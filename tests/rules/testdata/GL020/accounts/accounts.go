// Package accounts locks an account's book while the caller may hold the account.
package accounts

import "sync"

type Account struct {
	Mu      sync.Mutex
	Balance int
	Book    *Book
}

type Book struct {
	Mu    sync.Mutex
	Lines []string
}

// Post locks the account, then its book.
func Post(a *Account, line string) {
	a.Mu.Lock()
	defer a.Mu.Unlock()
	a.Book.Mu.Lock()
	a.Book.Lines = append(a.Book.Lines, line)
	a.Book.Mu.Unlock()
}

// Note locks only the book.
func Note(b *Book, line string) {
	b.Mu.Lock()
	defer b.Mu.Unlock()
	b.Lines = append(b.Lines, line)
}
