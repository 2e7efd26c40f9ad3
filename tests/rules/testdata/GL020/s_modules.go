package gl020

import "example.com/gl020/ledger"

// Lock order across packages of the module: one side's second acquisition happens in package
// ledger (Note locks the book it is given).

// one side: the book first, then the account
func Reconcile(a *ledger.Account) {
	a.Book.Mu.Lock()
	defer a.Book.Mu.Unlock()
	a.Mu.Lock()
	a.Balance = len(a.Book.Lines)
	a.Mu.Unlock()
}

// bad: the account first, then (inside ledger.Note) the book: the opposite order.
func Audit(a *ledger.Account) {
	a.Mu.Lock()
	defer a.Mu.Unlock()
	ledger.Note(a.Book, "audit") // want "GL020"
}

// ok: the book is released before ledger.Post takes the account and then the book.
func Close(a *ledger.Account) {
	a.Book.Mu.Lock()
	a.Book.Lines = nil
	a.Book.Mu.Unlock()
	ledger.Post(a, "closed")
}
