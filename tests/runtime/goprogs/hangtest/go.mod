module example.com/hangtest

go 1.27
