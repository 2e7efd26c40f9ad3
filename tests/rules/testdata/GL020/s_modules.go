package gl020

import "example.com/gl020/accounts"

// Lock order across packages of the module: one side's second acquisition happens in package
// accounts (Note locks the book it is given).

// one side: the book first, then the account
func Reconcile(a *accounts.Account) {
	a.Book.Mu.Lock()
	defer a.Book.Mu.Unlock()
	a.Mu.Lock()
	a.Balance = len(a.Book.Lines)
	a.Mu.Unlock()
}

// bad: the account first, then (inside accounts.Note) the book: the opposite order.
func Audit(a *accounts.Account) {
	a.Mu.Lock()
	defer a.Mu.Unlock()
	accounts.Note(a.Book, "audit") // want "GL020"
}

// ok: the book is released before accounts.Post takes the account and then the book.
func Close(a *accounts.Account) {
	a.Book.Mu.Lock()
	a.Book.Lines = nil
	a.Book.Mu.Unlock()
	accounts.Post(a, "closed")
}
