package gl004

import (
	"fmt"
	gosync "sync"
)

// Import alias: `gosync "sync"`.

// bad: aliased import; the error path returns before Done.
func aliasEarlyReturn(ids []int) {
	wg := &gosync.WaitGroup{}
	for _, id := range ids {
		wg.Add(1)
		go func() {
			o, err := fetch(id)
			if err != nil {
				return // want "GL004"
			}
			fmt.Println(o.ID)
			wg.Done()
		}()
	}
	wg.Wait()
}

// ok: aliased import, Done deferred.
func aliasDeferred(ids []int) {
	var wg gosync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := fetch(id); err != nil {
				return
			}
		}()
	}
	wg.Wait()
}
