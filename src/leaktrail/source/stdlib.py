"""What the rules need to know about the standard library, as data (the way typeshed serves Python checkers).

Keys: "path.Func" for functions and package variables, "path.Type.Method" for methods (value or pointer
receiver alike), "path.Type.field" for struct fields. Values: result types in the notation of
`types.parse_type`.
"""

from __future__ import annotations

from functools import cache

from leaktrail.source.types import GoType, parse_type

_CTX = ("context.Context",)
_CANCEL = ("context.Context", "context.CancelFunc")
_CANCEL_CAUSE = ("context.Context", "context.CancelCauseFunc")
_RESP = ("*net/http.Response", "error")
_ROWS = ("*database/sql.Rows", "error")
_RESULT = ("database/sql.Result", "error")

FUNCS: dict[str, tuple[str, ...]] = {
    # context
    "context.Background": _CTX,
    "context.TODO": _CTX,
    "context.WithCancel": _CANCEL,
    "context.WithTimeout": _CANCEL,
    "context.WithDeadline": _CANCEL,
    "context.WithCancelCause": _CANCEL_CAUSE,
    "context.WithTimeoutCause": _CANCEL,
    "context.WithDeadlineCause": _CANCEL,
    "context.WithValue": _CTX,
    "context.WithoutCancel": _CTX,
    "context.AfterFunc": ("func() bool",),
    "context.Context.Done": ("<-chan struct{}",),
    "context.Context.Err": ("error",),
    # time
    "time.After": ("<-chan time.Time",),
    "time.Tick": ("<-chan time.Time",),
    "time.NewTicker": ("*time.Ticker",),
    "time.NewTimer": ("*time.Timer",),
    "time.AfterFunc": ("*time.Timer",),
    "time.Now": ("time.Time",),
    "time.Since": ("time.Duration",),
    "time.Ticker.C": ("<-chan time.Time",),
    "time.Timer.C": ("<-chan time.Time",),
    "time.Ticker.Stop": (),
    "time.Timer.Stop": ("bool",),
    "time.Ticker.Reset": (),
    "time.Timer.Reset": ("bool",),
    # sync
    "sync.WaitGroup.Add": (),
    "sync.WaitGroup.Done": (),
    "sync.WaitGroup.Wait": (),
    "sync.WaitGroup.Go": (),
    "sync.Mutex.Lock": (),
    "sync.Mutex.Unlock": (),
    "sync.Mutex.TryLock": ("bool",),
    "sync.RWMutex.Lock": (),
    "sync.RWMutex.Unlock": (),
    "sync.RWMutex.RLock": (),
    "sync.RWMutex.RUnlock": (),
    "sync.NewCond": ("*sync.Cond",),
    "sync.Cond.Wait": (),
    "sync.Cond.Signal": (),
    "sync.Cond.Broadcast": (),
    # net/http
    "net/http.Get": _RESP,
    "net/http.Head": _RESP,
    "net/http.Post": _RESP,
    "net/http.PostForm": _RESP,
    "net/http.NewRequest": ("*net/http.Request", "error"),
    "net/http.NewRequestWithContext": ("*net/http.Request", "error"),
    "net/http.DefaultClient": ("*net/http.Client",),
    "net/http.Client.Do": _RESP,
    "net/http.Client.Get": _RESP,
    "net/http.Client.Head": _RESP,
    "net/http.Client.Post": _RESP,
    "net/http.Client.PostForm": _RESP,
    "net/http.Response.Body": ("io.ReadCloser",),
    "net/http.Request.Context": ("context.Context",),
    "net/http.Request.WithContext": ("*net/http.Request",),
    # database/sql
    "database/sql.Open": ("*database/sql.DB", "error"),
    "database/sql.DB.Query": _ROWS,
    "database/sql.DB.QueryContext": _ROWS,
    "database/sql.DB.QueryRow": ("*database/sql.Row",),
    "database/sql.DB.QueryRowContext": ("*database/sql.Row",),
    "database/sql.DB.Exec": _RESULT,
    "database/sql.DB.ExecContext": _RESULT,
    "database/sql.DB.Begin": ("*database/sql.Tx", "error"),
    "database/sql.DB.BeginTx": ("*database/sql.Tx", "error"),
    "database/sql.DB.Conn": ("*database/sql.Conn", "error"),
    "database/sql.DB.Prepare": ("*database/sql.Stmt", "error"),
    "database/sql.DB.PrepareContext": ("*database/sql.Stmt", "error"),
    "database/sql.Tx.Query": _ROWS,
    "database/sql.Tx.QueryRow": ("*database/sql.Row",),
    "database/sql.Tx.Exec": _RESULT,
    "database/sql.Tx.Prepare": ("*database/sql.Stmt", "error"),
    "database/sql.Stmt.Query": _ROWS,
    "database/sql.Stmt.QueryRow": ("*database/sql.Row",),
    "database/sql.Stmt.Exec": _RESULT,
    "database/sql.DB.Ping": ("error",),
    "database/sql.DB.PingContext": ("error",),
    "database/sql.DB.Close": ("error",),
    "database/sql.Tx.QueryContext": _ROWS,
    "database/sql.Tx.QueryRowContext": ("*database/sql.Row",),
    "database/sql.Tx.ExecContext": _RESULT,
    "database/sql.Tx.PrepareContext": ("*database/sql.Stmt", "error"),
    "database/sql.Tx.Stmt": ("*database/sql.Stmt",),
    "database/sql.Tx.StmtContext": ("*database/sql.Stmt",),
    "database/sql.Tx.Commit": ("error",),
    "database/sql.Tx.Rollback": ("error",),
    "database/sql.Conn.QueryContext": _ROWS,
    "database/sql.Conn.QueryRowContext": ("*database/sql.Row",),
    "database/sql.Conn.ExecContext": _RESULT,
    "database/sql.Conn.PrepareContext": ("*database/sql.Stmt", "error"),
    "database/sql.Conn.BeginTx": ("*database/sql.Tx", "error"),
    "database/sql.Conn.PingContext": ("error",),
    "database/sql.Conn.Close": ("error",),
    "database/sql.Stmt.QueryContext": _ROWS,
    "database/sql.Stmt.QueryRowContext": ("*database/sql.Row",),
    "database/sql.Stmt.ExecContext": _RESULT,
    "database/sql.Stmt.Close": ("error",),
    "database/sql.Row.Scan": ("error",),
    "database/sql.Rows.Next": ("bool",),
    "database/sql.Rows.Scan": ("error",),
    "database/sql.Rows.Close": ("error",),
    "database/sql.Rows.Err": ("error",),
    "time.Sleep": (),
    # io / os
    "io.ReadAll": ("[]byte", "error"),
    "os.ReadFile": ("[]byte", "error"),
    "os.Open": ("*os.File", "error"),
    "os.Create": ("*os.File", "error"),
    "os.Getenv": ("string",),
    "errors.New": ("error",),
    "fmt.Errorf": ("error",),
    "fmt.Sprintf": ("string",),
    "strings.NewReader": ("*strings.Reader",),
    "bufio.NewScanner": ("*bufio.Scanner",),
    "bufio.NewReader": ("*bufio.Reader",),
    "os/signal.Notify": (),
    "testing.T.Context": ("context.Context",),
    "testing.B.Context": ("context.Context",),
}

# Calls after which control never comes back. "abort" ends the process (no leak possible); "goexit" ends
# only the goroutine (deferred calls run, but code after the call does not).
NO_RETURN: dict[str, str] = {
    "os.Exit": "abort",
    "log.Fatal": "abort",
    "log.Fatalf": "abort",
    "log.Fatalln": "abort",
    "log.Panic": "abort",
    "log.Panicf": "abort",
    "log.Panicln": "abort",
    "log.Logger.Fatal": "abort",
    "log.Logger.Fatalf": "abort",
    "log.Logger.Fatalln": "abort",
    "log.Logger.Panic": "abort",
    "log.Logger.Panicf": "abort",
    "log.Logger.Panicln": "abort",
    "runtime.Goexit": "goexit",
    "syscall.Exit": "abort",
}
TESTING_NO_RETURN = frozenset({"Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow"})
TESTING_TYPES = frozenset({"T", "B", "F", "TB"})


@cache
def lookup(key: str) -> tuple[GoType, ...] | None:
    found = FUNCS.get(key)
    return None if found is None else tuple(parse_type(t) for t in found)
